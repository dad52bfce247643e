package anthropic

import (
	"io"
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/anthropic"
)

// stream relays a streamed answer as the Messages API's events
// (wire.StreamEncoder), flushing as they come: the events of chunks that
// arrived together go out in one write, flushed when the next has to be
// waited for. Until the first chunk the request can still fail with a
// proper HTTP error; after it, a failure ends the stream with an error
// event and no message_stop. A client that leaves ends the relay; Close
// then records the stream as abandoned, as on the OpenAI API.
//
// The served cost is known once the stream is over and billed (by Close):
// it is sent as the HTTP trailer x-switchyard-cost-usd.
//
// After the router's context edits ed (nil for none), the answer begins
// with its compaction's block, whose usage is the first usage.iterations
// entry and whose cost is added to the answer's, and message_delta
// reports its applied edits.
//
// A request with a thread (turn not nil) has its reply kept once the
// stream has ended well, before message_stop goes out; a stream cut
// before keeps nothing, as the API holds a whole reply or none, and so
// does a reply past Handler.MaxAnswerBytes (relayed whole all the same).
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides, ed *routerEdits, turn *threadTurn) {
	var served llm.Served
	s, err := h.Backend.Stream(r.Context(), req, ov, &served)
	inbound.SetServed(w.Header(), &served)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	defer func() {
		s.Close() // bills the stream: the served cost is known from then
		ed.addCost(&served)
		w.Header().Set(inbound.HeaderCost, inbound.CostValue(&served))
	}()
	inbound.BeginStream(w)
	rc := http.NewResponseController(w)
	buf := inbound.GetBuf()
	defer inbound.PutBuf(buf)
	enc := wire.StreamEncoder{RequestID: llm.RequestID(r.Context()), Model: req.Model, InputTokens: served.PromptTokens, Fallbacks: served.Fallbacks}
	if ed != nil {
		enc.Compaction, enc.ContextManagement = ed.block, ed.applied
	}
	if len(served.Fallbacks) > 0 && served.Model != "" {
		enc.Model = served.Model // the model that answered, should its chunks name none
	}
	if enc.InputTokens == 0 && h.CountTokens != nil {
		enc.InputTokens = h.CountTokens(req)
	}
	var acc *replyCopy
	if turn != nil {
		acc = &replyCopy{max: h.maxAnswerBytes()}
	}
	for {
		c, err := s.Next()
		switch {
		case err == io.EOF:
			if acc != nil && !acc.over && enc.MessageID() != "" {
				h.saveTurn(r.Context(), turn, streamedReply(&acc.acc, &enc))
			}
			*buf = enc.End(*buf, nil)
			flushOut(w, rc, buf, true)
			return
		case err != nil:
			if e := inbound.StreamEndError(r.Context(), err); e != nil {
				*buf = enc.Error(*buf, e)
				flushOut(w, rc, buf, true)
			}
			return
		}
		*buf = enc.Chunk(*buf, c)
		if acc != nil {
			acc.add(c)
		}
		if flushOut(w, rc, buf, !llm.Ready(s)) != nil {
			return // the client went away; Close cancels the upstream
		}
	}
}

// flushOut writes the events in buf, if any, and flushes when flush is
// set; buf is empty after.
func flushOut(w http.ResponseWriter, rc *http.ResponseController, buf *[]byte, flush bool) error {
	if len(*buf) > 0 {
		_, err := w.Write(*buf)
		*buf = (*buf)[:0]
		if err != nil {
			return err
		}
	}
	if flush {
		return rc.Flush()
	}
	return nil
}

// replyCopy assembles a thread's streamed reply, to be kept, at most max
// bytes of it (llm.AnswerBytes): past that the copy is dropped (over) and
// the turn is not kept, its continue a thread_not_found on which the SDKs
// replay the conversation.
type replyCopy struct {
	acc       llm.Accumulator
	size, max int
	over      bool
}

func (c *replyCopy) add(ch *llm.Chunk) {
	if c.over {
		return
	}
	if c.size += llm.AnswerBytes(ch); c.size > c.max {
		c.over, c.acc = true, llm.Accumulator{} // what it held is freed
		return
	}
	c.acc.Add(ch)
}

// maxAnswerBytes is Handler.MaxAnswerBytes, or its default.
func (h *Handler) maxAnswerBytes() int {
	if h.MaxAnswerBytes > 0 {
		return h.MaxAnswerBytes
	}
	return dispatch.DefaultMaxAnswerBytes
}
