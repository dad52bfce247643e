package e2e

import (
	"errors"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// A Chat Completions client's content part of a type the API does not
// have (a Responses input_text, a vLLM video_url, LangChain's standard
// image block) is refused by the router in OpenAI's own words — 400
// invalid_request_error, code invalid_value, param the part's type —
// whichever upstream kind the request names, before any is called; a
// stream asked for is refused the same way.
func TestChatUnknownPartTypeRefusedOnEveryRoute(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	parts := map[string]map[string]any{
		"input_text": {"type": "input_text", "text": "Describe it."},
		"video_url":  {"type": "video_url", "video_url": map[string]any{"url": "https://example.com/clip.mp4"}},
		"image":      {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo=", "cache_control": map[string]any{"type": "ephemeral"}},
	}
	for _, dep := range chatDeployments {
		for typ, part := range parts {
			messages := option.WithJSONSet("messages", []any{
				map[string]any{"role": "system", "content": "Be brief."},
				map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Look."}, part}},
			})
			params := openai.ChatCompletionNewParams{Model: dep}
			_, err := e.Client.Chat.Completions.New(ctxT(t), params, messages)
			checkUnknownPartType(t, dep+" "+typ, typ, err)
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, messages)
			for stream.Next() {
			}
			checkUnknownPartType(t, dep+" "+typ+" streamed", typ, stream.Err())
			stream.Close()
		}
	}
	if n := len(tp.requests()); n != 0 {
		t.Errorf("%d upstream calls, want none", n)
	}
}

// checkUnknownPartType fails unless err is OpenAI's refusal of the
// second part of the second message, of type typ.
func checkUnknownPartType(t *testing.T, what, typ string, err error) {
	t.Helper()
	var apiErr *openai.Error
	want := "Invalid value: '" + typ + "'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'."
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Type != "invalid_request_error" || apiErr.Code != "invalid_value" ||
		apiErr.Param != "messages[1].content[1].type" || apiErr.Message != want {
		t.Errorf("%s: %v, want OpenAI's 400 invalid_value on messages[1].content[1].type", what, err)
	}
}
