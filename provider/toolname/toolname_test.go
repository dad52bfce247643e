package toolname

import (
	"io"
	"strings"
	"testing"

	"switchyard/llm"
)

var long = "mcp__github_enterprise_server__" + strings.Repeat("search_issues_", 5) // 101 bytes

func TestShort(t *testing.T) {
	if got := Short("get_weather", OpenAIMax); got != "get_weather" {
		t.Errorf("a short name changed: %q", got)
	}
	a, b := Short(long, OpenAIMax), Short(long+"x", OpenAIMax)
	if len(a) != OpenAIMax || len(b) != OpenAIMax || a == b || !strings.HasPrefix(a, "mcp__github_enterprise_server__") {
		t.Errorf("Short: %q and %q", a, b)
	}
}

func TestShortenAndRestore(t *testing.T) {
	req := &llm.Request{
		Tools:      []llm.Tool{{Type: "function", Name: long}, {Type: "function", Name: "ok"}},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: long},
	}
	asked := llm.Message{Role: llm.RoleAssistant}
	asked.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: "function", Name: long, Arguments: "{}"}})
	req.Messages = []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: "q"}}}, asked}
	out, names := Shorten(req, OpenAIMax)
	short := Short(long, OpenAIMax)
	if out.Tools[0].Name != short || out.Tools[1].Name != "ok" || out.ToolChoice.Name != short || out.Messages[1].ToolCalls()[0].Name != short {
		t.Errorf("shortened request: %+v %+v %+v", out.Tools, out.ToolChoice, out.Messages[1].ToolCalls())
	}
	if req.Tools[0].Name != long || req.ToolChoice.Name != long || req.Messages[1].ToolCalls()[0].Name != long {
		t.Error("Shorten changed the client's request")
	}
	if names[short] != long || len(names) != 1 {
		t.Errorf("names %v", names)
	}
	s := Restore(&chunks{list: []*llm.Chunk{{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{Name: short}}}}}}}}, names)
	c, err := s.Next()
	if err != nil || c.Choices[0].Delta.ToolCalls[0].Name != long {
		t.Errorf("restored chunk %+v, %v", c, err)
	}
	if _, err := s.Next(); err != io.EOF {
		t.Errorf("end: %v", err)
	}
}

// A request whose names fit costs nothing: every request to an OpenAI
// deployment goes through Shorten.
func TestShortenFitAllocatesNothing(t *testing.T) {
	req := &llm.Request{Tools: []llm.Tool{{Type: "function", Name: "get_weather"}}}
	if n := testing.AllocsPerRun(100, func() {
		if out, names := Shorten(req, OpenAIMax); out != req || names != nil {
			t.Fatal("changed")
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

type chunks struct{ list []*llm.Chunk }

func (c *chunks) Next() (*llm.Chunk, error) {
	if len(c.list) == 0 {
		return nil, io.EOF
	}
	ch := c.list[0]
	c.list = c.list[1:]
	return ch, nil
}

func (c *chunks) Close() error { return nil }

// A complete answer (a provider batch's) gets its calls' names back; a
// call of a name that fitted is left alone, and the calls given are not
// changed.
func TestRestoreResponse(t *testing.T) {
	short := Short(long, OpenAIMax)
	calls := []llm.ToolCall{{ID: "c1", Name: short, Arguments: "{}"}, {ID: "c2", Name: "ok", Arguments: "{}"}}
	resp := &llm.Response{Choices: []llm.Choice{{Message: llm.Message{Role: llm.RoleAssistant}}}}
	resp.Choices[0].Message.SetToolCalls(calls)
	RestoreResponse(resp, map[string]string{short: long})
	got := resp.Choices[0].Message.ToolCalls()
	if got[0].Name != long || got[1].Name != "ok" || calls[0].Name != short {
		t.Errorf("restored %+v (the calls given: %+v)", got, calls)
	}
	RestoreResponse(nil, map[string]string{short: long})
}

// The names an allowed_tools choice allows go short with their tools.
func TestShortenAllowed(t *testing.T) {
	req := &llm.Request{Tools: []llm.Tool{{Name: long}, {Name: "f"}},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired, Allowed: []string{long, "f"}}}
	r, names := Shorten(req, OpenAIMax)
	short := Short(long, OpenAIMax)
	if got := r.ToolChoice.Allowed; len(got) != 2 || got[0] != short || got[1] != "f" || r.ToolChoice.Mode != llm.ToolChoiceRequired || names[short] != long {
		t.Errorf("allowed %q, names %v", got, names)
	}
	if req.ToolChoice.Allowed[0] != long {
		t.Error("the request's choice changed")
	}
}
