package openai

import (
	"encoding/json"
	"strings"
	"testing"
)

const allowedChatRequest = `{"model":"m","messages":[{"role":"user","content":"weather?"}],
	"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}},
	{"type":"function","function":{"name":"get_time"}},{"type":"custom","custom":{"name":"apply_patch"}}],
	"tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"get_weather"}},{"type":"custom","custom":{"name":"apply_patch"}}]}}}`

// An allowed_tools choice reaches a host that takes it as the client
// wrote it, with every tool; any other host gets the allowed tools alone
// and the choice's mode.
func TestAllowedToolsEncode(t *testing.T) {
	req, err := DecodeChatRequest([]byte(allowedChatRequest))
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeChatRequestWith(req, ChatOptions{AllowedTools: true})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Tools      []json.RawMessage `json:"tools"`
		ToolChoice json.RawMessage   `json:"tool_choice"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	const want = `{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"get_weather"}},{"type":"custom","custom":{"name":"apply_patch"}}]}}`
	if len(got.Tools) != 3 || string(got.ToolChoice) != want {
		t.Errorf("as sent: %d tools, tool_choice %s", len(got.Tools), got.ToolChoice)
	}
	if b, err = EncodeChatRequest(req); err != nil {
		t.Fatal(err)
	}
	got.Tools = nil
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Tools) != 2 || string(got.ToolChoice) != `"required"` || strings.Contains(string(b), "get_time") {
		t.Errorf("narrowed: %s", b)
	}
	if len(req.Tools) != 3 || req.ToolChoice.Allowed == nil {
		t.Errorf("the request changed: %+v", req.ToolChoice)
	}
}
