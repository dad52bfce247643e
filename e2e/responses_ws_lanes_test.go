package e2e

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
)

// This file tests the lanes of the Responses API's WebSocket mode
// (response.create's stream_id) with openai-go's own lane API
// (ResponseConnection.Lane), which routes each event to the lane its
// stream_id names: a lane that receives its response's events proves the
// router echoed its stream_id.

// wsLane attaches lane id to conn, detached when t ends.
func wsLane(t *testing.T, conn *responses.ResponseConnection, id string) *responses.ResponseLane {
	t.Helper()
	l, err := conn.Lane(id)
	if err != nil {
		t.Fatalf("Lane(%q): %v", id, err)
	}
	t.Cleanup(l.Close)
	return l
}

// laneCreate is a response.create with store false on lane (none when
// empty) of input, continuing previous if not empty.
func laneCreate(lane, model, input, previous string) responses.ResponsesClientEventResponseCreateParam {
	ev := responses.ResponsesClientEventResponseCreateParam{Model: model, Store: openai.Bool(false),
		Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String(input)}}
	if lane != "" {
		ev.StreamID = openai.String(lane)
	}
	if previous != "" {
		ev.PreviousResponseID = openai.String(previous)
	}
	return ev
}

// wsSend sends ev on conn.
func wsSend(t *testing.T, conn *responses.ResponseConnection, ev responses.ResponsesClientEventResponseCreateParam) {
	t.Helper()
	if err := conn.Create(ctxT(t), ev); err != nil {
		t.Fatalf("Create: %v", err)
	}
}

// laneFinal returns lane's next final response; an error event fails t.
func laneFinal(t *testing.T, lane *responses.ResponseLane) *responses.Response {
	t.Helper()
	resp, err := lane.FinalResponse(ctxT(t))
	if err != nil {
		var pe *responses.ResponseProtocolError
		if errors.As(err, &pe) {
			t.Fatalf("FinalResponse: error event %s", pe.Event.RawJSON())
		}
		t.Fatalf("FinalResponse: %v", err)
	}
	return resp
}

// laneUntil reads lane's events until one of type typ, and returns it;
// every event must carry the lane's stream_id.
func laneUntil(t *testing.T, lane *responses.ResponseLane, id, typ string) responses.ResponsesServerEventUnion {
	t.Helper()
	for {
		ev, err := lane.Recv(ctxT(t))
		if err != nil {
			t.Fatalf("Recv on lane %s: %v", id, err)
		}
		var v struct {
			StreamID string `json:"stream_id"`
		}
		if json.Unmarshal([]byte(ev.RawJSON()), &v) != nil || v.StreamID != id {
			t.Fatalf("lane %s got %s", id, ev.RawJSON())
		}
		if ev.Type == "error" {
			t.Fatalf("error event on lane %s: %s", id, ev.RawJSON())
		}
		if ev.Type == typ {
			return ev
		}
	}
}

// A response stalled on lane a (for an hour) delays neither lane b nor
// the default lane, which complete while it runs: the lanes run side by
// side; the response queued behind it on lane a waits. A client that
// leaves then cancels lane a's response in flight; the one queued behind
// it never runs, and nothing is left running.
func TestResponsesWebSocketLanesConcurrent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	a, b := wsLane(t, conn, "lane-a"), wsLane(t, conn, "lane_b.2")
	wsSend(t, conn, laneCreate("lane-a", "gpt-4o-mini", "Tell me a long story about rivers. [[sim:stall=1h]]", ""))
	wsSend(t, conn, laneCreate("lane-a", "gpt-4o-mini", "Then one about lakes.", ""))
	laneUntil(t, a, "lane-a", "response.created")
	wsSend(t, conn, laneCreate("lane_b.2", "gpt-4o-mini", "Say hi.", ""))
	if resp := laneFinal(t, b); resp.Status != "completed" || resp.OutputText() == "" {
		t.Fatalf("lane b, while lane a stalls: %q %q", resp.Status, resp.OutputText())
	}
	wsSend(t, conn, laneCreate("", "gpt-4o-mini", "Say hello.", ""))
	if resp, err := conn.FinalResponse(ctxT(t)); err != nil || resp.Status != "completed" {
		t.Fatalf("the default lane, while lane a stalls: %v", err)
	}
	conn.Abort()
	waitNoSockets(t, e)
	recs := e.recorded(t, 3)
	canceled := 0
	for _, r := range recs {
		if r.ErrorKind == llm.KindCanceled {
			canceled++
		}
	}
	if len(recs) != 3 || canceled != 1 {
		t.Fatalf("%d records, %d canceled; want lane b's, the default lane's and lane a's canceled (its queued one never ran)", len(recs), canceled)
	}
}

// A lane runs its responses in the order sent, each whole before the
// next begins, though the first stalls a while; each of its events
// carries its stream_id.
func TestResponsesWebSocketLaneFIFO(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	a := wsLane(t, conn, "a")
	wsSend(t, conn, laneCreate("a", "gpt-4o-mini", "First: rivers. [[sim:stall=200ms]]", ""))
	wsSend(t, conn, laneCreate("a", "gpt-4o-mini", "Second: lakes.", ""))
	var ids []string
	for range 2 {
		created := laneUntil(t, a, "a", "response.created").AsResponseCreated()
		done := laneUntil(t, a, "a", "response.completed").AsResponseCompleted()
		if done.Response.ID != created.Response.ID {
			t.Fatalf("response %s completed while %s ran", done.Response.ID, created.Response.ID)
		}
		ids = append(ids, done.Response.ID)
	}
	if ids[0] == ids[1] {
		t.Fatalf("one response twice: %v", ids)
	}
}

