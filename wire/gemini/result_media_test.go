package gemini

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// A tool message holding an image (a screenshot tool's result) is a
// function response of its text, and the image follows the turn's
// function responses as inline data in the same user turn.
func TestToolMessageImageFollowsFunctionResponses(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "screenshot", Arguments: "{}"},
		{ID: "c2", Type: "function", Name: "get_time", Arguments: "{}"}})
	shot := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "The screen:"},
		llm.ImagePart("data:image/png;base64,iVBORw0KGgo=", "")}}
	shot.SetToolCallID("c1")
	clock := llm.TextMessage(llm.RoleTool, "09:30")
	clock.SetToolCallID("c2")
	req := &llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "What is on screen?"), asst, shot, clock}}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Contents) != 3 {
		t.Fatalf("contents %+v", out.Contents)
	}
	parts := out.Contents[2].Parts
	if out.Contents[2].Role != RoleUser || len(parts) != 3 || parts[0].FunctionResponse == nil || parts[1].FunctionResponse == nil ||
		parts[2].InlineData == nil || parts[2].InlineData.MIMEType != "image/png" || parts[2].InlineData.Data != "iVBORw0KGgo=" {
		b, _ := json.Marshal(out.Contents[2])
		t.Fatalf("result turn %s", b)
	}
	if got := string(parts[0].FunctionResponse.Response); got != `{"content":"The screen:"}` {
		t.Errorf("screenshot response %s", got)
	}
}

// A tool message holding a PDF is a function response of its text, and
// the PDF follows the turn's function responses as inline data of its
// media type.
func TestToolMessageDocumentFollowsFunctionResponses(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "read", Arguments: "{}"}})
	res := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "The report:"},
		llm.DocumentPart(&llm.Document{MediaType: llm.MediaTypePDF, Data: "JVBERi0xLjQK", Filename: "r.pdf"})}}
	res.SetToolCallID("c1")
	out, err := FromLLM(&llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Summarize it."), asst, res}})
	if err != nil {
		t.Fatal(err)
	}
	parts := out.Contents[len(out.Contents)-1].Parts
	if len(parts) != 2 || parts[0].FunctionResponse == nil || parts[1].InlineData == nil ||
		parts[1].InlineData.MIMEType != llm.MediaTypePDF || parts[1].InlineData.Data != "JVBERi0xLjQK" {
		b, _ := json.Marshal(out.Contents)
		t.Fatalf("contents %s", b)
	}
}

// A tool message of several text parts (a Chat Completions client may
// send its result so) is a function response of those parts one per
// line, not run together.
func TestToolMessageTextPartsJoinedByLine(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: "lookup", Arguments: "{}"}})
	res := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "Paris: 21C"}, {Type: llm.PartText, Text: "Lyon: 19C"}}}
	res.SetToolCallID("c1")
	out, err := FromLLM(&llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Weather?"), asst, res}})
	if err != nil {
		t.Fatal(err)
	}
	parts := out.Contents[len(out.Contents)-1].Parts
	if len(parts) != 1 || parts[0].FunctionResponse == nil || string(parts[0].FunctionResponse.Response) != `{"content":"Paris: 21C\nLyon: 19C"}` {
		b, _ := json.Marshal(out.Contents)
		t.Fatalf("contents %s", b)
	}
}
