package anthropic

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// TestPerTurnOutputConfig: a system message's own output_config is taken
// under the per-turn beta by a model with per-turn effort (Opus 5.5), and
// refused without the beta (as any unknown field) and on a model without
// it (Opus 5); the last per-turn effort is the answer's, so Haiku 5.5
// refuses thinking disabled above high by it.
func TestPerTurnOutputConfig(t *testing.T) {
	srv := httptest.NewServer(New(sim.NewCatalog(
		sim.Profile{Model: "claude-opus-5-5", MaxOutputTokens: 64000},
		sim.Profile{Model: "claude-opus-5", MaxOutputTokens: 64000},
		sim.Profile{Model: "claude-haiku-5-5", MaxOutputTokens: 64000}), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	body := func(model, extra string) string {
		return `{"model":"` + model + `","max_tokens":50,` + extra + `"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello"},
			{"role":"system","content":"Reminder.","output_config":{"effort":"medium"}},{"role":"user","content":"more"},
			{"role":"system","output_config":{"effort":"max"}}]}`
	}
	beta := "claude-code-20250219," + wire.PerTurnControlBeta
	for _, tc := range []struct{ name, body, betas, want string }{
		{"opus 5.5 with the beta", body("claude-opus-5-5", ""), beta, ""},
		{"without the beta", body("claude-opus-5-5", ""), "claude-code-20250219", "messages.2.output_config: Extra inputs are not permitted"},
		{"opus 5", body("claude-opus-5", ""), beta, "messages.2.output_config: claude-opus-5 does not support per-turn output_config"},
		{"haiku 5.5 disabled at max", body("claude-haiku-5-5", `"thinking":{"type":"disabled"},`), beta, `"thinking.type.disabled" is not supported at effort "max" on this model.`},
	} {
		resp := postBeta(t, srv, tc.body, tc.betas)
		var e struct {
			Error struct{ Type, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		switch {
		case tc.want == "" && resp.StatusCode != http.StatusOK:
			t.Errorf("%s: %d %+v", tc.name, resp.StatusCode, e)
		case tc.want != "" && (resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, tc.want)):
			t.Errorf("%s: %d %q, want 400 %q", tc.name, resp.StatusCode, e.Error.Message, tc.want)
		}
	}
}
