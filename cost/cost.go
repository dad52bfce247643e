// Package cost says what a request cost: each deployment's price (its
// configured price over the built-in catalog's, or explicitly unknown;
// see Resolve and docs/cost.md), the price of a usage on a deployment
// and, when an upstream reported no usage (a stream that was cut, failed
// or abandoned after it started generating), an estimate of that usage
// from the prompt and the text produced, counted with a real tokenizer.
package cost

import (
	"sync"

	"github.com/tiktoken-go/tokenizer"

	"switchyard/llm"
)

var (
	loadOnce sync.Once
	loaded   = make(chan struct{})
	codec    tokenizer.Codec
)

// startLoad builds the o200k_base codec (GPT-4o's vocabulary, embedded in
// the binary) in the background, once.
func startLoad() {
	loadOnce.Do(func() {
		go func() {
			if c, err := tokenizer.Get(tokenizer.O200kBase); err == nil {
				codec = c
			}
			close(loaded)
		}()
	})
}

// ready returns the codec if it has been built, without waiting (nil
// before then, or if it could not be built).
func ready() tokenizer.Codec {
	select {
	case <-loaded:
		return codec
	default:
		startLoad()
		return nil
	}
}

// Warm builds the vocabulary now (tens of ms) and reports whether it
// loaded; Tokens counts with it from then on.
func Warm() bool {
	startLoad()
	<-loaded
	return codec != nil
}

// Tokens returns the number of tokens in s by the o200k_base encoding:
// exact for OpenAI's current models and within a few percent for other
// families' tokenizers on ordinary text. It never waits: until the
// vocabulary is built (the first call starts that in the background; see
// Warm), or should it fail to build, it counts one token per 4 bytes. It
// is safe for concurrent use.
func Tokens(s string) int {
	if s == "" {
		return 0
	}
	if c := ready(); c != nil {
		if n, err := c.Count(s); err == nil {
			return n
		}
	}
	return (len(s) + 3) / 4
}

// PromptTokens estimates the prompt tokens of req: every message's text,
// names, refusals, images, documents and tool calls, the tools'
// definitions, plus the chat format's overheads (llm.PromptTokens), each
// text counted by Tokens.
func PromptTokens(req *llm.Request) int { return llm.PromptTokens(req, Tokens) }

// CompletionTokens estimates the tokens an answer (or the part of one an
// upstream sent before failing) holds: text, refusals and tool calls,
// each tokenized up to MaxTokenized bytes (see SampleTokens). A nil resp
// holds none.
func CompletionTokens(resp *llm.Response) int {
	if resp == nil {
		return 0
	}
	n := 0
	for i := range resp.Choices {
		m := &resp.Choices[i].Message
		n += sampled(m.Text()) + sampled(m.Refusal())
		for _, tc := range m.ToolCalls() {
			n += sampled(tc.Name) + sampled(tc.Arguments)
		}
	}
	return n
}

// sampled estimates the tokens of s, tokenizing at most MaxTokenized
// bytes of it.
func sampled(s string) int { return SampleTokens(s, len(s)) }

// Usage returns what an attempt used: the usage the upstream reported in
// partial when it did, else what it reported on the way (SoFar) with
// estimates for the rest, else an estimate marked Estimated: promptTokens
// (the caller's count of the prompt: the gateway passes the classifier's,
// which the routing decision already made, so no prompt is tokenized
// again on a request's path) plus the tokens of the text partial holds.
// Hidden reasoning tokens cannot be estimated and are missing from it.
func Usage(promptTokens int, partial *llm.Response) llm.Usage {
	if partial == nil {
		return Estimate(promptTokens, 0)
	}
	if partial.Usage != nil {
		return *partial.Usage
	}
	if partial.UsageSoFar != nil && partial.UsageSoFar.CompletionTokens > 0 {
		return *partial.UsageSoFar // the text is counted: no need to tokenize it
	}
	return SoFar(partial.UsageSoFar, promptTokens, CompletionTokens(partial))
}

// SoFar returns the usage of a stream that broke before its final usage:
// the upstream's own counts as of its last report on the way (sofar,
// llm.Chunk.UsageSoFar; nil for none) and estimates for what they do not
// count. The prompt's side is sofar's (promptTokens, the caller's count,
// only without a report); the output is sofar's when the upstream
// counted some, else completionTokens, the estimate of the text the
// stream sent. The usage is marked Estimated when an estimate is in it.
func SoFar(sofar *llm.Usage, promptTokens, completionTokens int) llm.Usage {
	if sofar == nil {
		return Estimate(promptTokens, completionTokens)
	}
	u := *sofar
	if u.CompletionTokens == 0 && completionTokens > 0 {
		u.CompletionTokens = completionTokens
		u.TotalTokens = u.PromptTokens + completionTokens
		u.Estimated = true
	}
	return u
}

// Compaction estimates, in u, the compaction of the conversation the
// upstream said Claude made without its counts (an empty u.Compaction,
// llm.Chunk.UsageSoFar: they come only at the end): its input
// promptTokens, the whole conversation the summary read, and its output
// summaryTokens, the summary's estimate (0 when it never came). u is then
// Estimated. A compaction with counts, or none, is left as it is.
func Compaction(u *llm.Usage, promptTokens, summaryTokens int) {
	if u.Compaction == nil || *u.Compaction != (llm.ModelUsage{}) {
		return
	}
	u.Compaction = &llm.ModelUsage{PromptTokens: promptTokens, CompletionTokens: summaryTokens}
	u.Estimated = true
}

// Estimate returns an estimated usage of promptTokens and
// completionTokens.
func Estimate(promptTokens, completionTokens int) llm.Usage {
	return llm.Usage{PromptTokens: promptTokens, CompletionTokens: completionTokens,
		TotalTokens: promptTokens + completionTokens, Estimated: true}
}

// Of returns the USD cost of u on d (see llm.Deployment.Cost); 0 when d's
// price is unknown, which d.PriceUnknown says.
func Of(d *llm.Deployment, u llm.Usage) float64 { return d.Cost(u) }
