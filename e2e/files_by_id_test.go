package e2e

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	pngenc "image/png"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	simserver "switchyard/sim/server"
)

// The SDK's natural flow, unchanged: a PDF uploaded to the router with
// purpose user_data, then named by its file_id in a chat file part or a
// Responses input_file (an image in an input_image), reaches every
// provider kind with its bytes in that provider's wire format. Another
// tenant's file id is not the router's for this caller (passed on as
// sent, as one the router never held is: an OpenAI-format deployment
// resolves it from its own uploads).

// uploadPDF uploads testdata/tiny.pdf through c with purpose user_data.
func uploadPDF(t *testing.T, c openai.Client) *openai.FileObject {
	t.Helper()
	b, err := os.ReadFile("testdata/tiny.pdf")
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.Files.New(ctxT(t), openai.FileNewParams{File: openai.File(bytes.NewReader(b), "tiny.pdf", "application/pdf"), Purpose: openai.FilePurposeUserData})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// openAIDirect is an openai-go client of the OpenAI simulator itself:
// a file uploaded with it is OpenAI's, which the router never held.
func openAIDirect(e *env) openai.Client {
	return openai.NewClient(option.WithBaseURL(simserver.BaseURL(e.SimAddr, simserver.OpenAI)), option.WithAPIKey("sim-key"), option.WithMaxRetries(0))
}

func fileIDChat(model, id string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(
		[]openai.ChatCompletionContentPartUnionParam{
			openai.FileContentPart(openai.ChatCompletionContentPartFileFileParam{FileID: openai.String(id)}),
			openai.TextContentPart("Summarize this document in two sentences."),
		})}}
}

// pdfSent is what each provider kind is sent of tiny.pdf (base64 pdf).
func pdfSent(provider, pdf string) []string {
	switch provider {
	case "openai":
		return []string{`{"type":"file","file":{"filename":"tiny.pdf","file_data":"data:application/pdf;base64,` + pdf + `"}}`}
	case "anthropic":
		return []string{`"type":"document"`, `"media_type":"application/pdf"`, `"data":"` + pdf + `"`}
	}
	return []string{`"inlineData":{"mimeType":"application/pdf","data":"` + pdf + `"}`}
}

var fileProviders = []struct{ deployment, provider string }{
	{"gpt-4o-mini", "openai"}, {"claude-haiku-4-5", "anthropic"}, {"gemini-2.5-flash", "gemini"},
}

func TestChatFileIDEveryProvider(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	f := uploadPDF(t, e.Client)
	pdf := tinyPDF(t)
	for _, tc := range fileProviders {
		t.Run(tc.deployment, func(t *testing.T) {
			var hr *http.Response
			c, err := e.Client.Chat.Completions.New(ctxT(t), fileIDChat(tc.deployment, f.ID), option.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if c.Choices[0].Message.Content == "" || hr.Header.Get("x-switchyard-deployment") != tc.deployment {
				t.Fatalf("answer %q from %q", c.Choices[0].Message.Content, hr.Header.Get("x-switchyard-deployment"))
			}
			if tc.provider == "anthropic" && !strings.HasPrefix(c.Choices[0].Message.Content, claudeReadTiny) {
				t.Errorf("Claude's answer %q, want its reading of the PDF %q", c.Choices[0].Message.Content, claudeReadTiny)
			}
			sent := ul.last(t, tc.provider)
			for _, want := range pdfSent(tc.provider, pdf) {
				if !strings.Contains(sent, want) {
					t.Errorf("%s was not sent %s", tc.provider, want)
				}
			}
			if strings.Contains(sent, f.ID) {
				t.Errorf("%s was sent the router's file id", tc.provider)
			}
		})
	}
	// Streamed alike.
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), fileIDChat("claude-haiku-4-5", f.ID))
	var text strings.Builder
	for stream.Next() {
		if ch := stream.Current(); len(ch.Choices) > 0 {
			text.WriteString(ch.Choices[0].Delta.Content)
		}
	}
	if err := stream.Err(); err != nil || !strings.HasPrefix(text.String(), claudeReadTiny) {
		t.Errorf("streamed from Claude: %q, %v", text.String(), err)
	}
	stream.Close()
	// On auto no deployment is passed over for the file id: it is bytes.
	var hr *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), fileIDChat("auto", f.ID), option.WithResponseInto(&hr)); err != nil {
		t.Fatal(err)
	}
	if route := hr.Header.Get("x-switchyard-route"); strings.Contains(route, "file_id") {
		t.Errorf("x-switchyard-route %q passes over a deployment for the file id", route)
	}
}

