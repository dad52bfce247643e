package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/sim"
)

// wsConnect opens a Responses API WebSocket on e with key (openai-go's
// client), closed when t ends.
func wsConnect(t *testing.T, e *env, key string) *responses.ResponseConnection {
	t.Helper()
	c := e.clientWith(key)
	conn, err := c.Responses.Connect(ctxT(t), responses.ResponseConnectionOptions{})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// wsCreate sends a response.create and returns its final response.
func wsCreate(t *testing.T, conn *responses.ResponseConnection, ev responses.ResponsesClientEventResponseCreateParam) *responses.Response {
	t.Helper()
	if err := conn.Create(ctxT(t), ev); err != nil {
		t.Fatalf("Create: %v", err)
	}
	resp, err := conn.FinalResponse(ctxT(t))
	if err != nil {
		var pe *responses.ResponseProtocolError
		if errors.As(err, &pe) {
			t.Fatalf("FinalResponse: error event %s", pe.Event.RawJSON())
		}
		t.Fatalf("FinalResponse: %v", err)
	}
	return resp
}

// An agent's tool loop on one socket, with openai-go's WebSocket client
// and store false: the first response.create gets a function call, the
// second sends only the call's output with previous_response_id, which
// the connection remembers though nothing was stored; each turn is a
// request of its own (record, cost). Over HTTP, or on another socket, the
// same previous_response_id is unknown.
func TestResponsesWebSocketToolLoop(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			conn := wsConnect(t, e, "demo-key")
			tools := []responses.ToolUnionParam{responsesWeather}
			first := wsCreate(t, conn, responses.ResponsesClientEventResponseCreateParam{Model: dep, Store: openai.Bool(false), Tools: tools,
				Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("Use get_weather: what's the weather in Paris?")}})
			var call responses.ResponseFunctionToolCall
			for _, it := range first.Output {
				if it.Type == "function_call" {
					call = it.AsFunctionCall()
				}
			}
			if first.Status != "completed" || call.Name != "get_weather" || !strings.HasPrefix(first.ID, "resp_") {
				t.Fatalf("first turn: status %q, call %+v, id %q", first.Status, call, first.ID)
			}
			out := responses.ResponseInputParam{{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(call.CallID),
				Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temperature_c": 17, "sky": "drizzle"}`)}}}}
			second := wsCreate(t, conn, responses.ResponsesClientEventResponseCreateParam{Model: dep, Store: openai.Bool(false), Tools: tools,
				PreviousResponseID: openai.String(first.ID), Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfResponse: &out}})
			if second.Status != "completed" || second.PreviousResponseID != first.ID || second.ID == first.ID || !strings.Contains(second.OutputText(), "17") {
				t.Fatalf("second turn: status %q, previous %q, text %q", second.Status, second.PreviousResponseID, second.OutputText())
			}
			_, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: dep, PreviousResponseID: openai.String(first.ID), Input: inputText("again")})
			if err == nil {
				t.Fatal("over HTTP, an unstored response was continued")
			}
			other := wsConnect(t, e, "demo-key")
			if err := other.Create(ctxT(t), responses.ResponsesClientEventResponseCreateParam{Model: dep, Store: openai.Bool(false), PreviousResponseID: openai.String(second.ID),
				Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("again")}}); err != nil {
				t.Fatal(err)
			}
			if ev := wsRecvError(t, other); ev.Error.Code != "previous_response_not_found" || ev.Status != 400 {
				t.Fatalf("another socket continuing it: %+v", ev)
			}
		})
	}
	served := func(r record.Record) bool { return r.Endpoint == "chat" && r.Status == 200 && r.CostUSD > 0 }
	if n, recs := e.recordedWhere(t, 2*len(chatDeployments), served); n != 2*len(chatDeployments) {
		t.Errorf("%d turns recorded with a cost, want %d (%d records)", n, 2*len(chatDeployments), len(recs))
	}
}

