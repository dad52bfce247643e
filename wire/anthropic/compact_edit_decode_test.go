package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestCompactEditOf: the compact_20260112 edit of a context_management,
// decoded as the API checks it (the trigger's default and minimum, its
// type, unknown fields), with the index of the edit in errors.
func TestCompactEditOf(t *testing.T) {
	for _, c := range []struct {
		cm   string
		want *CompactEdit
		err  string
	}{
		{``, nil, ``},
		{`{"edits":[{"type":"clear_thinking_20251015"}]}`, nil, ``},
		{`{"edits":[{"type":"compact_20260112"}]}`, &CompactEdit{Trigger: 150000}, ``},
		{`{"edits":[{"type":"clear_thinking_20251015"},{"type":"compact_20260112","trigger":{"type":"input_tokens","value":50000},"pause_after_compaction":true,"instructions":"Keep the dates."}]}`,
			&CompactEdit{Trigger: 50000, Pause: true, Instructions: "Keep the dates.", Index: 1}, ``},
		{`{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens","value":49999}}]}`, nil,
			`context_management.edits.0.trigger.value: Input should be greater than or equal to 50000`},
		{`{"edits":[{"type":"compact_20260112","trigger":{"type":"tool_uses","value":60000}}]}`, nil,
			`context_management.edits.0.trigger.type: Input should be 'input_tokens'`},
		{`{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens"}}]}`, nil,
			`context_management.edits.0.trigger.value: Field required`},
		{`{"edits":[{"type":"compact_20260112","keep":3}]}`, nil,
			`context_management.edits.0.keep: Extra inputs are not permitted`},
		{`{"edits":[{"type":"compact_20260112","pause_after_compaction":"yes"}]}`, nil,
			`context_management.edits.0.pause_after_compaction`},
	} {
		got, err := CompactEditOf(json.RawMessage(c.cm))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err %v, want %q", c.cm, err, c.err)
			}
			continue
		}
		if err != nil || (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.cm, got, err, c.want)
		}
	}
}

// TestCompactEditFires: the edit fires when the input exceeds its
// trigger, not at it.
func TestCompactEditFires(t *testing.T) {
	e := &CompactEdit{Trigger: 50000}
	for tokens, want := range map[int]bool{0: false, 49999: false, 50000: false, 50001: true, 200000: true} {
		if got := e.Fires(tokens); got != want {
			t.Errorf("%d tokens: fires %v, want %v", tokens, got, want)
		}
	}
	var none *CompactEdit
	if none.Fires(1 << 30) {
		t.Error("no edit fired")
	}
}

// TestWithoutCompactEdit: the context_management a deployment is sent
// once the router honoured the compact edit: the other edits alone, nil
// when the compact edit was all.
func TestWithoutCompactEdit(t *testing.T) {
	for _, c := range []struct{ cm, want string }{
		{`{"edits":[{"type":"compact_20260112"}]}`, ``},
		{`{"edits":[{"type":"clear_thinking_20251015"},{"type":"compact_20260112"}]}`, `{"edits":[{"type":"clear_thinking_20251015"}]}`},
		{`{"edits":[{"type":"clear_tool_uses_20250919"}]}`, `{"edits":[{"type":"clear_tool_uses_20250919"}]}`},
		{``, ``},
	} {
		if got := WithoutCompactEdit(json.RawMessage(c.cm)); string(got) != c.want {
			t.Errorf("%s: %s, want %s", c.cm, got, c.want)
		}
	}
}

// TestContextManagementChecksCompactEdit: a request's compact edit is
// checked when the request is read, whatever deployment it goes to.
func TestContextManagementChecksCompactEdit(t *testing.T) {
	_, err := contextManagement([]byte(`{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens","value":1000}}]}`))
	if err == nil || !strings.Contains(err.Error(), "greater than or equal to 50000") {
		t.Fatalf("err %v", err)
	}
}

// FuzzCompactEdit decodes context_management objects: an error is an
// invalid_request naming context_management; an accepted compact edit has
// a trigger of at least the minimum, and without it the object keeps
// every other edit.
func FuzzCompactEdit(f *testing.F) {
	for _, seed := range []string{
		`{"edits":[{"type":"compact_20260112"}]}`,
		`{"edits":[{"type":"clear_thinking_20251015"},{"type":"compact_20260112","trigger":{"type":"input_tokens","value":50000},"pause_after_compaction":true,"instructions":"x"}]}`,
		`{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens","value":1e30}}]}`,
		`{"edits":[{"type":"compact_20260112","trigger":null,"instructions":null}]}`,
		`{"edits":[{"type":"compact_20260112","trigger":{"type":"input_tokens","value":-1}}]}`,
		`{"edits":[{"type":"compact_20260112"},{"type":"compact_20260112","x":1}]}`,
		`{"edits":{"type":"compact_20260112"}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cm, err := contextManagement(data)
		if err != nil {
			if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest || e.Param != "context_management" {
				t.Fatalf("%s: %v", data, err)
			}
			return
		}
		edit, err := CompactEditOf(cm)
		if err != nil || edit != nil && edit.Trigger < MinCompactTrigger {
			t.Fatalf("%s: %+v, %v", cm, edit, err)
		}
		if rest := WithoutCompactEdit(cm); CompactsContext(rest) {
			t.Fatalf("%s: kept %s", cm, rest)
		}
	})
}
