// Package customtool carries OpenAI's custom tools (free-text input,
// optionally constrained by a grammar) to upstreams that have none,
// Claude's and Gemini's: Lower makes each custom tool a function tool
// with one required string parameter, input, and each custom call sent
// back a call of it; Raise turns the upstream's calls of such a function
// back into custom calls whose input is that string. The grammar is not
// enforced there: it is shown to the model in the tool's description
// (the gateway names it dropped).
package customtool

import (
	"bytes"
	"encoding/json"
	"strings"

	"switchyard/llm"
)

// maxGrammar bounds how much of a grammar's definition a lowered tool's
// description quotes: enough for the grammars clients send (Codex's
// apply_patch is about 1 KB), not a prompt's worth.
const maxGrammar = 4000

// inputSchema is the parameters of a lowered custom tool.
var inputSchema = json.RawMessage(`{"type":"object","properties":{"input":{"type":"string","description":"The tool's whole input, as free text."}},"required":["input"],"additionalProperties":false}`)

// Lower returns req with its custom tools as function tools and the
// custom calls of its messages as calls of them (arguments
// {"input": text}), and the names of the custom tools; req itself is not
// changed. When req has no custom tool and no custom call it returns req
// and nil, without allocating.
func Lower(req *llm.Request) (*llm.Request, map[string]bool) {
	if !llm.HasCustomTools(req.Tools) && !hasCustomCalls(req.Messages) {
		return req, nil
	}
	r := *req
	names := make(map[string]bool)
	r.Tools = make([]llm.Tool, len(req.Tools))
	for i, t := range req.Tools {
		if t.IsCustom() {
			names[t.Name] = true
			t = llm.Tool{Type: "function", Name: t.Name, Description: describe(&t), Parameters: inputSchema, Cache: t.Cache}
		}
		r.Tools[i] = t
	}
	r.Messages = make([]llm.Message, len(req.Messages))
	for i, m := range req.Messages {
		if calls := m.ToolCalls(); hasCustom(calls) {
			lowered := make([]llm.ToolCall, len(calls))
			for j, c := range calls {
				if c.Type == llm.ToolCustom {
					names[c.Name] = true
					args, _ := json.Marshal(struct {
						Input string `json:"input"`
					}{c.Arguments})
					c.Type, c.Arguments = "function", string(args)
				}
				lowered[j] = c
			}
			m.SetToolCalls(lowered)
		}
		r.Messages[i] = m
	}
	return &r, names
}

func hasCustomCalls(msgs []llm.Message) bool {
	for i := range msgs {
		if msgs[i].Extra != nil && hasCustom(msgs[i].ToolCalls()) {
			return true
		}
	}
	return false
}

func hasCustom(calls []llm.ToolCall) bool {
	for i := range calls {
		if calls[i].Type == llm.ToolCustom {
			return true
		}
	}
	return false
}

// describe is a lowered custom tool's description: the client's, what
// the input is, and the grammar it must match when there is one
// (truncated to maxGrammar bytes).
func describe(t *llm.Tool) string {
	var b strings.Builder
	if t.Description != "" {
		b.WriteString(t.Description)
		b.WriteString("\n\n")
	}
	b.WriteString("This tool takes free text, not JSON: put the whole of it, verbatim, in the string parameter `input`.")
	var f struct{ Type, Syntax, Definition string }
	if json.Unmarshal(t.Format, &f) != nil || f.Type != "grammar" {
		return b.String()
	}
	def := f.Definition
	if len(def) > maxGrammar {
		def = strings.ToValidUTF8(def[:maxGrammar], "") + "\n… (truncated)"
	}
	b.WriteString(" The input must match this ")
	if f.Syntax == "regex" {
		b.WriteString("regular expression:\n")
	} else {
		b.WriteString("Lark grammar:\n")
	}
	b.WriteString(def)
	return b.String()
}

// GrammarDropped reports whether req has a custom tool whose grammar an
// upstream without custom tools cannot enforce.
func GrammarDropped(req *llm.Request) bool {
	for i := range req.Tools {
		if t := &req.Tools[i]; t.IsCustom() && len(t.Format) > 0 && hasGrammar(t.Format) {
			return true
		}
	}
	return false
}

// hasGrammar reports whether a custom tool's format names a grammar: it
// says "grammar", or, holding a \u escape (which may spell the word), its
// type is one as encoding/json reads it (as describe does).
func hasGrammar(format json.RawMessage) bool {
	if bytes.Contains(format, []byte(`"grammar"`)) {
		return true
	}
	if !bytes.Contains(format, []byte(`\u`)) {
		return false
	}
	var f struct{ Type string }
	return json.Unmarshal(format, &f) == nil && f.Type == "grammar"
}
