package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

func toolsBody(tools string) []byte {
	return []byte(`{"model":"m","max_tokens":64,"messages":[{"role":"user","content":"hi"}],"tools":` + tools + `}`)
}

// Anthropic-defined tools are read as the API reads them: the fixed name,
// no schema, max_characters only on the editor version that takes it;
// server tools are kept with their own settings (their name checked),
// unknown types refused with the API's tag error.
func TestDefinedToolsValidate(t *testing.T) {
	for _, c := range []struct{ tools, err string }{
		{`[{"type":"bash_20250124","name":"bash"},{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":100},{"type":"memory_20250818","name":"memory","cache_control":{"type":"ephemeral"}}]`, ""},
		{`[{"type":"text_editor_20250124","name":"str_replace_editor"},{"name":"get_weather","input_schema":{"type":"object"}}]`, ""},
		{`[{"type":"bash_20250124","name":"shell"}]`, "tools.0.bash_20250124.name: Input should be 'bash'"},
		{`[{"type":"bash_20250124","name":"bash","input_schema":{"type":"object"}}]`, "tools.0.bash_20250124.input_schema: Extra inputs are not permitted"},
		{`[{"type":"memory_20250818","name":"memory","description":"x"}]`, "tools.0.memory_20250818.description: Extra inputs are not permitted"},
		{`[{"type":"text_editor_20250429","name":"str_replace_based_edit_tool","max_characters":100}]`, "max_characters: Extra inputs are not permitted"},
		{`[{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":0}]`, "greater than or equal to 1"},
		{`[{"type":"bash_20250124","name":"bash"},{"name":"bash","input_schema":{"type":"object"}}]`, "Tool names must be unique"},
		{`[{"type":"web_search_20250305","name":"web_search","max_uses":3,"user_location":{"type":"approximate","city":"Paris"}}]`, ""},
		{`[{"type":"tool_search_tool_regex_20251119","name":"tool_search_tool_regex"},{"type":"tool_search_tool_bm25","name":"tool_search_tool_bm25"}]`, ""},
		{`[{"type":"code_execution_20250825","name":"code_execution"},{"type":"web_fetch_20250910","name":"web_fetch","max_uses":2}]`, ""},
		{`[{"type":"tool_search_tool_regex_20251119","name":"tool_search"}]`, "tools.0.tool_search_tool_regex_20251119.name: Input should be 'tool_search_tool_regex'"},
		{`[{"type":"web_search_20250305","name":"search"}]`, "tools.0.web_search_20250305.name: Input should be 'web_search'"},
		{`[{"type":"computer_20250124","name":"computer","display_width_px":1024}]`, "display_width_px: Extra inputs are not permitted"},
		{`[{"type":"computer_20250124","name":"computer"}]`, "Input tag 'computer_20250124' found using 'type' does not match any of the expected tags: 'advisor_20260301', 'bash_20250124', 'browser_toolset_20260801', 'code_execution_20250522'"},
		{`[{"type":"bash_20250124","name":"bash","bogus":1}]`, "bogus: Extra inputs are not permitted"},
		{`[{"type":"bash_20250124","name":7}]`, "tools.name: Input should be a valid string"},
	} {
		_, err := DecodeRequest(toolsBody(c.tools))
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: error %v, want %q", c.tools, err, c.err)
		}
	}
}

// A defined tool is a function with Anthropic's documented input for any
// deployment, and the declaration as the client wrote it for Claude.
func TestDefinedToolsRoundTrip(t *testing.T) {
	req, err := DecodeRequest(toolsBody(`[{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":100,"strict":true},` +
		`{"type":"bash_20250124","name":"bash","defer_loading":true},{"name":"get_weather","input_schema":{"type":"object"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	editor := req.Tools[0]
	var schema struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(editor.Parameters, &schema); err != nil {
		t.Fatal(err)
	}
	if editor.Name != "str_replace_based_edit_tool" || editor.Description == "" || schema.Properties["insert_text"] == nil ||
		schema.Properties["command"] == nil || editor.Anthropic == nil || editor.Anthropic.Defined != "text_editor_20250728" {
		t.Fatalf("editor as a function: %+v, schema %s", editor, editor.Parameters)
	}
	mt := 64
	out, err := FromLLM(&llm.Request{Model: "claude", MaxTokens: &mt, Messages: req.Messages, Tools: req.Tools})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(out.Tools)
	want := `[{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","strict":true,"max_characters":100},` +
		`{"type":"bash_20250124","name":"bash","defer_loading":true},{"name":"get_weather","input_schema":{"type":"object"}}]`
	if string(got) != want {
		t.Errorf("tools to Claude\n got %s\nwant %s", got, want)
	}
}

// Every defined tool's schema is a JSON object schema whose required
// fields it declares.
func TestDefinedToolSchemas(t *testing.T) {
	for typ, d := range definedTools {
		var s struct {
			Type       string                     `json:"type"`
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(d.Schema, &s); err != nil || s.Type != "object" || s.Properties["command"] == nil {
			t.Errorf("%s: schema %s (%v)", typ, d.Schema, err)
		}
		for _, r := range s.Required {
			if s.Properties[r] == nil {
				t.Errorf("%s: required %q is not a property", typ, r)
			}
		}
	}
}
