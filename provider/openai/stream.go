package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strconv"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/sse"
	"switchyard/provider/thinking"
	"switchyard/provider/toolname"
	"switchyard/wire/completions"
	wire "switchyard/wire/openai"
)

// Stream sends a streamed chat completion. It asks the upstream for the
// final usage chunk (stream_options.include_usage), whatever the caller
// asked, so cost accounting sees usage (except Mistral's API, which
// refuses the member and sends usage unasked: asksUsage); the gateway
// decides whether the client gets it. The status is checked before Stream returns, so
// failures before the first byte are ordinary errors: non-2xx statuses as
// provider.ErrorFromResponse maps them (with the upstream's error code
// kept), a JSON or HTML answer as the error it holds or a malformed
// response. The stream is a provider.EventStream: it ends with io.EOF after
// "data: [DONE]" or at a clean end of body after every choice's
// finish_reason. "[DONE]" after a choice that made tool calls without a
// finish_reason gives it tool_calls (inferFinish); a body that ends
// without "[DONE]" before every finish_reason is a cut stream (a
// retryable upstream error), as is "[DONE]" before any of the answer or
// after text without its finish_reason.
//
// A request for the Responses API (UsesResponses) is sent there instead
// (responses.go). A legacy completion meant for a completions-only model
// (req.Completion.Native) is sent to its completions endpoint instead,
// and its text_completion events read as chunks.
//
// Function names longer than OpenAI takes go short (toolname.Shorten)
// and come back as the client's.
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	req, names := toolname.Shorten(req, toolname.OpenAIMax)
	s, err := c.stream(ctx, req)
	if err != nil {
		return nil, err
	}
	return toolname.Restore(s, names), nil
}

// stream is Stream of a request whose function names fit.
func (c *Client) stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	if c.UsesResponses(req) {
		return c.streamResponses(ctx, req)
	}
	op, dec := "chat/completions", &decoder{name: c.name, log: c.log, longWrites: req.AsksCache12h() && wire.ExplicitCacheModel(req.ModelID())}
	encode := func() ([]byte, error) { return c.encodeChat(req, true) }
	if req.Completion != nil && req.Completion.Native {
		op, dec.native = "completions", true
		encode = func() ([]byte, error) { return c.encodeCompletion(req) }
	} else {
		c.chatThinking(ctx, req, dec)
		dec.tags = newThinkTags(req)
	}
	call := provider.NewCall(ctx)
	resp, err := c.post(call.Context(), op, req.Model, encode, true)
	if err == nil && !provider.IsEventStream(resp) {
		// One JSON document: an error in OpenAI's shape, or a server that
		// ignored "stream"; or an HTML page from a proxy.
		err = provider.NotAStream(c.name, c.secrets, resp, wire.DecodeStreamError)
	}
	if err != nil {
		call.End()
		return nil, err
	}
	return provider.NewEventStream(ctx, call, c.name, c.secrets, resp.Body, dec, c.log), nil
}

// encodeCompletion encodes a legacy completion for a completions-only
// model's own endpoint.
func (c *Client) encodeCompletion(req *llm.Request) ([]byte, error) {
	body, err := completions.EncodeUpstream(req)
	if err != nil {
		return nil, c.encodeError(llm.Wrap(llm.KindInvalidRequest, err, err.Error()))
	}
	return body, nil
}

