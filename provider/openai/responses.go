package openai

import (
	"context"
	"errors"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/sse"
	"switchyard/provider/thinking"
	wire "switchyard/wire/openai"
	"switchyard/wire/responses"
)

// This file is the adapter's Responses API mode: a chat request for a
// model OpenAI serves only on the Responses API (wire.ResponsesOnly), one
// only that API serves (wire.CallsResponses: ultrafast, hosted tools, a
// file other than a PDF by its bytes, function tools at a reasoning
// effort Chat Completions refuses), or one
// for a deployment configured api: responses, is sent to POST
// /responses (switchyard/wire/responses encodes it and reads the events
// back), streamed like every other. OpenAI's reasoning items come back
// as thinking blocks (llm.OpenAIReasoning) that a client able to keep
// thinking sends back, and that the thinking memory keeps under the
// answer's tool calls for one that cannot; the next turn sends them to
// the upstream again, as the API wants for a stateless (store false)
// conversation.

// UsesResponses reports whether the adapter sends req to the Responses
// API: its deployment says api responses, or says nothing (APIAuto) and,
// on an upstream with a /responses route (OpenAI-style roots:
// api.openai.com, compatible hosts, Azure's /openai/v1; not Azure's
// deployment routes), wire.CallsResponses says so: its model is served
// only there, it asks for the ultrafast tier or hosted tools, it
// carries a file other than a PDF by its bytes (wire.FilesNeedResponses:
// Chat Completions reads PDFs alone), or its
// function tools are refused on Chat Completions at its reasoning effort
// (GPT-5.6 and GPT-6 unless at effort none). A legacy completion for a
// completions-only model never is.
func (c *Client) UsesResponses(req *llm.Request) bool {
	if req.Completion != nil && req.Completion.Native {
		return false
	}
	switch req.API {
	case llm.APIResponses:
		return true
	case llm.APIChatCompletions:
		return false
	}
	return !c.deployments && wire.CallsResponses(req)
}

// streamResponses sends req to the Responses API, streamed.
func (c *Client) streamResponses(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	call := provider.NewCall(ctx)
	encode := func() ([]byte, error) { return c.encodeResponses(req, false) }
	op, header := responsesOp(req)
	resp, err := c.post(call.Context(), op, req.Model, encode, true, header...)
	if err == nil && !provider.IsEventStream(resp) {
		err = provider.NotAStream(c.name, c.secrets, resp, wire.DecodeStreamError)
	}
	if err != nil {
		call.End()
		return nil, c.noResponsesRoute(req, err)
	}
	dec := &responsesDecoder{tags: newThinkTags(req)}
	show := req.Reasoning != nil && req.Reasoning.Show
	if dec.tags != nil {
		// The reasoning the model writes in output_text (vLLM's
		// /v1/responses without a reasoning parser) is of the kind a
		// host's reasoning_content is: shown where that is.
		show = chatShowsThinking(req)
	}
	if c.thoughts != nil && len(req.Tools) > 0 {
		dec.keep = thinking.NewKeeper(c.thoughts, thinking.Scope(ctx), show)
	} else if !show {
		dec.hide = true
	}
	return provider.NewEventStream(ctx, call, c.name, c.secrets, resp.Body, dec, c.log), nil
}

// noResponsesRoute is err, the failure of req sent to /responses: with
// code llm.CodeNoResponsesRoute when it is a 404 that is not OpenAI's
// model_not_found from a compatible host (not api.openai.com, not Azure)
// to which the adapter chose to send req (its deployment's api auto).
// Hosts without that route answer so: vLLM's FastAPI server
// {"detail":"Not Found"} (vllm-project/vllm#5082), Ollama's Go router
// "404 page not found" (vybestack/llxprt-code#775), a proxy whose older
// image lacks the route while its Chat Completions work
// (MAXeaglet/commandcode-proxy#28), an HTML page or nothing. LM Studio's
// 404 for a model it does not have names model_not_found
// (letta-ai/letta#1876) and keeps its code.
func (c *Client) noResponsesRoute(req *llm.Request, err error) error {
	var e *llm.Error
	if !c.compatible || req.API != llm.APIAuto || !errors.As(err, &e) || e.Kind != llm.KindNotFound || e.Code == llm.CodeModelNotFound {
		return err
	}
	m := *e
	m.Code, m.Retryable, m.Err = llm.CodeNoResponsesRoute, false, e
	m.Message = e.Message + " (on POST /responses: the host has no /responses route)"
	return &m
}

