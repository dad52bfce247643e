package openai

import (
	"context"
	"io"
	"net/http"
	"time"

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
	sv, ctx := newSteering(r.Context(), rr, &meta)
	var served llm.Served
	s, err := h.Backend.Stream(ctx, rr.Chat, ov, &served)
	setServed(w.Header(), &served)
	if err != nil {
		sv.end(nil, false)
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
		sv.end(nil, false)
		return
	}
	sv.open(st, &ew)
	rs := relay{r: r, rr: rr, meta: &meta, k: k, s: s, served: &served, st: st, ew: &ew, sv: sv, max: h.maxAnswerBytes()}
	rs.run()
}

// relay is a streamed response being relayed: its upstream stream s,
// its Streamer and writer, and, on a WebSocket connection, its steering.
type relay struct {
	r      *http.Request
	rr     *wireresp.Request
	meta   *wireresp.Meta
	k      keeper
	s      llm.Stream
	served *llm.Served
	st     *wireresp.Streamer
	ew     *eventWriter
	sv     *steering
	// size is the bytes of the answer relayed so far (llm.AnswerBytes),
	// which the Streamer keeps for the terminal event; max bounds it.
	size, max int
}

// run relays the upstream's chunks until the stream ends, fails, the
// client leaves, or a steer stops it.
func (rs *relay) run() {
	ctx := rs.r.Context()
	for {
		c, err := rs.s.Next()
		if rs.sv.begin() {
			rs.steered()
			return
		}
		if err == io.EOF {
			rs.s.Close() // bill it now, to write the cost into the terminal event
			cost := usageCost(rs.served)
			out := rs.st.Final(cost)
			rs.k.end(ctx, rs.rr, rs.meta, rs.st, out, *rs.ew.buf)
			rs.ew.write(rs.st.Finish(*rs.ew.buf, cost), true)
			rs.sv.release()
			rs.sv.end(&out, false)
			return
		}
		if err != nil {
			var out *wireresp.Output
			if e := streamEndError(ctx, err); e != nil {
				o := rs.st.Failed(e)
				out = &o
				rs.k.end(ctx, rs.rr, rs.meta, rs.st, o, *rs.ew.buf)
				rs.ew.write(rs.st.Fail(*rs.ew.buf, e), true)
			}
			rs.sv.release()
			rs.served.SteersUndelivered = rs.sv.end(out, false) // recorded as Close bills it
			return
		}
		if rs.size += llm.AnswerBytes(c); rs.size > rs.max {
			rs.tooLarge()
			return
		}
		werr := rs.ew.write(rs.st.Chunk(*rs.ew.buf, c), !llm.Ready(rs.s))
		rs.sv.chunked()
		if werr != nil {
			rs.served.SteersUndelivered = rs.sv.end(nil, false)
			return // the client went away; Close cancels the upstream
		}
	}
}

// tooLarge ends a response whose answer passed the router's limit (the
// chunk that passed it is not relayed): failed with answerTooLarge's
// error, after the events relayed, and the upstream closed, told why, so
// that the request is recorded failed and billed for what it produced.
func (rs *relay) tooLarge() {
	e := answerTooLarge(rs.served, rs.max)
	o := rs.st.Failed(e)
	rs.k.end(rs.r.Context(), rs.rr, rs.meta, rs.st, o, *rs.ew.buf)
	rs.ew.write(rs.st.Fail(*rs.ew.buf, e), true)
	rs.sv.release()
	rs.served.SteersUndelivered = rs.sv.end(&o, false) // recorded as Abort bills it
	llm.Abort(rs.s, e)
}

// steered ends a response a steer stopped at a safe boundary: the
// upstream closed (billed as a stream closed before its end: its usage
// estimated when the upstream sent none), the response kept incomplete
// (reason steered) with the output so far, then the steers handed to
// its successor.
func (rs *relay) steered() {
	rs.sv.close()
	rs.s.Close()
	out := rs.st.Steered(usageCost(rs.served), rs.served.Usage)
	rs.k.end(context.WithoutCancel(rs.r.Context()), rs.rr, rs.meta, rs.st, out, *rs.ew.buf)
	rs.ew.write(rs.st.FinishSteered(*rs.ew.buf, &out), true)
	rs.sv.end(&out, true)
}

// keeper is where a stream's response is kept: its conversation's items
// and the stored responses (either nil: not kept).
type keeper struct {
	rs    ResponseStore
	cs    ConversationStore
	bound time.Duration // of each write (Handler.storeTimeout)
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
	k.keepAnswer(ctx, rr, meta, &out, func(m *wireresp.Meta) []byte {
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
