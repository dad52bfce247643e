package anthropic

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// TestThinkingTokensDetail: usage.output_tokens_details.thinking_tokens
// counts the thinking billed inside output_tokens (all the model thought,
// shown, omitted or redacted), 0 without thinking; Claude 4 shows a
// summary of it, 3.7 the whole; a stream's message_delta says the same as
// the complete answer.
func TestThinkingTokensDetail(t *testing.T) {
	srv := httptest.NewServer(New(sim.NewCatalog(sim.Profile{Model: model, MaxOutputTokens: 8192},
		sim.Profile{Model: "claude-3-7-sonnet-20250219", MaxOutputTokens: 8192}), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	ask := func(thinking, prompt string, models ...string) wire.MessagesResponse {
		m := model
		if len(models) > 0 {
			m = models[0]
		}
		resp := post(t, srv, "/v1/messages", `{"model":"`+m+`","max_tokens":8000,`+thinking+`"messages":[{"role":"user","content":"`+prompt+`"}]}`)
		if resp.StatusCode != 200 {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s: %d %s", thinking, resp.StatusCode, b)
		}
		return decodeMessage(t, resp.Body)
	}
	thinkingOf := func(name string, u wire.Usage) int {
		t.Helper()
		if u.OutputTokensDetails == nil {
			t.Fatalf("%s: no output_tokens_details in %+v", name, u)
		}
		return u.OutputTokensDetails.ThinkingTokens
	}
	plain := ask("", "Why is the sky blue?")
	if n := thinkingOf("plain", plain.Usage); n != 0 {
		t.Errorf("no thinking asked: thinking_tokens %d", n)
	}
	const big = `"thinking":{"type":"enabled","budget_tokens":6000},`
	for name, m := range map[string]wire.MessagesResponse{
		"shown":    ask(big, "Why is the sky blue?"),
		"omitted":  ask(`"thinking":{"type":"enabled","budget_tokens":6000,"display":"omitted"},`, "Why is the sky blue?"),
		"redacted": ask(big, RedactedThinkingTrigger),
	} {
		n := thinkingOf(name, m.Usage)
		if n <= 0 || n >= m.Usage.OutputTokens {
			t.Errorf("%s: thinking_tokens %d of output_tokens %d", name, n, m.Usage.OutputTokens)
		}
		if name != "redacted" && m.Usage.OutputTokens-n != plain.Usage.OutputTokens {
			t.Errorf("%s: output_tokens %d less thinking_tokens %d is not the answer's %d", name, m.Usage.OutputTokens, n, plain.Usage.OutputTokens)
		}
	}
	full := ask(big, "Why is the sky blue?")
	// Claude 4 shows a summary and bills the whole thinking.
	if shown := sim.CountTokens(full.Content[0].Thinking); shown >= full.Usage.OutputTokensDetails.ThinkingTokens {
		t.Errorf("summarized thinking of %d tokens, billed %d", shown, full.Usage.OutputTokensDetails.ThinkingTokens)
	}
	if old := ask(big, "Why is the sky blue?", "claude-3-7-sonnet-20250219"); sim.CountTokens(old.Content[0].Thinking) != old.Usage.OutputTokensDetails.ThinkingTokens {
		t.Errorf("Claude 3.7 shows its whole thinking: %q, billed %d", old.Content[0].Thinking, old.Usage.OutputTokensDetails.ThinkingTokens)
	}
	resp := post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":8000,"stream":true,`+big+`"messages":[{"role":"user","content":"Why is the sky blue?"}]}`)
	names, datas := events(t, resp.Body)
	for i, name := range names {
		if name != "message_delta" {
			continue
		}
		var ev struct{ Usage wire.DeltaUsage }
		if err := json.Unmarshal([]byte(datas[i]), &ev); err != nil {
			t.Fatal(err)
		}
		if d := ev.Usage.OutputTokensDetails; d == nil || d.ThinkingTokens != full.Usage.OutputTokensDetails.ThinkingTokens ||
			ev.Usage.OutputTokens != full.Usage.OutputTokens {
			t.Errorf("message_delta usage %s, the answer's %+v", datas[i], full.Usage)
		}
		return
	}
	t.Errorf("no message_delta in %s", strings.Join(names, " "))
}

// TestServerTurnBillsThinking: a turn that runs a server tool (a web
// search) bills its thinking inside output_tokens too, as any turn does.
func TestServerTurnBillsThinking(t *testing.T) {
	srv, _ := newServer(t)
	ask := func(thinking string) wire.Usage {
		resp := post(t, srv, "/v1/messages", `{"model":"`+model+`","max_tokens":8000,`+thinking+
			`"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"What is new in Paris today?"}]}`)
		if resp.StatusCode != 200 {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s: %d %s", thinking, resp.StatusCode, b)
		}
		m := decodeMessage(t, resp.Body)
		if len(m.Content) < 2 || m.Usage.ServerToolUse == nil || m.Usage.OutputTokensDetails == nil {
			t.Fatalf("%s: %+v", thinking, m)
		}
		return m.Usage
	}
	plain, thought := ask(""), ask(`"thinking":{"type":"enabled","budget_tokens":6000},`)
	if n := thought.OutputTokensDetails.ThinkingTokens; n <= 0 || thought.OutputTokens-n != plain.OutputTokens {
		t.Errorf("with thinking: output_tokens %d, thinking_tokens %d; without: output_tokens %d", thought.OutputTokens, n, plain.OutputTokens)
	}
}
