package anthropic

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/sim"
)

// The simulator honors inference_geo as the data-residency page says:
// us on Claude Opus 4.6, Sonnet 4.6 and later is served and reported
// (usage.inference_geo "us", in a message and in message_start); global
// or none reports global; a model before them answers inference_geo with
// a 400 in Anthropic's shape, and so does a value other than global and
// us.
func TestInferenceGeo(t *testing.T) {
	var ps []sim.Profile
	for _, m := range []string{"claude-opus-4-6", "claude-sonnet-4-6", "claude-opus-5-5", "claude-opus-4-5", "claude-haiku-4-5"} {
		ps = append(ps, sim.Profile{Model: m, MaxOutputTokens: 64000})
	}
	srv := httptest.NewServer(New(sim.NewCatalog(ps...), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	body := func(model, geo string) string {
		return `{"model":"` + model + `","max_tokens":50,` + geo + `"messages":[{"role":"user","content":"hi"}]}`
	}
	for _, tc := range []struct{ model, geo, want string }{
		{"claude-opus-4-6", `"inference_geo":"us",`, "us"},
		{"claude-sonnet-4-6", `"inference_geo":"us",`, "us"},
		{"claude-opus-5-5", `"inference_geo":"us",`, "us"},
		{"claude-opus-4-6", `"inference_geo":"global",`, "global"},
		{"claude-opus-4-6", ``, "global"},
		{"claude-haiku-4-5", ``, "global"},
	} {
		resp := post(t, srv, "/v1/messages", body(tc.model, tc.geo))
		b, _ := io.ReadAll(resp.Body)
		var m struct{ Usage map[string]any }
		if err := json.Unmarshal(b, &m); err != nil || resp.StatusCode != 200 || m.Usage["inference_geo"] != tc.want {
			t.Errorf("%s %s: %d %s", tc.model, tc.geo, resp.StatusCode, b)
		}
		resp = post(t, srv, "/v1/messages", strings.Replace(body(tc.model, tc.geo), `"max_tokens"`, `"stream":true,"max_tokens"`, 1))
		_, datas := events(t, resp.Body)
		if len(datas) == 0 || !strings.Contains(datas[0], `"inference_geo":"`+tc.want+`"`) {
			t.Errorf("%s %s: message_start %v", tc.model, tc.geo, datas)
		}
	}
	for _, tc := range []struct{ model, geo, want string }{
		{"claude-opus-4-5", `"inference_geo":"us",`, "inference_geo: is not supported for this model"},
		{"claude-haiku-4-5", `"inference_geo":"global",`, "inference_geo: is not supported for this model"},
		{"claude-opus-4-6", `"inference_geo":"eu",`, "inference_geo: Input should be 'global' or 'us'"},
	} {
		resp := post(t, srv, "/v1/messages", body(tc.model, tc.geo))
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"type":"error","error":{"type":"invalid_request_error"`) || !strings.Contains(string(b), tc.want) {
			t.Errorf("%s %s: %d %s", tc.model, tc.geo, resp.StatusCode, b)
		}
	}
}