// tinyPNG is a 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pngenc.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestResponsesFileIDEveryProvider(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	f := uploadPDF(t, e.Client)
	pdf := tinyPDF(t)
	img, err := e.Client.Files.New(ctxT(t), openai.FileNewParams{File: openai.File(bytes.NewReader(tinyPNG(t)), "dot.png", "image/png"), Purpose: openai.FilePurposeVision})
	if err != nil {
		t.Fatal(err)
	}
	pngB64 := base64.StdEncoding.EncodeToString(tinyPNG(t))
	imageSent := map[string]string{
		"openai":    `"url":"data:image/png;base64,` + pngB64 + `"`,
		"anthropic": `"data":"` + pngB64 + `"`,
		"gemini":    `"inlineData":{"mimeType":"image/png","data":"` + pngB64 + `"}`,
	}
	for _, tc := range fileProviders {
		t.Run(tc.deployment, func(t *testing.T) {
			resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: tc.deployment,
				Input: fileInput(responses.ResponseInputFileParam{FileID: openai.String(f.ID)})})
			if err != nil || resp.OutputText() == "" {
				t.Fatalf("input_file: %v", err)
			}
			sent := ul.last(t, tc.provider)
			for _, want := range pdfSent(tc.provider, pdf) {
				if !strings.Contains(sent, want) {
					t.Errorf("input_file: %s was not sent %s", tc.provider, want)
				}
			}
			content := responses.ResponseInputMessageContentListParam{
				{OfInputImage: &responses.ResponseInputImageParam{FileID: openai.String(img.ID), Detail: responses.ResponseInputImageDetailLow}},
				{OfInputText: &responses.ResponseInputTextParam{Text: "What is in this picture?"}},
			}
			input := responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{{
				OfMessage: &responses.EasyInputMessageParam{Role: responses.EasyInputMessageRoleUser,
					Content: responses.EasyInputMessageContentUnionParam{OfInputItemContentList: content}}}}}
			if resp, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: tc.deployment, Input: input}); err != nil || resp.OutputText() == "" {
				t.Fatalf("input_image: %v", err)
			}
			if sent := ul.last(t, tc.provider); !strings.Contains(sent, imageSent[tc.provider]) {
				t.Errorf("input_image: %s was not sent %s: %.300s", tc.provider, imageSent[tc.provider], sent)
			}
		})
	}
	// An image by an id the router does not hold has nowhere to go.
	other := e.clientWith(respKeyB)
	_, err = other.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini",
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{{
			OfMessage: &responses.EasyInputMessageParam{Role: responses.EasyInputMessageRoleUser,
				Content: responses.EasyInputMessageContentUnionParam{OfInputItemContentList: responses.ResponseInputMessageContentListParam{
					{OfInputImage: &responses.ResponseInputImageParam{FileID: openai.String(img.ID), Detail: responses.ResponseInputImageDetailAuto}}}}}}}}})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "file_id" {
		t.Errorf("another tenant's image by id: %v, want a 400 on file_id", err)
	}
}

// Another tenant's file id is not the router's for this caller: never
// read (its bytes reach no upstream), passed on as sent, where OpenAI's
// Files (the simulator's) do not know it: a 404; a Claude deployment is
// passed over for it. A file uploaded straight to OpenAI is resolved
// there, the router passing its id on.
func TestChatFileIDNotTheRouters(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	f := uploadPDF(t, e.Client)
	pdf := tinyPDF(t)
	other := e.clientWith(respKeyB)
	_, err := other.Chat.Completions.New(ctxT(t), fileIDChat("gpt-4o-mini", f.ID))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.Message, f.ID) {
		t.Errorf("another tenant's file on gpt-4o-mini: %v, want OpenAI's 404", err)
	}
	if sent := ul.last(t, "openai"); strings.Contains(sent, pdf[:40]) || strings.Contains(sent, "file_data") || !strings.Contains(sent, `{"file_id":"`+f.ID+`"}`) {
		t.Errorf("another tenant's file: OpenAI was sent %.400s", sent)
	}
	_, err = other.Chat.Completions.New(ctxT(t), fileIDChat("claude-haiku-4-5", f.ID))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "no file by file_id") {
		t.Errorf("another tenant's file on claude: %v, want the router's 400", err)
	}

	at := uploadPDF(t, openAIDirect(e))
	var hr *http.Response
	c, err := e.Client.Chat.Completions.New(ctxT(t), fileIDChat("auto", at.ID), option.WithResponseInto(&hr))
	if err != nil || c.Choices[0].Message.Content == "" {
		t.Fatalf("a file uploaded to OpenAI: %v", err)
	}
	if dep := hr.Header.Get("x-switchyard-deployment"); dep != "gpt-4o-mini" && !strings.HasPrefix(dep, "gpt") {
		t.Errorf("a file uploaded to OpenAI answered by %q", dep)
	}
	if sent := ul.last(t, "openai"); strings.Contains(sent, "file_data") || !strings.Contains(sent, `{"file_id":"`+at.ID+`"}`) {
		t.Errorf("a file uploaded to OpenAI: sent %.400s", sent)
	}
}

// The request log keeps of a file named by id what it keeps of sent
// bytes: a [document] marker, never the file's bytes.
func TestChatFileIDRequestLog(t *testing.T) {
	t.Parallel()
	st := storeBackends[0].open(t)
	e, _ := storedEnv(t, st, func(c *config.Config) { c.Store.Bodies = config.StoreBodiesRedacted })
	f := uploadPDF(t, e.Client)
	var hr *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), fileIDChat("claude-haiku-4-5", f.ID), option.WithResponseInto(&hr)); err != nil {
		t.Fatal(err)
	}
	row := rowsOf(t, e, st, 1)[hr.Header.Get("x-switchyard-request-id")]
	if row == nil || row.Bodies == nil || len(row.Bodies.Messages) == 0 {
		t.Fatalf("row %+v", row)
	}
	kept := string(mustJSON(row))
	if !strings.Contains(row.Bodies.Messages[0].Text, "[document]") || strings.Contains(kept, tinyPDF(t)[:40]) {
		t.Errorf("the row keeps %s", kept)
	}
}
