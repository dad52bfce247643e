package realtime

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"switchyard/llm"
)

// keepalives pings both sides of a session (Options.Keepalive).
type keepalives struct {
	every  time.Duration
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// lost records the side that did not answer a ping in time.
	lost atomic.Value // Side
}

// startKeepalives pings client and upstream every interval until stop,
// under ctx (which must be the pumps': a ping needs its side's reader
// running); every zero starts nothing.
func startKeepalives(ctx context.Context, client, upstream *websocket.Conn, every time.Duration) *keepalives {
	k := &keepalives{every: every, cancel: func() {}}
	if every <= 0 {
		return k
	}
	ctx, k.cancel = context.WithCancel(ctx)
	k.wg.Add(2)
	go k.ping(ctx, client, SideClient)
	go k.ping(ctx, upstream, SideUpstream)
	return k
}

// ping pings conn every interval until ctx ends; a pong that does not
// come within the interval closes conn at once, so that its pump reads
// the end, and records side as lost.
func (k *keepalives) ping(ctx context.Context, conn *websocket.Conn, side Side) {
	defer k.wg.Done()
	t := time.NewTicker(k.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// Not under ctx: cancelling a ping while its frame is written would
		// close conn at once, before the session's end could be told to
		// it. A ping in flight at stop ends with its pong, its timeout, or
		// its connection's close.
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), k.every)
		err := conn.Ping(pctx)
		cancel()
		if err != nil && ctx.Err() == nil {
			k.lost.CompareAndSwap(nil, side)
			conn.CloseNow()
			return
		}
	}
}

// stop sends no more pings; a failure of one in flight is then ignored.
func (k *keepalives) stop() { k.cancel() }

// wait waits for the pings' goroutines, which end once stopped and their
// ping in flight, if any, ended.
func (k *keepalives) wait() { k.wg.Wait() }

// explain words end, when it is the failure of the side that did not
// answer a ping, as that.
func (k *keepalives) explain(end *End) {
	lost, _ := k.lost.Load().(Side)
	if lost == "" || end.Side != lost || end.Code >= 0 {
		return
	}
	if lost == SideClient {
		end.Err = llm.Errorf(llm.KindCanceled, "the client did not answer a ping within %s (server.realtime.keepalive)", k.every)
		return
	}
	e := llm.Errorf(llm.KindUpstream, "The upstream did not answer a ping within %s (server.realtime.keepalive); the session is closed.", k.every)
	e.Code = CodeUpstreamDisconnected
	end.Err = e
}
