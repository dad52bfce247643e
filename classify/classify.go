// Package classify says what a chat request needs: one of the seven
// llm.Categories with a calibrated confidence, plus the request features the
// routing policy reads (prompt size, turn, language, tools, JSON, code,
// images).
//
// The category comes from a trained model embedded in the binary: a
// multinomial logistic regression over hashed word unigrams and bigrams,
// character 3-5-grams, edge words, context words, structural features and
// the instruction's shape (its length, its first line's and the rest's),
// quantized to int8, and optionally the clusters of its words in a tree
// built from pretrained word vectors (see docs/classifier.md). Classification does no I/O,
// takes microseconds and allocates nothing in steady state. The features
// are extracted by classify/internal/feature; the trainer and the
// evaluation live in classify/train, which rebuilds the shipped weights bit
// for bit (`switchyard classify train`).
package classify

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"switchyard/classify/internal/feature"
	"switchyard/llm"
)

// numClasses is len(llm.Categories).
const numClasses = llm.NumCategories

// Features is what the classifier says about a request.
type Features struct {
	// Category is the most probable category; Confidence its probability.
	Category   llm.Category
	Confidence float64
	// Scores holds the softmax probability of each category, in
	// llm.Categories order; they sum to 1.
	Scores [numClasses]float32
	// PromptTokens estimates the tokens of the whole prompt, all messages.
	PromptTokens int
	// Turn is the number of user messages with text before the human's
	// instruction (0 = first turn).
	Turn int
	// Language is the ISO 639-1 code of the instruction's dominant
	// language (en, zh, es, fr, de, ja, ru, ar, pt), or "" if unknown or other.
	Language string
	// HasTools reports whether the request offers tools.
	HasTools bool
	// WantsJSON reports whether response_format asks for json_object or json_schema.
	WantsJSON bool
	// HasCode reports whether the prompt holds code: a fence or code-like
	// lines in the instruction, or a fence in the system prompt or the two
	// user turns before it.
	HasCode bool
	// HasImages reports whether any message carries an image.
	HasImages bool
}

// Classifier classifies requests with one trained model. It is immutable
// after construction and safe for concurrent use.
type Classifier struct {
	bits    uint                // log2 of the number of hashed buckets
	weights []byte              // bucket-major, stride 8: weights[b*8+c] = int8 weight + 128
	scale   [numClasses]float32 // dequantization scale per class
	bias    [numClasses]float32
	// The word cluster table (nil: no cluster features), and its words
	// as given, for Save.
	clus         *feature.Clusters
	clusterKeys  []uint32
	clusterPaths []uint16
}

//go:embed model/weights.bin
var embedded []byte

var (
	defaultOnce sync.Once
	defaultC    *Classifier
)

// Default returns the classifier with the embedded model, loaded once. It
// panics if the embedded model is corrupt, which a test rules out.
func Default() *Classifier {
	defaultOnce.Do(func() {
		c, err := Load(bytes.NewReader(embedded))
		if err != nil {
			panic(fmt.Sprintf("classify: embedded model: %v", err))
		}
		defaultC = c
	})
	return defaultC
}

var extractors = sync.Pool{New: func() any { return new(feature.Extractor) }}

// Classify returns the features of a chat request, judged by the human's
// instruction: the last user message that has text (tool results and
// assistant turns are not read), with the system prompt and two earlier
// user turns as context. A request without any user text is classified by
// its system prompt.
func (c *Classifier) Classify(req *llm.Request) Features {
	in := requestInput(req)
	f := c.classify(&in)
	f.PromptTokens = promptTokens(req)
	return f
}

// ClassifyText returns the features of a bare prompt, as if it were the only
// user message of a request.
func (c *Classifier) ClassifyText(text string) Features {
	in := feature.Input{Main: text}
	f := c.classify(&in)
	f.PromptTokens = textTokens(text) + perMessageTokens + replyPrimingTokens
	return f
}

