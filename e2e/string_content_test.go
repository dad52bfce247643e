package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// DeepSeek's API takes a message's content only as a string (an array
// of parts, even of text alone, is a 400 "Failed to deserialize the JSON
// body …: messages[N]: invalid type: sequence, expected a string"), and
// Groq's refuses one on a system message; an Anthropic client's system
// prompt of several blocks, its content blocks, a Responses client's
// input messages and a Chat client's parts all arrive as arrays. These
// tests send each through the router to kind openai deployments on the
// sim's DeepSeek and Groq paths, which refuse as those APIs do; the
// deployments say text_content: string, the sim's URL not being
// api.deepseek.com's or api.groq.com's.

// stringContentEnv is a router with deepseek-chat on the sim's DeepSeek
// path ("deepseek") and llama-3.3-70b-versatile on its Groq path
// ("groq"), tapped.
func stringContentEnv(t *testing.T) (*env, *tap) {
	t.Helper()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "deepseek-chat"}, sim.Profile{Model: "llama-3.3-70b-versatile"}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["deepseek"] = &config.Provider{Name: "deepseek", Kind: config.KindOpenAI, BaseURL: srv.URL, APIKey: "sk-sim"}
		c.Providers["groq"] = &config.Provider{Name: "groq", Kind: config.KindOpenAI, BaseURL: srv.URL + "/openai/v1", APIKey: "gsk-sim"}
		c.Deployments["deepseek"] = &config.Deployment{Name: "deepseek", Provider: "deepseek", Model: "deepseek-chat", TextContent: "string"}
		c.Deployments["groq"] = &config.Deployment{Name: "groq", Provider: "groq", Model: "llama-3.3-70b-versatile", TextContent: "string"}
	})
	return e, tp
}

// upstreamContents returns the content of each message of the last chat
// request to path, as sent.
func upstreamContents(t *testing.T, tp *tap, path string) []string {
	t.Helper()
	var msgs []struct {
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(tp.lastBody(t, path)["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m.Content)
	}
	return out
}

// An Anthropic client's system prompt of two blocks and user turn of two
// text blocks, complete and streamed, are answered by DeepSeek and Groq,
// which get each as one string.
func TestAnthropicBlocksReachStringOnlyHosts(t *testing.T) {
	t.Parallel()
	e, tp := stringContentEnv(t)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"deepseek", "groq"} {
		for _, stream := range []bool{false, true} {
			params := sdk.MessageNewParams{Model: sdk.Model(dep), MaxTokens: 200,
				System:   []sdk.TextBlockParam{{Text: "You are terse."}, {Text: "Answer in one line."}},
				Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Name a train."), sdk.NewTextBlock("A fast one."))}}
			text := ""
			if stream {
				s := c.Messages.NewStreaming(ctxT(t), params)
				for s.Next() {
					if ev := s.Current(); ev.Type == "content_block_delta" {
						text += ev.Delta.Text
					}
				}
				if err := s.Err(); err != nil {
					t.Fatalf("%s stream: %v", dep, err)
				}
			} else {
				msg, err := c.Messages.New(ctxT(t), params)
				if err != nil {
					t.Fatalf("%s: %v", dep, err)
				}
				text = msg.Content[0].Text
			}
			if text == "" {
				t.Errorf("%s stream %v: no text", dep, stream)
			}
			got := upstreamContents(t, tp, "/chat/completions")
			if len(got) != 2 || got[0] != `"You are terse.\n\nAnswer in one line."` || got[1] != `"Name a train.\n\nA fast one."` {
				t.Errorf("%s stream %v: upstream contents %q", dep, stream, got)
			}
		}
	}
}

// An OpenAI Chat client's system and user parts, and a Responses
// client's input message of parts, are answered by DeepSeek and Groq.
func TestOpenAIPartsReachStringOnlyHosts(t *testing.T) {
	t.Parallel()
	e, tp := stringContentEnv(t)
	for _, dep := range []string{"deepseek", "groq"} {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: dep, Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage([]openai.ChatCompletionContentPartTextParam{{Text: "You are terse."}}),
			openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{openai.TextContentPart("Name a train.")}),
		}})
		if err != nil {
			t.Fatalf("%s chat: %v", dep, err)
		}
		if got := upstreamContents(t, tp, "/chat/completions"); len(got) != 2 || got[0] != `"You are terse."` || got[1] != `"Name a train."` {
			t.Errorf("%s chat: upstream contents %q", dep, got)
		}
		out, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: dep, Instructions: openai.String("You are terse."),
			Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{
				responses.ResponseInputItemParamOfMessage(responses.ResponseInputMessageContentListParam{
					responses.ResponseInputContentParamOfInputText("Name a train."), responses.ResponseInputContentParamOfInputText("A fast one.")},
					responses.EasyInputMessageRoleUser),
			}}})
		if err != nil {
			t.Fatalf("%s responses: %v", dep, err)
		}
		if out.OutputText() == "" {
			t.Errorf("%s responses: no text", dep)
		}
	}
}
