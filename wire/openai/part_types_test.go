package openai

import (
	"errors"
	"testing"

	"switchyard/llm"
)

// Chat Completions' own refusals of a content part's type, in OpenAI's
// words: six types in a user, assistant, system or developer message
// (api.openai.com answers a LangChain image block, a Responses
// input_file, an Anthropic thinking block in an assistant message this
// way, param the part's type), four in a tool message (fiber#121's
// probe, param the part).
const (
	chatTypesRefusal = "Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio', and 'file'."
	toolTypesRefusal = "Supported values are: 'text', 'refusal', 'image_url', and 'input_audio'."
)

// toolTurn is an assistant's call and the start of the tool message
// answering it, whose content array the caller closes.
const toolTurn = `{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":[`

// unknownPartCases are bodies holding a content part of a type Chat
// Completions does not have, with OpenAI's param and message.
var unknownPartCases = []struct{ name, body, param, msg string }{
	{"user input_text", `{"model":"m","messages":[{"role":"user","content":[{"type":"input_text","text":"hi"}]}]}`,
		"messages[0].content[0].type", "Invalid value: 'input_text'. " + chatTypesRefusal},
	{"user video_url after text", `{"model":"m","messages":[{"content":[{"type":"text","text":"Watch."},{"type":"video_url","video_url":{"url":"https://example.com/v.mp4"}}],"role":"user"}]}`,
		"messages[0].content[1].type", "Invalid value: 'video_url'. " + chatTypesRefusal},
	{"LangChain standard image block", `{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Describe."},{"type":"image","mimeType":"image/png","data":"iVBORw0KGgo=","cache_control":{"type":"ephemeral"}}]}]}`,
		"messages[1].content[1].type", "Invalid value: 'image'. " + chatTypesRefusal},
	{"assistant thinking", `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"a"}]}]}`,
		"messages[1].content[0].type", "Invalid value: 'thinking'. " + chatTypesRefusal},
	{"system input_text", `{"model":"m","messages":[{"role":"system","content":[{"type":"input_text","text":"s"}]},{"role":"user","content":"hi"}]}`,
		"messages[0].content[0].type", "Invalid value: 'input_text'. " + chatTypesRefusal},
	{"developer empty type", `{"model":"m","messages":[{"role":"developer","content":[{"type":"","text":"s"}]}]}`,
		"messages[0].content[0].type", "Invalid value: ''. " + chatTypesRefusal},
	{"tool input_text", `{"model":"m","messages":[{"role":"user","content":"hi"},` + toolTurn + `{"type":"text","text":"r"},{"type":"input_text","text":"r"}]}]}`,
		"messages[2].content[1]", "Invalid value: 'input_text'. " + toolTypesRefusal},
}

// A content part of a type Chat Completions does not have is refused by
// the decoder, in OpenAI's words (400 invalid_request_error, code
// invalid_value), before any route is chosen: the same answer whatever
// deployment the request would reach.
func TestDecodeRefusesUnknownPartType(t *testing.T) {
	for _, tc := range unknownPartCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeChatRequest([]byte(tc.body))
			var e *llm.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want an *llm.Error", err, err)
			}
			if e.Kind != llm.KindInvalidRequest || e.HTTPStatus() != 400 || e.Code != "invalid_value" || e.Param != tc.param || e.Message != tc.msg {
				t.Errorf("got %s %d code %q param %q %q\nwant param %q %q", e.Kind, e.HTTPStatus(), e.Code, e.Param, e.Message, tc.param, tc.msg)
			}
		})
	}
}

// The part types Chat Completions has stay taken where the router takes
// them: in a user message every one of them (refusal and audio kept as
// sent, for the upstream to judge), with an Anthropic cache_control;
// an assistant's refusal part; a tool message's image, audio and
// refusal.
func TestDecodeTakesChatPartTypes(t *testing.T) {
	for name, body := range map[string]string{
		"user": `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral"}},` +
			`{"type":"image_url","image_url":{"url":"https://example.com/a.png"},"cache_control":{"type":"ephemeral"}},` +
			`{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},` +
			`{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}},{"type":"file","file":{"file_id":"file-1"}},` +
			`{"type":"refusal","refusal":"no"},{"type":"audio","audio":{"id":"audio_1"}}]}]}`,
		"assistant refusal": `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"refusal","refusal":"no"}]}]}`,
		"tool media": `{"model":"m","messages":[{"role":"user","content":"hi"},` + toolTurn +
			`{"type":"text","text":"r"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},{"type":"refusal","refusal":"no"}]}]}`,
	} {
		if _, err := DecodeChatRequest([]byte(body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
