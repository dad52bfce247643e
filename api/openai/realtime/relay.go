// Package realtime relays a Realtime API session between a client's
// WebSocket and an upstream's: each message as it comes, both ways, with
// the closes of either side carried to the other, an idle bound and a
// message size bound. It knows nothing of routing or accounting: the
// upstream's text messages are shown to an observer (the gateway prices
// response.done events) after they were relayed.
package realtime

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"switchyard/llm"
)

// Side is what ended a session.
type Side string

// The ends of a session.
const (
	// SideClient: the client closed, went away or broke the protocol.
	SideClient Side = "client"
	// SideUpstream: the upstream closed, went away or broke the protocol.
	SideUpstream Side = "upstream"
	// SideIdle: neither side sent a message for Options.Idle.
	SideIdle Side = "idle"
	// SideServer: the session's context ended (the router's shutdown).
	SideServer Side = "server"
)

// Options tune Relay. The zero value bounds nothing.
type Options struct {
	// Idle ends a session in which neither side sent a message for that
	// long; zero means no bound.
	Idle time.Duration
	// MaxMessage bounds one message either way, in bytes; zero means the
	// library's default (32 KiB), too small for audio: set it.
	MaxMessage int64
	// Observe is shown each text message of the upstream once it was
	// written to the client; nil means none. It runs on the relay's
	// goroutine: it must be quick, and must not keep msg to modify it.
	Observe func(msg []byte)
	// CloseWait bounds the close handshakes at the end; zero means 5 s.
	CloseWait time.Duration
	// Keepalive pings each side that often; a side whose pong does not
	// come within the interval is taken as gone (its connection is
	// closed, and the session ends as that side's failure). Pings keep
	// proxies and load balancers from cutting a quiet session, and find a
	// peer that vanished without a close. Zero sends none.
	Keepalive time.Duration
}

// End is how a session ended.
type End struct {
	// Side is what ended it.
	Side Side
	// Code and Reason are the close the ending side sent (Side client or
	// upstream, a clean close); Code is -1 when there was none.
	Code   websocket.StatusCode
	Reason string
	// Err is what to record: nil for a clean close by either side, else
	// an *llm.Error (the client gone: canceled; the upstream gone or over
	// the size bound: upstream; idle: timeout).
	Err error
}

// event is one pump's end.
type event struct {
	side Side
	err  error
	// wrote reports that the failure was writing to the other side.
	wrote bool
	// both reports that both pumps ended (settle read the other's end).
	both bool
}

// Relay relays messages between client and upstream until one side
// closes or fails, neither sends for Options.Idle, or ctx ends; then it
// closes both (a side's close code and reason carried to the other; an
// upstream that failed, idleness and ctx's end told to the client first
// with an error event, as the Realtime API reports errors), waits for
// its goroutines and returns how the session ended. It does not return
// before every goroutine it started has ended. fail, when not nil, turns
// ctx's end into the error told to the client (nil fail: a 503).
func Relay(ctx context.Context, client, upstream *websocket.Conn, o Options, fail func(error) *llm.Error) End {
	if o.MaxMessage > 0 {
		client.SetReadLimit(o.MaxMessage)
		upstream.SetReadLimit(o.MaxMessage)
	}
	// The pumps read and write under their own context: cancelling the
	// one a Read or Write runs under closes the connection at once, with
	// no close frame, which is for the very end only.
	pumps, stop := context.WithCancel(context.Background())
	defer stop()
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	ends := make(chan event, 2)
	go pump(pumps, client, upstream, SideClient, &last, nil, ends)
	go pump(pumps, upstream, client, SideUpstream, &last, o.Observe, ends)
	pings := startKeepalives(pumps, client, upstream, o.Keepalive)
	first, end := wait(ctx, o.Idle, &last, ends, fail)
	pings.stop()
	pings.explain(&end)
	closeBoth(client, upstream, first, &end, o.closeWait())
	finish(client, upstream, first, ends, o.closeWait())
	pings.wait() // a ping in flight ends with its connection, closed by now
	return end
}

func (o Options) closeWait() time.Duration {
	if o.CloseWait > 0 {
		return o.CloseWait
	}
	return 5 * time.Second
}

// pump relays src's messages to dst until one fails; it sends its end.
func pump(ctx context.Context, src, dst *websocket.Conn, side Side, last *atomic.Int64, observe func([]byte), ends chan<- event) {
	for {
		typ, msg, err := src.Read(ctx)
		if err != nil {
			ends <- event{side: side, err: err}
			return
		}
		last.Store(time.Now().UnixNano())
		if err := dst.Write(ctx, typ, msg); err != nil {
			ends <- event{side: side, err: err, wrote: true}
			return
		}
		if observe != nil && typ == websocket.MessageText {
			observe(msg)
		}
	}
}
