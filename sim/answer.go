package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
)

// ToolSpec is a tool the caller offered, in wire-neutral form.
type ToolSpec struct {
	Name       string
	Parameters json.RawMessage
	// Custom marks an OpenAI custom tool, whose input is free text;
	// Format is its format (llm.Tool.Format), nil for plain text.
	Custom bool
	Format json.RawMessage
}

// Ask is a request in wire-neutral form: what a wire server extracts from
// its own request shape before asking for an Answer.
type Ask struct {
	Model  string
	System string
	// Prompt is the text of the last user turn.
	Prompt string
	// PromptTokens is the counted size of the whole prompt.
	PromptTokens int
	Tools        []ToolSpec
	// ForceTool names a function the caller forces; ToolsRequired asks for
	// any tool call; ToolsNone forbids them.
	ForceTool     string
	ToolsRequired bool
	ToolsNone     bool
	// NoParallel allows at most one tool call per answer (OpenAI
	// parallel_tool_calls: false, Anthropic disable_parallel_tool_use).
	NoParallel bool
	// ToolResult is the content of a trailing tool result, if any.
	ToolResult    string
	HasToolResult bool
	// JSON asks for a JSON object; Schema, when set, the shape to follow.
	JSON   bool
	Schema json.RawMessage
	// Fence wraps a JSON answer in a Markdown code fence (```json), as
	// models asked for JSON by prompt alone often write it.
	Fence bool
	// MaxTokens caps the output; zero means the profile's limit.
	MaxTokens int
	// Prefill is the start of the answer the caller wrote (a final
	// assistant message to continue); the answer is what follows it.
	Prefill string
}

// ToolCall is a call the simulated model makes.
type ToolCall struct {
	ID        string
	Name      string
	Arguments string
	// Custom marks a call of a custom tool: Arguments is its free-text
	// input (CustomInput).
	Custom bool
}

// Answer is what the simulated model says.
type Answer struct {
	Text string
	// Pieces is Text cut into the pieces a stream sends, in order.
	Pieces    []string
	ToolCalls []ToolCall
	// Finish is "stop", "length" or "tool_calls".
	Finish           string
	CompletionTokens int
	ReasoningTokens  int
}

var fillers = []string{
	"Here is a concise answer.", "The key point is simple.", "Consider the main factors first.",
	"In short, it depends on the context.", "This follows from the question directly.",
	"A careful reading suggests one clear option.", "Several details support this.",
	"That is the most likely explanation.", "Each step builds on the previous one.",
}

// Respond generates the deterministic answer of p to a: a call of the
// forced tool, or (unless tools are forbidden or a tool result is being
// answered) of every tool the prompt names, in the order they were
// offered (only the first with NoParallel), or of the first tool when one
// is required; otherwise JSON when asked (following Schema, never cut short),
// a comment on the tool result, or prose, cut to the token limit with
// Finish "length". Behavior.Respond shapes it further (knowledge, drift).
func (p *Profile) Respond(a Ask) Answer { return p.respond(a, shape{}) }

// respond is Respond shaped by sh.
func (p *Profile) respond(a Ask, sh shape) Answer {
	limit := p.MaxOutput()
	if a.MaxTokens > 0 && a.MaxTokens < limit {
		limit = a.MaxTokens
	}
	var ans Answer
	if !sh.refuse && !a.ToolsNone && len(a.Tools) > 0 {
		if tools := pickTools(a); len(tools) > 0 {
			for _, t := range tools {
				call := ToolCall{
					ID:        "call_" + shortHash(a.Model+a.Prompt+t.Name),
					Name:      t.Name,
					Arguments: string(ExampleJSON(t.Parameters)),
				}
				if t.Custom {
					call.Arguments, call.Custom = CustomInput(t), true
				}
				ans.ToolCalls = append(ans.ToolCalls, call)
				ans.CompletionTokens += CountTokens(call.Arguments) + 5
			}
			ans.Finish = "tool_calls"
			return ans
		}
	}
	structured := a.JSON && !sh.refuse
	switch {
	case sh.refuse:
		ans.Text = refusal(a)
	case a.JSON && a.Fence:
		ans.Text = "```json\n" + string(jsonAnswer(a, sh.core)) + "\n```"
	case a.JSON:
		ans.Text = string(jsonAnswer(a, sh.core))
	case a.HasToolResult:
		ans.Text = padded("Based on the tool result: "+truncate(a.ToolResult, 200), hash(a.ToolResult), 0, sh)
	case a.Prefill != "":
		ans.Text = p.continueAnswer(a, sh)
	case sh.bare:
		ans.Text = strings.TrimSpace(sh.core)
	case sh.core != "":
		ans.Text = p.knownProse(a, sh)
	default:
		ans.Text = p.prose(a, sh)
	}
	ans.Pieces = Split(ans.Text)
	ans.Finish = "stop"
	if len(ans.Pieces) > limit && !structured {
		ans.Pieces = ans.Pieces[:limit]
		ans.Text = strings.Join(ans.Pieces, "")
		ans.Finish = "length"
	}
	ans.CompletionTokens = len(ans.Pieces)
	if p.Reasoning {
		ans.ReasoningTokens = int(math.Round(float64(16+len(a.Prompt)%48) * sh.factor()))
		ans.CompletionTokens += ans.ReasoningTokens
	}
	return ans
}

