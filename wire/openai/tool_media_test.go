package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A tool message holding an image (a Responses client's screenshot
// output) goes to Chat Completions as its text, and the image in a user
// message after the turn's last tool message: a tool message holds text,
// and nothing may come between the tool messages of a turn.
func TestToolMessageImageFollowsToolMessages(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "screenshot", Arguments: "{}"},
		{ID: "c2", Type: "function", Name: "get_time", Arguments: "{}"}})
	shot := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "The screen:"},
		llm.ImagePart("data:image/png;base64,iVBORw0KGgo=", "")}}
	shot.SetToolCallID("c1")
	clock := llm.TextMessage(llm.RoleTool, "09:30")
	clock.SetToolCallID("c2")
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "What is on screen?"), asst, shot, clock}
	body, err := EncodeChatRequest(&llm.Request{Model: "gpt-4o-mini", Messages: msgs})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"tool","content":[{"type":"text","text":"The screen:"}],"tool_call_id":"c1"},` +
		`{"role":"tool","content":"09:30","tool_call_id":"c2"},` +
		`{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]`
	if !strings.Contains(string(body), want) {
		t.Errorf("body %s\nwant %s", body, want)
	}
	if len(shot.Content) != 2 {
		t.Errorf("the request's tool message was changed: %+v", shot.Content)
	}
}

// A tool message holding an image alone keeps an empty text (OpenAI
// refuses an empty content array).
func TestToolMessageImageAlone(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "screenshot", Arguments: "{}"}})
	shot := llm.Message{Role: llm.RoleTool, Content: []llm.Part{llm.ImagePart("https://x/a.png", "high")}}
	shot.SetToolCallID("c1")
	body, err := EncodeChatRequest(&llm.Request{Model: "gpt-4o-mini", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Look."), asst, shot}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"tool","content":"","tool_call_id":"c1"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/a.png","detail":"high"}}]}]`
	if !strings.Contains(string(body), want) {
		t.Errorf("body %s\nwant %s", body, want)
	}
}

// A request whose tool messages hold text alone keeps its messages.
func TestMediaAfterResultsKeepsTextResults(t *testing.T) {
	res := llm.TextMessage(llm.RoleTool, "18C")
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "hi"), res}
	if got := mediaAfterResults(msgs); &got[0] != &msgs[0] {
		t.Error("messages copied")
	}
}

// A tool message holding a PDF goes to Chat Completions as its text, and
// the PDF as a file part of a user message after the tool messages:
// OpenAI refuses a file part in a tool message ("Invalid value: 'file'.
// Supported values are: 'text', 'refusal', 'image_url', and
// 'input_audio'.", fiber#121's probe) and takes it in a user message.
func TestToolMessageDocumentFollowsToolMessages(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "read", Arguments: "{}"}})
	res := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "The report:"},
		FilePart("r.pdf", "data:application/pdf;base64,JVBERi0xLjQK", ""), FilePart("", "", "file-1")}}
	res.SetToolCallID("c1")
	body, err := EncodeChatRequest(&llm.Request{Model: "gpt-4o-mini", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Summarize it."), asst, res}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"tool","content":[{"type":"text","text":"The report:"}],"tool_call_id":"c1"},` +
		`{"role":"user","content":[{"type":"file","file":{"filename":"r.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}},` +
		`{"type":"file","file":{"file_id":"file-1"}}]}]`
	if !strings.Contains(string(body), want) {
		t.Errorf("body %s\nwant %s", body, want)
	}
}

// A Chat Completions client's tool message holding a file part is
// refused as OpenAI refuses it (fiber#121's probe: 400, param
// messages[3].content[0], code invalid_value), whatever it would be
// routed to: Chat Completions takes files in user messages only.
func TestToolMessageFilePartRefusedAsOpenAIDoes(t *testing.T) {
	body := `{"model":"m","messages":[{"role":"user","content":"Read it."},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"read","arguments":"{}"}}]},` +
		`{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"The report:"},` +
		`{"type":"file","file":{"filename":"r.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}}]}]}`
	_, err := DecodeChatRequest([]byte(body))
	e, ok := err.(*llm.Error)
	if !ok || e.HTTPStatus() != 400 || e.Param != "messages[2].content[1]" || e.Code != "invalid_value" ||
		e.Message != "Invalid value: 'file'. Supported values are: 'text', 'refusal', 'image_url', and 'input_audio'." {
		t.Fatalf("error %#v", err)
	}
}

// A Chat Completions client's tool message holding an image_url part is
// taken, as OpenAI takes it (fiber#121's probe: 200, though its model did
// not see the image there): the image is a part of the tool message, which
// each upstream encoder puts where its API takes a result's images — on
// Chat Completions a user message after the tool messages, where the
// model sees it.
func TestToolMessageImageURLTaken(t *testing.T) {
	body := `{"model":"m","messages":[{"role":"user","content":"Look."},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"shot","arguments":"{}"}}]},` +
		`{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"The screen:"},` +
		`{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}`
	req, err := DecodeChatRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	m := req.Messages[2]
	if m.Role != llm.RoleTool || len(m.Content) != 2 || m.Content[1].ImageURL() != "data:image/png;base64,iVBORw0KGgo=" {
		t.Fatalf("tool message %+v", m)
	}
	out, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"tool","content":[{"type":"text","text":"The screen:"}],"tool_call_id":"c1"},` +
		`{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]`
	if !strings.Contains(string(out), want) {
		t.Errorf("body %s\nwant %s", out, want)
	}
}

// A Chat Completions client's tool message holding an input_audio part
// is taken: OpenAI names input_audio among a tool message's part types
// (its refusal of a file there). On Chat Completions the audio follows
// the tool messages as a user message's part, as an image does.
func TestToolMessageInputAudioTaken(t *testing.T) {
	audio := `{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}`
	body := `{"model":"m","messages":[{"role":"user","content":"Listen."},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"record","arguments":"{}"}}]},` +
		`{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"The recording:"},` + audio + `]}]}`
	req, err := DecodeChatRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	out, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"role":"tool","content":[{"type":"text","text":"The recording:"}],"tool_call_id":"c1"},{"role":"user","content":[` + audio + `]}]`
	if !strings.Contains(string(out), want) {
		t.Errorf("body %s\nwant %s", out, want)
	}
}

// A Chat Completions client's tool message holding a refusal part (a
// type OpenAI names among a tool message's) is taken as the text part of
// its refusal, which every provider kind reads; one without its refusal
// string is a 400 naming it.
func TestToolMessageRefusalTakenAsText(t *testing.T) {
	msgs := func(part string) string {
		return `{"model":"m","messages":[{"role":"user","content":"Ask it."},` +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"ask","arguments":"{}"}}]},` +
			`{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"The agent said:"},` + part + `]}]}`
	}
	req, err := DecodeChatRequest([]byte(msgs(`{"type":"refusal","refusal":"I can't help with that."}`)))
	if err != nil {
		t.Fatal(err)
	}
	if m := req.Messages[2]; len(m.Content) != 2 || m.Content[1].Type != llm.PartText || m.Content[1].Text != "I can't help with that." {
		t.Fatalf("tool message %+v", m)
	}
	_, err = DecodeChatRequest([]byte(msgs(`{"type":"refusal"}`)))
	if e, ok := err.(*llm.Error); !ok || e.HTTPStatus() != 400 || e.Param != "messages[2].content[1].refusal" {
		t.Errorf("error %#v", err)
	}
}
