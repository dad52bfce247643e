package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/coder/websocket"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
	wire "switchyard/wire/openai"
	wireresp "switchyard/wire/responses"
)

// socketWriter is the http.ResponseWriter of a WebSocket connection's
// turn: the events of a streamed answer go out as they are written, the
// JSON of each a text message (with the lane's stream_id on a named
// lane); an answer that is not a stream (an error, before the stream
// began) goes out when the turn ends (finish), as an error event with
// its status.
type socketWriter struct {
	ctx    context.Context
	conn   *websocket.Conn
	hdr    http.Header
	lane   string // the turn's stream_id; "" for the default lane
	status int
	stream bool
	msg    []byte // an event with its stream_id, reused
	// pending holds what was written of an event not yet whole; body an
	// answer that is not a stream.
	pending, body []byte
	err           error // the send that failed: the client is gone
	// carried are the steers the turn commits, returned when it fails
	// before its stream (failCarried); nil for none.
	carried *apiopenai.SteerBatch
}

func (w *socketWriter) Header() http.Header { return w.hdr }

func (w *socketWriter) WriteHeader(code int) {
	if w.status != 0 || code < 200 {
		return
	}
	w.status = code
	w.stream = code == http.StatusOK && strings.HasPrefix(w.hdr.Get("Content-Type"), "text/event-stream")
}

func (w *socketWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.err != nil {
		return 0, w.err
	}
	if !w.stream {
		w.body = append(w.body, b...)
		return len(b), nil
	}
	w.pending = append(w.pending, b...)
	sent := 0
	for {
		i := bytes.Index(w.pending[sent:], []byte("\n\n"))
		if i < 0 {
			break
		}
		ev := w.pending[sent : sent+i+2]
		sent += i + 2
		if d := wireresp.EventData(ev); d != nil {
			if w.lane != "" {
				w.msg = wireresp.AppendStreamID(w.msg[:0], d, w.lane)
				d = w.msg
			}
			if err := w.conn.Write(w.ctx, websocket.MessageText, d); err != nil {
				w.err = err
				return 0, err
			}
		}
	}
	w.pending = w.pending[:copy(w.pending, w.pending[sent:])]
	return len(b), nil
}

// Flush sends nothing: each event went out whole as it was written.
func (w *socketWriter) Flush() {}

// finish sends the error event of an answer that was not a stream.
func (w *socketWriter) finish() {
	if w.stream || w.err != nil {
		return
	}
	status := w.status
	if status < http.StatusBadRequest {
		// A create answered otherwise than with a stream or an error:
		// never from the Responses handler, which streams every turn.
		w.body = nil
		status = http.StatusInternalServerError
	}
	if len(w.body) == 0 {
		w.body = wire.AppendError(nil, llm.Errorf(llm.KindInternal, "The router could not answer this response.create."))
		status = http.StatusInternalServerError
	}
	if w.carried != nil {
		w.failCarried(status, w.body)
		return
	}
	w.conn.Write(w.ctx, websocket.MessageText, wireresp.AppendSocketErrorBody(nil, w.lane, status, w.body))
}

// tooManyQueued is the error of a response.create sent while n others
// wait on its lane.
func tooManyQueued(n int) *llm.Error {
	e := llm.Errorf(llm.KindRateLimit, "Too many response.create events are waiting on this lane of the connection (%d): a lane runs its responses one after the other. Wait for a response to end before sending more, or send them on another stream_id.", n)
	e.Code = "too_many_queued_responses"
	return e
}
