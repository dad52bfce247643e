package route

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// The request headers a caller steers routing with. Every inbound API
// reads the same ones.
const (
	// HeaderModel pins a deployment: "x-switchyard-model: gpt-4o".
	HeaderModel = "x-switchyard-model"
	// HeaderCategory replaces the classifier's category.
	HeaderCategory = "x-switchyard-category"
	// HeaderMaxCost caps the estimated cost of the request, in USD.
	HeaderMaxCost = "x-switchyard-max-cost-usd"
	// HeaderLatencyBudget caps the expected total latency, in milliseconds.
	HeaderLatencyBudget = "x-switchyard-latency-budget-ms"
	// HeaderFallback "none" keeps only the first candidate.
	HeaderFallback = "x-switchyard-fallback"
	// HeaderTimeout sets every tier's time-to-first-token timeout, in
	// milliseconds.
	HeaderTimeout = "x-switchyard-timeout-ms"
	// HeaderInferenceGeo "us" requires US-only inference, as Anthropic's
	// inference_geo does: a requirement of the request (it narrows the
	// candidates, never widens them), which every caller may set.
	HeaderInferenceGeo = "x-switchyard-inference-geo"
)

// maxLatencyBudget bounds HeaderLatencyBudget (one day).
const maxLatencyBudget = 24 * time.Hour

// ParseOverrides reads the override headers through get (e.g.
// http.Header.Get). An absent or empty header means no override. A bad
// value is a 400 *llm.Error whose Param names the header. Allowed is left
// zero for the caller to set.
func ParseOverrides(get func(name string) string) (Overrides, error) {
	var ov Overrides
	ov.Model = strings.TrimSpace(get(HeaderModel))
	if v := strings.TrimSpace(get(HeaderCategory)); v != "" {
		c := llm.Category(strings.ToLower(v))
		if !c.Valid() && !hintName.MatchString(string(c)) {
			return ov, badHeader(HeaderCategory, v, "one of "+categoryList()+", or a semantic category of the route")
		}
		ov.Category = c // a name that is not built in is checked against the route by Plan
	}
	if v := strings.TrimSpace(get(HeaderMaxCost)); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return ov, badHeader(HeaderMaxCost, v, "a positive number of US dollars, e.g. 0.01")
		}
		ov.MaxCostUSD = f
	}
	if v := strings.TrimSpace(get(HeaderLatencyBudget)); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 || time.Duration(n) > maxLatencyBudget/time.Millisecond {
			return ov, badHeader(HeaderLatencyBudget, v, "a positive whole number of milliseconds, e.g. 5000")
		}
		ov.LatencyBudget = time.Duration(n) * time.Millisecond
	}
	if v := strings.TrimSpace(get(HeaderTimeout)); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 || time.Duration(n) > maxLatencyBudget/time.Millisecond {
			return ov, badHeader(HeaderTimeout, v, "a positive whole number of milliseconds, e.g. 800")
		}
		ov.TierTimeout = time.Duration(n) * time.Millisecond
	}
	switch v := strings.TrimSpace(get(HeaderInferenceGeo)); strings.ToLower(v) {
	case "", string(llm.GeoGlobal):
	case string(llm.GeoUS):
		ov.InferenceGeo = llm.GeoUS
	default:
		return ov, badHeader(HeaderInferenceGeo, v, `"us" for inference on US infrastructure only, or "global"`)
	}
	switch v := strings.TrimSpace(get(HeaderFallback)); strings.ToLower(v) {
	case "":
	case "none":
		ov.NoFallback = true
	default:
		return ov, badHeader(HeaderFallback, v, `"none" to disable fallback; omit the header to allow it`)
	}
	return ov, nil
}

func badHeader(name, value, want string) *llm.Error {
	if len(value) > 40 {
		value = value[:40] + "…"
	}
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid %s header %q: want %s.", name, llm.Clip(value), want)
	e.Param, e.Code = name, "invalid_header"
	return e
}

// hintName is what a semantic category's name may be, as the header
// gives it (lower-cased).
var hintName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

func categoryList() string {
	names := make([]string, len(llm.Categories))
	for i, c := range llm.Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// checkAllowed reports the first override header the caller used but may
// not, as a 403 naming the header and the override (auth.keys overrides).
func checkAllowed(ov *Overrides) error {
	if ov.Allowed == AllowAll {
		return nil
	}
	for _, x := range []struct {
		used   bool
		kind   OverrideSet
		header string
		name   config.Override
	}{
		{ov.Model != "", AllowPin, HeaderModel, config.OverrideModel},
		{ov.Category != "", AllowCategory, HeaderCategory, config.OverrideCategory},
		{ov.MaxCostUSD != 0, AllowMaxCost, HeaderMaxCost, config.OverrideMaxCost},
		{ov.LatencyBudget != 0, AllowLatency, HeaderLatencyBudget, config.OverrideLatency},
		{ov.TierTimeout != 0, AllowLatency, HeaderTimeout, config.OverrideLatency},
		{ov.NoFallback, AllowFallback, HeaderFallback, config.OverrideFallback},
	} {
		if x.used && ov.Allowed&x.kind == 0 {
			return notAllowed(fmt.Sprintf("the %s header", x.header), "remove the header", x.name, x.header)
		}
	}
	return nil
}

// pinNotAllowed is the 403 for a deployment named in the model field by a
// caller who may not pin.
func pinNotAllowed(deployment string) *llm.Error {
	return notAllowed(fmt.Sprintf("deployment %q as the model", deployment),
		`ask for a route instead (e.g. "auto"; GET /v1/models lists them)`, config.OverrideModel, "model")
}

func notAllowed(what, instead string, name config.Override, param string) *llm.Error {
	e := llm.Errorf(llm.KindPermission, "This API key may not use %s (the %q override): %s, or ask an admin to add %q to this key's overrides in auth.keys.",
		what, name, instead, name)
	e.Param, e.Code = param, "override_not_allowed"
	return e
}
