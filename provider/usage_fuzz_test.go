package provider

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzUsageRescue checks the second chances a stream event or an
// embeddings answer gets from an upstream's bytes: LeadingJSON returns a
// valid JSON prefix of the data followed by something that is not white
// space, and WithoutUsage returns valid JSON with no usage member left at
// any depth. Neither panics.
func FuzzUsageRescue(f *testing.F) {
	for _, s := range []string{
		`{"choices":[{"index":0,"finish_reason":"stop"}],"usage":{"prompt_tokens":1e30}}`,
		`{"type":"message_start","message":{"id":"m","usage":{"input_tokens":99999999999999999999999}}}`,
		`{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1e30}}`,
		`{"n":123456789012345678901234567890,"usage":null}`,
		`{"a":"}"}garbage`,
		`{"a":1}{"b":2}`,
		` [1]]`,
		`{"usage":1} trailing`,
		`[{"usage":[{"usage":{}}]}]`,
		`"usage"`,
		`{"\u0075sage":{"prompt_tokens":1e30},"choices":[]}`,
		`{"Usage":{"prompt_tokens":1e30},"choices":[]}`,
		`{"candidates":[],"usageMETADATA":{"promptTokenCount":1e30}}`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if lead, ok := LeadingJSON(data); ok {
			if !bytes.HasPrefix(data, lead) || !json.Valid(lead) {
				t.Fatalf("LeadingJSON(%q) = %q: not a valid JSON prefix", data, lead)
			}
			if len(bytes.TrimSpace(data[len(lead):])) == 0 {
				t.Fatalf("LeadingJSON(%q) = %q, true with only white space after it", data, lead)
			}
		}
		out, ok := WithoutUsage(data)
		if !ok {
			if holdsUsage(data) {
				t.Fatalf("WithoutUsage(%q) finds no usage that encoding/json reads in it", data)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("WithoutUsage(%q) = %q: not JSON", data, out)
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(out))
		d.UseNumber() // a valid 7e890 does not fit a float64
		if err := d.Decode(&v); err != nil {
			t.Fatalf("WithoutUsage(%q) = %q: %v", data, out, err)
		}
		if dropUsage(v) {
			t.Fatalf("WithoutUsage(%q) = %q still holds usage", data, out)
		}
	})
}

// FuzzRetryAfter checks the waits read from an upstream's headers
// (Retry-After, retry-after-ms, the x-ratelimit-reset ones): never
// negative, never past maxRetryAfter, whatever the values.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0.5", "-1", "NaN", "+Inf", "1e300", "Wed, 21 Oct 2099 07:28:00 GMT", "6m0s", "7.66s", "-5s", "2562047h", ""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, v, ms string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		h.Set("Retry-After-Ms", ms)
		h.Set("X-Ratelimit-Remaining-Requests", "0")
		h.Set("X-Ratelimit-Reset-Requests", v)
		h.Set("X-Ratelimit-Remaining-Tokens", "0")
		h.Set("X-Ratelimit-Reset-Tokens", ms)
		for _, d := range []time.Duration{RetryAfter(h), rateLimitReset(h)} {
			if d < 0 || d > maxRetryAfter {
				t.Fatalf("Retry-After %q, ms %q: wait %v", v, ms, d)
			}
		}
	})
}

// holdsUsage reports whether the JSON value data starts with, as
// encoding/json reads it (escapes undone), has a member at some depth
// that encoding/json reads as a usage field (its key folded).
func holdsUsage(data []byte) bool {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	return d.Decode(&v) == nil && hasUsageMember(v)
}

// hasUsageMember walks v for a member whose key folds to "usage" or
// "usageMetadata".
func hasUsageMember(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, m := range v {
			if strings.EqualFold(k, "usage") || strings.EqualFold(k, "usageMetadata") || hasUsageMember(m) {
				return true
			}
		}
	case []any:
		for _, m := range v {
			if hasUsageMember(m) {
				return true
			}
		}
	}
	return false
}
