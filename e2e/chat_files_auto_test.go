package e2e

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
)

// TestChatFileDataOnAutoDeployment: a Chat Completions client's CSV by
// its bytes, which OpenAI's Chat Completions refuses (it reads PDFs
// alone: "Expected a base64-encoded data URL with an application/pdf
// MIME type"), is answered by an OpenAI deployment whose api is auto
// (the default) on the Responses API, as an input_file, where it used to
// be sent to Chat Completions and get OpenAI's 400. A deployment
// configured api chat_completions is passed over (content_parts): named
// directly, the router's 400 before any upstream call. A PDF keeps going
// to Chat Completions.
func TestChatFileDataOnAutoDeployment(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["mini-chat"] = &config.Deployment{Name: "mini-chat", Provider: "openai", Model: "gpt-4o-mini", API: config.APIChatCompletions,
			Capabilities: []llm.Capability{"streaming", "vision"}}
	})
	ask := func(model string, file openai.ChatCompletionContentPartFileFileParam) (*openai.ChatCompletion, error) {
		return e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: model,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
				openai.FileContentPart(file), openai.TextContentPart("Summarize this file."),
			})}})
	}
	csv := "data:text/csv;base64," + base64.StdEncoding.EncodeToString([]byte("city,temp\nParis,21\n"))
	csvFile := openai.ChatCompletionContentPartFileFileParam{Filename: openai.String("temps.csv"), FileData: openai.String(csv)}
	if c, err := ask("gpt-4o-mini", csvFile); err != nil || c.Choices[0].Message.Content == "" {
		t.Fatalf("a CSV to an api auto deployment: %v", err)
	}
	upstreamResponses(t, tp)
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `{"type":"input_file","filename":"temps.csv","file_data":"`+csv+`"}`) {
		t.Errorf("upstream input %s, want the CSV as an input_file", in)
	}

	before := len(tp.requests())
	_, err := ask("mini-chat", csvFile)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "file_data" || !strings.Contains(apiErr.Message, "Chat Completions reads PDFs alone") || len(tp.requests()) != before {
		t.Errorf("a CSV to an api chat_completions deployment: %v, want the router's 400 and no upstream call", err)
	}

	pdf := "data:application/pdf;base64," + tinyPDF(t)
	if c, err := ask("gpt-4o-mini", openai.ChatCompletionContentPartFileFileParam{Filename: openai.String("tiny.pdf"), FileData: openai.String(pdf)}); err != nil || c.Choices[0].Message.Content == "" {
		t.Fatalf("a PDF to an api auto deployment: %v", err)
	}
	if reqs := tp.requests(); !strings.HasSuffix(reqs[len(reqs)-1].path, "/chat/completions") {
		t.Errorf("a PDF went to %s, want Chat Completions", reqs[len(reqs)-1].path)
	}
}
