package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strings"

	"switchyard/llm"
)

// Example is one labeled training prompt.
type Example struct {
	// Text is the prompt: the last user message.
	Text string `json:"text"`
	// Label is a category name, one of llm.Categories.
	Label string `json:"label"`
	// Source names where the example comes from; evaluation holds out whole
	// sources. Written examples use "written-here:CLASS:GENERATOR".
	Source string `json:"source"`
	// System is an optional system prompt sent with the text.
	System string `json:"system,omitempty"`
	// History holds optional earlier user turns, oldest first.
	History []string `json:"history,omitempty"`
	// WantsJSON and Tools are the request's response_format and tools signals.
	WantsJSON bool `json:"wants_json,omitempty"`
	Tools     bool `json:"tools,omitempty"`
}

// ReadJSONL reads examples, one JSON object per line; blank lines are
// skipped and unknown fields (such as "license") ignored. It returns an error
// naming the line for malformed JSON, an empty text or an unknown label.
func ReadJSONL(r io.Reader) ([]Example, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var out []Example
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			var e Example
			if jerr := json.Unmarshal(b, &e); jerr != nil {
				return nil, fmt.Errorf("classify: line %d: %w", line, jerr)
			}
			if e.Text == "" {
				return nil, fmt.Errorf("classify: line %d: empty text", line)
			}
			if !llm.Category(e.Label).Valid() {
				return nil, fmt.Errorf("classify: line %d: unknown label %q", line, e.Label)
			}
			out = append(out, e)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("classify: line %d: %w", line, err)
		}
	}
}

// SplitOptions says how Split divides labeled data.
type SplitOptions struct {
	// HoldoutSources lists source prefixes held out of training entirely;
	// their examples form the source-held-out evaluation set.
	HoldoutSources []string
	// TestPercent is the share (0-100) of the other examples set aside, by a
	// hash of their text, as the random-split test set.
	TestPercent int
	// MaxHeldOutPerSource caps the held-out examples kept per source, chosen
	// by text hash, so one large source does not swamp the others'
	// precision. Zero means no cap.
	MaxHeldOutPerSource int
}

// DefaultHoldout lists the sources the shipped model never trains on: one
// public source each for code and reasoning and whole written generators
// for the other classes. See docs/classifier.md.
var DefaultHoldout = []string{
	"humaneval",
	"gsm8k",
	"written-here:factual:howwhy",
	"written-here:creative:verse",
	"written-here:chat:feelings",
	"written-here:extraction:logs",
	"written-here:extraction:resume",
	"written-here:summarization:meeting",
	"written-here:summarization:condense",
	"written-here:code:ops",
}

// DefaultSplit is the split of the shipped model.
func DefaultSplit() SplitOptions {
	return SplitOptions{HoldoutSources: DefaultHoldout, TestPercent: 10, MaxHeldOutPerSource: 400}
}

// Split divides examples into a training set, a random-split test set and
// a source-held-out set. It is deterministic: it depends only on the
// examples' sources and texts, not on their order.
func Split(examples []Example, o SplitOptions) (train, test, heldOut []Example) {
	bySource := map[string][]Example{}
	for _, e := range examples {
		if heldOutSource(e.Source, o.HoldoutSources) {
			bySource[e.Source] = append(bySource[e.Source], e)
			continue
		}
		if int(textHash(e.Text)%100) < o.TestPercent {
			test = append(test, e)
		} else {
			train = append(train, e)
		}
	}
	sources := make([]string, 0, len(bySource))
	for s := range bySource {
		sources = append(sources, s)
	}
	slices.Sort(sources)
	for _, s := range sources {
		ex := bySource[s]
		slices.SortStableFunc(ex, func(a, b Example) int { return cmpHash(a.Text, b.Text) })
		if o.MaxHeldOutPerSource > 0 && len(ex) > o.MaxHeldOutPerSource {
			ex = ex[:o.MaxHeldOutPerSource]
		}
		heldOut = append(heldOut, ex...)
	}
	return train, test, heldOut
}

// heldOutSource reports whether source starts with one of the prefixes.
func heldOutSource(source string, prefixes []string) bool {
	for _, p := range prefixes {
		if p != "" && strings.HasPrefix(source, p) {
			return true
		}
	}
	return false
}

// textHash is FNV-1a 64 of a text, the split's and the ordering's key.
func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// cmpHash orders texts by their hash, then by the text itself.
func cmpHash(a, b string) int {
	ha, hb := textHash(a), textHash(b)
	switch {
	case ha < hb:
		return -1
	case ha > hb:
		return 1
	}
	return strings.Compare(a, b)
}
