package customtool

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"switchyard/llm"
)

func customRequest() *llm.Request {
	req := &llm.Request{Tools: []llm.Tool{
		{Type: "function", Name: "f", Parameters: json.RawMessage(`{"type":"object"}`)},
		{Type: llm.ToolCustom, Name: "apply_patch", Description: "Patch files.", Format: json.RawMessage(`{"type":"grammar","syntax":"lark","definition":"start: /x+/"}`)},
	}}
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Type: llm.ToolCustom, Name: "apply_patch", Arguments: "a\"b"}})
	req.Messages = []llm.Message{llm.TextMessage(llm.RoleUser, "hi"), asst}
	return req
}

func TestLower(t *testing.T) {
	req := customRequest()
	low, names := Lower(req)
	if !names["apply_patch"] || len(names) != 1 {
		t.Fatalf("names %v", names)
	}
	tool := low.Tools[1]
	if tool.Type != "function" || tool.Format != nil || string(tool.Parameters) != string(inputSchema) ||
		!strings.HasPrefix(tool.Description, "Patch files.") || !strings.Contains(tool.Description, "Lark grammar:\nstart: /x+/") {
		t.Errorf("lowered tool %+v", tool)
	}
	call := low.Messages[1].ToolCalls()[0]
	if call.Type != "function" || call.Arguments != `{"input":"a\"b"}` {
		t.Errorf("lowered call %+v", call)
	}
	if req.Tools[1].Type != llm.ToolCustom || req.Messages[1].ToolCalls()[0].Type != llm.ToolCustom {
		t.Error("Lower changed the request it was given")
	}
	plain := &llm.Request{Tools: req.Tools[:1], Messages: req.Messages[:1]}
	if got, names := Lower(plain); got != plain || names != nil {
		t.Error("a request without custom tools was copied")
	}
	if !GrammarDropped(req) || GrammarDropped(plain) {
		t.Error("GrammarDropped")
	}
}

func TestDescribeTruncates(t *testing.T) {
	def := strings.Repeat("é", maxGrammar)
	d := describe(&llm.Tool{Format: json.RawMessage(`{"type":"grammar","syntax":"regex","definition":"` + def + `"}`)})
	if len(d) > maxGrammar+300 || !strings.Contains(d, "regular expression") || !strings.HasSuffix(d, "(truncated)") || !utf8.ValidString(d) {
		t.Errorf("description of %d bytes: %.200s", len(d), d)
	}
}

type fakeStream struct{ chunks []*llm.Chunk }

func (f *fakeStream) Next() (*llm.Chunk, error) {
	if len(f.chunks) == 0 {
		return nil, io.EOF
	}
	c := f.chunks[0]
	f.chunks = f.chunks[1:]
	return c, nil
}
func (f *fakeStream) Close() error { return nil }

func delta(tds ...llm.ToolCallDelta) *llm.Chunk {
	return &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: tds}}}}
}

func collect(t *testing.T, s llm.Stream) *llm.Response {
	t.Helper()
	var acc llm.Accumulator
	for {
		c, err := s.Next()
		if err == io.EOF {
			return acc.Response()
		}
		if err != nil {
			t.Fatal(err)
		}
		acc.Add(c)
	}
}

