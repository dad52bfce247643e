package dispatch

import (
	"testing"

	"switchyard/llm"
)

// A deployment configured US-resident is sent US-only inference on every
// request (its adapter sends inference_geo where the API takes it); any
// other keeps what the client asked, and the client's request is not
// changed.
func TestUpstreamInferenceGeo(t *testing.T) {
	req := &llm.Request{Model: "auto", InferenceGeo: llm.GeoGlobal}
	if got := Upstream(req, &llm.Deployment{Model: "claude-opus-4-6", InferenceGeo: llm.GeoUS}).InferenceGeo; got != llm.GeoUS {
		t.Errorf("us deployment: %q", got)
	}
	if got := Upstream(req, &llm.Deployment{Model: "claude-opus-4-6"}).InferenceGeo; got != llm.GeoGlobal {
		t.Errorf("other deployment: %q", got)
	}
	if req.InferenceGeo != llm.GeoGlobal {
		t.Errorf("client's request changed: %q", req.InferenceGeo)
	}
}