// recordedWhere waits (5 s at most) until want records satisfy ok, and
// returns how many do and every record.
func (e *env) recordedWhere(t *testing.T, want int, ok func(record.Record) bool) (int, []record.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		e.Router.Recorder.Sync(ctx)
		e.mu.Lock()
		recs := append([]record.Record(nil), e.records...)
		e.mu.Unlock()
		n := 0
		for _, r := range recs {
			if ok(r) {
				n++
			}
		}
		if n >= want || ctx.Err() != nil {
			return n, recs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// wsError is an error event of WebSocket mode.
type wsError struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Error  struct {
		Type, Code, Message, Param string
	} `json:"error"`
}

// wsRecvError reads the next event, which must be an error event.
func wsRecvError(t *testing.T, conn *responses.ResponseConnection) wsError {
	t.Helper()
	raw, err := conn.RecvRaw(ctxT(t))
	if err != nil {
		t.Fatalf("RecvRaw: %v", err)
	}
	var ev wsError
	if err := json.Unmarshal(raw, &ev); err != nil || ev.Type != "error" {
		t.Fatalf("want an error event, got %s", raw)
	}
	return ev
}

// Refused client events come back as error events in the API's shape,
// and the socket stays open: the next response.create is answered.
func TestResponsesWebSocketErrorEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	for _, tt := range []struct {
		name, event string
		status      int
		code, param string
	}{
		{"malformed JSON", `{"type":"response.create",`, 400, "invalid_json", ""},
		{"unknown event", `{"type":"response.cancel"}`, 400, "invalid_value", "type"},
		{"background", `{"type":"response.create","model":"gpt-4o-mini","input":"hi","background":true}`, 400, "unsupported_parameter", "background"},
		{"invalid create", `{"type":"response.create","model":"gpt-4o-mini","input":"hi","temperature":"hot"}`, 400, "", "temperature"},
		{"unknown model", `{"type":"response.create","model":"no-such-model","input":"hi"}`, 404, "model_not_found", "model"},
		{"unknown previous", `{"type":"response.create","model":"gpt-4o-mini","input":"hi","store":false,"previous_response_id":"resp_nope"}`, 400, "previous_response_not_found", "previous_response_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := conn.SendRaw(ctxT(t), json.RawMessage(tt.event)); err != nil {
				t.Fatal(err)
			}
			ev := wsRecvError(t, conn)
			if ev.Status != tt.status || tt.code != "" && ev.Error.Code != tt.code || ev.Error.Param != tt.param || ev.Error.Message == "" || ev.Error.Type == "" {
				t.Fatalf("error event %+v, want status %d code %q param %q", ev, tt.status, tt.code, tt.param)
			}
		})
	}
	resp := wsCreate(t, conn, responses.ResponsesClientEventResponseCreateParam{Model: "gpt-4o-mini",
		Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("Still there?")}})
	if resp.Status != "completed" || resp.OutputText() == "" {
		t.Fatalf("after the errors: %q %q", resp.Status, resp.OutputText())
	}
}

// The handshake is authenticated: a wrong key is refused with 401 before
// any upgrade. A plain GET (no upgrade) is still the 404 of an unknown URL.
func TestResponsesWebSocketHandshake(t *testing.T) {
	t.Parallel()
	const key = "sk-ws-secret"
	e := newEnv(t, func(c *config.Config) { c.Auth.Keys = []config.Key{{Key: key}} })
	c := e.clientWith("wrong-key")
	_, err := c.Responses.Connect(ctxT(t), responses.ResponseConnectionOptions{})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("a wrong key connected: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/v1/responses", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("plain GET /v1/responses: %d", res.StatusCode)
	}
	ok := e.clientWith(key)
	conn, err := ok.Responses.Connect(ctxT(t), responses.ResponseConnectionOptions{}, option.WithMaxRetries(0))
	if err != nil {
		t.Fatalf("a listed key: %v", err)
	}
	conn.Close()
}

// A client that leaves mid-response cancels it: the turn is recorded as
// a stream the client left (canceled), and nothing is left running.
func TestResponsesWebSocketClientLeaves(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: time.Hour, After: 2, Count: 1})
	conn := wsConnect(t, e, "demo-key")
	if err := conn.Create(ctxT(t), responses.ResponsesClientEventResponseCreateParam{Model: "gpt-4o-mini",
		Input: responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("Tell me a long story about rivers.")}}); err != nil {
		t.Fatal(err)
	}
	for {
		ev, err := conn.Recv(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type == "response.output_text.delta" {
			break
		}
	}
	conn.Abort() // the client leaves while the upstream stalls
	rec := e.recorded(t, 1)[0]
	if rec.ErrorKind != llm.KindCanceled || rec.StreamFailed || rec.Deployment != "gpt-4o-mini" {
		t.Errorf("record: error kind %q, stream failed %v, deployment %q", rec.ErrorKind, rec.StreamFailed, rec.Deployment)
	}
	waitNoSockets(t, e)
}

// waitNoSockets waits until e's router serves no WebSocket connection,
// each one's goroutines returned (goleak checks the package at its end
// too): the router's own count, as other tests' connections run side by
// side.
func waitNoSockets(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for e.Router.OpenSockets() != 0 {
		if ctx.Err() != nil {
			t.Fatalf("%d WebSocket connections of the router still running", e.Router.OpenSockets())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
