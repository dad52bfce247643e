package openai

import (
	"context"
	"errors"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// A chat file part by file_id reads a file uploaded here: one uploaded
// (user_data) is answered, one this server never held is a 404 naming
// it, as the real API holds only the caller's uploads.
func TestSDKChatFileByID(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ctx := context.Background()
	f, err := c.Files.New(ctx, sdk.FileNewParams{File: sdk.File(strings.NewReader("%PDF-1.4\n%%EOF\n"), "a.pdf", "application/pdf"), Purpose: sdk.FilePurposeUserData})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(id string) (*sdk.ChatCompletion, error) {
		return c.Chat.Completions.New(ctx, sdk.ChatCompletionNewParams{Model: "gpt-sim", Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage(
			[]sdk.ChatCompletionContentPartUnionParam{sdk.FileContentPart(sdk.ChatCompletionContentPartFileFileParam{FileID: sdk.String(id)}), sdk.TextContentPart("Summarize.")})}})
	}
	if resp, err := ask(f.ID); err != nil || resp.Choices[0].Message.Content == "" {
		t.Fatalf("a file uploaded here: %+v, %v", resp, err)
	}
	_, err = ask("file-elsewhere")
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !strings.Contains(apiErr.Message, "file-elsewhere") {
		t.Errorf("a file never uploaded here: %v", err)
	}
}

// Chat Completions reads a file part's bytes only as a PDF: a CSV is
// OpenAI's 400 naming the part's file_data and the type it got
// (trpc-group/trpc-agent-go#1816); a PDF is answered.
func TestSDKChatFileDataPDFOnly(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ask := func(name, data string) (*sdk.ChatCompletion, error) {
		return c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{Model: "gpt-sim", Messages: []sdk.ChatCompletionMessageParamUnion{
			sdk.SystemMessage("Be brief."),
			sdk.UserMessage([]sdk.ChatCompletionContentPartUnionParam{sdk.TextContentPart("Summarize."),
				sdk.FileContentPart(sdk.ChatCompletionContentPartFileFileParam{Filename: sdk.String(name), FileData: sdk.String(data)})})}})
	}
	if resp, err := ask("a.pdf", "data:application/pdf;base64,JVBERi0xLjQK"); err != nil || resp.Choices[0].Message.Content == "" {
		t.Fatalf("a PDF: %v", err)
	}
	_, err := ask("a.csv", "data:text/csv;base64,YSxiCg==")
	var apiErr *sdk.Error
	const param = "messages[1].content[1].file.file_data"
	want := "Invalid file data: '" + param + "'. Expected a base64-encoded data URL with an application/pdf MIME type (e.g. 'data:application/pdf;base64,SGVsbG8sIFdvcmxkIQ=='), but got unsupported MIME type 'text/csv'."
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Message != want || apiErr.Param != param || apiErr.Code != "invalid_value" {
		t.Errorf("a CSV: %v", err)
	}
}

// A content part of a type Chat Completions does not have (LangChain's
// standard {"type":"image","mimeType":…,"data":…} block, which
// @langchain/openai sends on Chat as it is) is OpenAI's 400 invalid_value
// naming the part's type, its param the part's path; a supported part
// beside it is not.
func TestSDKChatUnknownPartType(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ask := func(part map[string]any) error {
		_, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{Model: "gpt-sim"},
			option.WithJSONSet("messages", []any{
				map[string]any{"role": "system", "content": "Be brief."},
				map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Describe."}, part}},
			}))
		return err
	}
	if err := ask(map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/png;base64,iVBORw0KGgo="}}); err != nil {
		t.Fatalf("an image_url part: %v", err)
	}
	for _, typ := range []string{"image", "input_text", "thinking"} {
		err := ask(map[string]any{"type": typ, "mimeType": "image/png", "data": "iVBORw0KGgo="})
		var apiErr *sdk.Error
		want := "Invalid value: '" + typ + "'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'."
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Message != want || apiErr.Param != "messages[1].content[1].type" || apiErr.Code != "invalid_value" {
			t.Errorf("a %s part: %v", typ, err)
		}
	}
}
