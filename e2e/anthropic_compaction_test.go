package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
)

// Claude's compaction on the Messages API (anthropic-sdk-go's
// BetaMessageNewParams.Compaction and compaction blocks) and task budgets
// (output_config.task_budget), which were 400s: the router answers a
// compaction request itself, on whatever deployment it routes to, with a
// compaction block sealed for the caller's tenant; a later request that
// starts with the block reaches every kind of deployment as its summary;
// Anthropic's own blocks go to Claude as they came.

// compactionEnv is a tapped router with Claude Opus 4.7 (which takes
// compaction blocks and task budgets), sealing under a shared key; anthropicURL is the simulated Anthropic API's base URL.
func compactionEnv(t *testing.T, edit func(*config.Config)) (e *env, tp *tap, anthropicURL string) {
	e, tp = newTapEnv(t, func(c *config.Config) {
		withSharedKey(c)
		c.Deployments["claude-opus-4-7"] = &config.Deployment{Name: "claude-opus-4-7", Provider: "anthropic", Model: "claude-opus-4-7"}
		for _, p := range c.Providers {
			if p.Kind == config.KindAnthropic {
				anthropicURL = p.BaseURL
			}
		}
		if edit != nil {
			edit(c)
		}
	})
	return e, tp, anthropicURL
}

func tripConversation() []sdk.BetaMessageParam {
	return []sdk.BetaMessageParam{
		sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("We are planning a trip to Lisbon in May; the budget is 2000 EUR.")),
		{OfAssistant: &sdk.BetaAssistantMessageParam{Content: []sdk.BetaContentBlockParamUnion{sdk.NewBetaTextBlock("Lisbon in May is lovely; I will look at hotels in Alfama.")}}},
		sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Book something near the Alfama viewpoint.")),
	}
}

func compactionParams(model string) sdk.BetaMessageNewParams {
	return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 400, Messages: tripConversation(),
		Compaction: sdk.BetaCompactionConfigUnionParam{OfSummarize: &sdk.BetaSummarizeCompactionParam{}}}
}

// checkCompacted checks a compaction answer and returns its block.
func checkCompacted(t *testing.T, label string, msg *sdk.BetaMessage) sdk.BetaCompactionBlock {
	t.Helper()
	if msg.StopReason != sdk.BetaStopReasonCompaction || len(msg.Content) != 1 || msg.Content[0].Type != "compaction" {
		t.Fatalf("%s: %s", label, msg.RawJSON())
	}
	b := msg.Content[0].AsCompaction()
	if b.Content == "" || !strings.HasPrefix(b.EncryptedContent, "swy1.") || strings.Contains(b.EncryptedContent, "Lisbon") {
		t.Fatalf("%s: block %s", label, msg.Content[0].RawJSON())
	}
	it := msg.Usage.Iterations
	if len(it) != 1 || it[0].Type != "compaction" || it[0].InputTokens == 0 || it[0].OutputTokens == 0 || msg.Usage.InputTokens != 0 {
		t.Errorf("%s: usage %s, want the compaction's counts in iterations alone", label, msg.Usage.RawJSON())
	}
	return b
}

