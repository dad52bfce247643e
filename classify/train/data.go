// Package train builds the classifier's model from labeled prompts and
// measures it honestly: Train fits the weights (deterministically, bit for
// bit), CrossValidate holds whole real sources out of training, and
// Evaluate scores a model per class with its calibration. The inference
// side is package classify; both extract features with
// classify/internal/feature.
package train

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
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
	// sources (see SourceGroup). Written examples use
	// "written-here:CLASS:GENERATOR".
	Source string `json:"source"`
	// OrigLabel is the source's own task label, when it has one (Dolly's
	// categories, Super-NaturalInstructions' task categories).
	OrigLabel string `json:"orig_label,omitempty"`
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
				return nil, fmt.Errorf("train: line %d: %w", line, jerr)
			}
			if e.Text == "" {
				return nil, fmt.Errorf("train: line %d: empty text", line)
			}
			if !llm.Category(e.Label).Valid() {
				return nil, fmt.Errorf("train: line %d: unknown label %q", line, e.Label)
			}
			out = append(out, e)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("train: line %d: %w", line, err)
		}
	}
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
