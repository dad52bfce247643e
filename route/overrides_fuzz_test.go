package route

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"switchyard/llm"
)

// FuzzParseOverrides: any values of the override headers parse to
// overrides within their bounds, or to a 400 naming one of the headers
// whose message is valid UTF-8 and of bounded length.
func FuzzParseOverrides(f *testing.F) {
	f.Add(" gpt-4o ", "Code", "0.01", "2500", "800", "US", "NONE")
	f.Add("", "Billing", "", "", "", "global", "")
	f.Add("", "po etry!", "-1", "1.5s", "0", "eu", "yes")
	f.Add("", "", "NaN", "99999999999999", "86400000", "", "")
	f.Add("", "", "1e309", "86400001", "0x10", "", "")
	f.Add("", strings.Repeat("é", 30), strings.Repeat("€", 20), "", "", "", "")
	names := []string{HeaderModel, HeaderCategory, HeaderMaxCost, HeaderLatencyBudget, HeaderTimeout, HeaderInferenceGeo, HeaderFallback}
	f.Fuzz(func(t *testing.T, model, category, maxCost, budget, timeout, geo, fallback string) {
		h := http.Header{}
		for i, v := range []string{model, category, maxCost, budget, timeout, geo, fallback} {
			h[http.CanonicalHeaderKey(names[i])] = []string{v}
		}
		ov, err := ParseOverrides(h.Get)
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || !slices.Contains(names, e.Param) {
				t.Fatalf("error %v is not a 400 naming an override header", err)
			}
			if !utf8.ValidString(e.Message) || len(e.Message) > 1000 {
				t.Fatalf("message of %d bytes, valid UTF-8 %v: %q", len(e.Message), utf8.ValidString(e.Message), e.Message)
			}
			return
		}
		if ov.Model != strings.TrimSpace(model) {
			t.Fatalf("model %q from %q", ov.Model, model)
		}
		if c := ov.Category; c != "" && !c.Valid() && !hintName.MatchString(string(c)) {
			t.Fatalf("category %q from %q", c, category)
		}
		if ov.MaxCostUSD < 0 || math.IsInf(ov.MaxCostUSD, 0) || math.IsNaN(ov.MaxCostUSD) || (ov.MaxCostUSD == 0) != (strings.TrimSpace(maxCost) == "") {
			t.Fatalf("max cost %v from %q", ov.MaxCostUSD, maxCost)
		}
		for _, d := range []struct {
			got time.Duration
			raw string
		}{{ov.LatencyBudget, budget}, {ov.TierTimeout, timeout}} {
			if d.got < 0 || d.got > maxLatencyBudget || (d.got == 0) != (strings.TrimSpace(d.raw) == "") {
				t.Fatalf("duration %v from %q", d.got, d.raw)
			}
		}
		if (ov.InferenceGeo == llm.GeoUS) != strings.EqualFold(strings.TrimSpace(geo), "us") || ov.NoFallback != strings.EqualFold(strings.TrimSpace(fallback), "none") {
			t.Fatalf("geo %q / no fallback %v from %q, %q", ov.InferenceGeo, ov.NoFallback, geo, fallback)
		}
	})
}
