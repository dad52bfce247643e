package anthropic

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/sim"
)

// With a Priority Tier commitment for the model, a request that may use
// it (service_tier auto, or none) is served at priority while the
// minute's input and output capacity hold it, and says so in
// usage.service_tier (message and message_start); then it falls back to
// standard. Such a request gets the anthropic-priority-* headers (the
// capacity left after it), served at priority or not; standard_only, and
// a model without a commitment, get standard and no header, and use no
// capacity.
func TestPriorityTier(t *testing.T) {
	b := new(sim.Behavior)
	cat := sim.NewCatalog(sim.Profile{Model: model, MaxOutputTokens: 8192}, sim.Profile{Model: "claude-sim-haiku-3-5", MaxOutputTokens: 4096})
	srv := httptest.NewServer(New(cat, &sim.Faults{}, sim.WithBehavior(b)))
	t.Cleanup(srv.Close)
	ask := func(m, tier string, stream bool) (string, string, map[string]string) {
		t.Helper()
		body := `{"model":"` + m + `","max_tokens":50,"messages":[{"role":"user","content":"Say hello to the priority tier."}]`
		if tier != "" {
			body += `,"service_tier":"` + tier + `"`
		}
		if stream {
			body += `,"stream":true`
		}
		resp := post(t, srv, "/v1/messages", body+`}`)
		h := map[string]string{}
		for k := range resp.Header {
			if k := strings.ToLower(k); strings.HasPrefix(k, "anthropic-priority-") {
				h[strings.TrimPrefix(k, "anthropic-priority-")] = resp.Header.Get(k)
			}
		}
		var m2 struct{ Usage map[string]any }
		if stream {
			_, datas := events(t, resp.Body)
			var start struct {
				Message struct{ Usage map[string]any }
			}
			json.Unmarshal([]byte(datas[0]), &start)
			m2.Usage = start.Message.Usage
		} else {
			data, _ := io.ReadAll(resp.Body)
			if err := json.Unmarshal(data, &m2); err != nil || resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, data)
			}
		}
		return m2.Usage["service_tier"].(string), strconv.Itoa(int(m2.Usage["input_tokens"].(float64))) + "/" + strconv.Itoa(int(m2.Usage["output_tokens"].(float64))), h
	}
	tier, _, h := ask(model, "auto", false)
	if tier != "standard" || len(h) != 0 {
		t.Errorf("no commitment: %s %v", tier, h)
	}
	_, tokens, _ := ask(model, "standard_only", false)
	in, _ := strconv.Atoi(strings.Split(tokens, "/")[0])
	out, _ := strconv.Atoi(strings.Split(tokens, "/")[1])
	// Room for two requests, not three.
	if err := b.Priority.Set(sim.PriorityCapacity{Model: model, InputTokensPerMinute: 2*in + in/2, OutputTokensPerMinute: 1000}); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		model, asked string
		stream       bool
		want         string
		headers      bool
		used         int // requests served at priority so far, this one included
	}{
		{"claude-sim-haiku-3-5", "auto", false, "standard", false, 0},
		{model, "standard_only", false, "standard", false, 0},
		{model, "auto", false, "priority", true, 1},
		{model, "", true, "priority", true, 2},
		{model, "auto", false, "standard", true, 2},
		{model, "", true, "standard", true, 2},
	} {
		tier, _, h := ask(tc.model, tc.asked, tc.stream)
		if tier != tc.want || (len(h) == 6) != tc.headers {
			t.Errorf("%d: %s %q: tier %s, headers %v", i, tc.model, tc.asked, tier, h)
			continue
		}
		if !tc.headers {
			continue
		}
		served := tc.used
		reset, err := time.Parse(time.RFC3339, h["input-tokens-reset"])
		if h["input-tokens-limit"] != strconv.Itoa(2*in+in/2) || h["input-tokens-remaining"] != strconv.Itoa(2*in+in/2-served*in) ||
			h["output-tokens-limit"] != "1000" || h["output-tokens-remaining"] != strconv.Itoa(1000-served*out) ||
			err != nil || time.Until(reset) > time.Minute || time.Until(reset) < 50*time.Second || h["output-tokens-reset"] != h["input-tokens-reset"] {
			t.Errorf("%d: headers %v (input %d, output %d a request)", i, h, in, out)
		}
	}
}
