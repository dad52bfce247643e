package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// wait waits for the first end of the session: a pump's, ctx's, or
// idleness (no message either way for idle).
func wait(ctx context.Context, idle time.Duration, last *atomic.Int64, ends <-chan event, fail func(error) *llm.Error) (event, End) {
	var tick <-chan time.Time
	if idle > 0 {
		t := time.NewTicker(max(idle/8, time.Millisecond))
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case ev := <-ends:
			ev = settle(ev, ends)
			return ev, classify(ev)
		case <-ctx.Done():
			e := llm.Errorf(llm.KindUnavailable, "The router ended the session.")
			if fail != nil {
				e = fail(context.Cause(ctx))
			}
			return event{side: SideServer}, End{Side: SideServer, Code: -1, Err: e}
		case <-tick:
			if time.Since(time.Unix(0, last.Load())) >= idle {
				e := llm.Errorf(llm.KindTimeout, "Neither side sent a message for %s (server.realtime.idle_timeout); the session is closed.", idle)
				e.Code = CodeIdleTimeout
				return event{side: SideIdle}, End{Side: SideIdle, Code: -1, Err: e}
			}
		}
	}
}

// settleWait bounds how long a pump that failed writing to the other
// side waits for that side's own end.
const settleWait = 250 * time.Millisecond

// settle returns, for a pump that failed writing to the other side
// (which closed or failed), that side's own end when it comes soon: its
// close code, not the write's error, says how the session ended. The
// event returned then stands for both pumps (both).
func settle(ev event, ends <-chan event) event {
	if !ev.wrote {
		return ev
	}
	t := time.NewTimer(settleWait)
	defer t.Stop()
	select {
	case other := <-ends:
		if other.wrote {
			other = ev
		}
		other.both = true
		return other
	case <-t.C:
		return ev
	}
}

// Error codes of the session ends the relay tells the client of.
const (
	CodeIdleTimeout          = "idle_timeout"
	CodeUpstreamDisconnected = "upstream_disconnected"
	CodeMessageTooLarge      = "message_too_large"
)

// failing is the side whose connection failed in ev: the one it read, or
// the other when the write failed.
func failing(ev event) Side {
	if !ev.wrote {
		return ev.side
	}
	if ev.side == SideClient {
		return SideUpstream
	}
	return SideClient
}

// classify says how a pump's end ended the session.
func classify(ev event) End {
	side := failing(ev)
	end := End{Side: side, Code: -1}
	var ce websocket.CloseError
	switch {
	case !ev.wrote && errors.As(ev.err, &ce):
		end.Code, end.Reason = ce.Code, ce.Reason
		if side == SideUpstream && !cleanCode(ce.Code) {
			end.Err = llm.Errorf(llm.KindUpstream, "The upstream closed the session with status %d (%s).", ce.Code, ce.Reason)
		}
	case errors.Is(ev.err, websocket.ErrMessageTooBig) && side == SideClient:
		e := llm.Errorf(llm.KindInvalidRequest, "The client sent a message over the router's bound (server.realtime.max_message_bytes).")
		e.Code = CodeMessageTooLarge
		end.Err = e
	case errors.Is(ev.err, websocket.ErrMessageTooBig):
		e := llm.Errorf(llm.KindUpstream, "The upstream sent a message over the router's bound (server.realtime.max_message_bytes); the session is closed.")
		e.Code = CodeMessageTooLarge
		end.Err = e
	case side == SideClient:
		end.Err = llm.Wrap(llm.KindCanceled, ev.err, "the client went away during the session")
	default:
		e := llm.Wrap(llm.KindUpstream, ev.err, "The upstream's connection was lost mid-session; the session is closed.")
		e.Code = CodeUpstreamDisconnected
		end.Err = e
	}
	return end
}

// cleanCode reports whether a close status is an ordinary end.
func cleanCode(c websocket.StatusCode) bool {
	return c == websocket.StatusNormalClosure || c == websocket.StatusGoingAway || c == websocket.StatusNoStatusRcvd
}

// sendable is code if a close frame may carry it, else a normal close
// (1005, 1006 and 1015 only describe a close; they are never sent).
func sendable(code websocket.StatusCode) websocket.StatusCode {
	switch {
	case code < 1000, code == websocket.StatusNoStatusRcvd, code == websocket.StatusAbnormalClosure, code == websocket.StatusTLSHandshake:
		return websocket.StatusNormalClosure
	}
	return code
}

// reason bounds a close reason to what a close frame carries (123
// bytes), cut at a character's start.
func reason(s string) string {
	if len(s) <= 123 {
		return s
	}
	n := 123
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// closeBoth closes what first left open: the side that closed cleanly
// has its close carried to the other; a client that went away gets the
// upstream closed (going away); an upstream that failed, idleness and
// the server's end are told to the client as an error event first.
func closeBoth(client, upstream *websocket.Conn, first event, end *End, wait time.Duration) {
	switch {
	case end.Side == SideClient && end.Code >= 0:
		upstream.Close(sendable(end.Code), reason(end.Reason))
	case end.Side == SideClient && errors.Is(first.err, websocket.ErrMessageTooBig):
		upstream.Close(websocket.StatusNormalClosure, "the client sent a message over the router's size bound")
	case end.Side == SideClient:
		upstream.Close(websocket.StatusGoingAway, "the client went away")
	case end.Side == SideUpstream && end.Code >= 0:
		client.Close(sendable(end.Code), reason(end.Reason))
	default:
		tell(client, end.Err, wait)
		status, why := websocket.StatusInternalError, "upstream connection lost"
		switch end.Side {
		case SideIdle:
			status, why = websocket.StatusGoingAway, "idle timeout"
		case SideServer:
			status, why = websocket.StatusGoingAway, "the router is shutting down"
		}
		var wg sync.WaitGroup
		wg.Go(func() { client.Close(status, why) })
		if first.side == SideIdle || first.side == SideServer {
			wg.Go(func() { upstream.Close(websocket.StatusNormalClosure, "") })
		}
		wg.Wait()
	}
}

// tell writes err to the client as a Realtime error event.
func tell(client *websocket.Conn, err error, wait time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	client.Write(ctx, websocket.MessageText, wire.AppendRealtimeError(nil, eventID(), llm.AsError(err)))
}

// finish waits for the pumps still running, closing both connections at
// once when they outlast wait.
func finish(client, upstream *websocket.Conn, first event, ends <-chan event, wait time.Duration) {
	left := 1
	switch {
	case first.both:
		left = 0
	case first.side == SideIdle || first.side == SideServer:
		left = 2
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	for left > 0 {
		select {
		case <-ends:
			left--
		case <-t.C:
			client.CloseNow()
			upstream.CloseNow()
			for ; left > 0; left-- {
				<-ends
			}
		}
	}
	// Both pumps are done: release what a clean close left.
	client.CloseNow()
	upstream.CloseNow()
}

// eventID returns a new server event id, as OpenAI's: "event_" and 21
// characters.
func eventID() string {
	var b [11]byte
	rand.Read(b[:])
	return fmt.Sprintf("event_%s", hex.EncodeToString(b[:])[:21])
}
