package e2e

import (
	"encoding/json"
	"testing"

	"github.com/openai/openai-go/v3/responses"
)

// socketOthers, over a Responses API WebSocket as tenant A, continues
// tenant B's stored response (not found, as an unknown id), then tenant
// A's own, and returns every message received.
func socketOthers(t *testing.T, e *isoEnv) [][]byte {
	c := e.clientWith(keyA)
	conn, err := c.Responses.Connect(ctxT(t), responses.ResponseConnectionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var out [][]byte
	for _, prev := range []string{e.respB, e.respA} {
		ev := `{"type":"response.create","model":"plain","previous_response_id":"` + prev + `","input":"and?"}`
		if err := conn.SendRaw(ctxT(t), json.RawMessage(ev)); err != nil {
			t.Fatal(err)
		}
		for {
			raw, err := conn.RecvRaw(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, raw)
			var v struct{ Type string }
			json.Unmarshal(raw, &v)
			if v.Type == "error" || v.Type == "response.completed" || v.Type == "response.failed" {
				break
			}
		}
	}
	return out
}
