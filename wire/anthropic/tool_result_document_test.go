package anthropic

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// A tool_result holding a document (a PDF a tool read), an image and a
// text document stays one tool message of those parts, in order, so that
// Claude gets the tool_result back as sent (its content may hold text,
// image, document and search_result blocks) and every other upstream
// puts them where its API takes a result's media.
func TestToolResultDocumentStaysInToolResult(t *testing.T) {
	const pdf = `{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"},"title":"r.pdf"}`
	const text = `{"type":"document","source":{"type":"text","media_type":"text/plain","data":"a,b"}}`
	const png = `{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}`
	result := `{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"The report:"},` + pdf + `,` + png + `,` + text + `]}`
	body := `{"model":"m","max_tokens":10,"tools":[{"name":"read","input_schema":{"type":"object"}}],"messages":[` +
		`{"role":"user","content":"Summarize the report."},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"read","input":{}}]},` +
		`{"role":"user","content":[` + result + `,{"type":"text","text":"Briefly."}]}]}`
	mr, err := DecodeMessagesRequest([]byte(body), false)
	if err == nil {
		err = Validate(mr)
	}
	if err != nil {
		t.Fatal(err)
	}
	req, err := RequestToLLM(mr)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 4 {
		t.Fatalf("messages %+v", req.Messages)
	}
	tm := req.Messages[2]
	if tm.Role != llm.RoleTool || len(tm.Content) != 4 || tm.Content[1].Document() == nil || tm.Content[2].Type != llm.PartImage ||
		tm.Content[3].Document() == nil || tm.Content[3].Document().Text != "a,b" {
		t.Fatalf("tool message %+v", tm)
	}
	if um := req.Messages[3]; um.Role != llm.RoleUser || um.Text() != "Briefly." || len(um.Content) != 1 {
		t.Fatalf("user message %+v", um)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.Messages[2])
	if want := `{"role":"user","content":[` + result + `,{"type":"text","text":"Briefly."}]}`; string(b) != want {
		t.Errorf("to Claude %s\nwant %s", b, want)
	}
}
