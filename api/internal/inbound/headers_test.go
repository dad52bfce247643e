package inbound

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// An x-switchyard-* request header the router does not know is a 400
// naming it and the header likely meant; the routing headers, the
// session and the router's own answer headers (echoed back by a proxy)
// pass, as does any other header.
func TestUnknownSwitchyardHeader(t *testing.T) {
	for _, tt := range []struct {
		header, want string // want: "" passes, else the suggestion
	}{
		{"X-Switchyard-Max-Cost", "x-switchyard-max-cost-usd"},
		{"x-switchyard-modle", "x-switchyard-model"},
		{"X-Switchyard-Timeout", "x-switchyard-timeout-ms"},
		{"X-Switchyard-Latency-Budget", "x-switchyard-latency-budget-ms"},
		{"X-Switchyard-Something-Else", "the router reads"},
		{"X-Switchyard-Max-Cost-Usd", ""},
		{"X-Switchyard-Session", ""},
		{"X-Switchyard-Request-Id", ""},
		{"X-Switchyard-Route", ""},
		{"X-Switchyard", ""},
		{"X-Other-Header", ""},
	} {
		h := http.Header{}
		h[tt.header] = []string{"0.01"}
		_, err := Overrides(h, nil)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want it to pass", tt.header, err)
			}
			continue
		}
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Code != "unknown_header" ||
			e.Param != strings.ToLower(tt.header) || !strings.Contains(e.Message, tt.want) {
			t.Errorf("%s: %v, want a 400 unknown_header suggesting %s", tt.header, err, tt.want)
		}
	}
}

func BenchmarkOverridesNone(b *testing.B) {
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer k"}, "User-Agent": {"OpenAI/Go 3.0"},
		"X-Stainless-Lang": {"go"}, "X-Stainless-Os": {"Linux"}, "Accept": {"application/json"}}
	b.ReportAllocs()
	for b.Loop() {
		if ov, err := Overrides(h, nil); ov != nil || err != nil {
			b.Fatal(ov, err)
		}
	}
}

// On an endpoint routed by its model alone, every x-switchyard-* header
// but the session and the router's answer headers is a 400 naming the
// endpoint: a routing header (unsupported_header, it would be ignored
// there) and an unknown one (unknown_header) alike; other headers pass.
func TestUnroutedRefusesRoutingHeaders(t *testing.T) {
	for _, tt := range []struct {
		header, code string // code: "" passes
	}{
		{"X-Switchyard-Max-Cost-Usd", "unsupported_header"},
		{"X-Switchyard-Model", "unsupported_header"},
		{"X-Switchyard-Fallback", "unsupported_header"},
		{"X-Switchyard-Timeout-Ms", "unsupported_header"},
		{"X-Switchyard-Max-Cost", "unknown_header"},
		{"X-Switchyard-Session", ""},
		{"X-Switchyard-Request-Id", ""},
		{"X-Switchyard-Cost-Usd", ""},
		{"X-Switchyard", ""},
		{"X-Other-Header", ""},
	} {
		h := http.Header{}
		h[tt.header] = []string{"1"}
		err := Unrouted(h, "POST /v1/embeddings")
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v, want it to pass", tt.header, err)
			}
			continue
		}
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Code != tt.code ||
			e.Param != strings.ToLower(tt.header) || !strings.Contains(e.Message, "POST /v1/embeddings") {
			t.Errorf("%s: %v, want a 400 %s naming the endpoint", tt.header, err, tt.code)
		}
	}
}

func BenchmarkUnroutedNone(b *testing.B) {
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer k"}, "User-Agent": {"OpenAI/Go 3.0"},
		"X-Stainless-Lang": {"go"}, "X-Stainless-Os": {"Linux"}, "Accept": {"application/json"}}
	b.ReportAllocs()
	for b.Loop() {
		if err := Unrouted(h, "POST /v1/embeddings"); err != nil {
			b.Fatal(err)
		}
	}
}

