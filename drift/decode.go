package drift

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"switchyard/llm"
	"switchyard/quality"
)

// Limits of a set file, so a file cannot make the router hold unbounded
// text.
const (
	MaxSetBytes    = 8 << 20
	MaxPrompts     = 10000
	maxPromptBytes = 64 << 10
	maxErrors      = 50
)

type setDecoder struct {
	file string
	errs DecodeErrors
}

func (d *setDecoder) errorf(n ast.Node, path, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	line, col := startPosition(n)
	d.errs = append(d.errs, &DecodeError{File: d.file, Line: line, Column: col, Path: path, Problem: fmt.Sprintf(format, args...)})
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

const idHint = "1-128 letters, digits and . _ : - starting with a letter or digit"

// ParseSet decodes a golden set from YAML. file names the source in
// errors ("" for none). Decoding is strict: unknown fields, wrong types,
// duplicate ids, unknown categories or sources, regular expressions or
// schemas that do not compile, and references that fail their own
// expectation are errors; every one found (up to 50) is returned as
// DecodeErrors, each with its line and column.
func ParseSet(data []byte, file string) (*Set, error) {
	d := &setDecoder{file: file}
	if len(data) > MaxSetBytes {
		d.errorf(nil, "", "the file is %d bytes, over %d", len(data), MaxSetBytes)
		return nil, d.errs
	}
	root, err := parseYAML(data)
	if err != nil {
		err.File = file
		return nil, DecodeErrors{err}
	}
	set := d.set(root)
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return set, nil
}

// parseYAML parses one YAML document; a parser panic (its fuzzing finds
// some) is a syntax error.
func parseYAML(data []byte) (body ast.Node, derr *DecodeError) {
	defer func() {
		if r := recover(); r != nil {
			body, derr = nil, &DecodeError{Problem: fmt.Sprintf("invalid YAML: parser failed: %v", r)}
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		derr = &DecodeError{Problem: "invalid YAML"}
		if se, ok := err.(interface {
			GetMessage() string
			GetToken() *token.Token
		}); ok {
			derr.Problem = "invalid YAML: " + se.GetMessage()
			if tk := se.GetToken(); tk != nil && tk.Position != nil {
				derr.Line, derr.Column = tk.Position.Line, tk.Position.Column
			}
		}
		return nil, derr
	}
	for _, doc := range f.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		switch doc.Body.(type) {
		case *ast.CommentNode, *ast.CommentGroupNode:
			continue
		}
		if body != nil {
			line, col := position(doc.Body)
			return nil, &DecodeError{Line: line, Column: col, Problem: "more than one YAML document"}
		}
		body = doc.Body
	}
	if body == nil {
		return nil, &DecodeError{Problem: "the file is empty"}
	}
	return body, nil
}

func (d *setDecoder) set(root ast.Node) *Set {
	s := &Set{}
	kvs, _ := d.mapping(root, "")
	var promptsNode ast.Node
	for _, kv := range kvs {
		switch kv.key {
		case "name":
			s.Name = d.text(kv, "name")
			if !idRE.MatchString(s.Name) {
				d.errorf(kv.value, "name", "%q is not a set name (%s)", s.Name, idHint)
			}
		case "description":
			s.Description = d.text(kv, "description")
		case "sources":
			s.Sources = d.sources(kv)
		case "prompts":
			promptsNode = kv.keyNode
			s.Prompts = d.prompts(kv, s)
		default:
			d.errorf(kv.keyNode, kv.key, "unknown field %q (allowed: name, description, sources, prompts)", kv.key)
		}
	}
	if s.Name == "" && len(d.errs) == 0 {
		d.errorf(root, "name", "is required")
	}
	if len(s.Prompts) == 0 && len(d.errs) == 0 {
		d.errorf(promptsNode, "prompts", "at least one prompt is required")
	}
	return s
}

func (d *setDecoder) sources(kv keyValue) []Source {
	elems, _ := d.sequence(kv.value, "sources")
	var out []Source
	seen := map[string]bool{}
	for i, e := range elems {
		path := fmt.Sprintf("sources[%d]", i)
		var src Source
		fields, _ := d.mapping(e, path)
		for _, f := range fields {
			p := join(path, f.key)
			switch f.key {
			case "id":
				src.ID = d.text(f, p)
			case "name":
				src.Name = d.text(f, p)
			case "license":
				src.License = d.text(f, p)
			case "url":
				src.URL = d.text(f, p)
			case "note":
				src.Note = d.text(f, p)
			default:
				d.errorf(f.keyNode, p, "unknown field %q (allowed: id, name, license, url, note)", f.key)
			}
		}
		switch {
		case !idRE.MatchString(src.ID):
			d.errorf(e, path+".id", "%q is not a source id (%s)", src.ID, idHint)
		case seen[src.ID]:
			d.errorf(e, path+".id", "duplicate source id %q", src.ID)
		case src.Name == "":
			d.errorf(e, path+".name", "is required")
		}
		seen[src.ID] = true
		out = append(out, src)
	}
	return out
}

func (d *setDecoder) prompts(kv keyValue, s *Set) []Prompt {
	elems, _ := d.sequence(kv.value, "prompts")
	if len(elems) > MaxPrompts {
		d.errorf(kv.value, "prompts", "%d prompts, over %d", len(elems), MaxPrompts)
		return nil
	}
	out := make([]Prompt, 0, len(elems))
	seen := map[string]int{}
	for i, e := range elems {
		path := fmt.Sprintf("prompts[%d]", i)
		p := d.prompt(e, path, s)
		if p == nil {
			continue
		}
		if line, dup := seen[p.ID]; dup {
			d.errorf(e, path+".id", "duplicate prompt id %q, first at line %d", p.ID, line)
			continue
		}
		seen[p.ID] = p.Line
		out = append(out, *p)
	}
	return out
}

// categories are the names a prompt's category may take.
var categories = func() []string {
	out := make([]string, len(llm.Categories))
	for i, c := range llm.Categories {
		out[i] = string(c)
	}
	return out
}()

func (d *setDecoder) prompt(n ast.Node, path string, s *Set) *Prompt {
	before := len(d.errs)
	p := &Prompt{Line: startLine(n)}
	var single, system string
	var hasPrompt, hasMessages, hasFormat bool
	var expectNode ast.Node
	fields, _ := d.mapping(n, path)
	for _, f := range fields {
		fp := join(path, f.key)
		switch f.key {
		case "id":
			p.ID = d.text(f, fp)
		case "category":
			p.Category = llm.Category(d.text(f, fp))
			if !slices.Contains(categories, string(p.Category)) {
				d.errorf(f.value, fp, "unknown category %q (one of %s)", p.Category, strings.Join(categories, ", "))
			}
		case "source":
			p.Source = d.text(f, fp)
			if !slices.ContainsFunc(s.Sources, func(src Source) bool { return src.ID == p.Source }) {
				d.errorf(f.value, fp, "unknown source %q (list it under sources: before the prompts)", p.Source)
			}
		case "prompt":
			single, hasPrompt = d.text(f, fp), true
		case "system":
			system = d.text(f, fp)
		case "messages":
			p.Messages, hasMessages = d.messages(f, fp), true
		case "format":
			hasFormat = true
			p.Format = llm.ResponseFormatType(d.text(f, fp))
			if p.Format == llm.FormatText {
				p.Format = ""
			} else if p.Format != llm.FormatJSONObject && p.Format != llm.FormatJSONSchema {
				d.errorf(f.value, fp, "unknown format %q (text, json_object or json_schema)", p.Format)
			}
		case "max_tokens":
			if v, ok := d.number(f, fp); ok {
				if v != float64(int(v)) || v < 1 || v > 100000 {
					d.errorf(f.value, fp, "must be a whole number from 1 to 100000")
				}
				p.MaxTokens = int(v)
			}
		case "expect":
			expectNode = f.keyNode
			p.Expect = d.expect(f, fp)
		case "reference":
			p.Reference = d.text(f, fp)
		case "tags":
			p.Tags = d.strings(f, fp)
		default:
			d.errorf(f.keyNode, fp, "unknown field %q (allowed: id, category, source, prompt, system, messages, format, max_tokens, expect, reference, tags)", f.key)
		}
	}
	switch {
	case !idRE.MatchString(p.ID):
		d.errorf(n, path+".id", "%q is not a prompt id (%s)", p.ID, idHint)
	case p.Category == "":
		d.errorf(n, path+".category", "is required (one of %s)", strings.Join(categories, ", "))
	case hasPrompt == hasMessages:
		d.errorf(n, path, "give exactly one of prompt (one user message) or messages")
	case expectNode == nil:
		d.errorf(n, path+".expect", "is required")
	}
	if hasPrompt {
		p.Messages = []Message{{Role: llm.RoleUser, Content: single}}
	}
	if system != "" {
		p.Messages = append([]Message{{Role: llm.RoleSystem, Content: system}}, p.Messages...)
	}
	if len(d.errs) > before {
		return nil
	}
	d.checkPrompt(n, path, p, hasFormat)
	if len(d.errs) > before {
		return nil
	}
	return p
}

// checkPrompt checks what spans fields: the conversation, the format and
// the reference answer.
func (d *setDecoder) checkPrompt(n ast.Node, path string, p *Prompt, hasFormat bool) {
	size := 0
	for _, m := range p.Messages {
		size += len(m.Content)
	}
	switch {
	case len(p.Messages) == 0 || p.Messages[len(p.Messages)-1].Role != llm.RoleUser:
		d.errorf(n, path, "the conversation must end with a user message")
	case strings.TrimSpace(p.Messages[len(p.Messages)-1].Content) == "":
		d.errorf(n, path, "the user message is empty")
	case size > maxPromptBytes:
		d.errorf(n, path, "the prompt is %d bytes, over %d", size, maxPromptBytes)
	}
	if !hasFormat && p.Expect.Kind == KindJSONSchema {
		p.Format = llm.FormatJSONSchema
	}
	if p.Format == llm.FormatJSONSchema && p.Expect.Kind != KindJSONSchema {
		d.errorf(n, path+".format", "json_schema needs a json_schema expectation (its schema is the one asked for)")
	}
	if p.Reference != "" {
		ans := Answer{Text: p.Reference, Refusal: quality.IsRefusal(p.Reference)}
		if !p.Expect.Passes(ans) {
			d.errorf(n, path+".reference", "the reference answer does not pass the prompt's %s expectation", p.Expect.Kind)
		}
	}
}

func (d *setDecoder) messages(kv keyValue, path string) []Message {
	elems, _ := d.sequence(kv.value, path)
	out := make([]Message, 0, len(elems))
	for i, e := range elems {
		mp := fmt.Sprintf("%s[%d]", path, i)
		var m Message
		fields, _ := d.mapping(e, mp)
		for _, f := range fields {
			switch f.key {
			case "role":
				m.Role = llm.Role(d.text(f, join(mp, "role")))
				if m.Role != llm.RoleUser && m.Role != llm.RoleAssistant && m.Role != llm.RoleSystem {
					d.errorf(f.value, join(mp, "role"), "unknown role %q (user, assistant or system)", m.Role)
				}
			case "content":
				m.Content = d.text(f, join(mp, "content"))
			default:
				d.errorf(f.keyNode, join(mp, f.key), "unknown field %q (allowed: role, content)", f.key)
			}
		}
		if m.Role == "" {
			d.errorf(e, mp+".role", "is required")
		}
		out = append(out, m)
	}
	return out
}

// LoadSet reads and decodes the set file at path (ParseSet).
func LoadSet(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSet(data, path)
}
