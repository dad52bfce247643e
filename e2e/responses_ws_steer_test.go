package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/llm"
	"switchyard/record"
)

// This file tests WebSocket mode's response.steer (beta) with openai-go's
// own client: its typed steer event (ResponseConnection.Send) and its
// lanes, which route the steering events by the steered response's
// stream_id.

// wsSteer sends a response.steer of input (a string) to response prev.
func wsSteer(t *testing.T, conn *responses.ResponseConnection, prev, input string) {
	t.Helper()
	ev := responses.ResponsesClientEventUnionParam{OfResponseSteer: &responses.ResponseSteerEventParam{
		PreviousResponseID: prev, Input: responses.ResponseSteerInputUnionParam{OfString: openai.String(input)}}}
	if err := conn.Send(ctxT(t), ev); err != nil {
		t.Fatalf("Send(response.steer): %v", err)
	}
}

// steerFailed reads lane's next event, which must be response.steer.failed.
func steerFailed(t *testing.T, lane *responses.ResponseLane) responses.ResponseSteerFailedEvent {
	t.Helper()
	ev, err := lane.Recv(ctxT(t))
	if err != nil || ev.Type != "response.steer.failed" {
		t.Fatalf("want response.steer.failed, got %s (%v)", ev.RawJSON(), err)
	}
	return ev.AsResponseSteerFailedEvent()
}

// upstreamUserTexts are the user messages' texts of the last chat
// completion the router sent upstream.
func upstreamUserTexts(t *testing.T, tp *tap) []string {
	t.Helper()
	var msgs []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(tp.lastBody(t, "/chat/completions")["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Role == "user" {
			out = append(out, string(m.Content))
		}
	}
	return out
}

// A response streaming on a lane, stalled after its first words, is
// steered: the steer is accepted at once on the lane; the response stops
// there, incomplete for reason steered with its text so far and its
// (estimated) usage, recorded and billed; then its successor, which the
// client did not send, is created on the same lane, continuing it with
// the steering input, which the upstream gets as the last user turn. A
// steer of a response that completed, and one whose input is not user
// messages, fail on the lane with the input returned.
func TestResponsesWebSocketSteer(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	lane := wsLane(t, conn, "agent")
	wsSend(t, conn, laneCreate("agent", "gpt-4o-mini", "Tell me a long story about rivers. [[sim:stall=1h]]", ""))
	created := laneUntil(t, lane, "agent", "response.created").AsResponseCreated().Response
	laneUntil(t, lane, "agent", "response.output_text.delta")
	wsSteer(t, conn, created.ID, "Make it about lakes instead.")
	acc := laneUntil(t, lane, "agent", "response.steer.accepted").AsResponseSteerAcceptedEvent()
	if !strings.HasPrefix(acc.Steer.ID, "steer_") || acc.Steer.PreviousResponseID != created.ID || acc.StreamID != "agent" {
		t.Fatalf("accepted %s", acc.RawJSON())
	}
	steered := laneFinal(t, lane)
	if steered.ID != created.ID || steered.Status != "incomplete" || steered.IncompleteDetails.Reason != "steered" {
		t.Fatalf("the steered response: %s %q %q", steered.ID, steered.Status, steered.IncompleteDetails.Reason)
	}
	if steered.OutputText() == "" || steered.Usage.OutputTokens == 0 || steered.Usage.InputTokens == 0 {
		t.Fatalf("the steered response's partial output %q, usage %+v", steered.OutputText(), steered.Usage)
	}
	next := laneUntil(t, lane, "agent", "response.created").AsResponseCreated().Response
	if next.ID == created.ID || next.PreviousResponseID != created.ID {
		t.Fatalf("the successor %s continues %q", next.ID, next.PreviousResponseID)
	}
	done := laneFinal(t, lane)
	if done.ID != next.ID || done.Status != "completed" {
		t.Fatalf("the successor ended %s %q", done.ID, done.Status)
	}
	users := upstreamUserTexts(t, tp)
	if len(users) != 2 || !strings.Contains(users[0], "rivers") || !strings.Contains(users[1], "Make it about lakes instead.") {
		t.Fatalf("the successor's upstream user turns: %q", users)
	}
	_, recs := e.recordedWhere(t, 2, func(record.Record) bool { return true })
	// Billed for what was generated before the steer: estimated on a
	// Chat Completions upstream (its usage comes only at the end), the
	// provider's running count where it sends one (Gemini's, should the
	// stalled attempt have failed over there first).
	if r := recs[0]; r.ErrorKind != llm.KindCanceled || r.Usage.CompletionTokens == 0 || r.Deployment == "gpt-4o-mini" && !r.Usage.Estimated {
		t.Errorf("the steered response's record on %s: %q, usage %+v", r.Deployment, r.ErrorKind, r.Usage)
	}

	wsSteer(t, conn, done.ID, "Too late.")
	if f := steerFailed(t, lane); f.Error.Code != "response_already_completed" || f.Steer.Input.OfString != "Too late." || f.StreamID != "agent" {
		t.Fatalf("a steer after completion: %s", f.RawJSON())
	}
	bad := `{"type":"response.steer","previous_response_id":"` + done.ID + `","input":[{"role":"assistant","content":"x"}]}`
	if err := conn.SendRaw(ctxT(t), json.RawMessage(bad)); err != nil {
		t.Fatal(err)
	}
	if f := steerFailed(t, lane); f.Error.Code != "invalid_input" || f.Steer.ID != "" || !strings.Contains(f.Steer.Input.RawJSON(), "assistant") {
		t.Fatalf("an invalid steer: %s", f.RawJSON())
	}
	wsSteer(t, conn, "resp_nope", "Anyone?")
	if f := connSteerFailed(t, conn); f.Error.Code != "response_not_found" || f.StreamID != "" {
		t.Fatalf("a steer of no response: %s", f.RawJSON())
	}
	for _, raw := range []string{
		`{"type":"response.steer","input":"faster"}`,
		`{"type":"response.steer","previous_response_id":"resp_nope","input":"faster","stream_id":"agent"}`,
	} {
		if err := conn.SendRaw(ctxT(t), json.RawMessage(raw)); err != nil {
			t.Fatal(err)
		}
		if f := connSteerFailed(t, conn); f.Error.Code != "invalid_input" || f.Error.Type != "invalid_request_error" || f.Steer.Input.OfString != "faster" {
			t.Fatalf("%s: %s", raw, f.RawJSON())
		}
	}
}

