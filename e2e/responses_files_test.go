package e2e

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
)

// TestChatFilesToResponsesDeployment: a Chat Completions client's files
// that Chat Completions itself reads only as PDFs reach a deployment
// called on the Responses API as input_file parts — a CSV by its bytes,
// a Markdown file by the id OpenAI gave it (the router does not hold
// it; its filename beside the id left out) — where the route used to pass that deployment over
// (content_parts). An image in a file part, which the Responses API
// refuses as an input_file, is still refused by the router, in its own
// words, before any upstream call.
func TestChatFilesToResponsesDeployment(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["mini-responses"] = &config.Deployment{Name: "mini-responses", Provider: "openai", Model: "gpt-4o-mini", API: config.APIResponses,
			Capabilities: []llm.Capability{"streaming", "vision"}}
	})
	ask := func(file openai.ChatCompletionContentPartFileFileParam) (*openai.ChatCompletion, *http.Response, error) {
		var resp *http.Response
		c, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "mini-responses",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
				openai.FileContentPart(file), openai.TextContentPart("Summarize this file."),
			})}}, option.WithResponseInto(&resp))
		return c, resp, err
	}
	csv := "data:text/csv;base64," + base64.StdEncoding.EncodeToString([]byte("city,temp\nParis,21\n"))
	if c, _, err := ask(openai.ChatCompletionContentPartFileFileParam{Filename: openai.String("temps.csv"), FileData: openai.String(csv)}); err != nil || c.Choices[0].Message.Content == "" {
		t.Fatalf("a CSV by its bytes: %v", err)
	}
	upstreamResponses(t, tp)
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `{"type":"input_file","filename":"temps.csv","file_data":"`+csv+`"}`) {
		t.Errorf("upstream input %s, want the CSV as an input_file", in)
	}

	direct := openAIDirect(e)
	md, err := direct.Files.New(ctxT(t), openai.FileNewParams{File: openai.File(strings.NewReader("# Notes\nall well\n"), "notes.md", "text/markdown"),
		Purpose: openai.FilePurposeUserData})
	if err != nil {
		t.Fatal(err)
	}
	// Its filename beside the id, which Chat Completions takes and the
	// Responses API refuses ("Mutually exclusive parameters"), is left out.
	if c, _, err := ask(openai.ChatCompletionContentPartFileFileParam{FileID: openai.String(md.ID), Filename: openai.String("notes.md")}); err != nil || c.Choices[0].Message.Content == "" {
		t.Fatalf("a file by an id the router does not hold: %v", err)
	}
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `{"type":"input_file","file_id":"`+md.ID+`"}`) {
		t.Errorf("upstream input %s, want the file id as an input_file", in)
	}

	before := len(tp.requests())
	png := "data:image/png;base64,iVBORw0KGgo="
	_, _, err = ask(openai.ChatCompletionContentPartFileFileParam{Filename: openai.String("photo.png"), FileData: openai.String(png)})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "Responses API") || len(tp.requests()) != before {
		t.Errorf("an image as a file: %v, want the router's 400 and no upstream call", err)
	}
}

// TestDocumentURLToResponsesDeployment: an Anthropic client's PDF by URL
// reaches a deployment called on the Responses API, which fetches it, as
// an input_file by file_url (no filename beside it, which the API
// refuses), where the route used to pass it over (document_url); on
// Chat Completions it stays the router's 400.
func TestDocumentURLToResponsesDeployment(t *testing.T) {
	t.Parallel()
	e, tp := respShapeEnv(t)
	c := anthropicClient(e, "demo-key")
	byURL := sdk.DocumentBlockParamSourceUnion{OfURL: &sdk.URLPDFSourceParam{URL: "https://example.com/report.pdf"}}
	msg, err := c.Messages.New(ctxT(t), anthropicPDF("resp-gpt-4o-mini", byURL))
	if err != nil || len(msg.Content) == 0 {
		t.Fatalf("a PDF by URL to the Responses API deployment: %v", err)
	}
	upstreamResponses(t, tp)
	if in := string(tp.lastBody(t, "/v1/responses")["input"]); !strings.Contains(in, `{"type":"input_file","file_url":"https://example.com/report.pdf"}`) {
		t.Errorf("upstream input %s, want the PDF as an input_file by file_url", in)
	}
	_, err = c.Messages.New(ctxT(t), anthropicPDF("gpt-4o-mini", byURL))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "takes no document by URL") {
		t.Errorf("a PDF by URL pinned to gpt-4o-mini (Chat Completions): %v, want the router's 400", err)
	}
}
