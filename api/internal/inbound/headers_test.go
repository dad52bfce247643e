package inbound

import (
	"errors"
	"net/http"
	"strings"
	"testing"

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
		_, err := Overrides(h)
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
		if ov, err := Overrides(h); ov != nil || err != nil {
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
