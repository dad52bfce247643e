package anthropic

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// toolChangeBody is a conversation whose tools are a and b; a system
// message withdraws a and defines c, between two texts.
const toolChangeBody = `{"model":"claude-opus-4-8","max_tokens":50,
	"tools":[{"name":"a","input_schema":{"type":"object"}},{"name":"b","input_schema":{"type":"object"}}],
	"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"},
	{"role":"system","content":[{"type":"text","text":"From now on:"},
		{"type":"tool_removal","tool":{"type":"tool_reference","name":"a"}},
		{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"name":"c","description":"C","input_schema":{"type":"object"}}}},
		{"type":"text","text":"use c."}]},
	{"role":"user","content":"z"}]}`

// decodeWith decodes and validates body under betas, and translates it.
func decodeWith(t *testing.T, body string, betas ...string) (*llm.Request, error) {
	t.Helper()
	req, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	req.Betas = betas
	if err := Validate(req); err != nil {
		return nil, err
	}
	return RequestToLLM(req)
}

func toolNames(tools []llm.Tool) []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.Name)
	}
	return out
}

// Every deployment but Claude is offered the tool set in effect at the
// end (b and c); a Claude deployment the tools as declared (a and b)
// with the blocks in place, between the texts where they stood.
func TestToolChangesEmulatedAndKept(t *testing.T) {
	req, err := decodeWith(t, toolChangeBody, ToolChangesBeta, InlineToolsBeta)
	if err != nil {
		t.Fatal(err)
	}
	if got := toolNames(req.Tools); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("tools in effect %v, want [b c]", got)
	}
	if got := toolNames(req.AnthropicTools); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("declared tools %v, want [a b]", got)
	}
	sys := req.Messages[2]
	if sys.Role != llm.RoleSystem || sys.Text() != "From now on:use c." || len(sys.ToolChanges()) != 2 || sys.ToolChanges()[0].At != len("From now on:") {
		t.Fatalf("system message %+v, changes %+v", sys, sys.ToolChanges())
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range out.Tools {
		names = append(names, tl.Name)
	}
	if !reflect.DeepEqual(names, []string{"a", "b"}) {
		t.Errorf("Claude is sent tools %v, want the declared [a b]", names)
	}
	var types []string
	for _, b := range out.Messages[2].Content {
		types = append(types, b.Type)
	}
	if out.Messages[2].Role != "system" || !reflect.DeepEqual(types, []string{"text", BlockToolRemoval, BlockToolAddition, "text"}) {
		t.Fatalf("Claude's system turn %s %v", out.Messages[2].Role, types)
	}
	body, _ := out.MarshalJSON()
	again, err := DecodeMessagesRequest(body, false)
	if err != nil {
		t.Fatal(err)
	}
	again.Betas = out.Betas
	if set, err := ToolSet(again); err != nil || len(set) != 2 || set[1].Name != "c" {
		t.Errorf("what Claude is sent does not change the tools the same way: %v %v (%s)", set, err, body)
	}
}

// A system message holding only a tool change, before any turn, stays in
// place for Claude (no opening user turn is put before it).
func TestToolChangeBeforeTheFirstTurn(t *testing.T) {
	body := `{"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":{"type":"object"}}],"messages":[
		{"role":"system","content":[{"type":"tool_removal","tool":{"type":"tool_reference","name":"a"}}]},
		{"role":"user","content":"x"}]}`
	req, err := decodeWith(t, body, ToolChangesBeta)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Tools) != 0 || len(req.AnthropicTools) != 1 {
		t.Fatalf("tools %v, declared %v", toolNames(req.Tools), toolNames(req.AnthropicTools))
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) != 2 || out.Messages[0].Role != "system" || out.Messages[1].Role != "user" || out.Messages[0].Content[0].Type != BlockToolRemoval {
		b, _ := out.MarshalJSON()
		t.Fatalf("Claude is sent %s", b)
	}
}

// What the API refuses, the router refuses, with its codes.
func TestToolChangesRefused(t *testing.T) {
	change := func(block string) string {
		return `{"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":{"type":"object"}}],"messages":[
			{"role":"user","content":"x"},{"role":"assistant","content":"y"},{"role":"system","content":[` + block + `]},{"role":"user","content":"z"}]}`
	}
	both := []string{ToolChangesBeta, InlineToolsBeta}
	for _, c := range []struct {
		name, body string
		betas      []string
		code, want string
	}{
		{"no beta", change(`{"type":"tool_removal","tool":{"type":"tool_reference","name":"a"}}`), nil, "", "require the anthropic-beta header " + ToolChangesBeta},
		{"unknown tool", change(`{"type":"tool_addition","tool":{"type":"tool_reference","name":"nope"}}`), both, CodeToolReferenceUnresolved, "tool 'nope' is not defined"},
		{"MCP", change(`{"type":"tool_addition","tool":{"type":"mcp_toolset_reference","server_name":"s"}}`), both, CodeToolReferenceUnresolved, "MCP server 's'"},
		{"inline without its beta", change(`{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"name":"c","input_schema":{"type":"object"}}}}`), both[:1], "", InlineToolsBeta},
		{"definition refused", change(`{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"name":"c"}}}`), both, "", "input_schema: Field required"},
		{"conflict", strings.Replace(change(`{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"type":"bash_20250124","name":"bash"}}}`), `"name":"a"`, `"name":"bash"`, 1), both, CodeToolNameConflict, "another kind"},
		{"removal by value", change(`{"type":"tool_removal","tool":{"type":"tool_definition","definition":{"name":"a"}}}`), both, "", "Input tag 'tool_definition'"},
		{"extra field", change(`{"type":"tool_removal","tool":{"type":"tool_reference","name":"a"},"x":1}`), both, "", "x: Extra inputs are not permitted"},
		{"in a user turn", `{"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":[{"type":"tool_removal","tool":{"type":"tool_reference","name":"a"}}]}]}`, both, "", "Input tag 'tool_removal'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := decodeWith(t, c.body, c.betas...)
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || !strings.Contains(e.Message, c.want) || e.Code != c.code {
				t.Fatalf("got %v (code %q), want an invalid_request naming %q, code %q", err, e.Code, c.want, c.code)
			}
		})
	}
}

