package e2e

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// Claude's server-side compaction (context_management's compact_20260112
// edit, beta compact-2026-01-12), through the router to a Claude model
// that takes it, with anthropic-sdk-go's beta client: when the input
// exceeds the edit's trigger, Claude's answer begins with a compaction
// block, which the client gets as Claude wrote it (complete and
// streamed), with the compaction's usage.iterations entry, the applied
// edits and, paused, stop_reason compaction; the compaction's tokens are
// billed; the block sent back reaches Claude as it came.

// longTrip is a conversation of some 60,000 input tokens.
func longTrip() []sdk.BetaMessageParam {
	filler := strings.Repeat("The itinerary covers Lisbon, Porto and Sintra in May. ", 6000)
	return []sdk.BetaMessageParam{
		sdk.NewBetaUserMessage(sdk.NewBetaTextBlock(filler)),
		{OfAssistant: &sdk.BetaAssistantMessageParam{Content: []sdk.BetaContentBlockParamUnion{sdk.NewBetaTextBlock("Noted: three cities in May.")}}},
		sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Book something near the Alfama viewpoint.")),
	}
}

func compactEditParams(pause bool) sdk.BetaMessageNewParams {
	edit := sdk.BetaCompact20260112EditParam{Trigger: sdk.BetaInputTokensTriggerParam{Value: 50000}}
	if pause {
		edit.PauseAfterCompaction = sdk.Bool(true)
	}
	return sdk.BetaMessageNewParams{Model: "claude-opus-4-7", MaxTokens: 300, Messages: longTrip(),
		Betas: []sdk.AnthropicBeta{sdk.AnthropicBetaCompact2026_01_12},
		ContextManagement: sdk.BetaContextManagementConfigParam{Edits: []sdk.BetaContextManagementConfigEditUnionParam{
			{OfCompact20260112: &edit}, {OfClearThinking20251015: &sdk.BetaClearThinking20251015EditParam{}},
		}}}
}

// compactionIteration checks that msg begins with Claude's compaction
// block and that its usage.iterations holds the compaction's entry first
// (then the message's, unless paused); it returns the compaction's.
func compactionIteration(t *testing.T, label string, msg *sdk.BetaMessage, paused bool) sdk.BetaIterationsUsageItemUnion {
	t.Helper()
	blocks := 2
	stop := sdk.BetaStopReasonEndTurn
	if paused {
		blocks, stop = 1, sdk.BetaStopReasonCompaction
	}
	if len(msg.Content) != blocks || msg.Content[0].Type != "compaction" || msg.StopReason != stop {
		t.Fatalf("%s: %s", label, msg.RawJSON())
	}
	b := msg.Content[0].AsCompaction()
	if !strings.Contains(b.Content, "Alfama viewpoint") || b.Signature == "" || b.EncryptedContent == "" || strings.HasPrefix(b.EncryptedContent, "swy1.") {
		t.Errorf("%s: block %s", label, msg.Content[0].RawJSON())
	}
	its := msg.Usage.Iterations
	if len(its) != blocks || its[0].Type != "compaction" || its[0].InputTokens < 50000 || its[0].OutputTokens == 0 {
		t.Fatalf("%s: usage %s", label, msg.Usage.RawJSON())
	}
	if !paused && (its[1].Type != "message" || its[1].InputTokens != msg.Usage.InputTokens || msg.Usage.InputTokens > 1000) {
		t.Errorf("%s: usage %s", label, msg.Usage.RawJSON())
	}
	if paused && (msg.Usage.InputTokens != 0 || msg.Usage.OutputTokens != 0) {
		t.Errorf("%s: paused usage %s", label, msg.Usage.RawJSON())
	}
	if !strings.Contains(msg.RawJSON(), `"context_management":{"applied_edits":[]}`) {
		t.Errorf("%s: no context_management in %.300s", label, msg.RawJSON())
	}
	return its[0]
}

func TestAnthropicCompactEdit(t *testing.T) {
	t.Parallel()
	e, tp, _ := compactionEnv(t, nil)
	c := anthropicClient(e, "demo-key")

	var resp *http.Response
	msg, err := c.Beta.Messages.New(ctxT(t), compactEditParams(false), sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	it := compactionIteration(t, "complete", msg, false)
	// Claude Opus 4.7: $5 input, $25 output per 1M tokens; the compaction
	// is billed beside the answer, as Anthropic bills it.
	u := msg.Usage
	wantCost(t, resp, (float64(u.InputTokens)*5+float64(u.OutputTokens)*25+float64(it.InputTokens)*5+float64(it.OutputTokens)*25)/1e6)
	sent := tp.requests()[len(tp.requests())-1]
	if beta := sent.header.Get("anthropic-beta"); !strings.Contains(beta, "compact-2026-01-12") || !strings.Contains(beta, "context-management-2025-06-27") {
		t.Errorf("anthropic-beta %q", beta)
	}

	stream := c.Beta.Messages.NewStreaming(ctxT(t), compactEditParams(false))
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
		t.Fatalf("stream: %v, %d compaction deltas", err, deltas)
	}
	stream.Close()
	compactionIteration(t, "streamed", &acc, false)

	// The streamed answer sent back goes on from its block: Claude gets
	// the turn whole, the block first.
	goOn := compactEditParams(false)
	goOn.Messages = []sdk.BetaMessageParam{acc.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("And the dates?"))}
	if _, err := c.Beta.Messages.New(ctxT(t), goOn); err != nil {
		t.Fatal(err)
	}
	if sent := string(mustJSON(tp.lastBody(t, "/v1/messages")["messages"])); !strings.HasPrefix(sent, `[{"role":"assistant","content":[{"content":"Summary`) ||
		strings.Count(sent, `"role":"assistant"`) != 1 || len(sent) > 5000 { // the turns the block stands for are not sent
		t.Errorf("sent to Claude %.600s", sent)
	}

	paused, err := c.Beta.Messages.New(ctxT(t), compactEditParams(true), sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	it = compactionIteration(t, "paused", paused, true)
	wantCost(t, resp, (float64(it.InputTokens)*5+float64(it.OutputTokens)*25)/1e6)
	pausedStream := c.Beta.Messages.NewStreaming(ctxT(t), compactEditParams(true))
	var pacc sdk.BetaMessage
	for pausedStream.Next() {
		if err := pacc.Accumulate(pausedStream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := pausedStream.Err(); err != nil {
		t.Fatal(err)
	}
	pausedStream.Close()
	compactionIteration(t, "paused, streamed", &pacc, true)

	// The client goes on from the block, as the API asks: the block first,
	// the turns before it dropped.
	next := compactEditParams(false)
	next.Messages = []sdk.BetaMessageParam{paused.ToParam(), sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Which city was it?"))}
	out, err := c.Beta.Messages.New(ctxT(t), next)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Content) != 1 || out.Content[0].Type != "text" || len(out.Usage.Iterations) != 0 {
		t.Errorf("next turn: %s", out.RawJSON())
	}
	var body struct {
		Messages []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	json.Unmarshal(mustJSON(tp.lastBody(t, "/v1/messages")), &body)
	var got, want map[string]any
	if len(body.Messages) > 0 && len(body.Messages[0].Content) > 0 {
		json.Unmarshal(body.Messages[0].Content[0], &got)
	}
	json.Unmarshal([]byte(paused.Content[0].RawJSON()), &want)
	if len(body.Messages) != 2 || body.Messages[0].Role != "assistant" || !reflect.DeepEqual(got, want) {
		t.Errorf("Claude was sent %s, want the block as it came (%s)", mustJSON(body.Messages), paused.Content[0].RawJSON())
	}
}
