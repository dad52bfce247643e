package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// Claude's compact_20260112 edit on a deployment that cannot compact the
// conversation itself (an OpenAI model, a Claude model before 4.6): past
// the trigger, the router compacts it with its own compaction (the
// routed model writes the summary, sealed for the tenant) and answers
// as Claude would — paused, the block alone; continued, the block then
// the answer generated from the summary and the last turn — complete
// and streamed, both calls billed; the block sent back reaches any
// deployment as its summary; below the trigger nothing changes.

// compactEditDeployments are the deployments without compaction, each
// with its upstream path and prices per 1M tokens (input, cache read,
// cache write, output).
var compactEditDeployments = []struct {
	name, path           string
	in, read, write, out float64
}{
	{"gpt-4o-mini", "/chat/completions", 0.15, 0.075, 0.15, 0.6},
	{"claude-sonnet-4-5", "/v1/messages", 3, 0.3, 3.75, 15},
}

// iterationsCost is what the usage.iterations of msg cost at dep's prices.
func iterationsCost(msg *sdk.BetaMessage, in, read, write, out float64) float64 {
	sum := 0.0
	for _, it := range msg.Usage.Iterations {
		sum += float64(it.InputTokens)*in + float64(it.CacheReadInputTokens)*read + float64(it.CacheCreationInputTokens)*write + float64(it.OutputTokens)*out
	}
	return sum / 1e6
}

// routerCompacted checks that msg begins with a compaction block the
// router made and that its usage.iterations hold the compaction's entry
// first (then the message's, unless paused).
func routerCompacted(t *testing.T, label string, msg *sdk.BetaMessage, paused bool) {
	t.Helper()
	blocks, stop := 2, sdk.BetaStopReasonEndTurn
	if paused {
		blocks, stop = 1, sdk.BetaStopReasonCompaction
	}
	if len(msg.Content) != blocks || msg.Content[0].Type != "compaction" || msg.StopReason != stop {
		t.Fatalf("%s: %.800s", label, msg.RawJSON())
	}
	b := msg.Content[0].AsCompaction()
	if b.Content == "" || !strings.HasPrefix(b.EncryptedContent, "swy1.") || strings.Contains(b.EncryptedContent, "Lisbon") {
		t.Errorf("%s: block %.400s", label, msg.Content[0].RawJSON())
	}
	its := msg.Usage.Iterations
	if len(its) != blocks || its[0].Type != "compaction" || its[0].InputTokens+its[0].CacheReadInputTokens < 50000 || its[0].OutputTokens == 0 {
		t.Fatalf("%s: usage %s", label, msg.Usage.RawJSON())
	}
	if !paused && (its[1].Type != "message" || msg.Content[1].Type != "text" || msg.Usage.InputTokens+msg.Usage.CacheReadInputTokens > 5000) {
		t.Errorf("%s: %.800s", label, msg.RawJSON())
	}
	if paused && (msg.Usage.InputTokens != 0 || msg.Usage.OutputTokens != 0) {
		t.Errorf("%s: paused usage %s", label, msg.Usage.RawJSON())
	}
}