// pickTools returns the tools the answer calls: the forced one, else those
// the prompt names (the first only with NoParallel), else the first when
// a call is required. Answering a tool result it calls none, unless a call
// is forced or required: then, as the real APIs do (a tool_choice that
// forces a call forces it on every turn, the loop agent frameworks break
// by resetting it: openai/openai-agents-python#263), the forced tool, or
// the first the prompt does not name (those it names were called), else
// the first.
func pickTools(a Ask) []ToolSpec {
	if a.HasToolResult && a.ForceTool == "" {
		if !a.ToolsRequired {
			return nil
		}
		prompt := strings.ToLower(a.Prompt)
		for _, t := range a.Tools {
			if !named(prompt, t.Name) {
				return []ToolSpec{t}
			}
		}
		return a.Tools[:1]
	}
	if a.ForceTool != "" {
		for _, t := range a.Tools {
			if t.Name == a.ForceTool {
				return []ToolSpec{t}
			}
		}
		return nil
	}
	var picked []ToolSpec
	prompt := strings.ToLower(a.Prompt)
	for _, t := range a.Tools {
		if named(prompt, t.Name) {
			picked = append(picked, t)
			if a.NoParallel {
				break
			}
		}
	}
	if len(picked) == 0 && a.ToolsRequired && len(a.Tools) > 0 {
		picked = a.Tools[:1]
	}
	return picked
}

// named reports whether the lowercased prompt names the tool name (its
// underscores read as spaces too), in any case. The caller lowercases the
// prompt once: once per tool made many tools and a long prompt cost their
// product.
func named(lower, name string) bool {
	name = strings.ToLower(name)
	return strings.Contains(lower, name) || strings.Contains(lower, strings.ReplaceAll(name, "_", " "))
}

// prose is the answer to a prompt the knowledge base does not know: the
// model names itself and the question, then says a few filler sentences.
func (p *Profile) prose(a Ask, sh shape) string {
	h := hash(a.Model + "\x00" + a.Prompt)
	head := fmt.Sprintf("This is %s answering: %q.", p.Model, truncate(a.Prompt, 60))
	return padded(head, h, 2+int(h%5), sh)
}

// jsonAnswer is the JSON text of an answer: core when it is a JSON object
// (compacted), {"answer": core} for another core, else a value of the
// schema asked for or {"answer": the prompt}.
func jsonAnswer(a Ask, core string) []byte {
	if core != "" {
		var b bytes.Buffer
		if json.Compact(&b, []byte(core)) == nil && b.Bytes()[0] == '{' {
			return b.Bytes()
		}
		out, _ := json.Marshal(map[string]string{"answer": core})
		return out
	}
	if len(a.Schema) > 0 {
		return ExampleJSON(a.Schema)
	}
	b, _ := json.Marshal(map[string]string{"answer": truncate(a.Prompt, 80)})
	return b
}

// Split cuts text into stream pieces of about one token each (a word with
// its leading space).
func Split(text string) []string {
	var out []string
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i] == ' ' && text[i-1] != ' ' {
			out = append(out, text[start:i])
			start = i
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// CountTokens estimates the tokens of s (about four bytes a token).
func CountTokens(s string) int {
	if s == "" {
		return 0
	}
	return (len(s) + 3) / 4
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // do not cut inside a UTF-8 sequence
		n--
	}
	return s[:n] + "…"
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func shortHash(s string) string { return fmt.Sprintf("%016x", hash(s))[:12] }

// ID returns a deterministic id with prefix for seed.
func ID(prefix, seed string) string { return prefix + shortHash(seed) }

// reasoningScale is how much more a reasoning model thinks at an effort
// level than at medium, its default.
var reasoningScale = map[string]float64{"none": 0, "minimal": 0.25, "low": 0.5, "medium": 1, "high": 2, "xhigh": 3, "max": 4}

// WithinBudget returns ans bounded by max output tokens that count its
// reasoning too, as OpenAI's max_completion_tokens and max_output_tokens
// do: the reasoning is spent first, the visible pieces keep what is left,
// finish "length" when any was cut; a budget the reasoning spends whole
// leaves no text (and no tool call). max 0 (none), an answer without
// reasoning, or one within max is returned unchanged.
func (ans Answer) WithinBudget(max int) Answer {
	if max <= 0 || ans.ReasoningTokens == 0 || ans.CompletionTokens <= max {
		return ans
	}
	if ans.ReasoningTokens >= max {
		ans.ReasoningTokens = max
		ans.Text, ans.Pieces, ans.ToolCalls = "", nil, nil
	} else if len(ans.ToolCalls) == 0 {
		keep := max - ans.ReasoningTokens
		if keep < len(ans.Pieces) {
			ans.Pieces = ans.Pieces[:keep]
			ans.Text = strings.Join(ans.Pieces, "")
		}
	}
	ans.CompletionTokens, ans.Finish = max, "length"
	return ans
}

// ScaleReasoning returns ans with its reasoning tokens (part of its
// completion tokens) scaled to the effort level: none thinks not at all,
// high twice as long as medium. An unknown level changes nothing.
func ScaleReasoning(ans Answer, effort string) Answer {
	f, ok := reasoningScale[effort]
	if !ok || ans.ReasoningTokens == 0 {
		return ans
	}
	scaled := int(math.Round(float64(ans.ReasoningTokens) * f))
	ans.CompletionTokens += scaled - ans.ReasoningTokens
	ans.ReasoningTokens = scaled
	return ans
}
