package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// definedTools are Anthropic-defined client tools as the SDK declares
// them: bash, the text editor (with max_characters) and memory.
func definedTools() []sdk.ToolUnionParam {
	return []sdk.ToolUnionParam{
		{OfBashTool20250124: &sdk.ToolBash20250124Param{}},
		{OfTextEditor20250728: &sdk.ToolTextEditor20250728Param{MaxCharacters: sdk.Int(5000)}},
		{OfMemoryTool20250818: &sdk.MemoryTool20250818Param{}},
	}
}

// An Anthropic client's tool loop with Anthropic-defined tools, complete
// and streamed, on Claude (which gets the declarations as written) and on
// OpenAI and Gemini deployments (which get functions with Anthropic's
// documented input): the call is a tool_use block the client's tool runner
// reads, and the loop goes on after its result.
func TestAnthropicDefinedTools(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, dep := range []string{"claude-haiku-4-5", "gpt-4o-mini", "gemini-2.5-flash"} {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := userMessage(dep, "Show me the file /srv/app/main.go, please.", 512)
				params.Tools = definedTools()
				params.ToolChoice = sdk.ToolChoiceParamOfTool("str_replace_based_edit_tool")
				msg := anthropicAsk(t, c, params, streamed)
				use := toolUseOf(msg)
				if use == nil || use.Name != "str_replace_based_edit_tool" {
					t.Fatalf("no editor call: %+v", msg.Content)
				}
				var in struct{ Command, Path string }
				if err := json.Unmarshal(use.Input, &in); err != nil || in.Command == "" || in.Path == "" {
					t.Fatalf("editor input %s (%v): want a command and a path", use.Input, err)
				}
				checkDefinedToolsSent(t, tp, dep)
				answerToolUse(t, c, params, msg, use.ID, "1: package main", streamed)
			})
		}
	}
}

func toolUseOf(msg sdk.Message) *sdk.ContentBlockUnion {
	for i := range msg.Content {
		if msg.Content[i].Type == "tool_use" {
			return &msg.Content[i]
		}
	}
	return nil
}

// checkDefinedToolsSent checks the tools of the last upstream request of
// deployment dep: Claude's are the declarations (type, name,
// max_characters, no schema), the others functions with a schema.
func checkDefinedToolsSent(t *testing.T, tp *tap, dep string) {
	t.Helper()
	switch {
	case strings.HasPrefix(dep, "claude"):
		var tools []map[string]json.RawMessage
		if err := json.Unmarshal(tp.lastBody(t, "/v1/messages")["tools"], &tools); err != nil || len(tools) != 3 {
			t.Fatalf("tools sent to Claude: %v (%v)", tools, err)
		}
		for i, want := range []string{`"bash_20250124"`, `"text_editor_20250728"`, `"memory_20250818"`} {
			if string(tools[i]["type"]) != want || tools[i]["input_schema"] != nil {
				t.Errorf("tool %d sent to Claude: %s", i, mustJSON(tools[i]))
			}
		}
		if string(tools[1]["max_characters"]) != "5000" {
			t.Errorf("the editor lost max_characters: %s", mustJSON(tools[1]))
		}
	case strings.HasPrefix(dep, "gpt"):
		body := tp.lastBody(t, "/chat/completions")
		if s := string(body["tools"]); !strings.Contains(s, `"name":"bash"`) || !strings.Contains(s, `"insert_text"`) || strings.Contains(s, "_20250") {
			t.Errorf("tools sent to OpenAI: %s", s)
		}
	default:
		body := tp.lastBody(t, "GenerateContent")
		if s := string(body["tools"]); !strings.Contains(s, `"memory"`) || !strings.Contains(s, `"old_path"`) {
			t.Errorf("tools sent to Gemini: %s", s)
		}
	}
}

// A server tool or a defined tool under another name than its fixed one
// is a 400 that names it, whatever the deployment (a server tool under
// its own name is served by Claude: TestAnthropicWebSearch).
func TestAnthropicToolNameRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for name, tool := range map[string]sdk.ToolUnionParam{
		"Input should be 'web_search'": {OfWebSearchTool20250305: &sdk.WebSearchTool20250305Param{MaxUses: sdk.Int(3)}},
		"Input should be 'bash'":       {OfBashTool20250124: &sdk.ToolBash20250124Param{}},
	} {
		params := userMessage("claude-haiku-4-5", "What happened today?", 128)
		params.Tools = []sdk.ToolUnionParam{tool}
		opts := []sdkoption.RequestOption{sdkoption.WithJSONSet("tools.0.name", "shell")}
		_, err := c.Messages.New(ctxT(t), params, opts...)
		var apiErr *sdk.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