// A definition under the name of a tool of the same kind replaces it in
// place (a tool reshaped mid-conversation); a removed tool can be added
// back by reference.
func TestToolChangesRedefineAndReadd(t *testing.T) {
	body := `{"model":"m","max_tokens":5,"tools":[{"name":"a","input_schema":{"type":"object"}},{"name":"b","input_schema":{"type":"object"}}],"messages":[
		{"role":"user","content":"x"},{"role":"assistant","content":"y"},
		{"role":"system","content":[{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"name":"a","description":"new","input_schema":{"type":"object"}}}},
			{"type":"tool_removal","tool":{"type":"tool_reference","name":"b"}},{"type":"tool_addition","tool":{"type":"tool_reference","name":"b"}}]},
		{"role":"user","content":"z"}]}`
	req, err := decodeWith(t, body, InlineToolsBeta)
	if err != nil {
		t.Fatal(err)
	}
	if got := toolNames(req.Tools); !reflect.DeepEqual(got, []string{"a", "b"}) || req.Tools[0].Description != "new" {
		t.Fatalf("tools %v (a: %q)", got, req.Tools[0].Description)
	}
}

// FuzzToolChanges feeds requests with tool changes under both betas: the
// walk never panics, fails only with an invalid_request error, and what
// it accepts a Claude deployment is sent as a request that changes the
// tools the same way.
func FuzzToolChanges(f *testing.F) {
	for _, seed := range []string{
		toolChangeBody,
		`{"model":"m","max_tokens":5,"messages":[{"role":"system","content":[{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"type":"web_search_20250305","name":"web_search"}}}]},{"role":"user","content":"x"}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"type":"computer_toolset_20260801"}}},{"type":"tool_removal","tool":{"type":"tool_reference","name":"computer_toolset_20260801"}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"tool_addition","tool":{"type":"mcp_tool_reference","server_name":"s","name":"t"}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"tool_addition","tool":{"type":"tool_definition","definition":null}}]}]}`,
		`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},{"role":"system","content":[{"type":"tool_addition","tool":7}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	betas := []string{ToolChangesBeta, InlineToolsBeta}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeMessagesRequest(data, false)
		if err != nil {
			return
		}
		req.Betas = betas
		err = Validate(req)
		var r *llm.Request
		if err == nil {
			r, err = RequestToLLM(req)
		}
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %T %v is not an invalid_request *llm.Error with a message", err, err)
			}
			return
		}
		want, _ := ToolSet(req)
		out, err := FromLLM(r)
		if err != nil {
			return // FuzzDecodeRequest holds FromLLM to what it accepts; tool changes are the point here
		}
		b, _ := out.MarshalJSON()
		again, err := DecodeMessagesRequest(b, false)
		if err != nil {
			t.Fatalf("what Claude is sent does not decode: %v (%s)", err, b)
		}
		again.Betas = betas
		got, gerr := ToolSet(again)
		if gerr != nil || len(got) != len(want) {
			t.Fatalf("Claude is sent %s, whose tools in effect are %d (%v), want %d", b, len(got), gerr, len(want))
		}
		for i := range got {
			if toolKey(&got[i]) != toolKey(&want[i]) {
				t.Fatalf("tool %d: %q, want %q", i, toolKey(&got[i]), toolKey(&want[i]))
			}
		}
	})
}

// A tool_choice may name a tool the conversation added (c), which the
// model answering the last turn is offered; one neither declared nor
// added (d) is refused as the API refuses an unknown tool; without tool
// changes the declared tools alone count.
func TestToolChoiceOfAnAddedTool(t *testing.T) {
	choose := func(body, name string) string {
		return strings.Replace(body, `"max_tokens":50,`, `"max_tokens":50,"tool_choice":{"type":"tool","name":"`+name+`"},`, 1)
	}
	req, err := decodeWith(t, choose(toolChangeBody, "c"), ToolChangesBeta, InlineToolsBeta)
	if err != nil {
		t.Fatalf("tool_choice of the added tool c: %v", err)
	}
	if req.ToolChoice == nil || req.ToolChoice.Name != "c" {
		t.Errorf("tool choice %+v, want c", req.ToolChoice)
	}
	noAddition := strings.Replace(toolChangeBody,
		`{"type":"tool_addition","tool":{"type":"tool_definition","definition":{"name":"c","description":"C","input_schema":{"type":"object"}}}},`, "", 1)
	for _, body := range []string{choose(toolChangeBody, "d"), choose(noAddition, "c")} {
		if _, err := decodeWith(t, body, ToolChangesBeta, InlineToolsBeta); err == nil || !strings.Contains(err.Error(), "not found in provided tools") {
			t.Errorf("want the unknown tool refused, got %v", err)
		}
	}
}
