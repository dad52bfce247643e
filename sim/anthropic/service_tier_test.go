package anthropic

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// The simulator takes service_tier auto and standard_only, refuses any
// other value as the API does, and says usage.service_tier "standard"
// (it has no Priority Tier capacity) in a message and in message_start.
func TestServiceTier(t *testing.T) {
	srv, _ := newServer(t)
	for _, tier := range []string{"auto", "standard_only"} {
		body := `{"model":"` + model + `","max_tokens":50,"service_tier":"` + tier + `","messages":[{"role":"user","content":"hi"}]}`
		resp := post(t, srv, "/v1/messages", body)
		b, _ := io.ReadAll(resp.Body)
		var m struct{ Usage map[string]any }
		if err := json.Unmarshal(b, &m); err != nil || resp.StatusCode != 200 || m.Usage["service_tier"] != "standard" ||
			!strings.Contains(string(b), `"output_tokens":`) || !strings.HasSuffix(string(b), `,"service_tier":"standard","inference_geo":"global","speed":"standard"},"container":null}`) {
			t.Errorf("%s: %d %s", tier, resp.StatusCode, b)
		}
		resp = post(t, srv, "/v1/messages", strings.Replace(body, `"max_tokens"`, `"stream":true,"max_tokens"`, 1))
		_, datas := events(t, resp.Body)
		if len(datas) == 0 || !strings.Contains(datas[0], `"service_tier":"standard","inference_geo":"global","speed":"standard"},"container":null}}`) {
			t.Errorf("%s: message_start %v", tier, datas)
		}
	}
	resp := post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":50,"service_tier":"priority","messages":[{"role":"user","content":"hi"}]}`)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "service_tier: Input should be 'auto' or 'standard_only'") {
		t.Errorf("priority: %d %s", resp.StatusCode, b)
	}
}
