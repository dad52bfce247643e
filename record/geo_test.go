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
