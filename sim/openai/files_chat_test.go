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