// encodeChat encodes req for the upstream with streaming set as asked
// (the codec writes stream and stream_options from the typed fields, never
// from Extra), naming the token limit max_completion_tokens where the
// upstream wants that: api.openai.com, recent Azure versions, and any
// host for a reasoning model of OpenAI's, which refuses max_tokens. For
// such a model the sampling hints it would refuse are dropped
// (wire.DropFixedSampling), as Anthropic's adapter drops those thinking
// refuses. A Mistral model gets tool call ids it takes
// (wire.MistralToolIDs), a Grok model names on user messages alone
// (wire.GrokNames), a DeepSeek model in thinking mode (or any
// deployment configured so) reasoning_content on its assistant messages
// (wire.SendsReasoningContent), a MiniMax-M2 model (or any set
// reasoning_content: tags) that reasoning in its content between <think>
// tags (wire.SendsThinkTags), a Qwen model its thinking switch where
// the host takes one (wire.SetQwenThinking: a non-streamed call to
// DashScope is sent enable_thinking false, which it requires), a host
// that takes content only as a string its text so (sendsStringContent);
// Mistral's API no stream_options (asksUsage) and no metadata, which it
// refuses (mistral.go), nor, with Groq's and NVIDIA's, OpenAI's
// bookkeeping members (bookkeeping.go).
// The service tier is left out for an upstream
// that does not take it.
func (c *Client) encodeChat(req *llm.Request, stream bool) ([]byte, error) {
	r := *req
	r.Stream = stream
	r.IncludeUsage = stream && c.asksUsage(&r)
	if !c.serviceTier {
		r.ServiceTier = ""
	}
	if c.mistral {
		r.Metadata = nil
	}
	if !c.openRouter { // OpenRouter's reasoning object: its meaning is in Reasoning
		r.OpenRouterReasoning = nil
	}
	if c.strictMembers {
		r.Extra = withoutBookkeeping(r.Extra)
	}
	wire.DropFixedSampling(&r)
	wire.SetQwenThinking(&r, c.thinkingSwitch)
	if wire.MistralModel(r.ModelID()) {
		r.Messages = wire.MistralToolIDs(r.Messages)
	} else if wire.GrokModel(r.ModelID()) {
		r.Messages = wire.GrokNames(r.Messages)
	}
	if wire.SendsThinkTags(&r) {
		r.Messages = wire.ThinkTagsBack(r.Messages)
	}
	opts := wire.ChatOptions{ReasoningContent: wire.SendsReasoningContent(&r), ThoughtSignatures: c.sendsSignatures(&r),
		ReasoningDetails: c.sendsDetails(&r), StringContent: c.sendsStringContent(&r), AllowedTools: c.allowedTools}
	completionTokens := c.completionTokens || wire.SamplingOf(r.ModelID()) != wire.SamplingAny
	if _, set := r.Extra[wire.ExtraMaxCompletionTokens]; completionTokens && r.MaxTokens != nil && !set {
		r.Extra = maps.Clone(r.Extra)
		if r.Extra == nil {
			r.Extra = make(map[string]json.RawMessage, 1)
		}
		r.Extra[wire.ExtraMaxCompletionTokens] = json.RawMessage(strconv.Itoa(*r.MaxTokens))
	}
	body, err := wire.EncodeChatRequestWith(&r, opts)
	if err != nil {
		return nil, c.encodeError(err)
	}
	return body, nil
}

// encodeError stamps a failure to encode a request (invalid raw JSON in
// Extra, tool parameters or schemas) with the provider name.
func (c *Client) encodeError(err error) *llm.Error {
	e := llm.AsError(err)
	e.Provider = c.name
	return e
}

// decoder is the provider.Decoder of chat.completion.chunk events.
type decoder struct {
	prev *llm.Chunk // the last chunk returned; the next shares its repeated strings
	// first is the state of choice 0, the only one of nearly every stream
	// (kept out of the map, which would be an allocation per stream).
	first choiceState
	// open maps each other choice index seen to whether it is still open
	// (no finish_reason yet).
	open map[int]bool
	// native reads a completions endpoint's text_completion events.
	native bool
	// longWrites reports a request that asked its breakpoints to live 12
	// hours, of a model that takes it: its cache writes are counted as
	// 12-hour ones (Usage.CacheWrite1hTokens), which Chat Completions'
	// usage does not tell apart.
	longWrites bool
	// keep keeps the answer's thinking under its tool calls and drops it
	// from the stream unless the client shows it; nil keeps none
	// (chatThinking).
	keep *thinking.Keeper
	// hide drops the thinking when nothing keeps it and the client does
	// not show it.
	hide bool
	// signatures keeps the thought signatures of the answer's tool calls
	// in scope, for a host that wants them back (keepSignatures); nil
	// keeps none.
	signatures *thinking.Memory
	scope      string
	// sigModel made the answer's signatures, for a host that wants them
	// back (llm.SignatureModelID): each call is marked with it.
	sigModel string
	// details merges the stream's reasoning_details into a block on
	// the answer, for a host that writes them (addDetails); nil merges
	// none.
	details *detailsState
	// tags splits the <think> block that opens the content into the
	// thinking (think_tags.go); nil splits none.
	tags *thinkTags
	// slots places the tool call fragments of each choice by their
	// call's id (tool_slots.go); nil until a fragment comes.
	slots map[int]*toolSlots
	// name and log say where a finish_reason was inferred (inferFinish);
	// a nil log is slog.Default().
	name string
	log  *slog.Logger
	// answered reports a chunk that carried some of the answer.
	answered bool
}

// choiceState is whether a choice was seen, and whether it is finished.
type choiceState uint8

const (
	choiceUnseen choiceState = iota
	choiceOpen
	choiceFinished
)