func TestRaise(t *testing.T) {
	names := map[string]bool{"apply_patch": true}
	finish := &llm.Chunk{Choices: []llm.ChunkChoice{{FinishReason: llm.FinishToolCalls}}}
	for _, tc := range []struct {
		name   string
		chunks []*llm.Chunk
		want   string
	}{
		{"split", []*llm.Chunk{
			delta(llm.ToolCallDelta{Index: 0, ID: "c1", Type: "function", Name: "apply_patch"}),
			delta(llm.ToolCallDelta{Index: 0, Arguments: `{"inp`}), delta(llm.ToolCallDelta{Index: 0, Arguments: `ut":"a\nb\u00e9"}`}), finish}, "a\nbé"},
		{"whole", []*llm.Chunk{delta(llm.ToolCallDelta{Index: 0, ID: "c1", Name: "apply_patch", Arguments: `{"input":"x"}`}), finish}, "x"},
		{"no finish", []*llm.Chunk{delta(llm.ToolCallDelta{Index: 0, ID: "c1", Name: "apply_patch", Arguments: `{"input":"x"}`})}, "x"},
		{"not json", []*llm.Chunk{delta(llm.ToolCallDelta{Index: 0, ID: "c1", Name: "apply_patch", Arguments: `raw`}), finish}, "raw"},
	} {
		chunks := append([]*llm.Chunk{delta(llm.ToolCallDelta{Index: 1, ID: "c2", Name: "f", Arguments: `{}`})}, tc.chunks...)
		for i := range chunks { // the chunks are shared between cases: copy them
			c := *chunks[i]
			c.Choices = append([]llm.ChunkChoice(nil), c.Choices...)
			chunks[i] = &c
		}
		resp := collect(t, Raise(&fakeStream{chunks: chunks}, names))
		calls := resp.Choices[0].Message.ToolCalls()
		if len(calls) != 2 || calls[1].Type != "function" || calls[1].Arguments != "{}" {
			t.Fatalf("%s: calls %+v", tc.name, calls)
		}
		if c := calls[0]; c.Type != llm.ToolCustom || c.ID != "c1" || c.Name != "apply_patch" || c.Arguments != tc.want {
			t.Errorf("%s: custom call %+v, want input %q", tc.name, c, tc.want)
		}
	}
}

// FuzzInput: the input of lowered arguments is the string they were
// made of; other bytes come back as they are.
func FuzzInput(f *testing.F) {
	for _, s := range []string{"", "a\nb", `{"input":1}`, "\xff", `{"input":"x","y":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, _ := json.Marshal(map[string]string{"input": s})
		if got := Input(args); utf8.ValidString(s) && got != s {
			t.Errorf("Input(%s) = %q, want %q", args, got, s)
		}
		if got := Input([]byte(s)); got != s && !json.Valid([]byte(s)) {
			t.Errorf("Input(%q) = %q", s, got)
		}
	})
}

// A complete answer's calls of a lowered custom tool come back custom;
// function calls and calls already custom stay as they are.
func TestRaiseResponse(t *testing.T) {
	req := customRequest()
	resp := &llm.Response{Choices: []llm.Choice{{}}}
	resp.Choices[0].Message.SetToolCalls([]llm.ToolCall{
		{ID: "a", Type: "function", Name: "apply_patch", Arguments: `{"input":"x\ny"}`},
		{ID: "b", Type: "function", Name: "f", Arguments: `{"input":"z"}`},
		{ID: "c", Type: llm.ToolCustom, Name: "apply_patch", Arguments: `{"input":"raw"}`},
	})
	shared := resp.Choices[0].Message.ToolCalls()
	RaiseResponse(resp, req)
	got := resp.Choices[0].Message.ToolCalls()
	if got[0].Type != llm.ToolCustom || got[0].Arguments != "x\ny" || got[1].Type != "function" || got[1].Arguments != `{"input":"z"}` || got[2].Arguments != `{"input":"raw"}` {
		t.Errorf("raised %+v", got)
	}
	if shared[0].Type != "function" {
		t.Error("RaiseResponse wrote through the calls it was given")
	}
	RaiseResponse(resp, &llm.Request{}) // no custom tools: nothing to do
	RaiseResponse(nil, req)
}

// A grammar whose type is spelled with a \u escape (valid JSON, which the
// lowered description reads as a grammar) is a grammar dropped too, so
// the client is told it is not enforced.
func TestGrammarDroppedEscaped(t *testing.T) {
	req := &llm.Request{Tools: []llm.Tool{{Type: llm.ToolCustom, Name: "apply_patch",
		Format: json.RawMessage(`{"type":"gr\u0061mmar","syntax":"lark","definition":"start: /x+/"}`)}}}
	if !GrammarDropped(req) {
		t.Error("GrammarDropped passes over an escaped grammar")
	}
	if low, _ := Lower(req); !strings.Contains(low.Tools[0].Description, "Lark grammar:") {
		t.Errorf("lowered description %q", low.Tools[0].Description)
	}
	req.Tools[0].Format = json.RawMessage(`{"type":"text","note":"caf\u00e9"}`)
	if GrammarDropped(req) {
		t.Error("GrammarDropped: a text format")
	}
}
