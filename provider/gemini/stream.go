package gemini

import (
	"context"
	"encoding/json"
	"errors"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/customtool"
	"switchyard/provider/sse"
	"switchyard/provider/thinking"
	wire "switchyard/wire/gemini"
)

// Stream sends a streamGenerateContent?alt=sse request. The upstream's
// status is checked before Stream returns, so an error before the first
// byte is returned here (and may be retried elsewhere), as is a JSON or
// HTML answer (the error it holds, or a malformed response: a proxy that
// dropped alt=sse sends a JSON array). Afterwards Next yields translated
// chunks; Gemini sends no end marker, so the stream ends with io.EOF at a
// clean end of body after every candidate's finishReason, and a body that
// ends before one is cut. Up to provider.MaxBadEvents undecodable events
// are skipped. Errors are *llm.Error values.
func (c *Client) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	req, search, err := lowerWebSearch(req)
	if err != nil {
		return nil, err
	}
	req, custom := customtool.Lower(req)
	s, err := c.stream(ctx, req, search)
	if err != nil {
		return nil, err
	}
	return customtool.Raise(s, custom), nil
}

// stream is Stream of a request without custom tools; search adds
// Gemini's googleSearch for an OpenAI client's web search (lowerWebSearch).
func (c *Client) stream(ctx context.Context, req *llm.Request, search bool) (llm.Stream, error) {
	body, err := wire.FromLLM(req)
	if err != nil {
		return nil, c.own(err)
	}
	if search {
		body.Tools = append(body.Tools, wire.GoogleSearchTool)
	}
	call := provider.NewCall(ctx)
	resp, err := c.post(call.Context(), c.modelURL(req.Model, "streamGenerateContent")+"?alt=sse", body, true)
	if err == nil && !provider.IsEventStream(resp) {
		err = provider.NotAStream(c.name, c.secrets, resp, parseError)
	}
	if err != nil {
		call.End()
		return nil, err
	}
	dec := &decoder{t: wire.NewStreamTranslator(modelID(req.Model)), model: llm.SignatureModelID(req.ModelID())}
	if c.thoughts != nil && len(req.Tools) > 0 {
		dec.thoughts, dec.scope = c.thoughts, thinking.Scope(ctx)
	}
	dec.t.Names = wire.FunctionNames(req)
	dec.t.Thinking = req.Reasoning != nil && req.Reasoning.Show
	dec.t.StopSequences = len(req.Stop) > 0
	dec.t.WebSearch = search
	return provider.NewEventStream(ctx, call, c.name, c.secrets, resp.Body, dec, c.log), nil
}

// parseError returns the error a Gemini error body holds, or nil.
func parseError(data []byte) *llm.Error {
	st, ok := wire.ParseError(data)
	if !ok {
		return nil
	}
	return st.LLMError()
}

// decoder is the provider.Decoder of alt=sse events.
type decoder struct {
	t *wire.StreamTranslator
	// thoughts keeps the signatures of the answer's tool calls, in
	// scope, for the loop's next turn; nil keeps none.
	thoughts *thinking.Memory
	scope    string
	// model made the answer's signatures (llm.SignatureModelID): each
	// call is marked with it, and the memory keeps it.
	model string
}

// Event implements provider.Decoder. Gemini has no end event; an event
// whose JSON does not decode is a provider.BadEvent; an error event ends
// the stream.
func (d *decoder) Event(ev sse.Event, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	if len(ev.Data) == 0 {
		return out, false, nil
	}
	chunks, err := d.t.Translate(ev.Data)
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
			calls := ch.Choices[i].Delta.ToolCalls
			for j := range calls {
				if tc := &calls[j]; tc.Signature != "" {
					tc.SignatureModel = d.model
					d.thoughts.KeepSignature(d.scope, tc.ID, tc.Signature, d.model)
				}
			}
		}
	}
	return append(out, chunks...), false, nil
}

// Finish implements provider.Decoder: the body's end is the stream's end
// when every candidate carried a finishReason; the final chunk is the
// usage.
func (d *decoder) Finish(out []*llm.Chunk) ([]*llm.Chunk, error) {
	final, err := d.t.End()
	if final != nil {
		out = append(out, final)
	}
	return out, err
}

// ParseErrorBody implements provider.ErrorBodyParser.
func (d *decoder) ParseErrorBody(data []byte) *llm.Error { return parseError(data) }

var _ provider.ErrorBodyParser = (*decoder)(nil)
