package record

import (
	"testing"

	"switchyard/llm"
	"switchyard/route"
)

// The row's explanation says the geography the request required of its
// inference and where the upstream said it ran; nothing for a request
// that required none from an upstream that said nothing.
func TestRowInferenceGeo(t *testing.T) {
	p := &route.Plan{}
	p.Explanation.Features.Needs = route.NeedUSInference
	r := &Record{RequestID: "r", Plan: p, Usage: llm.Usage{PromptTokens: 1, InferenceGeo: "us"}}
	if e := Row(r).Explanation; e.RequiredInferenceGeo != "us" || e.InferenceGeo != "us" {
		t.Errorf("explanation %+v", e)
	}
	if e := Row(&Record{RequestID: "r", Plan: &route.Plan{}}).Explanation; e.RequiredInferenceGeo != "" || e.InferenceGeo != "" {
		t.Errorf("no geo: %+v", e)
	}
}

// The explanation says the speed the answer was priced at.
func TestRowSpeed(t *testing.T) {
	r := &Record{RequestID: "r", Usage: llm.Usage{PromptTokens: 1, Speed: "fast"}}
	if e := Row(r).Explanation; e.Speed != "fast" {
		t.Errorf("speed %q, want fast", e.Speed)
	}
	r.Usage.Speed = ""
	if e := Row(r).Explanation; e.Speed != "" {
		t.Errorf("speed %q, want none", e.Speed)
	}
}
