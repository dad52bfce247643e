// Package drift watches whether deployments keep answering as well as they
// did: golden prompt sets with checkable expectations run against each
// deployment through the real provider adapters, on a schedule with a
// daily spending cap; each run is compared with the deployment's baseline
// by exact and rank tests (drift/stats), with the false discovery rate
// controlled across deployments and metrics and an alarm budget for
// repeated looks; the same tests watch live traffic per routing path from
// the stored quality signals. A significant change raises an alert (a log
// line, a metric, an optional webhook) and, when configured, demotes the
// deployment for the affected categories until a later run is clean.
package drift

import (
	"encoding/json"
	"regexp"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"switchyard/llm"
)

// Set is a golden prompt set: prompts with the answer each must get.
type Set struct {
	// Name identifies the set in config, storage and alerts.
	Name        string
	Description string
	// Sources name where the prompts come from (a prompt's Source is one
	// of their IDs).
	Sources []Source
	Prompts []Prompt
}

// Source is one origin of a set's prompts: a public data set or text
// written for the set.
type Source struct {
	ID, Name, License, URL string
	// Note says how the prompts were taken or written.
	Note string
}

// Message is one turn of a golden conversation.
type Message struct {
	Role    llm.Role
	Content string
}

// DefaultMaxTokens bounds the answer of a prompt that sets no max_tokens:
// enough for every starter prompt's answer, small enough to cap a run's
// cost.
const DefaultMaxTokens = 512

// Prompt is one golden prompt.
type Prompt struct {
	// ID is unique within the set.
	ID string
	// Category is one of llm.Categories: demotions and per-category tests
	// use it.
	Category llm.Category
	// Source is the ID of one of the set's Sources; empty for none.
	Source string
	// Messages is the conversation sent, ending with a user turn (a
	// prompt: field is one user message); a system: field is a first
	// system message.
	Messages []Message
	// Format is the response format asked for: "" (text),
	// llm.FormatJSONObject, or llm.FormatJSONSchema (with the schema of
	// Expect, which must be a json_schema expectation).
	Format llm.ResponseFormatType
	// MaxTokens bounds the answer; zero means DefaultMaxTokens.
	MaxTokens int
	Expect    Expectation
	// Reference is an answer that passes Expect (checked when the set is
	// decoded): what a right answer looks like, and what the simulated
	// models say when they answer right. Empty for none.
	Reference string
	Tags      []string
	// Line is where the prompt starts in its file (0 when built in Go).
	Line int
}

// Kind is what an expectation checks.
type Kind string

// The expectation kinds.
const (
	// KindExact: the answer, trimmed of white space, surrounding quotes
	// or backticks and a final period, equals Text (case-insensitively
	// unless CaseSensitive).
	KindExact Kind = "exact"
	// KindContains: the answer contains every string of All, each as
	// whole words (case-insensitively unless CaseSensitive).
	KindContains Kind = "contains"
	// KindRegex: the regular expression Text (RE2 syntax) matches the
	// answer.
	KindRegex Kind = "regex"
	// KindJSONSchema: the answer, less a Markdown code fence, is JSON
	// valid against Schema (draft 2020-12 unless it names another;
	// "const" pins a value).
	KindJSONSchema Kind = "json_schema"
	// KindNumber: the last number the answer states (digits, optional
	// sign, thousands commas and decimals) is within Tolerance of Number.
	KindNumber Kind = "number"
	// KindRefuses: the answer is a refusal (quality.IsRefusal, the
	// provider's refusal field, or a content-filter stop).
	KindRefuses Kind = "refuses"
	// KindNotRefuses: the answer is no refusal and has text.
	KindNotRefuses Kind = "not_refuses"
)

// Kinds lists the expectation kinds in the order the docs give them.
var Kinds = []Kind{KindExact, KindContains, KindRegex, KindJSONSchema, KindNumber, KindRefuses, KindNotRefuses}

// Expectation is what makes an answer right.
type Expectation struct {
	Kind Kind
	// Text is the exact answer or the regular expression.
	Text string
	// All are the strings a contains expectation needs.
	All []string
	// CaseSensitive makes exact and contains compare case.
	CaseSensitive bool
	// Schema is the JSON Schema of a json_schema expectation.
	Schema json.RawMessage
	// Number and Tolerance are a number expectation's value and the
	// largest absolute difference that passes (zero: exactly).
	Number, Tolerance float64

	re     *regexp.Regexp
	schema *jsonschema.Schema
}

// Request returns the chat request the prompt sends: its conversation,
// its max tokens, and its response format (a json_schema one named
// "golden" with the expectation's schema).
func (p *Prompt) Request() *llm.Request {
	req := &llm.Request{Messages: make([]llm.Message, len(p.Messages))}
	for i, m := range p.Messages {
		req.Messages[i] = llm.TextMessage(m.Role, m.Content)
	}
	maxTokens := p.MaxTokens
	if maxTokens == 0 {
		maxTokens = DefaultMaxTokens
	}
	req.MaxTokens = &maxTokens
	switch p.Format {
	case llm.FormatJSONObject:
		req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONObject}
	case llm.FormatJSONSchema:
		req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "golden", Schema: p.Expect.Schema}
	}
	return req
}

// LastUserMessage returns the text of the prompt's final user message.
func (p *Prompt) LastUserMessage() string {
	if len(p.Messages) == 0 {
		return ""
	}
	return p.Messages[len(p.Messages)-1].Content
}

// Categories returns the categories the set's prompts cover, in
// llm.Categories order.
func (s *Set) Categories() []llm.Category {
	var out []llm.Category
	for _, c := range llm.Categories {
		for i := range s.Prompts {
			if s.Prompts[i].Category == c {
				out = append(out, c)
				break
			}
		}
	}
	return out
}
