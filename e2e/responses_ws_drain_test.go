package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/demo"
	"switchyard/server"
	"switchyard/sim"
	simserver "switchyard/sim/server"
)

// A response.create sent while another runs waits its turn: the two
// responses stream one after the other, in the order sent.
func TestResponsesWebSocketQueued(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	for _, text := range []string{"First: tell me about rivers.", "Second: tell me about lakes."} {
		ev := `{"type":"response.create","model":"gpt-4o-mini","store":false,"input":"` + text + `"}`
		if err := conn.SendRaw(ctxT(t), json.RawMessage(ev)); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	ids := map[string]bool{}
	for len(order) < 4 {
		ev, err := conn.Recv(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Type {
		case "response.created", "response.completed":
			order = append(order, ev.Type)
			var v struct{ Response struct{ ID string } }
			json.Unmarshal([]byte(ev.RawJSON()), &v)
			ids[v.Response.ID] = true
		case "error":
			t.Fatalf("error event: %s", ev.RawJSON())
		}
	}
	if order[0] != "response.created" || order[1] != "response.completed" || order[2] != "response.created" || order[3] != "response.completed" || len(ids) != 2 {
		t.Fatalf("events %v of responses %v: want one response, then the other", order, ids)
	}
}

// drainable is a router served until stop, with its sim: Run's error
// comes on served.
type drainable struct {
	url    string
	sim    *simserver.Server
	stop   context.CancelFunc
	served chan error
}

// runDrainable starts a demo router on a port of its own, to be shut
// down by the test (stop), its resources released when t ends.
func runDrainable(t *testing.T) *drainable {
	t.Helper()
	simAddr, s, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	r, err := server.NewRouter(demo.Config(simAddr, ""), server.RouterOptions{Demo: true, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(context.Background()) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	d := &drainable{url: "http://" + ln.Addr().String(), sim: s, stop: stop, served: make(chan error, 1)}
	go func() { d.served <- r.Run(ctx, ln, 5*time.Second) }()
	return d
}

// connect opens a Responses API WebSocket on d, aborted when t ends.
func (d *drainable) connect(t *testing.T) *responses.ResponseConnection {
	t.Helper()
	c := openai.NewClient(option.WithBaseURL(d.url+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(0))
	conn, err := c.Responses.Connect(ctxT(t), responses.ResponseConnectionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Abort)
	return conn
}

// On shutdown a connection finishes its response in flight, then closes
// with 1001 (going away); the drain is clean.
func TestResponsesWebSocketDrain(t *testing.T) {
	t.Parallel()
	d := runDrainable(t)
	d.sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: 300 * time.Millisecond, After: 2, Count: 1})
	conn := d.connect(t)
	if err := conn.Create(ctxT(t), responses.ResponsesClientEventResponseCreateParam{Model: "gpt-4o-mini",
		Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("Tell me about rivers.")}}); err != nil {
		t.Fatal(err)
	}
	shut := false
	for {
		ev, err := conn.Recv(ctxT(t))
		if err != nil {
			if !shut || websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Fatalf("the connection ended (shut down %v) with %v, want 1001 after the response", shut, err)
			}
			break
		}
		switch ev.Type {
		case "response.output_text.delta":
			if !shut {
				d.stop() // shut down while the upstream stalls
				shut = true
			}
		case "response.completed":
			if !shut {
				t.Fatal("the response completed before the shutdown began")
			}
		case "error", "response.failed":
			t.Fatalf("the response in flight was cut: %s", ev.RawJSON())
		}
	}
	if err := <-d.served; err != nil {
		t.Fatalf("Run: %v, want a clean drain", err)
	}
}

// On shutdown a connection finishes the responses in flight on every
// lane, starts none of those queued, then closes with 1001.
func TestResponsesWebSocketLanesDrain(t *testing.T) {
	t.Parallel()
	d := runDrainable(t)
	d.sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: 300 * time.Millisecond, After: 2, Count: 2})
	conn := d.connect(t)
	lanes := []string{"a", "b"}
	recv := map[string]*responses.ResponseLane{}
	for _, id := range lanes {
		recv[id] = wsLane(t, conn, id)
		wsSend(t, conn, laneCreate(id, "gpt-4o-mini", "Tell me about rivers.", ""))
	}
	wsSend(t, conn, laneCreate("a", "gpt-4o-mini", "Queued behind: lakes.", ""))
	for _, id := range lanes {
		laneUntil(t, recv[id], id, "response.output_text.delta")
	}
	d.stop() // shut down while both upstreams stall
	for _, id := range lanes {
		if resp := laneFinal(t, recv[id]); resp.Status != "completed" {
			t.Fatalf("lane %s's response in flight: %q", id, resp.Status)
		}
	}
	ev, err := recv["a"].Recv(ctxT(t))
	if err == nil || websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("after lane a's response, %s (%v); want the 1001 close, its queued response not run", ev.RawJSON(), err)
	}
	if err := <-d.served; err != nil {
		t.Fatalf("Run: %v, want a clean drain", err)
	}
}
