package openai

import (
	"strings"
	"testing"

	"switchyard/sim"
)

// Each of n choices that call a tool has calls of its own ids, as
// OpenAI's do, complete and streamed: a client answering each choice's
// calls by id would otherwise mix them up.
func TestChoicesHaveTheirOwnCallIDs(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gpt-4o-mini"}), nil))
	const req = `{"model":"gpt-4o-mini","n":2,"messages":[{"role":"user","content":"Use get_weather for Lima."}],` +
		`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]`
	for _, stream := range []bool{false, true} {
		body := req + `}`
		if stream {
			body = req + `,"stream":true}`
		}
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
		if status != 200 {
			t.Fatalf("%d %s", status, out)
		}
		ids := map[string]bool{}
		for _, part := range strings.Split(out, `"id":"call_`)[1:] {
			ids[part[:strings.IndexByte(part, '"')]] = true
		}
		if len(ids) != 2 {
			t.Errorf("stream %v: call ids %v, want one per choice\n%s", stream, ids, out)
		}
	}
}
