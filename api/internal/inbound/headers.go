package inbound

import (
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/route"
)

// headerPrefix is the router's own headers' prefix.
const headerPrefix = "x-switchyard-"

// echoedHeaders are the router's headers a client may send without
// effect: those the API reads elsewhere (the session) and its answers'
// headers, which a proxy or client may copy onto its next request.
var echoedHeaders = map[string]bool{
	"X-Switchyard-Session": true, "X-Switchyard-Request-Id": true, "X-Switchyard-Route": true,
	"X-Switchyard-Deployment": true, "X-Switchyard-Cost-Usd": true, "X-Switchyard-Guard": true,
	"X-Switchyard-Config-Version": true,
}

// scanHeaders reports whether h sets a routing header, in one pass over
// its names; an x-switchyard-* header the router does not know is a 400
// naming it with the one likely meant: a mistyped routing header
// (x-switchyard-max-cost for x-switchyard-max-cost-usd) would otherwise
// be ignored, and its cap or pin silently not applied.
func scanHeaders(h http.Header) (set bool, err error) {
	for k, v := range h {
		if len(k) <= len(headerPrefix) || k[0]|0x20 != 'x' || !strings.EqualFold(k[:len(headerPrefix)], headerPrefix) {
			continue
		}
		canon := textproto.CanonicalMIMEHeaderKey(k)
		switch {
		case isOverrideHeader(canon):
			if err := oneValue(k, v); err != nil {
				return false, err
			}
			set = set || len(v) > 0
		case !echoedHeaders[canon]:
			return false, unknownHeader(strings.ToLower(k))
		}
	}
	return set, nil
}

// Unrouted checks h for an endpoint that reads no routing header (named
// endpoint, as "POST /v1/messages/batches"): a batch's creation, whose
// lines are routed by their own bodies: every x-switchyard-* header but
// the session and the router's answer headers is a 400 naming it and the
// endpoint — a routing header (code unsupported_header) would be ignored
// there, its cap or pin silently not applied, and an unknown one
// (unknown_header) likewise. It is the same one pass over h's names as
// Overrides.
func Unrouted(h http.Header, endpoint string) error {
	return checkUnread(h, endpoint, "")
}

// ModelRouted reads the one routing header of an endpoint routed by its
// model alone (named endpoint, as "POST /v1/embeddings": embeddings,
// moderations, images, audio, realtime): x-switchyard-timeout-ms, each
// attempt's first-byte timeout (zero when absent); a bad value is the
// 400 chat answers. Every other x-switchyard-* header is refused as
// Unrouted refuses it.
func ModelRouted(h http.Header, endpoint string) (time.Duration, error) {
	canon := overrideHeaders[route.HeaderTimeout]
	if err := checkUnread(h, endpoint, canon); err != nil {
		return 0, err
	}
	if h.Get(canon) == "" {
		return 0, nil
	}
	ov, err := route.ParseOverrides(func(name string) string {
		if name != route.HeaderTimeout {
			return ""
		}
		return h.Get(canon)
	})
	return ov.TierTimeout, err
}

// checkUnread is Unrouted's pass over h, letting the header named read
// (canonical; "" for none) through.
func checkUnread(h http.Header, endpoint, read string) error {
	for k := range h {
		if len(k) <= len(headerPrefix) || k[0]|0x20 != 'x' || !strings.EqualFold(k[:len(headerPrefix)], headerPrefix) {
			continue
		}
		canon := textproto.CanonicalMIMEHeaderKey(k)
		if !echoedHeaders[canon] && canon != read {
			return unreadHeader(strings.ToLower(k), endpoint, isOverrideHeader(canon), read != "")
		}
		if canon == read {
			if err := oneValue(k, h[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// oneValue is the 400 of the routing header name sent with different
// values (nil when all are the same): only the first would be read, the
// others' caps or pins silently not applied.
func oneValue(name string, values []string) error {
	for _, v := range values[min(1, len(values)):] {
		if v != values[0] {
			e := llm.Errorf(llm.KindInvalidRequest, "The header %s was sent %d times with different values: send it once.", strings.ToLower(name), len(values))
			e.Param, e.Code = strings.ToLower(name), "invalid_header"
			return e
		}
	}
	return nil
}

// unreadHeader is Unrouted's 400 of the header name on endpoint.
// timeout says that endpoint reads x-switchyard-timeout-ms.
func unreadHeader(name, endpoint string, routing, timeout bool) *llm.Error {
	also := ""
	if timeout {
		also = " (" + endpoint + " reads " + route.HeaderTimeout + " alone)"
	}
	e := llm.Errorf(llm.KindInvalidRequest, "The header %s is not read by %s: the routing headers steer live chat completions, completions, responses and messages requests only%s. Leave it off this request rather than rely on it.", name, endpoint, also)
	e.Param, e.Code = name, "unsupported_header"
	if !routing {
		reads := "no x-switchyard-* header but x-switchyard-session"
		if timeout {
			reads = "no x-switchyard-* header but " + route.HeaderTimeout + " and x-switchyard-session"
		}
		e = llm.Errorf(llm.KindInvalidRequest, "Unknown header %s: %s reads %s. An unknown x-switchyard-* header is refused rather than ignored.", name, endpoint, reads)
		e.Param, e.Code = name, "unknown_header"
	}
	return e
}

// unknownHeader is the 400 of the unknown header name.
func unknownHeader(name string) *llm.Error {
	msg := "Unknown header " + name + ": the router reads " + strings.Join(overrideNames(), ", ") + " and x-switchyard-session."
	if m := closestHeader(name); m != "" {
		msg = "Unknown header " + name + ": did you mean " + m + "? An unknown x-switchyard-* header is refused rather than ignored."
	}
	e := llm.Errorf(llm.KindInvalidRequest, "%s", msg)
	e.Param, e.Code = name, "unknown_header"
	return e
}

func isOverrideHeader(canon string) bool {
	for _, c := range overrideHeaders {
		if c == canon {
			return true
		}
	}
	return false
}

// overrideNames lists the routing headers, as documented.
func overrideNames() []string {
	return []string{route.HeaderModel, route.HeaderCategory, route.HeaderMaxCost, route.HeaderLatencyBudget, route.HeaderTimeout, route.HeaderFallback, route.HeaderInferenceGeo}
}

// closestHeader is the routing header (or the session header) name most
// likely meant: one that extends name or that name extends, else one
// within three edits; "" when none is close.
func closestHeader(name string) string {
	best, bestDist := "", 4
	for _, h := range append(overrideNames(), "x-switchyard-session") {
		if strings.HasPrefix(h, name) || strings.HasPrefix(name, h) {
			return h
		}
		if d := editDistance(name, h); d < bestDist {
			best, bestDist = h, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