// stream_id routes, previous_response_id continues: with store false, a
// new lane continues a function call made on another lane (the
// connection keeps every lane's last response), the first lane continues
// its own, and the default lane the second lane's.
func TestResponsesWebSocketLaneFork(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	planner, worker := wsLane(t, conn, "planner"), wsLane(t, conn, "worker")
	tools := []responses.ToolUnionParam{responsesWeather}
	ev := laneCreate("planner", "gpt-4o-mini", "Use get_weather: what's the weather in Paris?", "")
	ev.Tools = tools
	wsSend(t, conn, ev)
	first := laneFinal(t, planner)
	var call responses.ResponseFunctionToolCall
	for _, it := range first.Output {
		if it.Type == "function_call" {
			call = it.AsFunctionCall()
		}
	}
	if call.Name != "get_weather" {
		t.Fatalf("no function call: %+v", first.Output)
	}
	out := responses.ResponseInputParam{{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(call.CallID),
		Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temperature_c": 17, "sky": "drizzle"}`)}}}}
	fork := laneCreate("worker", "gpt-4o-mini", "", first.ID)
	fork.Tools, fork.Input = tools, responses.ResponsesClientEventResponseCreateInputUnionParam{OfResponse: &out}
	wsSend(t, conn, fork)
	forked := laneFinal(t, worker)
	if forked.Status != "completed" || forked.PreviousResponseID != first.ID || !strings.Contains(forked.OutputText(), "17") {
		t.Fatalf("the fork: %q, previous %q, %q", forked.Status, forked.PreviousResponseID, forked.OutputText())
	}
	own := laneCreate("planner", "gpt-4o-mini", "", first.ID)
	own.Tools, own.Input = tools, fork.Input
	wsSend(t, conn, own)
	if resp := laneFinal(t, planner); resp.Status != "completed" || resp.PreviousResponseID != first.ID {
		t.Fatalf("the planner continuing its own: %q %q", resp.Status, resp.PreviousResponseID)
	}
	wsSend(t, conn, laneCreate("", "gpt-4o-mini", "Thanks. And tomorrow?", forked.ID))
	if resp, err := conn.FinalResponse(ctxT(t)); err != nil || resp.PreviousResponseID != forked.ID {
		t.Fatalf("the default lane continuing the worker's: %v", err)
	}
}

// wsLaneError reads lane's next event, which must be an error event.
func wsLaneError(t *testing.T, lane *responses.ResponseLane) (ev wsError, streamID string) {
	t.Helper()
	_, err := lane.FinalResponse(ctxT(t))
	var pe *responses.ResponseProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("want an error event, got %v", err)
	}
	var v struct {
		StreamID string `json:"stream_id"`
	}
	raw := []byte(pe.Event.RawJSON())
	if json.Unmarshal(raw, &ev) != nil || json.Unmarshal(raw, &v) != nil {
		t.Fatalf("error event %s", raw)
	}
	return ev, v.StreamID
}

// A connection uses server.realtime.max_streams lanes: a create naming
// one more is the spec's error event on that lane, and the lanes used
// (and the default lane) go on. An invalid stream_id is an error event
// on the default lane; the socket stays open.
func TestResponsesWebSocketLaneLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Server.Realtime.MaxStreams = 2 })
	conn := wsConnect(t, e, "demo-key")
	lanes := map[string]*responses.ResponseLane{}
	for _, id := range []string{"a", "b", "c"} {
		lanes[id] = wsLane(t, conn, id)
	}
	for _, id := range []string{"a", "b"} {
		wsSend(t, conn, laneCreate(id, "gpt-4o-mini", "Say hi.", ""))
		laneFinal(t, lanes[id])
	}
	for range 2 {
		wsSend(t, conn, laneCreate("c", "gpt-4o-mini", "Say hi.", ""))
		ev, id := wsLaneError(t, lanes["c"])
		if id != "c" || ev.Status != 400 || ev.Error.Code != "websocket_stream_limit_reached" || ev.Error.Param != "stream_id" ||
			ev.Error.Type != "invalid_request_error" || !strings.HasPrefix(ev.Error.Message, "This WebSocket connection has reached its stream limit.") {
			t.Fatalf("a third lane: %+v on %q", ev, id)
		}
	}
	for _, bad := range []string{`"a b"`, `""`, `"` + strings.Repeat("x", 257) + `"`, `7`} {
		if err := conn.SendRaw(ctxT(t), json.RawMessage(`{"type":"response.create","model":"gpt-4o-mini","input":"hi","stream_id":`+bad+`}`)); err != nil {
			t.Fatal(err)
		}
		if ev := wsRecvError(t, conn); ev.Status != 400 || ev.Error.Param != "stream_id" || ev.Error.Type != "invalid_request_error" {
			t.Fatalf("stream_id %s: %+v", bad, ev)
		}
	}
	wsSend(t, conn, laneCreate("b", "gpt-4o-mini", "Again.", ""))
	laneFinal(t, lanes["b"])
	wsSend(t, conn, laneCreate("", "gpt-4o-mini", "Again.", ""))
	if _, err := conn.FinalResponse(ctxT(t)); err != nil {
		t.Fatalf("the default lane past the limit: %v", err)
	}
}
