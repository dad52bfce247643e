package openai_test

import (
	"context"
	"strings"
	"testing"

	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A response.create with generate false (WebSocket mode's warm-up, which
// the Codex CLI sends first on each connection) calls no upstream: it is
// a completed response without output or usage, whose conversation the
// next turn continues with previous_response_id. Over plain HTTP it is a
// 400 naming generate.
func TestSocketWarmup(t *testing.T) {
	var seen []*llm.Request
	b := &fakeBackend{StreamFunc: func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		seen = append(seen, req)
		return llmtest.NewStream(ctx, llmtest.Event{Chunk: openaitest.TextChunk("Lima.")}), nil
	}}
	turn, sock := socketTurns(b)
	warm := `{"model":"m","instructions":"Be brief.","input":[{"role":"developer","content":"You answer capitals."}],"store":false,"stream":true,"generate":false}`
	code, out := turn(sock("req_1"), warm)
	if code != 200 || !strings.Contains(out, "event: response.completed") || !strings.Contains(out, `"output":[]`) || len(seen) != 0 {
		t.Fatalf("warm-up: %d, %d upstream calls\n%s", code, len(seen), out)
	}
	if strings.Contains(out, "output_item") {
		t.Errorf("the warm-up streamed an item:\n%s", out)
	}
	code, out = turn(sock("req_2"), `{"model":"m","input":"Capital of Peru?","store":false,"stream":true,"previous_response_id":"resp_1"}`)
	if code != 200 || !strings.Contains(out, "Lima.") || len(seen) != 1 {
		t.Fatalf("turn after the warm-up: %d\n%s", code, out)
	}
	if msgs := seen[0].Messages; len(msgs) != 2 || msgs[0].Text() != "You answer capitals." || msgs[1].Text() != "Capital of Peru?" {
		t.Errorf("the upstream got %+v, want the warm-up's input, then the turn's", msgs)
	}
	if code, out := turn(llm.WithRequestID(context.Background(), "req_3"), warm); code != 400 || !strings.Contains(out, `"param":"generate"`) {
		t.Errorf("warm-up over HTTP: %d %s", code, out)
	}
}
