package server

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"switchyard/gateway"
	"switchyard/sim"
)

// TestHurryEndsTheDrain: Hurry (a second SIGINT or SIGTERM) ends a drain
// at once, however long shutdown_timeout is: what is in flight is cut as
// at the drain's deadline (the stream's error event, its record) and
// Serve reports the drain as not clean.
func TestHurryEndsTheDrain(t *testing.T) {
	g := startDrainRig(t, &sim.Fault{Kind: sim.FaultStall, Delay: time.Minute}, time.Hour)
	rest := make(chan string, 1)
	started := make(chan struct{})
	go func() {
		body := `{"model":"claude-haiku-4-5","stream":true,"messages":[{"role":"user","content":"Tell me about rivers"}]}`
		resp, err := g.client.Post(g.url+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			close(started)
			rest <- err.Error()
			return
		}
		defer resp.Body.Close()
		rd := bufio.NewReader(resp.Body)
		_, _ = rd.ReadString('\n') // the first event: the stream is committed
		close(started)
		b, _ := io.ReadAll(rd)
		rest <- string(b)
	}()
	receive(t, "the stream to start", started)
	g.cancel() // the first signal: the drain begins, for an hour
	g.r.Hurry()
	if err := receive(t, "Serve to return", g.runErr); err == nil || !strings.Contains(err.Error(), "cut") {
		t.Errorf("Serve = %v; want the drain reported as cut", err)
	}
	if got := receive(t, "the stream's end", rest); !strings.Contains(got, `"code":"`+gateway.CodeShuttingDown+`"`) {
		t.Errorf("the stream ended with %q; want the shutdown error event", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := g.r.Close(ctx); err != nil {
		t.Errorf("records not flushed: %v", err)
	}
	if recs := g.sink.all(); len(recs) != 1 || recs[0].Status != 503 {
		t.Errorf("records: %+v; want the stream's, 503", recs)
	}
}
