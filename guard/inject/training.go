package inject

import "switchyard/llm"

// This file is the trainer's view of the scanner (switchyard/guard/inject/train):
// the windows a scan scores, with their bucket keys and feature values,
// and the features' prior weights.

// NumFeatures is the number of hand-written features.
const NumFeatures = int(numFeatures)

// Prior returns the prior weight of hand-written feature f (an index into
// FeatureNames) on the prompt channel (data false) or the data channel.
func Prior(f int, data bool) float64 {
	ch := chPrompt
	if data {
		ch = chData
	}
	return float64(features[f].prior[ch])
}

// Fixed reports whether hand-written feature f keeps its prior weight
// (training must not move it).
func Fixed(f int) bool { return features[f].fixed }

// Windows calls fn with every window Scan scores for req, in the same
// order: whether it is in data, the bucket keys of its words for a model
// of 1<<bits buckets (each tagged with its kind: see KindShift), and its hand-written feature values (NumFeatures of
// them). keys and x are reused after fn returns. Not for the hot path:
// training and evaluation only.
func Windows(req *llm.Request, bits uint, fn func(data bool, keys []uint32, x []float32)) {
	sc := getScratch()
	defer putScratch(sc)
	sc.readSystem(req.Messages)
	eachSegment(req, func(_ int, ch channel, text string) {
		sc.analyze(text, ch)
		var vals, x [numFeatures]float32
		sc.segmentValues(text, ch, &vals)
		sc.eachWindow(func(a, b int) {
			sc.keyBuf = sc.keyBuf[:0]
			for i := a; i < b; i++ {
				sc.keyBuf = sc.keys(i, ch, uint8(bits), sc.keyBuf, true)
			}
			sc.windowCounts(a, b, &vals, &x)
			fn(ch == chData, sc.keyBuf, x[:])
		})
	})
}
