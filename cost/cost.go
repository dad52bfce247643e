// Package cost says what a request cost: the price of a usage on a
// deployment and, when an upstream reported no usage (a stream that was
// cut, failed or abandoned after it started generating), an estimate of
// that usage from the prompt and the text produced, counted with a real
// tokenizer. A later issue adds the price catalog here.
package cost

import (
	"sync"

	"github.com/tiktoken-go/tokenizer"

	"switchyard/llm"
)

// Token overheads of OpenAI's chat format (the cookbook's counting): each
// message costs a few tokens besides its text, and the answer is primed
// with a few more. Images count a flat low-detail tile each.
const (
	perMessage = 4
	priming    = 3
	perImage   = 85
	perTool    = 8
)

var (
	codecOnce sync.Once
	codec     tokenizer.Codec
)

// load returns the o200k_base codec (GPT-4o's vocabulary, embedded in the
// binary), or nil if it could not be built.
func load() tokenizer.Codec {
	codecOnce.Do(func() {
		c, err := tokenizer.Get(tokenizer.O200kBase)
		if err == nil {
			codec = c
		}
	})
	return codec
}

// Tokens returns the number of tokens in s by the o200k_base encoding:
// exact for OpenAI's current models and within a few percent for other
// families' tokenizers on ordinary text. Should the vocabulary fail to
// load, it falls back to one token per 4 bytes. It is safe for
// concurrent use; the first call loads the vocabulary (tens of ms).
func Tokens(s string) int {
	if s == "" {
		return 0
	}
	if c := load(); c != nil {
		if n, err := c.Count(s); err == nil {
			return n
		}
	}
	return (len(s) + 3) / 4
}

// PromptTokens estimates the prompt tokens of req: every message's text,
// names, tool calls and refusals, the tools' definitions, plus the chat
// format's overheads.
func PromptTokens(req *llm.Request) int {
	n := priming
	for i := range req.Messages {
		m := &req.Messages[i]
		n += perMessage + Tokens(m.Name) + Tokens(m.Refusal)
		for j := range m.Content {
			if m.Content[j].Type == llm.PartImage {
				n += perImage
				continue
			}
			n += Tokens(m.Content[j].Text)
		}
		for _, tc := range m.ToolCalls {
			n += Tokens(tc.Name) + Tokens(tc.Arguments)
		}
	}
	for _, t := range req.Tools {
		n += perTool + Tokens(t.Name) + Tokens(t.Description) + Tokens(string(t.Parameters))
	}
	return n
}

// CompletionTokens estimates the tokens an answer (or the part of one an
// upstream sent before failing) holds: text, refusals and tool calls. A
// nil resp holds none.
func CompletionTokens(resp *llm.Response) int {
	if resp == nil {
		return 0
	}
	n := 0
	for i := range resp.Choices {
		m := &resp.Choices[i].Message
		n += Tokens(m.Text()) + Tokens(m.Refusal)
		for _, tc := range m.ToolCalls {
			n += Tokens(tc.Name) + Tokens(tc.Arguments)
		}
	}
	return n
}

// Usage returns what an attempt used: the usage the upstream reported in
// partial when it did, else an estimate from req and the text partial
// holds, marked Estimated. Hidden reasoning tokens cannot be estimated and
// are missing from an estimate.
func Usage(req *llm.Request, partial *llm.Response) llm.Usage {
	if partial != nil && partial.Usage != nil {
		return *partial.Usage
	}
	u := llm.Usage{PromptTokens: PromptTokens(req), CompletionTokens: CompletionTokens(partial), Estimated: true}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return u
}

// Of returns the USD cost of u on d.
func Of(d *llm.Deployment, u llm.Usage) float64 { return d.Cost(u) }
