package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A tool message holding an image (a Responses client's screenshot
// output) is a tool_result whose content is its text and an image block,
// which Claude takes in a tool_result.
func TestToolMessageImageInToolResult(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Type: "function", Name: "screenshot", Arguments: "{}"}})
	shot := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "The screen:"},
		llm.ImagePart("data:image/png;base64,iVBORw0KGgo=", "")}}
	shot.SetToolCallID("toolu_1")
	out, err := FromLLM(&llm.Request{Model: "claude-haiku-4-5", Messages: []llm.Message{user("What is on screen?"), asst, shot}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.Messages[2])
	want := `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"The screen:"},` +
		`{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}`
	if !strings.Contains(string(b), want) {
		t.Errorf("result turn %s\nwant %s", b, want)
	}
}

// A tool message holding a PDF (a Responses client's input_file in a
// function_call_output) is a tool_result whose content holds a document
// block, which Claude takes there.
func TestToolMessageDocumentInToolResult(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Type: "function", Name: "read", Arguments: "{}"}})
	res := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "The report:"},
		llm.DocumentPart(&llm.Document{MediaType: llm.MediaTypePDF, Data: "JVBERi0xLjQK", Filename: "r.pdf"})}}
	res.SetToolCallID("toolu_1")
	out, err := FromLLM(&llm.Request{Model: "claude-haiku-4-5", Messages: []llm.Message{user("Summarize the report."), asst, res}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.Messages[2])
	want := `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"The report:"},` +
		`{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"},"title":"r.pdf"}]}]}`
	if !strings.Contains(string(b), want) {
		t.Errorf("result turn %s\nwant %s", b, want)
	}
}
