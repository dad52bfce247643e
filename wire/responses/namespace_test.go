package responses

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

// codexNamespace is a namespace tool as the Codex CLI declares its
// sub-agent tools.
const codexNamespace = `{"type":"namespace","name":"multi_agent_v1","description":"Tools for sub-agents.","tools":[` +
	`{"type":"function","name":"spawn_agent","description":"Spawn one.","strict":false,"parameters":{"type":"object","properties":{"task":{"type":"string"}}}},` +
	`{"type":"custom","name":"note","description":"A note."}]}`

// A namespace's tools reach the upstream as tools of their own, named
// after the namespace, with its description.
func TestDecodeNamespaceTool(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","tools":[{"type":"function","name":"exec_command"},`+codexNamespace+`]}`)
	tools := r.Chat.Tools
	if len(tools) != 3 || tools[0].Name != "exec_command" {
		t.Fatalf("tools %+v", tools)
	}
	spawn, note := tools[1], tools[2]
	if spawn.Name != "multi_agent_v1__spawn_agent" || spawn.Type != "function" || !strings.Contains(string(spawn.Parameters), `"task"`) ||
		spawn.Description != "Tools for sub-agents.\n\nSpawn one." {
		t.Errorf("spawn %+v", spawn)
	}
	if note.Name != "multi_agent_v1__note" || !note.IsCustom() {
		t.Errorf("note %+v", note)
	}
}

func TestDecodeNamespaceToolErrors(t *testing.T) {
	long := strings.Repeat("n", 40)
	for _, c := range []struct{ tool, param, msg string }{
		{`{"type":"namespace","description":"d","tools":[{"type":"function","name":"a"}]}`, "tools[0].name", "Missing required parameter"},
		{`{"type":"namespace","name":"ns","description":"d","tools":[]}`, "tools[0].tools", "minimum length 1"},
		{`{"type":"namespace","name":"ns","description":"d","tools":[{"type":"web_search"}]}`, "tools[0].tools[0].type", "'function' and 'custom'"},
		{`{"type":"namespace","name":"ns","description":"d","tools":[{"type":"function","name":"a b"}]}`, "tools[0].tools[0].name", "letters, digits"},
		{`{"type":"namespace","name":"` + long + `","description":"d","tools":[{"type":"function","name":"` + long + `"}]}`, "tools[0].tools[0].name", "at most 64"},
		{`{"type":"namespace","name":"ns","description":"d","tools":[{"type":"function","name":"a"}],"x":1}`, "tools[0].x", "Unknown parameter"},
	} {
		_, err := DecodeRequest([]byte(`{"model":"m","input":"hi","tools":[` + c.tool + `]}`))
		var e *llm.Error
		if !errors.As(err, &e) || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v, want %s (%q)", c.tool, err, c.param, c.msg)
		}
	}
}

// A call of a namespace's tool goes back to the client with its namespace
// and its own name, complete and streamed; sent back, it is the call of
// the tool the upstream knows.
func TestNamespaceCall(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","tools":[`+codexNamespace+`]}`)
	resp := &llm.Response{Choices: []llm.Choice{{FinishReason: llm.FinishToolCalls}}}
	resp.Choices[0].Message.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "multi_agent_v1__spawn_agent", Arguments: "{}"}})
	out := OutputOf(r, resp, IDs{Base: "b"})
	stored := string(StoredOutput(&out))
	want := `[{"id":"fc_b_0","type":"function_call","status":"completed","arguments":"{}","call_id":"call_1","name":"spawn_agent","namespace":"multi_agent_v1"}]`
	if stored != want {
		t.Errorf("stored\n got %s\nwant %s", stored, want)
	}
	msgs, err := decodeInput([]byte(stored), nil, nil, nil)
	if err != nil || len(msgs) != 1 || msgs[0].ToolCalls()[0].Name != "multi_agent_v1__spawn_agent" {
		t.Errorf("decoded back: %+v %v", msgs, err)
	}

	s := NewStreamer(r, Meta{IDs: IDs{Base: "b"}, CreatedAt: 1, Model: "up"})
	b := s.Chunk(s.Start(nil), callChunk(0, "call_1", "multi_agent_v1__spawn_agent", "{}"))
	evs := parseEvents(t, s.Finish(s.Chunk(b, finishChunk(llm.FinishToolCalls)), ""))
	added, done := evs[2].data["item"].(map[string]any), evs[len(evs)-2].data["item"].(map[string]any)
	for _, it := range []map[string]any{added, done} {
		if it["name"] != "spawn_agent" || it["namespace"] != "multi_agent_v1" {
			t.Errorf("streamed item %v", it)
		}
	}
}

// The response echoes a namespace tool as the client declared it, its
// tools under it with their own names and descriptions, beside the other
// function tools and the hosted ones.
func TestNamespaceToolEcho(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":"hi","tools":[{"type":"function","name":"exec_command"},`+codexNamespace+`,{"type":"web_search"}]}`)
	var echo struct {
		Tools []struct {
			Type, Name  string
			Description *string
			Tools       []struct{ Type, Name, Description string }
		}
	}
	if err := json.Unmarshal(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &Output{}), &echo); err != nil {
		t.Fatal(err)
	}
	if len(echo.Tools) != 3 || echo.Tools[0].Name != "exec_command" || echo.Tools[2].Type != "web_search" {
		t.Fatalf("tools %+v", echo.Tools)
	}
	ns := echo.Tools[1]
	if ns.Type != "namespace" || ns.Name != "multi_agent_v1" || ns.Description == nil || *ns.Description != "Tools for sub-agents." || len(ns.Tools) != 2 {
		t.Fatalf("namespace %+v", ns)
	}
	if s := ns.Tools[0]; s.Type != "function" || s.Name != "spawn_agent" || s.Description != "Spawn one." {
		t.Errorf("spawn_agent echoed as %+v", s)
	}
	if n := ns.Tools[1]; n.Type != "custom" || n.Name != "note" || n.Description != "A note." {
		t.Errorf("note echoed as %+v", n)
	}
}
