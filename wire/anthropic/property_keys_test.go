package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestPropertyKey(t *testing.T) {
	for _, k := range []string{"file_path", "a.b-c", strings.Repeat("x", 64)} {
		if got := PropertyKey(k); got != k {
			t.Errorf("PropertyKey(%q) = %q, want it unchanged", k, got)
		}
	}
	seen := map[string]string{}
	for _, k := range []string{"file path", "Total Invested Capital ($M)", "этаж", "名前", "a/b", "a:b", "$ref", "", strings.Repeat("y", 65), "a b", "a_b_"} {
		got := PropertyKey(k)
		if !ValidPropertyKey(got) {
			t.Errorf("PropertyKey(%q) = %q, which Claude refuses", k, got)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("PropertyKey(%q) = PropertyKey(%q) = %q", k, other, got)
		}
		seen[got] = k
	}
	if got := PropertyKey("file path"); !strings.HasPrefix(got, "file_path_") {
		t.Errorf("PropertyKey keeps what it can: %q", got)
	}
}

const renamedSchema = `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",` +
	`"properties":{"file path":{"type":"string"},"ok":{"type":"object","properties":{"名前":{"type":"string","title":"Name"}},"required":["名前"]},` +
	`"rows":{"type":"array","items":{"type":"object","properties":{"a:b":{"type":"integer"}}}}},"required":["file path","ok"]}`

func TestRenameProperties(t *testing.T) {
	renames := map[string]string{}
	out, err := renameProperties(json.RawMessage(renamedSchema), renames)
	if err != nil {
		t.Fatal(err)
	}
	fp, name, ab := PropertyKey("file path"), PropertyKey("名前"), PropertyKey("a:b")
	for _, want := range []string{
		`"` + fp + `":{"title":"file path","type":"string"}`, // the client's name as its title
		`"` + name + `":{"type":"string","title":"Name"}`,    // a title of its own is kept
		`"` + ab + `":{"title":"a:b","type":"integer"}`,      // in an array's items
		`"required":["` + fp + `","ok"]`, `"required":["` + name + `"]`, `"$schema":`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("schema lacks %s:\n%s", want, out)
		}
	}
	if len(renames) != 3 || renames[fp] != "file path" || renames[name] != "名前" || renames[ab] != "a:b" {
		t.Errorf("renames %v", renames)
	}
	plain := `{"$schema":"x","type":"object","properties":{"path":{"type":"string","default":{"x y":1}}}}`
	if out, _ := renameProperties(json.RawMessage(plain), map[string]string{}); string(out) != plain {
		t.Errorf("a schema Claude takes changed: %s", out)
	}
}

// The scan that decides whether a schema needs the walk allocates
// nothing: every tool of every request to Claude goes through it.
func TestMayNeedRenamesAllocatesNothing(t *testing.T) {
	schema := []byte(`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"command":{"type":"string","description":"a \"quoted\" word"}},"required":["command"],"additionalProperties":false}`)
	if n := testing.AllocsPerRun(100, func() { mayNeedRenames(schema) }); n != 0 || mayNeedRenames(schema) {
		t.Errorf("mayNeedRenames: %v allocations, %t", n, mayNeedRenames(schema))
	}
	if !mayNeedRenames([]byte(renamedSchema)) {
		t.Error("mayNeedRenames missed a space in a name")
	}
}

func TestRestoreKeys(t *testing.T) {
	fp, name := PropertyKey("file path"), PropertyKey("名前")
	renames := map[string]string{fp: "file path", name: "名前"}
	args := `{"` + fp + `": "` + fp + `", "ok": {"` + name + `":"x"}, "list":[{"` + fp + `":1}]}`
	got := RestoreKeys(args, renames)
	want := `{"file path": "` + fp + `", "ok": {"名前":"x"}, "list":[{"file path":1}]}`
	if got != want {
		t.Errorf("RestoreKeys =\n%s\nwant\n%s", got, want)
	}
	if got := RestoreKeys(`{"a":1}`, renames); got != `{"a":1}` {
		t.Errorf("no renamed key: %s", got)
	}
}

func TestPropertyKeysOfRequest(t *testing.T) {
	req := &llm.Request{Tools: []llm.Tool{
		{Type: "function", Name: "read", Parameters: json.RawMessage(renamedSchema)},
		{Type: "function", Name: "plain", Parameters: json.RawMessage(`{"type":"object","properties":{"x":{}}}`)},
	}}
	if m := PropertyKeys(req); len(m) != 3 {
		t.Errorf("PropertyKeys = %v", m)
	}
	if m := PropertyKeys(&llm.Request{Tools: req.Tools[1:]}); m != nil {
		t.Errorf("PropertyKeys of tools Claude takes = %v, want nil", m)
	}
}

// A streamed tool call whose keys were renamed comes whole, with the
// client's names, when its block ends, however Claude split it.
func TestStreamRestoresKeys(t *testing.T) {
	fp := PropertyKey("file path")
	tr := &StreamTranslator{Keys: map[string]string{fp: "file path"}}
	events := []struct{ name, data string }{
		{"message_start", `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"usage":{"input_tokens":5,"output_tokens":1}}}`},
		{"content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"read","input":{}}}`},
		{"content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"` + fp[:4] + `"}}`},
		{"content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"` + fp[4:] + `\": \"/tmp/a\"}"}}`},
		{"content_block_stop", `{"type":"content_block_stop","index":0}`},
	}
	var args strings.Builder
	for _, ev := range events {
		chunks, err := tr.Translate(ev.name, []byte(ev.data))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range chunks {
			for _, ch := range c.Choices {
				for _, tc := range ch.Delta.ToolCalls {
					args.WriteString(tc.Arguments)
				}
			}
		}
	}
	if args.String() != `{"file path": "/tmp/a"}` {
		t.Errorf("streamed arguments %q", args.String())
	}
}

func FuzzRestoreKeys(f *testing.F) {
	fp := PropertyKey("file path")
	for _, s := range []string{`{"` + fp + `":1}`, `{"a":"` + fp + `"}`, `{"\"":{"` + fp + `":[{"` + fp + `":null}]}}`, `"`, `{"x`, ``, `[":"]`} {
		f.Add(s)
	}
	renames := map[string]string{fp: "file path", "a": "名\"前"}
	f.Fuzz(func(t *testing.T, args string) {
		got := RestoreKeys(args, renames)
		if json.Valid([]byte(args)) && !json.Valid([]byte(got)) {
			t.Errorf("RestoreKeys(%q) = %q, not JSON", args, got)
		}
	})
}

// A complete answer (a Message Batch's result) gets the client's names
// back in its calls' arguments; a call with none renamed is left alone.
func TestRestoreResponseKeys(t *testing.T) {
	fp := PropertyKey("file path")
	calls := []llm.ToolCall{{ID: "a", Name: "save", Arguments: `{"` + fp + `":"x"}`}, {ID: "b", Name: "other", Arguments: `{"q":1}`}}
	resp := &llm.Response{Choices: []llm.Choice{{Message: llm.Message{Role: llm.RoleAssistant}}}}
	resp.Choices[0].Message.SetToolCalls(calls)
	RestoreResponseKeys(resp, map[string]string{fp: "file path"})
	got := resp.Choices[0].Message.ToolCalls()
	if got[0].Arguments != `{"file path":"x"}` || got[1].Arguments != `{"q":1}` || calls[0].Arguments == got[0].Arguments {
		t.Errorf("restored %+v (the calls given: %+v)", got, calls)
	}
	RestoreResponseKeys(nil, map[string]string{fp: "file path"})
}