// Prompt is a request in the shape of a labeled example: the human's
// instruction, its context and the request's signals.
type Prompt struct {
	// Text is the human's instruction (the last user message).
	Text string
	// System is the system prompt; empty means none.
	System string
	// History holds earlier user turns, oldest first; the last two are read.
	History []string
	// WantsJSON and Tools are the request's response_format and tools signals.
	WantsJSON, Tools bool
}

// ClassifyPrompt returns the features of p, exactly as Classify would for
// the request p stands for (PromptTokens counts p's texts only).
func (c *Classifier) ClassifyPrompt(p *Prompt) Features {
	in := feature.FromPrompt(p.Text, p.System, p.History, p.WantsJSON, p.Tools)
	f := c.classify(&in)
	f.PromptTokens = textTokens(p.Text) + textTokens(p.System) + perMessageTokens + replyPrimingTokens
	for _, h := range p.History {
		f.PromptTokens += textTokens(h) + perMessageTokens
	}
	if p.System != "" {
		f.PromptTokens += perMessageTokens
	}
	return f
}

// classify extracts the features of in and scores them.
func (c *Classifier) classify(in *feature.Input) Features {
	x := extractors.Get().(*feature.Extractor)
	x.Reset(c.bits, c.clus)
	x.Run(in)
	logits := c.logits(x.Features())
	f := Features{
		Turn:      in.Turn,
		Language:  x.Language(),
		HasTools:  in.Tools,
		WantsJSON: in.JSON,
		HasCode:   x.HasCode() || feature.HasFence(in.System) || feature.HasFence(in.History[0]) || feature.HasFence(in.History[1]),
		HasImages: in.Images,
	}
	extractors.Put(x)
	best := softmax(&logits, &f.Scores)
	f.Category = llm.Categories[best]
	f.Confidence = float64(f.Scores[best])
	return f
}

// logits scores the extracted features: per namespace, the sum of the
// weights of its features, normalized by the square root of the
// namespace's feature count; then per class, dequantized and biased.
//
// The sums run eight classes at a time in two 64-bit words (SWAR): weights
// are stored biased by 128 as bytes, the even and odd bytes of a bucket's
// 8-byte row are added into four 16-bit lanes each, and the lanes are
// flushed at most every 256 features (255*256 < 1<<16) or when the
// namespace changes. The bias is taken out at the flush.
func (c *Classifier) logits(feats []uint32) [numClasses]float64 {
	const (
		mask  = 1<<feature.NSShift - 1
		lanes = 0x00FF00FF00FF00FF
	)
	var sum [feature.NumNS][8]int64
	var count [feature.NumNS]int32
	w := c.weights
	for len(feats) > 0 {
		ns := feats[0] >> feature.NSShift
		var even, odd uint64
		n := 0
		for ; n < len(feats) && n < 256 && feats[n]>>feature.NSShift == ns; n++ {
			o := int(feats[n]&mask) * 8
			v := binary.LittleEndian.Uint64(w[o : o+8])
			even += v & lanes
			odd += v >> 8 & lanes
		}
		s := &sum[ns]
		for k := range 4 {
			s[2*k] += int64(even>>(16*k)&0xFFFF) - 128*int64(n)
			s[2*k+1] += int64(odd>>(16*k)&0xFFFF) - 128*int64(n)
		}
		count[ns] += int32(n)
		feats = feats[n:]
	}
	norm := feature.Norms(&count)
	var out [numClasses]float64
	for k := range out {
		t := 0.0
		for ns := range sum {
			t += norm[ns] * float64(sum[ns][k])
		}
		out[k] = float64(c.bias[k]) + float64(c.scale[k])*t
	}
	return out
}

// softmax writes the probabilities of logits into p and returns the index
// of the largest.
func softmax(logits *[numClasses]float64, p *[numClasses]float32) int {
	best := 0
	for k := range logits {
		if logits[k] > logits[best] {
			best = k
		}
	}
	var e [numClasses]float64
	sum := 0.0
	for k := range logits {
		e[k] = math.Exp(logits[k] - logits[best])
		sum += e[k]
	}
	for k := range e {
		p[k] = float32(e[k] / sum)
	}
	return best
}
