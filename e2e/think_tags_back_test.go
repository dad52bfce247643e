package e2e

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/server"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// MiniMax-M2's card asks for the reasoning of earlier turns back in the
// history as the model wrote it, <think>…</think> before the content. A
// minimax-m2 deployment (reasoning_content unset: by the model id) on a
// host without a reasoning parser has its answers' block split out
// (think_tags), and the client's reasoning of an earlier turn — a Chat
// client's reasoning_content, an Anthropic client's thinking block — goes
// back in the assistant message's content between the tags, with no
// reasoning_content member; a deployment set reasoning_content: send gets
// the member and no tags.
func TestThinkTagsSentBack(t *testing.T) {
	t.Parallel()
	e, tp := m2BackEnv(t, server.RouterOptions{})
	first, rc := askDeepSeek(t, e, openai.ChatCompletionNewParams{Model: "m2",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")}}, false)
	answer := first.Choices[0].Message.Content
	if rc == "" || strings.Contains(answer, "think>") {
		t.Fatalf("first turn: reasoning_content %q, content %q", rc, answer)
	}
	want := "<think>\n" + strings.TrimSpace(rc) + "\n</think>\n\n" + answer
	asst := openai.AssistantMessage(answer)
	asst.OfAssistant.SetExtraFields(map[string]any{"reasoning_content": rc})
	history := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?"), asst, openai.UserMessage("And 97?")}
	for _, tc := range []struct {
		model, content, member string
	}{{"m2", want, "absent"}, {"m2-send", answer, rc}} {
		if _, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: tc.model, Messages: history}); err != nil {
			t.Fatal(err)
		}
		content, member := sentAssistant(t, tp)
		if content != tc.content || member != tc.member {
			t.Errorf("%s, Chat: assistant content %q, reasoning_content %q; want %q, %q", tc.model, content, member, tc.content, tc.member)
		}
	}
	// An Anthropic client (thinking asked) sends the turn back with its
	// thinking block.
	c := anthropicClient(e, "demo-key")
	params := userMessage("m2", "Is 91 prime?", 4096)
	params.Thinking = sdk.ThinkingConfigParamOfEnabled(2048)
	msg := anthropicAsk(t, c, params, true)
	if len(msg.Content) != 2 || msg.Content[0].Type != "thinking" {
		t.Fatalf("Anthropic first turn: %+v", msg.Content)
	}
	params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewTextBlock("And 97?")))
	anthropicAsk(t, c, params, false)
	content, member := sentAssistant(t, tp)
	if want := "<think>\n" + strings.TrimSpace(msg.Content[0].Thinking) + "\n</think>\n\n" + msg.Content[1].Text; content != want || member != "absent" {
		t.Errorf("Anthropic: assistant content %q, reasoning_content %q; want %q", content, member, want)
	}
}

// m2BackEnv is a router with MiniMax-M2 deployments on a simulated
// host that writes <think> blocks: m2 (reasoning_content unset) and
// m2-send (send), and the router options ro; tp taps the host's
// requests.
func m2BackEnv(t *testing.T, ro server.RouterOptions) (*env, *tap) {
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "MiniMaxAI/MiniMax-M2", Reasoning: true, ThinkTags: true}), nil)))
	t.Cleanup(srv.Close)
	e := newEnvWith(t, func(c *config.Config) {
		c.Providers["vllm"] = &config.Provider{Name: "vllm", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		for name, rc := range map[string]string{"m2": "", "m2-send": "send"} {
			c.Deployments[name] = &config.Deployment{Name: name, Provider: "vllm", Model: "MiniMaxAI/MiniMax-M2", ReasoningContent: rc,
				Capabilities: []llm.Capability{llm.CapStreaming, llm.CapTools, llm.CapReasoning}}
		}
	}, ro)
	return e, tp
}

// A Responses client sends MiniMax-M2's earlier reasoning back as the
// router's reasoning item (include reasoning.encrypted_content, store
// false) or through previous_response_id: it goes back in the assistant
// message's content between the tags, as a Chat client's does.
func TestThinkTagsSentBackResponses(t *testing.T) {
	t.Parallel()
	e, tp := m2BackEnv(t, server.RouterOptions{Store: storeBackends[0].open(t)})
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Is 91 prime?", responses.EasyInputMessageRoleUser)}
	for _, stateless := range []bool{true, false} {
		params := responses.ResponseNewParams{Model: "m2", Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input},
			Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow, Summary: shared.ReasoningSummaryAuto}}
		if stateless {
			params.Store = openai.Bool(false)
			params.Include = []responses.ResponseIncludable{responses.ResponseIncludableReasoningEncryptedContent}
		}
		first, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		var reasoning string
		var next []responses.ResponseInputItemUnionParam
		for _, it := range first.Output {
			switch it.Type {
			case "reasoning":
				r := it.AsReasoning()
				for _, c := range r.Content {
					reasoning += c.Text
				}
				for _, c := range r.Summary {
					if reasoning == "" {
						reasoning = c.Text
					}
				}
				p := r.ToParam()
				next = append(next, responses.ResponseInputItemUnionParam{OfReasoning: &p})
			case "message":
				p := it.AsMessage().ToParam()
				next = append(next, responses.ResponseInputItemUnionParam{OfOutputMessage: &p})
			}
		}
		answer := first.OutputText()
		if reasoning == "" || answer == "" || strings.Contains(answer, "think>") {
			t.Fatalf("stateless %v, first turn: %s", stateless, first.RawJSON())
		}
		again := responses.ResponseInputItemParamOfMessage("And 97?", responses.EasyInputMessageRoleUser)
		if stateless {
			params.Input.OfInputItemList = append(append(append([]responses.ResponseInputItemUnionParam(nil), input...), next...), again)
		} else {
			params.PreviousResponseID = openai.String(first.ID)
			params.Input.OfInputItemList = []responses.ResponseInputItemUnionParam{again}
		}
		if _, err := e.Client.Responses.New(ctxT(t), params); err != nil {
			var apiErr *openai.Error
			if errors.As(err, &apiErr) {
				t.Fatalf("stateless %v, second turn: %s", stateless, apiErr.RawJSON())
			}
			t.Fatal(err)
		}
		content, member := sentAssistant(t, tp)
		if want := "<think>\n" + strings.TrimSpace(reasoning) + "\n</think>\n\n" + answer; content != want || member != "absent" {
			t.Errorf("stateless %v: assistant content %q, reasoning_content %q; want %q", stateless, content, member, want)
		}
	}
}

// sentAssistant returns the text content of the first assistant message
// of the last chat request upstream, and its reasoning_content ("absent"
// when it has none).
func sentAssistant(t *testing.T, tp *tap) (content, reasoning string) {
	t.Helper()
	var msgs []struct {
		Role      string          `json:"role"`
		Content   json.RawMessage `json:"content"`
		Reasoning *string         `json:"reasoning_content"`
	}
	if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Role != "assistant" {
			continue
		}
		if json.Unmarshal(m.Content, &content) != nil {
			var parts []struct{ Text string }
			_ = json.Unmarshal(m.Content, &parts)
			for _, p := range parts {
				content += p.Text
			}
		}
		reasoning = "absent"
		if m.Reasoning != nil {
			reasoning = *m.Reasoning
		}
		return content, reasoning
	}
	t.Fatal("no assistant message sent")
	return "", ""
}
