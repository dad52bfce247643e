package e2e

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// thinkingBlocks returns the thinking and redacted_thinking blocks of the
// assistant turns of an upstream Messages request body.
func thinkingBlocks(t *testing.T, body map[string]json.RawMessage) []map[string]string {
	t.Helper()
	var msgs []struct {
		Role    string            `json:"role"`
		Content []json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, m := range msgs {
		for _, raw := range m.Content {
			var b map[string]any
			json.Unmarshal(raw, &b)
			if typ, _ := b["type"].(string); m.Role == "assistant" && strings.Contains(typ, "thinking") {
				s := map[string]string{}
				for k, v := range b {
					s[k], _ = v.(string)
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// A tool-use loop with extended thinking on a Claude deployment, through
// the router with the official SDK, complete and streamed: the answer
// starts with a signed thinking block (streamed as thinking_delta and
// signature_delta events, in the API's order), the SDK's own ToParam
// sends it back with the tool result, the router passes it to the
// deployment unchanged, and the sim, which checks the signature, accepts
// it. A tampered block is refused, so the check is real.
func TestAnthropicThinkingToolLoop(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[streamed], func(t *testing.T) {
			params := userMessage("claude-sonnet-4-5", "Use get_weather: what is the weather in Paris?", 4000)
			params.Tools = []sdk.ToolUnionParam{anthropicWeatherTool()}
			params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
			var msg sdk.Message
			if streamed {
				msg = thinkingStream(t, c, params)
			} else {
				msg = anthropicAsk(t, c, params, false)
			}
			if msg.StopReason != sdk.StopReasonToolUse || len(msg.Content) < 2 {
				t.Fatalf("stop %q, content %+v", msg.StopReason, msg.Content)
			}
			th, use := msg.Content[0], msg.Content[len(msg.Content)-1]
			if th.Type != "thinking" || th.Thinking == "" || th.Signature == "" || use.Type != "tool_use" {
				t.Fatalf("content %+v", msg.Content)
			}
			params.Messages = append(params.Messages, msg.ToParam(),
				sdk.NewUserMessage(sdk.NewToolResultBlock(use.ID, "18 degrees and sunny", false)))
			final := anthropicAsk(t, c, params, streamed)
			if final.StopReason != sdk.StopReasonEndTurn || final.Content[0].Type != "thinking" || final.Content[len(final.Content)-1].Text == "" {
				t.Errorf("answer after the tool result: %+v", final)
			}
			sent := thinkingBlocks(t, tp.lastBody(t, "/v1/messages"))
			if len(sent) != 1 || sent[0]["type"] != "thinking" || sent[0]["thinking"] != th.Thinking || sent[0]["signature"] != th.Signature {
				t.Errorf("the deployment got thinking %v, want the first turn's %q / %q", sent, th.Thinking, th.Signature)
			}

			tampered := params
			tampered.Messages = append([]sdk.MessageParam(nil), params.Messages...)
			blocks := append([]sdk.ContentBlockParamUnion(nil), msg.ToParam().OfAssistant.Content...)
			edited := *blocks[0].OfThinking
			edited.Thinking += " (edited)"
			blocks[0].OfThinking = &edited
			tampered.Messages[1] = sdk.MessageParam{OfAssistant: &sdk.AssistantMessageParam{Content: blocks}}
			_, err := c.Messages.New(ctxT(t), tampered)
			var apiErr *sdk.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "Invalid `signature` in `thinking` block") {
				t.Errorf("tampered thinking: %v", err)
			}
		})
	}
}

// thinkingStream streams params and checks the thinking block's events
// come as the API sends them: content_block_start (thinking), thinking
// deltas, one signature_delta, content_block_stop, before any other
// block.
func thinkingStream(t *testing.T, c sdk.Client, params sdk.MessageNewParams) sdk.Message {
	t.Helper()
	stream := c.Messages.NewStreaming(ctxT(t), params)
	defer stream.Close()
	var acc sdk.Message
	var seq []string
	for stream.Next() {
		ev := stream.Current()
		if err := acc.Accumulate(ev); err != nil {
			t.Fatal(err)
		}
		switch ev.Type {
		case "content_block_start":
			seq = append(seq, "start:"+ev.ContentBlock.Type)
		case "content_block_delta":
			if d := ev.Delta.Type; len(seq) == 0 || seq[len(seq)-1] != d {
				seq = append(seq, d)
			}
		case "content_block_stop":
			seq = append(seq, "stop")
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	want := "start:thinking thinking_delta signature_delta stop start:"
	if got := strings.Join(seq, " "); !strings.HasPrefix(got, want) {
		t.Errorf("events %s, want them to start %s", got, want)
	}
	return acc
}

// Redacted thinking (Anthropic's documented test string triggers it)
// reaches the client whole, complete and streamed, and goes back to the
// deployment unchanged.
func TestAnthropicRedactedThinking(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	const trigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253"
	for _, streamed := range []bool{false, true} {
		params := userMessage("claude-sonnet-4-5", trigger, 4000)
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(1024)
		msg := anthropicAsk(t, c, params, streamed)
		if len(msg.Content) != 3 || msg.Content[0].Type != "thinking" || msg.Content[1].Type != "redacted_thinking" || msg.Content[1].Data == "" {
			t.Fatalf("streamed=%v: content %+v", streamed, msg.Content)
		}
		params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewTextBlock("And then?")))
		anthropicAsk(t, c, params, streamed)
		sent := thinkingBlocks(t, tp.lastBody(t, "/v1/messages"))
		if len(sent) != 2 || sent[1]["type"] != "redacted_thinking" || sent[1]["data"] != msg.Content[1].Data {
			t.Errorf("streamed=%v: the deployment got %v", streamed, sent)
		}
	}
}

// Thinking blocks of the history mean nothing to another provider: an
// OpenAI deployment gets the turn without them, and a client that did not
// ask for thinking gets none back from a Claude deployment.
func TestThinkingStaysWithAnthropic(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := userMessage("claude-sonnet-4-5", "Why is the sky blue?", 4000)
	params.Thinking = sdk.ThinkingConfigParamOfEnabled(1024)
	msg := anthropicAsk(t, c, params, false)
	params.Model = "o3-mini"
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewTextBlock("And at sunset?")))
	anthropicAsk(t, c, params, false)
	body := tp.lastBody(t, "/chat/completions")
	if strings.Contains(string(body["messages"]), "thinking") || strings.Contains(string(body["messages"]), msg.Content[0].Signature) {
		t.Errorf("thinking sent to an OpenAI deployment: %s", body["messages"])
	}
	plain := anthropicAsk(t, c, userMessage("claude-sonnet-4-5", "Why is the sky blue?", 4000), true)
	if len(plain.Content) != 1 || plain.Content[0].Type != "text" {
		t.Errorf("no thinking asked, got %+v", plain.Content)
	}
}