// connSteerFailed reads the connection's next unclaimed event, which must
// be response.steer.failed.
func connSteerFailed(t *testing.T, conn *responses.ResponseConnection) responses.ResponseSteerFailedEvent {
	t.Helper()
	ev, err := conn.Recv(ctxT(t))
	if err != nil || ev.Type != "response.steer.failed" {
		t.Fatalf("want response.steer.failed, got %s (%v)", ev.RawJSON(), err)
	}
	return ev.AsResponseSteerFailedEvent()
}

// A response that calls a function while a steer comes is not cut: it
// ends completed with its call, the steer stays queued and
// response.steer.pending names the call's result as required input; the
// client's continuation on that lane gets the steering input before its
// own, which the upstream sees.
func TestResponsesWebSocketSteerPending(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	lane := wsLane(t, conn, "tools")
	ev := laneCreate("tools", "gpt-4o-mini", "Use get_weather: what's the weather in Paris? [[sim:stall=1s]]", "")
	ev.Tools = []responses.ToolUnionParam{responsesWeather}
	wsSend(t, conn, ev)
	created := laneUntil(t, lane, "tools", "response.created").AsResponseCreated().Response
	laneUntil(t, lane, "tools", "response.output_item.added")
	wsSteer(t, conn, created.ID, "Answer in Fahrenheit.")
	acc := laneUntil(t, lane, "tools", "response.steer.accepted").AsResponseSteerAcceptedEvent()
	first := laneFinal(t, lane)
	if first.Status != "completed" || len(first.Output) == 0 || first.Output[0].Type != "function_call" {
		t.Fatalf("the response with a call: %q %+v", first.Status, first.Output)
	}
	call := first.Output[0].AsFunctionCall()
	pend, err := lane.Recv(ctxT(t))
	if err != nil || pend.Type != "response.steer.pending" {
		t.Fatalf("want response.steer.pending, got %s (%v)", pend.RawJSON(), err)
	}
	p := pend.AsResponseSteerPendingEvent()
	if p.Steer.ID != acc.Steer.ID || p.Reason != "waiting_for_required_input" || len(p.RequiredInput) != 1 ||
		p.RequiredInput[0].Type != "function_call_output" || p.RequiredInput[0].AsResponseSteerRequiredInputFunctionCallOutput().CallID != call.CallID {
		t.Fatalf("pending %s", pend.RawJSON())
	}
	out := responses.ResponseInputParam{{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(call.CallID),
		Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temperature_c": 17}`)}}}}
	cont := laneCreate("tools", "gpt-4o-mini", "", first.ID)
	cont.Tools, cont.Input = ev.Tools, responses.ResponsesClientEventResponseCreateInputUnionParam{OfResponse: &out}
	wsSend(t, conn, cont)
	if resp := laneFinal(t, lane); resp.Status != "completed" || resp.PreviousResponseID != first.ID {
		t.Fatalf("the continuation: %q %q", resp.Status, resp.PreviousResponseID)
	}
	users := upstreamUserTexts(t, tp)
	if len(users) != 2 || !strings.Contains(users[1], "Answer in Fahrenheit.") {
		t.Fatalf("the continuation's upstream user turns: %q", users)
	}
}

// steeredOnLane sends input on lane (a response that stalls after its
// first words), steers it with steer once it streams, and returns the
// steered response, incomplete (steered), and the accepted steer's id.
func steeredOnLane(t *testing.T, conn *responses.ResponseConnection, lane *responses.ResponseLane, id string, ev responses.ResponsesClientEventResponseCreateParam, steer string) (*responses.Response, string) {
	t.Helper()
	wsSend(t, conn, ev)
	created := laneUntil(t, lane, id, "response.created").AsResponseCreated().Response
	laneUntil(t, lane, id, "response.output_text.delta")
	wsSteer(t, conn, created.ID, steer)
	acc := laneUntil(t, lane, id, "response.steer.accepted").AsResponseSteerAcceptedEvent()
	steered := laneFinal(t, lane)
	if steered.ID != created.ID || steered.Status != "incomplete" || steered.IncompleteDetails.Reason != "steered" {
		t.Fatalf("the steered response: %s %q %q", steered.ID, steered.Status, steered.IncompleteDetails.Reason)
	}
	return steered, acc.Steer.ID
}

// A successor the route refuses (every deployment says the prompt is too
// long) is never created: the steer comes back on the lane in
// response.steer.failed (successor_creation_failed) with its id and
// input, and no error event, since the client sent no create; the lane
// goes on. A response stored (store true) that is steered is kept,
// incomplete (steered), and can be retrieved.
func TestResponsesWebSocketSteerSuccessorFails(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	conn := wsConnect(t, e, respKeyA)
	lane := wsLane(t, conn, "w")
	ev := laneCreate("w", "gpt-4o-mini", "Tell me a long story about rivers. [[sim:stall=1h]]", "")
	ev.Store = openai.Bool(true)
	steered, steerID := steeredOnLane(t, conn, lane, "w", ev, "Now this. [[sim:context_length]]")
	f := steerFailed(t, lane)
	if f.Error.Code != "successor_creation_failed" || f.Steer.ID != steerID || f.Steer.Input.OfString != "Now this. [[sim:context_length]]" || f.Steer.PreviousResponseID != steered.ID {
		t.Fatalf("the successor's failure: %s", f.RawJSON())
	}
	got, err := e.Client.Responses.Get(ctxT(t), steered.ID, responses.ResponseGetParams{})
	if err != nil || got.Status != "incomplete" || got.IncompleteDetails.Reason != "steered" || got.OutputText() != steered.OutputText() {
		t.Fatalf("the stored steered response: %v %+v", err, got)
	}
	wsSend(t, conn, laneCreate("w", "gpt-4o-mini", "Go on, briefly.", steered.ID))
	if resp := laneFinal(t, lane); resp.Status != "completed" || resp.PreviousResponseID != steered.ID {
		t.Fatalf("the lane after the failure: %q %q", resp.Status, resp.PreviousResponseID)
	}
}

// A response made in a conversation cannot be steered: the steer fails
// on its lane with steering_not_supported; the response goes on (here,
// stalled, until the client leaves).
func TestResponsesWebSocketSteerConversation(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), nil)
	conv, err := e.Client.Conversations.New(ctxT(t), conversations.ConversationNewParams{})
	if err != nil {
		t.Fatal(err)
	}
	conn := wsConnect(t, e, respKeyA)
	lane := wsLane(t, conn, "c")
	ev := laneCreate("c", "gpt-4o-mini", "Tell me about rivers. [[sim:stall=1h]]", "")
	ev.Store, ev.Conversation = openai.Bool(true), responses.ResponsesClientEventResponseCreateConversationUnionParam{OfString: openai.String(conv.ID)}
	wsSend(t, conn, ev)
	created := laneUntil(t, lane, "c", "response.created").AsResponseCreated().Response
	laneUntil(t, lane, "c", "response.output_text.delta")
	wsSteer(t, conn, created.ID, "Lakes instead.")
	if f := laneUntil(t, lane, "c", "response.steer.failed").AsResponseSteerFailedEvent(); f.Error.Code != "steering_not_supported" || f.Steer.ID != "" {
		t.Fatalf("a steer in a conversation: %s", f.RawJSON())
	}
	conn.Abort()
	waitNoSockets(t, e)
}