// responsesOp is the operation req is sent to and the headers it adds:
// for a request holding a member of OpenAI's beta Responses API
// (multi_agent, moderation: llm.OpenAIHosted.Beta), the beta path its
// SDKs call (responses?beta=true) with the client's OpenAI-Beta header.
func responsesOp(req *llm.Request) (string, []string) {
	h := req.OpenAIHosted
	switch {
	case h == nil || !h.Beta:
		return "responses", nil
	case h.BetaHeader != "":
		return "responses?beta=true", []string{"OpenAI-Beta", h.BetaHeader}
	}
	return "responses?beta=true", nil
}

// encodeResponses encodes req for the Responses API, streamed unless
// whole: without the service tier for an upstream that does not take
// it, without the sampling hints a reasoning model refuses, asking a
// reasoning model for its reasoning items' encrypted_content.
func (c *Client) encodeResponses(req *llm.Request, whole bool) ([]byte, error) {
	r := *req
	if !c.serviceTier {
		r.ServiceTier = ""
	}
	wire.DropFixedSampling(&r)
	body, err := responses.EncodeUpstream(&r, responses.UpstreamOptions{
		ServiceTier: c.serviceTier,
		Reasoning:   r.Reasoning != nil || wire.ReasoningModel(r.ModelID()),
		Whole:       whole,
	})
	if err != nil {
		return nil, c.encodeError(err)
	}
	return body, nil
}

// responsesDecoder is the provider.Decoder of Responses API events.
type responsesDecoder struct {
	d responses.UpstreamDecoder
	// keep keeps the answer's reasoning under its tool calls (and drops
	// it from the stream unless the client shows thinking); nil keeps
	// none.
	keep *thinking.Keeper
	// hide drops the thinking-only chunks when nothing keeps them and the
	// client does not show thinking.
	hide bool
	// tags splits the <think> block that opens the output text into the
	// thinking (think_tags.go); nil splits none.
	tags *thinkTags
}

// Event implements provider.Decoder: response.completed and
// response.incomplete are the proper end; an undecodable event is a
// provider.BadEvent; response.failed and error events end the stream
// with their error.
func (r *responsesDecoder) Event(ev sse.Event, out []*llm.Chunk) ([]*llm.Chunk, bool, error) {
	if len(ev.Data) == 0 {
		return out, false, nil
	}
	n := len(out)
	out, end, err := r.d.Event(ev.Data, out)
	if err != nil {
		if errors.Is(err, responses.ErrUpstreamEvent) {
			return out, false, provider.BadEvent(err)
		}
		return out, false, err
	}
	if r.tags != nil {
		out = splitTags(r.tags, out, n)
	}
	switch {
	case r.keep != nil:
		out = append(out[:n], r.keep.Filter(out[n:])...)
		if end {
			r.keep.Keep()
		}
	case r.hide:
		out = append(out[:n], dropThinking(out[n:])...)
	}
	return out, end, nil
}

// dropThinking returns chunks without their thinking, and without those
// that held thinking alone; a chunk whose thinking came with the role
// (the answer's first) stays, with the role.
func dropThinking(chunks []*llm.Chunk) []*llm.Chunk {
	out := chunks[:0]
	for _, ch := range chunks {
		if len(ch.Choices) == 1 && ch.Choices[0].Delta.Thinking != nil && !thinking.Strip(ch) {
			continue
		}
		out = append(out, ch)
	}
	return out
}

// Finish implements provider.Decoder: a body that ends before
// response.completed (or incomplete, or failed) is a cut stream, as a
// cut connection is (retryable).
func (r *responsesDecoder) Finish(out []*llm.Chunk) ([]*llm.Chunk, error) {
	if r.d.Done() {
		return out, nil
	}
	return out, cutError("upstream stream ended before response.completed", errNoCompleted)
}

// errNoCompleted is the cause of a Responses stream cut before its
// terminal event.
var errNoCompleted = errors.New("openai: responses stream ended before its terminal event")

// ParseErrorBody implements provider.ErrorBodyParser: an error in
// OpenAI's shape.
func (r *responsesDecoder) ParseErrorBody(data []byte) *llm.Error {
	return wire.DecodeStreamError(data)
}

var _ provider.ErrorBodyParser = (*responsesDecoder)(nil)
