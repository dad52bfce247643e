package e2e

import (
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// PDFs as a drop-in: an OpenAI client's file part reaches a Claude
// deployment as a document block, an Anthropic client's document block
// reaches Claude as sent and an OpenAI-format deployment as a file part.

// tinyPDF is testdata/tiny.pdf (one page), base64-encoded.
func tinyPDF(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/tiny.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func pdfChat(model, pdf string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model: model,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{
			openai.FileContentPart(openai.ChatCompletionContentPartFileFileParam{
				Filename: openai.String("tiny.pdf"), FileData: openai.String("data:application/pdf;base64," + pdf)}),
			openai.TextContentPart("Summarize this document in two sentences."),
		})},
	}
}

// The simulated Claude names the documents it read before its answer.
const claudeReadTiny = `I read the document "tiny.pdf" (PDF, 1 page).`

func TestOpenAIPDFToClaude(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	pdf := tinyPDF(t)
	var resp *http.Response
	c, err := e.Client.Chat.Completions.New(ctxT(t), pdfChat("claude-haiku-4-5", pdf), option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); dep != "claude-haiku-4-5" || !strings.HasPrefix(c.Choices[0].Message.Content, claudeReadTiny) {
		t.Errorf("deployment %q, answer %q; want claude's reading of the PDF", dep, c.Choices[0].Message.Content)
	}

	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), pdfChat("claude-haiku-4-5", pdf))
	var text strings.Builder
	for stream.Next() {
		if ch := stream.Current(); len(ch.Choices) > 0 {
			text.WriteString(ch.Choices[0].Delta.Content)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	if !strings.HasPrefix(text.String(), claudeReadTiny) {
		t.Errorf("streamed answer %q, want it to start %q", text.String(), claudeReadTiny)
	}
}

// A route no longer skips Claude deployments for a PDF; it still does for
// a file by id, which carries no bytes, and so does it Gemini ones.
func TestOpenAIPDFRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	var resp *http.Response
	c, err := e.Client.Chat.Completions.New(ctxT(t), pdfChat("auto", tinyPDF(t)), option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if c.Choices[0].Message.Content == "" || resp.Header.Get("x-switchyard-deployment") == "" {
		t.Errorf("auto: answer %q from %q", c.Choices[0].Message.Content, resp.Header.Get("x-switchyard-deployment"))
	}
	if route := resp.Header.Get("x-switchyard-route"); strings.Contains(route, "content_parts") {
		t.Errorf("x-switchyard-route %q rejects a deployment for the PDF", route)
	}

	// A file uploaded straight to OpenAI: the router holds no files here.
	atOpenAI := uploadPDF(t, openAIDirect(e)).ID
	byID := openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(
		[]openai.ChatCompletionContentPartUnionParam{openai.FileContentPart(openai.ChatCompletionContentPartFileFileParam{FileID: openai.String(atOpenAI)})})}}
	_, err = e.Client.Chat.Completions.New(ctxT(t), byID)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "no file by file_id") {
		t.Errorf("a file by id pinned to claude: %v, want a 400 naming why", err)
	}
	// Gemini cannot resolve an OpenAI file id either: named, the router
	// says so (it used to send the part and relay Gemini's 400); on auto,
	// an OpenAI-format deployment answers.
	byID.Model = "gemini-2.5-flash"
	_, err = e.Client.Chat.Completions.New(ctxT(t), byID)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "only OpenAI and Azure deployments resolve one") {
		t.Errorf("a file by id pinned to gemini: %v, want the router's 400 naming why", err)
	}
	byID.Model = "auto"
	for range 5 {
		if _, err := e.Client.Chat.Completions.New(ctxT(t), byID, option.WithResponseInto(&resp)); err != nil {
			t.Fatal(err)
		}
		if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "gemini") || strings.HasPrefix(dep, "claude") {
			t.Errorf("a file by id went to %s", dep)
		}
	}
}

func anthropicPDF(model string, source sdk.DocumentBlockParamSourceUnion) sdk.MessageNewParams {
	doc := sdk.ContentBlockParamUnion{OfDocument: &sdk.DocumentBlockParam{Source: source, Title: sdk.String("Tiny"),
		Context: sdk.String("A test file"), Citations: sdk.CitationsConfigParam{Enabled: sdk.Bool(true)}}}
	return sdk.MessageNewParams{Model: sdk.Model(model), MaxTokens: 300,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(doc, sdk.NewTextBlock("Summarize the document."))}}
}

func TestAnthropicDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	pdf := sdk.DocumentBlockParamSourceUnion{OfBase64: &sdk.Base64PDFSourceParam{Data: tinyPDF(t)}}
	for _, streamed := range []bool{false, true} {
		msg := anthropicAsk(t, c, anthropicPDF("claude-haiku-4-5", pdf), streamed)
		// Its citations are enabled: Claude's answer cites the PDF's page 1 in a block of its own.
		if len(msg.Content) != 2 || !strings.HasPrefix(msg.Content[0].Text, `I read the document "Tiny" (PDF, 1 page).`) ||
			len(msg.Content[1].Citations) != 1 || msg.Content[1].Citations[0].Type != "page_location" {
			t.Errorf("claude (streamed %v): %+v", streamed, msg.Content)
		}
		msg = anthropicAsk(t, c, anthropicPDF("gpt-4o-mini", pdf), streamed)
		if len(msg.Content) != 1 || msg.Content[0].Text == "" || msg.StopReason != sdk.StopReasonEndTurn {
			t.Errorf("gpt-4o-mini (streamed %v): %+v", streamed, msg)
		}
	}
	msg := anthropicAsk(t, c, anthropicPDF("gemini-2.5-flash", pdf), false)
	if len(msg.Content) != 1 || msg.Content[0].Text == "" {
		t.Errorf("gemini-2.5-flash: %+v", msg)
	}

	byURL := sdk.DocumentBlockParamSourceUnion{OfURL: &sdk.URLPDFSourceParam{URL: "https://example.com/report.pdf"}}
	var resp *http.Response
	urlMsg, err := c.Messages.New(ctxT(t), anthropicPDF("auto", byURL), sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); dep != "claude-haiku-4-5" || !strings.Contains(urlMsg.Content[0].Text, "https://example.com/report.pdf") {
		t.Errorf("a PDF by URL on auto: from %q, %+v; want claude's reading", dep, urlMsg.Content)
	}
	_, err = c.Messages.New(ctxT(t), anthropicPDF("gpt-4o-mini", byURL))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "takes no document by URL") {
		t.Errorf("a PDF by URL pinned to gpt-4o-mini: %v, want a 400 naming why", err)
	}
}

// A tool that returns a PDF (an agent's fetch tool): the document inside
// the tool_result reaches Claude as a document (the simulator names it)
// and an OpenAI-format deployment as a file part after the tool message.
func TestAnthropicDocumentInAToolResult(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	pdf := sdk.DocumentBlockParamSourceUnion{OfBase64: &sdk.Base64PDFSourceParam{Data: tinyPDF(t)}}
	withDoc := func(model string, src sdk.DocumentBlockParamSourceUnion) sdk.MessageNewParams {
		result := sdk.ToolResultBlockParam{ToolUseID: "toolu_1", Content: []sdk.ToolResultBlockParamContentUnion{
			{OfText: &sdk.TextBlockParam{Text: "Fetched the report."}},
			{OfDocument: &sdk.DocumentBlockParam{Title: sdk.String("Tiny"), Source: src}},
		}}
		return sdk.MessageNewParams{Model: sdk.Model(model), MaxTokens: 300,
			Tools: []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "fetch", InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{}}}}},
			Messages: []sdk.MessageParam{
				sdk.NewUserMessage(sdk.NewTextBlock("Fetch the Q3 report and summarize it.")),
				sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_1", map[string]any{}, "fetch")),
				sdk.NewUserMessage(sdk.ContentBlockParamUnion{OfToolResult: &result}),
			}}
	}
	msg := anthropicAsk(t, c, withDoc("claude-haiku-4-5", pdf), false)
	if len(msg.Content) == 0 || !strings.HasPrefix(msg.Content[0].Text, `I read the document "Tiny" (PDF, 1 page).`) {
		t.Errorf("claude: %+v", msg.Content)
	}
	msg = anthropicAsk(t, c, withDoc("gpt-4o-mini", pdf), true)
	if len(msg.Content) == 0 || msg.Content[0].Text == "" {
		t.Errorf("gpt-4o-mini: %+v", msg)
	}
	// Routing sees the document: one by URL only Claude can read.
	byURL := sdk.DocumentBlockParamSourceUnion{OfURL: &sdk.URLPDFSourceParam{URL: "https://example.com/q3.pdf"}}
	_, err := c.Messages.New(ctxT(t), withDoc("gpt-4o-mini", byURL))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "takes no document by URL") {
		t.Errorf("a PDF by URL in a tool result, pinned to gpt-4o-mini: %v, want a 400 naming why", err)
	}
}
