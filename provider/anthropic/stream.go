package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/customtool"
	"switchyard/provider/sse"
	"switchyard/provider/thinking"
	wire "switchyard/wire/anthropic"
)

// Stream sends a streamed Messages request. The upstream's status is
// checked before Stream returns, so an error before the first byte is
// returned here (and may be retried elsewhere): statuses mapped by
// provider.ErrorFromResponse (529 overloaded → unavailable; 401/403 → a
// non-retryable upstream credential error), a JSON or HTML answer as the
// error it holds or a malformed response. Afterwards Next yields
// translated chunks and returns io.EOF after the upstream's message_stop,
// or at a clean end of body, either after the message_delta that carries
// the stop reason (a message_stop before it is a cut stream). A cut stream, an error event or a malformed one is an *llm.Error
// from Next; up to provider.MaxBadEvents undecodable events are skipped.
// Cancelling ctx ends the stream promptly. JSON-mode answers are streamed
// as the model writes them (a Markdown fence, if any, is not removed).
// The request's prompt-cache breakpoints are sent as cache_control; with
// AutoCache, a request whose client could not mark any gets those of
// wire.PlaceBreakpoints.
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	req, search, err := lowerWebSearch(req)
	if err != nil {
		return nil, err
	}
	req, custom := customtool.Lower(req)
	s, err := c.stream(ctx, req)
	if err != nil {
		return nil, err
	}
	return raiseWebSearch(customtool.Raise(s, custom), search), nil
}

// stream is Stream of a request without custom tools.
func (c *Client) stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	r := *req
	r.Stream = true
	body, err := wire.FromLLM(&r)
	if err != nil {
		return nil, c.own(err)
	}
	if c.autoCache && !req.ClientCaching {
		wire.PlaceBreakpoints(body)
	}
	call := provider.NewCall(ctx)
	resp, err := c.post(call.Context(), body, true)
	if err == nil && !provider.IsEventStream(resp) {
		err = provider.NotAStream(c.name, c.secrets, resp, parseError)
	}
	if err != nil {
		call.End()
		return nil, err
	}
	dec := &decoder{}
	dec.t.Created = time.Now().Unix()
	dec.t.Thinking = showsThinking(body, req)
	if c.keepsThinking(body) {
		dec.keep = thinking.NewKeeper(c.thoughts, thinking.Scope(ctx), dec.t.Thinking)
		dec.t.Thinking = true
	}
	// An answer with server tool blocks keeps its text blocks apart, with
	// their citations (a web search's), as Claude wrote them.
	dec.t.Citations = wire.CitationsEnabled(req) || req.AnthropicServerTools()
	dec.t.Keys = wire.PropertyKeys(req)
	return provider.NewEventStream(ctx, call, c.name, c.secrets, resp.Body, dec, c.log), nil
}

// keepsThinking reports whether the thinking of the answer to body is
// kept in the thinking memory under its tool calls' ids: the adapter has
// one, the request calls tools, and the model thinks — asked to, or
// unasked (generation 5): that thinking goes back with the tool results.
func (c *Client) keepsThinking(body *wire.MessagesRequest) bool {
	thinks := body.Thinking != nil || wire.ModelTraits(body.Model).ThinksByDefault
	return c.thoughts != nil && thinks && len(body.Tools) > 0
}

// showsThinking reports whether the answer to req, sent as body, shows
// Claude's thinking: the client asked to see it (Reasoning.Show) and
// thinking is on.
func showsThinking(body *wire.MessagesRequest, req *llm.Request) bool {
	return body.Thinking != nil && req.Reasoning != nil && req.Reasoning.Show
}

// parseError returns the error an Anthropic error body holds, or nil.
func parseError(data []byte) *llm.Error {
	obj, ok := wire.ParseError(data)
	if !ok {
		return nil
	}
	return obj.ToLLMError()
}

// decoder is the provider.Decoder of Messages stream events.
type decoder struct {
	t        wire.StreamTranslator
	finished bool             // the stop reason arrived
	keep     *thinking.Keeper // nil: the answer's thinking is not kept
}

// Event implements provider.Decoder: message_stop is the proper end after
// the message_delta that carries the stop reason, and a cut stream before
// it; an event whose JSON does not decode is a provider.BadEvent; an
// error event or events out of order end the stream.
func (d *decoder) Event(ev sse.Event, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	chunks, err := d.t.Translate(ev.Name, ev.Data)
	if err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syn) || errors.As(err, &typ) {
			return out, false, provider.BadEvent(err)
		}
		return out, false, err
	}
	for _, ch := range chunks {
		for i := range ch.Choices {
			d.finished = d.finished || ch.Choices[i].FinishReason != ""
		}
	}
	if d.t.Done() && !d.finished {
		return out, false, llm.Wrap(llm.KindUpstream, fmt.Errorf("%w: %w", wire.ErrPrematureEnd, errors.New("message_stop before the stop reason")),
			"upstream stream sent message_stop before a stop reason")
	}
	if d.keep != nil {
		chunks = d.keep.Filter(chunks)
		if d.t.Done() {
			d.keep.Keep()
		}
	}
	return append(out, chunks...), d.t.Done(), nil
}

// Finish implements provider.Decoder: a body that ends cleanly after the
// stop reason but without message_stop is complete, and its usage chunk
// is the one message_stop would have yielded.
func (d *decoder) Finish(out []*llm.Chunk) ([]*llm.Chunk, error) {
	if !d.finished {
		return out, llm.Wrap(llm.KindUpstream, fmt.Errorf("%w: %w", wire.ErrPrematureEnd, errors.New("no stop reason")),
			"upstream stream ended before message_stop")
	}
	chunks, err := d.t.Translate(wire.EventMessageStop, []byte(`{"type":"message_stop"}`))
	if d.keep != nil && err == nil {
		chunks = d.keep.Filter(chunks)
		d.keep.Keep()
	}
	return append(out, chunks...), err
}

// ParseErrorBody implements provider.ErrorBodyParser.
func (d *decoder) ParseErrorBody(data []byte) *llm.Error { return parseError(data) }

var _ provider.ErrorBodyParser = (*decoder)(nil)