// Event implements provider.Decoder. Events that carry neither choices nor
// usage (Azure's prompt_filter_results preamble) yield nothing, nor do
// Azure's Asynchronous Filter annotations but the finish of a choice the
// filter cut (azureAnnotation); an error object in the stream is the
// *llm.Error it describes.
func (d *decoder) Event(ev sse.Event, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	data := bytes.TrimSpace(ev.Data)
	if len(data) == 0 {
		return out, false, nil
	}
	if string(data) == "[DONE]" {
		if !d.complete() {
			var begun bool
			if out, begun = d.inferFinish(out); !begun {
				return out, false, cutError("upstream stream sent [DONE] before the answer's finish_reason", errDoneEarly)
			}
		}
		d.keepThinking()
		return out, true, nil
	}
	if wire.MayHoldStreamError(data) {
		if e := wire.DecodeStreamError(data); e != nil {
			return out, false, e
		}
	}
	var ch *llm.Chunk
	var err error
	if d.native {
		ch, err = completions.DecodeUpstreamChunk(data)
	} else {
		ch, err = wire.DecodeChunkAfter(data, d.prev)
	}
	if err != nil {
		return out, false, provider.BadEvent(fmt.Errorf("openai: decode stream chunk: %w", err))
	}
	if len(ch.Choices) == 0 && ch.Usage == nil {
		return out, false, nil
	}
	if !azureAnnotation(data, ch, d.prev) {
		return out, false, nil
	}
	for i := range ch.Choices {
		c := &ch.Choices[i]
		if c.FinishReason == "null" {
			c.FinishReason = "" // the word for none, written as a string by some proxies
		}
		d.track(c.Index, c.FinishReason != "")
		d.answered = d.answered || c.Delta.Content != "" || c.Delta.Refusal != "" || len(c.Delta.ToolCalls) > 0 || c.Delta.Thinking != nil
	}
	if d.tags != nil && d.tags.split(ch) && empty(ch) {
		return out, false, nil // all of it held: the start of a tag
	}
	d.placeToolCalls(ch)
	if u := ch.Usage; u != nil && d.longWrites {
		u.CacheWrite1hTokens = u.CacheWriteTokens
	}
	d.prev = ch
	if d.sigModel != "" {
		d.keepSignatures(ch)
	}
	if d.details != nil {
		n := len(out)
		out = d.addDetails(data, ch, append(out, ch))
		pending := append([]*llm.Chunk(nil), out[n:]...)
		out = out[:n]
		for _, c := range pending {
			out = d.filterThinking(out, c)
		}
		return out, false, nil
	}
	return d.filterThinking(out, ch), false, nil
}

// track notes a chunk of choice index and whether it carried the choice's
// finish_reason.
func (d *decoder) track(index int, finish bool) {
	if index == 0 {
		if finish {
			d.first = choiceFinished
		} else if d.first == choiceUnseen {
			d.first = choiceOpen
		}
		return
	}
	if d.open == nil {
		d.open = make(map[int]bool, 1)
	}
	if finish {
		d.open[index] = false
	} else if _, seen := d.open[index]; !seen {
		d.open[index] = true
	}
}

// Finish implements provider.Decoder: a body that ends cleanly without
// "data: [DONE]" is complete when every choice begun carried its
// finish_reason.
func (d *decoder) Finish(out []*llm.Chunk) ([]*llm.Chunk, error) {
	if d.complete() {
		d.keepThinking()
		return out, nil
	}
	return out, cutError("upstream stream ended before a finish_reason", errNoFinish)
}

// complete reports whether a choice began and every choice begun carried
// its finish_reason.
func (d *decoder) complete() bool {
	complete := (d.first != choiceUnseen || len(d.open) > 0) && d.first != choiceOpen
	for _, open := range d.open {
		complete = complete && !open
	}
	return complete
}

// cutError is a stream that ended, by its body's end or by "[DONE]",
// before it was complete: retryable, as a cut connection is.
func cutError(msg string, cause error) *llm.Error {
	return &llm.Error{Kind: llm.KindUpstream, Message: msg, Retryable: true, Err: cause}
}

// errNoFinish and errDoneEarly are the causes of a stream cut before its
// finish_reason: by the body's end, or by "[DONE]" before any of the
// answer (an upstream that gave up before answering).
var (
	errNoFinish  = errors.New("openai: stream ended before [DONE] and before a finish_reason")
	errDoneEarly = errors.New(`openai: "data: [DONE]" before a finish_reason, with no tool call to infer it from`)
)

// ParseErrorBody implements provider.ErrorBodyParser: an error in
// OpenAI's shape.
func (d *decoder) ParseErrorBody(data []byte) *llm.Error { return wire.DecodeStreamError(data) }

var _ provider.ErrorBodyParser = (*decoder)(nil)