// TestAnthropicCompactionRequest: compaction requests, complete and
// streamed, to a Claude and an OpenAI deployment, each answered by the
// router with the summary the routed model wrote of the whole
// conversation; the follow-up turn that sends the block first is
// answered, the upstream reading the summary, never the sealed blob.
func TestAnthropicCompactionRequest(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-sonnet-4-5", "gpt-4o-mini"} {
		path := map[string]string{"claude-sonnet-4-5": "/v1/messages", "gpt-4o-mini": "/chat/completions"}[dep]
		var resp *http.Response
		msg, err := c.Beta.Messages.New(ctxT(t), compactionParams(dep), sdkoption.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", dep, err)
		}
		block := checkCompacted(t, dep, msg)
		if resp.Header.Get("x-switchyard-deployment") != dep || resp.Header.Get("x-switchyard-cost-usd") == "" {
			t.Errorf("%s: served by %q at %q", dep, resp.Header.Get("x-switchyard-deployment"), resp.Header.Get("x-switchyard-cost-usd"))
		}
		sent := string(mustJSON(tp.lastBody(t, path)))
		if !strings.Contains(sent, "Alfama viewpoint") || !strings.Contains(sent, "handoff summary") || strings.Contains(sent, `"compaction"`) {
			t.Errorf("%s: the summary request %.500s", dep, sent)
		}

		stream := c.Beta.Messages.NewStreaming(ctxT(t), compactionParams(dep))
		var acc sdk.BetaMessage
		deltas := 0
		for stream.Next() {
			ev := stream.Current()
			if ev.Type == "content_block_delta" && ev.Delta.Type == "compaction_delta" {
				deltas++
			}
			if err := acc.Accumulate(ev); err != nil {
				t.Fatal(err)
			}
		}
		if err := stream.Err(); err != nil || deltas != 1 {
			t.Fatalf("%s stream: %v, %d compaction deltas", dep, err, deltas)
		}
		checkCompacted(t, dep+" streamed", &acc)

		for _, next := range []string{"claude-opus-4-7", "gpt-4o-mini"} {
			nextPath := map[string]string{"claude-opus-4-7": "/v1/messages", "gpt-4o-mini": "/chat/completions"}[next]
			out, err := c.Beta.Messages.New(ctxT(t), sdk.BetaMessageNewParams{Model: sdk.Model(next), MaxTokens: 300,
				Messages: []sdk.BetaMessageParam{msg.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Which city was it?"))}})
			if err != nil {
				t.Fatalf("%s then %s: %v", dep, next, err)
			}
			if len(out.Content) == 0 || out.StopReason != sdk.BetaStopReasonEndTurn {
				t.Errorf("%s then %s: %s", dep, next, out.RawJSON())
			}
			sent := string(mustJSON(tp.lastBody(t, nextPath)))
			if !strings.Contains(sent, jsonText(block.Content)) || strings.Contains(sent, "swy1.") || !strings.Contains(sent, "Which city was it?") {
				t.Errorf("%s then %s: sent %.800s, want the summary as text", dep, next, sent)
			}
		}
	}
}

// TestAnthropicCompactionCountTokens: count_tokens takes compaction and
// ignores it, as the API does: the count is the conversation's as sent.
func TestAnthropicCompactionCountTokens(t *testing.T) {
	t.Parallel()
	e, _, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := sdk.BetaMessageCountTokensParams{Model: "gpt-4o-mini", Messages: tripConversation()}
	plain, err := c.Beta.Messages.CountTokens(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	params.Compaction = sdk.BetaCompactionConfigUnionParam{OfSummarize: &sdk.BetaSummarizeCompactionParam{}}
	counted, err := c.Beta.Messages.CountTokens(ctxT(t), params)
	if err != nil || counted.InputTokens != plain.InputTokens || plain.InputTokens == 0 {
		t.Fatalf("with compaction %+v (%v), without %+v", counted, err, plain)
	}
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b := mustJSON(s)
	return string(b[1 : len(b)-1])
}

// TestAnthropicCompactionBlockFromClaude: a compaction block Anthropic's
// API wrote (here the simulator's, signed over its content) reaches a
// Claude model that takes compaction as it came, with the compaction
// beta (the simulator checks both, as the API does), and any other
// deployment as its summary.
func TestAnthropicCompactionBlockFromClaude(t *testing.T) {
	t.Parallel()
	e, tp, anthropicURL := compactionEnv(t, nil)
	direct := sdk.NewClient(sdkoption.WithBaseURL(anthropicURL), sdkoption.WithAPIKey("sim-key"), sdkoption.WithMaxRetries(0))
	params := compactionParams("claude-opus-4-7")
	params.Betas = []sdk.AnthropicBeta{sdk.AnthropicBetaCompact2026_09_04}
	compacted, err := direct.Beta.Messages.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	var block map[string]any
	json.Unmarshal([]byte(compacted.Content[0].RawJSON()), &block)
	if compacted.StopReason != sdk.BetaStopReasonCompaction || compacted.Content[0].AsCompaction().Signature == "" {
		t.Fatalf("the simulator's compaction: %s", compacted.RawJSON())
	}
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-opus-4-7", "claude-sonnet-4-5", "gpt-4o-mini"} {
		out, err := c.Beta.Messages.New(ctxT(t), sdk.BetaMessageNewParams{Model: sdk.Model(dep), MaxTokens: 300,
			Messages: []sdk.BetaMessageParam{compacted.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Which city was it?"))}})
		if err != nil || len(out.Content) == 0 {
			t.Fatalf("%s: %v", dep, err)
		}
		if dep == "gpt-4o-mini" {
			if sent := string(mustJSON(tp.lastBody(t, "/chat/completions"))); !strings.Contains(sent, "Summary of the conversation so far") {
				t.Errorf("OpenAI was sent %.600s, want the summary", sent)
			}
			continue
		}
		reqs := tp.requests()
		last := reqs[len(reqs)-1]
		var body struct {
			Messages []struct {
				Role    string           `json:"role"`
				Content []map[string]any `json:"content"`
			} `json:"messages"`
		}
		json.Unmarshal(last.body, &body)
		sentRaw := len(body.Messages) > 0 && body.Messages[0].Role == "assistant" && reflect.DeepEqual(body.Messages[0].Content[0], block)
		beta := strings.Contains(strings.Join(last.header.Values("anthropic-beta"), ","), "compact-2026-09-04")
		if want := dep == "claude-opus-4-7"; sentRaw != want || beta != want {
			t.Errorf("%s: block sent as it came %v, beta %v; want %v: %.600s", dep, sentRaw, beta, want, last.body)
		}
	}
}

// TestAnthropicCompactionTenants: a compaction block the router made for
// one tenant opens for that tenant alone; another's request with it is a
// 400 naming its encrypted_content, not a conversation silently lost.
func TestAnthropicCompactionTenants(t *testing.T) {
	t.Parallel()
	e, _, _ := compactionEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: keyA, Name: keyNameA, Tenant: tenantA}, {Key: keyB, Name: keyNameB, Tenant: tenantB}}
	})
	a, b := anthropicClient(e, keyA), anthropicClient(e, keyB)
	msg, err := a.Beta.Messages.New(ctxT(t), compactionParams("gpt-4o-mini"))
	if err != nil {
		t.Fatal(err)
	}
	next := sdk.BetaMessageNewParams{Model: "gpt-4o-mini", MaxTokens: 300,
		Messages: []sdk.BetaMessageParam{msg.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Which city was it?"))}}
	if _, err := a.Beta.Messages.New(ctxT(t), next); err != nil {
		t.Fatalf("the tenant that compacted: %v", err)
	}
	_, err = b.Beta.Messages.New(ctxT(t), next)
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "messages.0.content.0.encrypted_content") {
		t.Fatalf("another tenant: %v, want a 400 naming the block's encrypted_content", err)
	}
}

// TestAnthropicTaskBudget: output_config.task_budget reaches Claude Opus
// 4.7 with its beta (the simulator refuses it without), and a deployment
// whose model takes none answers without it, x-switchyard-route naming
// it dropped; a budget under the API's minimum is the API's 400.
func TestAnthropicTaskBudget(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := func(model string, total int64) sdk.BetaMessageNewParams {
		return sdk.BetaMessageNewParams{Model: sdk.Model(model), MaxTokens: 300,
			Betas:        []sdk.AnthropicBeta{sdk.AnthropicBetaTaskBudgets2026_03_13},
			OutputConfig: sdk.BetaOutputConfigParam{TaskBudget: sdk.BetaTokenTaskBudgetParam{Total: total, Remaining: sdk.Int(40000)}},
			Messages:     []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Plan the refactor."))}}
	}
	for _, dep := range []string{"claude-opus-4-7", "claude-sonnet-4-5", "gpt-4o-mini"} {
		var resp *http.Response
		if _, err := c.Beta.Messages.New(ctxT(t), params(dep, 64000), sdkoption.WithResponseInto(&resp)); err != nil {
			t.Fatalf("%s: %v", dep, err)
		}
		reqs := tp.requests()
		last := reqs[len(reqs)-1]
		var body struct {
			OutputConfig struct {
				TaskBudget map[string]any `json:"task_budget"`
			} `json:"output_config"`
		}
		json.Unmarshal(last.body, &body)
		tb := body.OutputConfig.TaskBudget
		sent := tb["type"] == "tokens" && tb["total"] == 64000.0 && tb["remaining"] == 40000.0 && len(tb) == 3
		dropped := strings.Contains(resp.Header.Get("x-switchyard-route"), "task_budget")
		if want := dep == "claude-opus-4-7"; sent != want || dropped == want || strings.Contains(string(last.body), "task_budget") != want {
			t.Errorf("%s: sent %v, named dropped %v (%q): %.400s", dep, sent, dropped, resp.Header.Get("x-switchyard-route"), last.body)
		}
		if dep == "claude-opus-4-7" && !strings.Contains(strings.Join(last.header.Values("anthropic-beta"), ","), "task-budgets-2026-03-13") {
			t.Errorf("no task-budgets beta: %v", last.header)
		}
	}
	_, err := c.Beta.Messages.New(ctxT(t), params("claude-opus-4-7", 1000))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "greater than or equal to 20000") {
		t.Fatalf("a budget of 1000: %v", err)
	}
}
