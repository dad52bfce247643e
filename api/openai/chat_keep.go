package openai

import (
	"io"
	"log/slog"
	"net/http"

	"switchyard/llm"
	"switchyard/store"
	wire "switchyard/wire/openai"
)

// This file keeps a chat completion created with store true: the request's
// store and metadata are taken off what goes upstream (the router keeps
// the completion; no upstream is asked to), and once the answer is whole —
// a complete one, or a stream that ended cleanly, assembled and billed —
// it is saved as the client received it, with its cost, before its last
// bytes are written.

// chatKeeper saves one chat completion: the request's messages and
// metadata, and where.
type chatKeeper struct {
	h                  *Handler // its writeCtx bounds the save
	cs                 ChatStore
	messages, metadata []byte
}

// takeStore takes store and metadata off req and returns its keeper: nil
// when store is not true or no completion is kept now. On a bad store or
// metadata it has answered the error and returns ok false.
func (h *Handler) takeStore(w http.ResponseWriter, req *llm.Request) (keep *chatKeeper, ok bool) {
	storing, md, err := wire.TakeStore(req)
	cs := h.keepingChats()
	if err != nil || !storing || cs == nil {
		if err != nil {
			WriteError(w, err)
		}
		return nil, err == nil
	}
	messages, err := wire.StoredMessages(req)
	if err != nil {
		WriteError(w, err)
		return nil, false
	}
	return &chatKeeper{h: h, cs: cs, messages: messages, metadata: md}, true
}

// save stores object, the chat.completion id of model as the client gets
// it, bounded by the store's timeout and not cancelled by the client leaving. A
// failure is the store's to log: the answer goes on.
func (k *chatKeeper) save(r *http.Request, id, model string, object []byte) {
	ctx, cancel := k.h.writeCtx(r)
	defer cancel()
	k.cs.Save(ctx, &store.ChatCompletion{ID: id, Model: model, Object: object, Messages: k.messages, Metadata: k.metadata}) //nolint:errcheck // logged and counted by the store
}

// stream returns s, whose chunks are assembled; once it ended cleanly,
// its caller saves the answer with save (billed, so with its cost) before
// it writes [DONE].
func (k *chatKeeper) stream(r *http.Request, s llm.Stream) *keptStream {
	return &keptStream{Stream: s, k: k, r: r, max: k.h.maxAnswerBytes()}
}

// keptStream is a stream whose chunks are assembled, to be saved at its
// clean end.
type keptStream struct {
	llm.Stream
	k     *chatKeeper
	r     *http.Request
	acc   llm.Accumulator
	ended bool // io.EOF came: the stream ended cleanly
	saved bool
	// size is the answer's bytes so far (llm.AnswerBytes); past max
	// (Handler.MaxAnswerBytes, server.max_answer_bytes) the answer is no
	// longer assembled and is not saved (over): the client still gets
	// it whole, as any Chat Completions stream.
	size, max int
	over      bool
}

// Next implements llm.Stream.
func (s *keptStream) Next() (*llm.Chunk, error) {
	c, err := s.Stream.Next()
	switch {
	case err == nil && !s.over:
		if s.size += llm.AnswerBytes(c); s.size > s.max {
			s.over, s.acc = true, llm.Accumulator{} // what it held is freed
			break
		}
		s.acc.Add(c)
	case err == io.EOF:
		s.ended = true
	}
	return c, err
}

// save saves the answer of a stream that ended cleanly, once, its usage
// with cost (the served cost, "" when unknown), as a complete answer's
// is kept.
func (s *keptStream) save(cost string) {
	if !s.ended || s.saved {
		return
	}
	s.saved = true
	if s.over {
		logger := s.k.h.Logger
		if logger == nil {
			logger = slog.Default()
		}
		logger.Warn("chat completion not stored: its answer passed server.max_answer_bytes", "request_id", llm.RequestID(s.r.Context()), "limit", s.max)
		return
	}
	if resp := s.acc.Response(); resp.ID != "" { // a stream of no chunk answered nothing
		s.k.save(s.r, resp.ID, resp.Model, wire.AppendChatResponseCost(nil, resp, cost))
	}
}

// Ready implements llm.Readier, from the wrapped stream.
func (s *keptStream) Ready() bool { return llm.Ready(s.Stream) }

var _ llm.Readier = (*keptStream)(nil)