// The x-switchyard-inference-geo header's us requires US-only inference
// of the request (as Anthropic's inference_geo does); global leaves it as
// it was; another value is a 400 naming the header.
func TestInferenceGeoHeader(t *testing.T) {
	for v, want := range map[string]llm.InferenceGeo{"us": llm.GeoUS, "US": llm.GeoUS, "global": ""} {
		req := &llm.Request{}
		h := http.Header{}
		h.Set("X-Switchyard-Inference-Geo", v)
		if _, err := Overrides(h, req); err != nil || req.InferenceGeo != want {
			t.Errorf("%s: geo %q, %v; want %q", v, req.InferenceGeo, err, want)
		}
	}
	req := &llm.Request{InferenceGeo: llm.GeoUS}
	h := http.Header{}
	h.Set("X-Switchyard-Inference-Geo", "global")
	if _, err := Overrides(h, req); err != nil || req.InferenceGeo != llm.GeoUS {
		t.Errorf("global header over a body's us: %q, %v", req.InferenceGeo, err)
	}
	h.Set("X-Switchyard-Inference-Geo", "eu")
	_, err := Overrides(h, &llm.Request{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param != "x-switchyard-inference-geo" {
		t.Errorf("eu: %v", err)
	}
}

// An endpoint routed by its model alone reads x-switchyard-timeout-ms (a
// bad value is chat's 400 naming it) and refuses every other routing
// header as Unrouted does, saying which one it reads.
func TestModelRoutedReadsTimeout(t *testing.T) {
	for _, tt := range []struct {
		header, value, code string // code: "" passes
		want                time.Duration
	}{
		{"X-Switchyard-Timeout-Ms", "1500", "", 1500 * time.Millisecond},
		{"X-Switchyard-Timeout-Ms", "soon", "invalid_header", 0},
		{"X-Switchyard-Timeout-Ms", "0", "invalid_header", 0},
		{"X-Switchyard-Max-Cost-Usd", "1", "unsupported_header", 0},
		{"X-Switchyard-Max-Cost", "1", "unknown_header", 0},
		{"X-Switchyard-Session", "s", "", 0},
		{"X-Other-Header", "1", "", 0},
	} {
		h := http.Header{}
		h[tt.header] = []string{tt.value}
		d, err := ModelRouted(h, "POST /v1/embeddings")
		if tt.code == "" {
			if err != nil || d != tt.want {
				t.Errorf("%s: %s, %v; want %s", tt.header, d, err, tt.want)
			}
			continue
		}
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Code != tt.code || e.Param != strings.ToLower(tt.header) {
			t.Errorf("%s: %v, want a 400 %s", tt.header, err, tt.code)
		}
		if tt.code == "unsupported_header" && !strings.Contains(e.Message, "reads x-switchyard-timeout-ms alone") {
			t.Errorf("%s: %q does not say what the endpoint reads", tt.header, e.Message)
		}
	}
}

// A routing header sent more than once with different values is a 400
// naming it: the first value alone would be read, the others silently
// not applied (two pins, a cap and a typo). The same value repeated (a
// proxy adding what the client sent) passes.
func TestRepeatedRoutingHeader(t *testing.T) {
	for _, tt := range []struct {
		header string
		values []string
		fail   bool
	}{
		{"X-Switchyard-Model", []string{"gpt-4o-mini", "gpt-4o"}, true},
		{"X-Switchyard-Timeout-Ms", []string{"800", "soon"}, true},
		{"X-Switchyard-Max-Cost-Usd", []string{"0.01", "0.01", "1"}, true},
		{"X-Switchyard-Model", []string{"gpt-4o", "gpt-4o"}, false},
		{"X-Switchyard-Session", []string{"a", "b"}, false}, // read elsewhere, as the body's user
	} {
		h := http.Header{tt.header: tt.values}
		_, err := Overrides(h, nil)
		if !tt.fail {
			if err != nil {
				t.Errorf("%s %q: %v, want it to pass", tt.header, tt.values, err)
			}
			continue
		}
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Code != "invalid_header" ||
			e.Param != strings.ToLower(tt.header) || !strings.Contains(e.Message, "different values") {
			t.Errorf("%s %q: %v, want a 400 invalid_header saying it was sent with different values", tt.header, tt.values, err)
		}
	}
	h := http.Header{"X-Switchyard-Timeout-Ms": {"800", "900"}}
	if _, err := ModelRouted(h, "POST /v1/embeddings"); err == nil || llm.AsError(err).Code != "invalid_header" {
		t.Errorf("ModelRouted with two timeouts: %v, want a 400 invalid_header", err)
	}
}
