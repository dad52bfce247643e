package route

import (
	"math"
	"strconv"
	"strings"
	"time"

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
		if !c.Valid() {
			return ov, badHeader(HeaderCategory, v, "one of "+categoryList())
		}
		ov.Category = c
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
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid %s header %q: want %s.", name, value, want)
	e.Param, e.Code = name, "invalid_header"
	return e
}

func categoryList() string {
	names := make([]string, len(llm.Categories))
	for i, c := range llm.Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// checkAllowed reports the first override the caller used but may not.
func checkAllowed(ov *Overrides) error {
	if ov.Allowed == AllowAll {
		return nil
	}
	for _, x := range []struct {
		used   bool
		kind   OverrideSet
		header string
	}{
		{ov.Model != "", AllowPin, HeaderModel},
		{ov.Category != "", AllowCategory, HeaderCategory},
		{ov.MaxCostUSD != 0, AllowMaxCost, HeaderMaxCost},
		{ov.LatencyBudget != 0, AllowLatency, HeaderLatencyBudget},
		{ov.TierTimeout != 0, AllowLatency, HeaderTimeout},
		{ov.NoFallback, AllowFallback, HeaderFallback},
	} {
		if x.used && ov.Allowed&x.kind == 0 {
			return notAllowed("the "+x.header+" header", x.header)
		}
	}
	return nil
}

func notAllowed(what, param string) *llm.Error {
	e := llm.Errorf(llm.KindPermission, "This API key may not use %s; ask for a route instead, or ask an admin to allow it.", what)
	e.Param, e.Code = param, "override_not_allowed"
	return e
}
