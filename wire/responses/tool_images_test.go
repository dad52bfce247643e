package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A function_call_output's input_image parts (by URL, data URL or
// file_id) are image parts of the tool message, beside its text, and a
// Responses API deployment gets the output as sent: an array of parts.
func TestFunctionCallOutputImages(t *testing.T) {
	body := `{"model":"m","input":[{"type":"function_call","call_id":"c","name":"screenshot","arguments":"{}"},` +
		`{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"The screen:"},` +
		`{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"},` +
		`{"type":"input_image","image_url":"https://x/b.png"},{"type":"input_image","file_id":"file_1"}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	m := req.Chat.Messages[len(req.Chat.Messages)-1]
	if m.Role != llm.RoleTool || m.ToolCallID() != "c" || len(m.Content) != 4 || m.Text() != "The screen:" ||
		m.Content[1].ImageURL() != "data:image/png;base64,iVBORw0KGgo=" || m.Content[1].ImageDetail() != "low" ||
		m.Content[2].ImageURL() != "https://x/b.png" || m.Content[3].Type != llm.PartOther {
		t.Fatalf("tool message %+v", m)
	}
	m.Content = m.Content[:3] // a file_id the router resolves before sending
	req.Chat.Messages[len(req.Chat.Messages)-1] = m
	up, err := EncodeUpstream(req.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"The screen:"},` +
		`{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"},` +
		`{"type":"input_image","image_url":"https://x/b.png","detail":"auto"}]}`
	if !strings.Contains(string(up), want) {
		t.Errorf("upstream %s\nwant %s", up, want)
	}
}
