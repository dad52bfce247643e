package anthropic

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// TestPrefill: a final assistant message is continued from where it ends
// (even when the prompt carries a cut directive), a prefill with
// trailing whitespace is a 400, and a reject_prefill rule makes the model
// refuse prefills only.
func TestPrefill(t *testing.T) {
	const prompt = "Tell me about rivers [[sim:cut]]"
	full := (&sim.Profile{Model: model}).Respond(sim.Ask{Model: model, Prompt: prompt}).Text
	cut := strings.Join(sim.Split(full)[:3], "")
	body := func(prefill string) string {
		b, _ := json.Marshal(map[string]any{"model": model, "max_tokens": 200, "messages": []map[string]string{
			{"role": "user", "content": prompt}, {"role": "assistant", "content": prefill}}})
		return string(b)
	}
	cases := []struct {
		name, prefill string
		reject        bool
		status        int
		want          string // the text after the prefill, or the error message part
	}{
		{"continues its own answer", cut, false, 200, full[len(cut):]},
		{"trailing whitespace", cut + " ", false, 400, "trailing whitespace"},
		{"rejected", cut, true, 400, "does not support assistant message prefill"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, faults := newServer(t)
			faults.Add(sim.Fault{Kind: sim.FaultRejectPrefill, Model: "claude-sim-haiku-3-5"})
			if tc.reject {
				faults.Add(sim.Fault{Kind: sim.FaultRejectPrefill, Model: model})
			}
			resp := post(t, srv, "/v1/messages", body(tc.prefill))
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d: %s", resp.StatusCode, raw)
			}
			if tc.status != 200 {
				if !strings.Contains(string(raw), tc.want) || !strings.Contains(string(raw), "invalid_request_error") {
					t.Fatalf("body %s", raw)
				}
				return
			}
			var m wire.MessagesResponse
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			if len(m.Content) != 1 || m.Content[0].Text != tc.want {
				t.Fatalf("continuation %+v, want %q", m.Content, tc.want)
			}
		})
	}
}
