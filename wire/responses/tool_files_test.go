package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A function_call_output's input_file parts (a PDF by file_data, a file
// by file_id, a PDF by file_url) are parts of the tool message, as in a
// user message: a PDF's bytes a document, a file by id the part the router
// resolves, a URL a document by URL; a Responses API deployment gets the
// output back as input_file parts of the array.
func TestFunctionCallOutputFiles(t *testing.T) {
	const pdf = "data:application/pdf;base64,JVBERi0xLjQK"
	body := `{"model":"m","input":[{"type":"function_call","call_id":"c","name":"read","arguments":"{}"},` +
		`{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"The report:"},` +
		`{"type":"input_file","filename":"r.pdf","file_data":"` + pdf + `"},` +
		`{"type":"input_file","file_id":"file-1"},{"type":"input_file","file_url":"https://x/a.pdf"}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	m := req.Chat.Messages[len(req.Chat.Messages)-1]
	if m.Role != llm.RoleTool || len(m.Content) != 4 || m.Text() != "The report:" {
		t.Fatalf("tool message %+v", m)
	}
	if d := m.Content[1].Document(); d == nil || d.Data != "JVBERi0xLjQK" || d.Filename != "r.pdf" {
		t.Errorf("file_data part %+v", m.Content[1])
	}
	if m.Content[2].Type != llm.PartOther || !strings.Contains(string(m.Content[2].Raw()), `"file_id":"file-1"`) {
		t.Errorf("file_id part %+v", m.Content[2])
	}
	if d := m.Content[3].Document(); d == nil || d.URL != "https://x/a.pdf" {
		t.Errorf("file_url part %+v", m.Content[3])
	}
	up, err := EncodeUpstream(req.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"The report:"},` +
		`{"type":"input_file","filename":"r.pdf","file_data":"` + pdf + `"},` +
		`{"type":"input_file","file_id":"file-1"},{"type":"input_file","file_url":"https://x/a.pdf"}]}`
	if !strings.Contains(string(up), want) {
		t.Errorf("upstream %s\nwant %s", up, want)
	}
}

// A file of another type than PDF sent by its bytes (a CSV a tool read)
// goes to a Responses API deployment as the input_file it came as, in a
// function_call_output and in a user message alike.
func TestInputFileOtherTypeToResponsesUpstream(t *testing.T) {
	const csv = `{"type":"input_file","filename":"t.csv","file_data":"data:text/csv;base64,YSxi"}`
	body := `{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"Compare."},` + csv + `]},` +
		`{"type":"function_call","call_id":"c","name":"read","arguments":"{}"},` +
		`{"type":"function_call_output","call_id":"c","output":[` + csv + `]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	up, err := EncodeUpstream(req.Chat, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(up), csv); n != 2 {
		t.Errorf("upstream %s\nholds %d of %s, want 2", up, n, csv)
	}
}

// A document given as content (an Anthropic search_result, a content
// document) goes to a Responses API deployment as its heading and its
// text and image parts, as chat's encoder writes it; a text document with
// a title as its heading and its text.
func TestContentDocumentToResponsesUpstream(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c", Type: "function", Name: "search", Arguments: "{}"}})
	res := llm.Message{Role: llm.RoleTool, Content: []llm.Part{
		llm.DocumentPart(&llm.Document{SearchSource: "https://x/a", Title: "A", Content: []llm.Part{{Type: llm.PartText, Text: "alpha"}}}),
		llm.DocumentPart(&llm.Document{Title: "Q3", Text: "Revenue rose."})}}
	res.SetToolCallID("c")
	up, err := EncodeUpstream(&llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "q"), asst, res}}, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `"output":[{"type":"input_text","text":"Search result: A\nSource: https://x/a"},{"type":"input_text","text":"alpha"},` +
		`{"type":"input_text","text":"Document title: Q3\n\nRevenue rose."}]}`
	if !strings.Contains(string(up), want) {
		t.Errorf("upstream %s\nwant %s", up, want)
	}
}
