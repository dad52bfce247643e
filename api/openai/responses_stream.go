package openai

import (
	"context"
	"io"
	"net/http"

	"switchyard/llm"
	"switchyard/route"
	wireresp "switchyard/wire/responses"
)

// streamResponse relays a streamed Responses request as the API's typed
// server-sent events (wireresp.Streamer), written as each chunk arrives
// and flushed unless the next chunk is already there. Until the upstream
// stream starts the request can still fail with a proper HTTP error;
// after, a failure ends the stream with response.failed and an error
// event. The client leaving ends the relay: closing the stream records
// the request as canceled, as on the chat path.
//
// The served cost is known once the stream is over and billed (by
// Close): it goes out as usage.cost in the terminal event, written after
// that, and as the HTTP trailer x-switchyard-cost-usd.
//
// A stream stored (meta.Store) is saved before its last event: the
// completed response, or a failed one with the output so far; a stream
// made in a conversation adds its items to it then (a failed one adds
// none); a stream the client left is neither.
func (h *Handler) streamResponse(w http.ResponseWriter, r *http.Request, rr *wireresp.Request, ov *route.Overrides, meta wireresp.Meta, k keeper) {
	rr.Chat.IncludeUsage = true // the usage goes in the terminal event
	var served llm.Served
	s, err := h.Backend.Stream(r.Context(), rr.Chat, ov, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, responsesError(err))
		return
	}
	hd := w.Header()
	defer func() {
		s.Close() // bills the stream: the served cost is known from here
		hd.Set(HeaderCost, costValue(&served))
	}()
	hd.Set("Trailer", HeaderCost)
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	meta.Model = answeringModel("", &served, meta.Model)
	ew := eventWriter{w: w, rc: http.NewResponseController(w), buf: getBuf()}
	defer putBuf(ew.buf)
	st := wireresp.NewStreamer(rr, meta)
	if ew.write(st.Start(*ew.buf), true) != nil {
		return
	}
	for {
		c, err := s.Next()
		if err == io.EOF {
			s.Close() // bill it now, to write the cost into the terminal event
			cost := usageCost(&served)
			k.end(r.Context(), rr, &meta, st, st.Final(cost), *ew.buf)
			ew.write(st.Finish(*ew.buf, cost), true)
			return
		}
		if err != nil {
			if e := streamEndError(r.Context(), err); e != nil {
				k.end(r.Context(), rr, &meta, st, st.Failed(e), *ew.buf)
				ew.write(st.Fail(*ew.buf, e), true)
			}
			return
		}
		if ew.write(st.Chunk(*ew.buf, c), !llm.Ready(s)) != nil {
			return // the client went away; Close cancels the upstream
		}
	}
}

// keeper is where a stream's response is kept: its conversation's items
// and the stored responses (either nil: not kept).
type keeper struct {
	rs ResponseStore
	cs ConversationStore
}

// end adds the items of out, the response a stream ends with, to its
// conversation and stores it, as meta says, before its last event is
// written, and makes that event say what was kept. scratch is a buffer to
// write the response object in. On a WebSocket connection (WithSocket)
// the response is remembered for the connection's next turn, stored or
// not.
func (k keeper) end(ctx context.Context, rr *wireresp.Request, meta *wireresp.Meta, st *wireresp.Streamer, out wireresp.Output, scratch []byte) {
	rememberStream(ctx, rr, meta, &out)
	if !meta.Store && meta.Conversation == "" {
		return
	}
	keepAnswer(ctx, k.rs, k.cs, rr, meta, &out, func(m *wireresp.Meta) []byte {
		st.SetStore(m.Store)
		st.SetConversation(m.Conversation)
		return st.AppendResponse(scratch[:0], &out)
	})
}

// eventWriter writes events from a pooled buffer.
type eventWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	buf *[]byte
	// unflushed reports events written but not yet flushed.
	unflushed bool
}

// write writes b (appended to the buffer) and flushes when flush is set
// and something is unflushed; the buffer is empty after.
func (ew *eventWriter) write(b []byte, flush bool) error {
	*ew.buf = b[:0]
	if len(b) > 0 {
		if _, err := ew.w.Write(b); err != nil {
			return err
		}
		ew.unflushed = true
	}
	if flush && ew.unflushed {
		ew.unflushed = false
		return ew.rc.Flush()
	}
	return nil
}