// accumulateBeta reads a stream to its end, counting compaction deltas.
func accumulateBeta(t *testing.T, label string, stream interface {
	Next() bool
	Current() sdk.BetaRawMessageStreamEventUnion
	Err() error
	Close() error
}) (*sdk.BetaMessage, int) {
	t.Helper()
	var acc sdk.BetaMessage
	deltas := 0
	for stream.Next() {
		ev := stream.Current()
		if ev.Type == "content_block_delta" && ev.Delta.Type == "compaction_delta" {
			deltas++
		}
		if err := acc.Accumulate(ev); err != nil {
			t.Fatalf("%s: %v", label, err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	stream.Close()
	return &acc, deltas
}

// sentMessages is the messages of the last request sent to path.
func sentMessages(t *testing.T, tp *tap, path string) string {
	return string(tp.lastBody(t, path)["messages"])
}

// TestAnthropicCompactEditByRouter: continued, complete and streamed.
func TestAnthropicCompactEditByRouter(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range compactEditDeployments {
		params := compactEditParams(false)
		params.Model = sdk.Model(dep.name)
		var resp *http.Response
		msg, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", dep.name, err)
		}
		routerCompacted(t, dep.name, msg, false)
		wantCost(t, resp, iterationsCost(msg, dep.in, dep.read, dep.write, dep.out))
		if route := resp.Header.Get("x-switchyard-route"); strings.Contains(route, "compact_20260112") || resp.Header.Get("x-switchyard-deployment") != dep.name {
			t.Errorf("%s: route %q", dep.name, route)
		}
		reqs := tp.requests()
		summary, answer := string(reqs[len(reqs)-2].body), sentMessages(t, tp, dep.path)
		if !strings.Contains(summary, "handoff summary") || !strings.Contains(summary, "Alfama viewpoint") || len(summary) < 100000 {
			t.Errorf("%s: the summary request %.300s", dep.name, summary)
		}
		if !strings.HasPrefix(answer, `[{"role":"user","content":`) || !strings.Contains(answer, "Summary of the conversation before this point") ||
			!strings.Contains(answer, "Book something near the Alfama viewpoint.") || strings.Contains(answer, "itinerary covers") || strings.Contains(answer, "Noted: three cities") {
			t.Errorf("%s: the answer read %.600s", dep.name, answer)
		}
		if dep.path == "/v1/messages" {
			// The request does not think: Claude would refuse its
			// clear_thinking edit ("requires `thinking` to be enabled or
			// adaptive"), which is left out and named.
			if cm, ok := tp.lastBody(t, dep.path)["context_management"]; ok {
				t.Errorf("%s: sent context_management %s", dep.name, cm)
			}
			if route := resp.Header.Get("x-switchyard-route"); !strings.Contains(route, "clear_thinking_20251015") {
				t.Errorf("%s: route %q does not name the clear_thinking edit", dep.name, route)
			}
		}

		acc, deltas := accumulateBeta(t, dep.name+" streamed", c.Beta.Messages.NewStreaming(ctxT(t), params))
		if deltas != 1 {
			t.Errorf("%s streamed: %d compaction deltas", dep.name, deltas)
		}
		routerCompacted(t, dep.name+" streamed", acc, false)

		// The answer sent back: its block stands for the conversation, on
		// every deployment, as its summary.
		for _, next := range compactEditDeployments {
			goOn := compactEditParams(false)
			goOn.Model = sdk.Model(next.name)
			goOn.Messages = []sdk.BetaMessageParam{acc.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("And the dates?"))}
			out, err := c.Beta.Messages.New(ctxT(t), goOn, sdkoption.WithResponseInto(&resp))
			if err != nil {
				t.Fatalf("%s then %s: %v", dep.name, next.name, err)
			}
			if len(out.Content) != 1 || out.Content[0].Type != "text" || len(out.Usage.Iterations) != 0 || strings.Contains(resp.Header.Get("x-switchyard-route"), "compact_20260112") {
				t.Errorf("%s then %s: %.400s (route %q)", dep.name, next.name, out.RawJSON(), resp.Header.Get("x-switchyard-route"))
			}
			sent := sentMessages(t, tp, next.path)
			if !strings.Contains(sent, "Summary of the conversation before this point") || strings.Contains(sent, "swy1.") ||
				!strings.Contains(sent, "And the dates?") || len(sent) > 20000 {
				t.Errorf("%s then %s: sent %.600s", dep.name, next.name, sent)
			}
		}
	}
}

// TestAnthropicCompactEditByRouterPaused: paused, complete and streamed:
// the block alone, the summary's call alone billed; the client goes on
// from the block.
func TestAnthropicCompactEditByRouterPaused(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range compactEditDeployments {
		params := compactEditParams(true)
		params.Model = sdk.Model(dep.name)
		var resp *http.Response
		paused, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", dep.name, err)
		}
		routerCompacted(t, dep.name+" paused", paused, true)
		wantCost(t, resp, iterationsCost(paused, dep.in, dep.read, dep.write, dep.out))
		if summary := string(mustJSON(tp.lastBody(t, dep.path))); !strings.Contains(summary, "handoff summary") {
			t.Errorf("%s: the last upstream request is not the summary's: %.300s", dep.name, summary)
		}

		acc, deltas := accumulateBeta(t, dep.name+" paused, streamed", c.Beta.Messages.NewStreaming(ctxT(t), params))
		if deltas != 1 {
			t.Errorf("%s paused, streamed: %d compaction deltas", dep.name, deltas)
		}
		routerCompacted(t, dep.name+" paused, streamed", acc, true)

		next := compactEditParams(false)
		next.Model = sdk.Model(dep.name)
		next.Messages = []sdk.BetaMessageParam{paused.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Which city was it?"))}
		out, err := c.Beta.Messages.New(ctxT(t), next)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Content) != 1 || out.Content[0].Type != "text" || len(out.Usage.Iterations) != 0 {
			t.Errorf("%s next turn: %.400s", dep.name, out.RawJSON())
		}
		var sent []struct {
			Role string `json:"role"`
		}
		json.Unmarshal(tp.lastBody(t, dep.path)["messages"], &sent)
		if s := sentMessages(t, tp, dep.path); len(sent) == 0 || len(sent) > 2 || sent[0].Role != "user" || !strings.Contains(s, "Summary of the conversation before this point") || strings.Contains(s, "swy1.") || !strings.Contains(s, "Which city was it?") {
			t.Errorf("%s next turn sent %.600s", dep.name, s)
		}
	}
}

// TestAnthropicCompactEditBelowTrigger: below the trigger nothing
// happens, and the edit is not named dropped; the other edits are, on a
// deployment without context editing.
func TestAnthropicCompactEditBelowTrigger(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range compactEditDeployments {
		params := compactEditParams(false)
		params.Model, params.Messages = sdk.Model(dep.name), tripConversation()
		var resp *http.Response
		before := len(tp.requests())
		msg, err := c.Beta.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", dep.name, err)
		}
		if len(msg.Content) != 1 || msg.Content[0].Type != "text" || len(msg.Usage.Iterations) != 0 || len(tp.requests()) != before+1 {
			t.Errorf("%s: %.400s after %d upstream calls", dep.name, msg.RawJSON(), len(tp.requests())-before)
		}
		route := resp.Header.Get("x-switchyard-route")
		if strings.Contains(route, "compact_20260112") {
			t.Errorf("%s: route %q", dep.name, route)
		}
		if dep.path == "/chat/completions" && !strings.Contains(route, "context_management") { // clear_thinking's
			t.Errorf("%s: route %q", dep.name, route)
		}
		if !strings.Contains(sentMessages(t, tp, dep.path), "Lisbon in May") {
			t.Errorf("%s: the conversation was not sent whole", dep.name)
		}
	}
}
