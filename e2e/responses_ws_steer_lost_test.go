package e2e

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/openai/openai-go/v3/responses"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/server"
)

// A steer accepted for a response that had begun a call (so it did not
// stop) is never committed when the client then closes the connection:
// the router cannot tell it on that connection any more, so it logs the
// steer as not delivered — the response it steered, its id, why — and
// never its input — and the response's request log row counts it. Before,
// it was dropped without a word.
func TestResponsesWebSocketSteerLostOnDisconnect(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	e, _ := newTapEnvWith(t, nil, server.RouterOptions{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	conn := wsConnect(t, e, "demo-key")
	lane := wsLane(t, conn, "tools")
	ev := laneCreate("tools", "gpt-4o-mini", "Use get_weather: what's the weather in Paris? [[sim:stall=1h]]", "")
	ev.Tools = []responses.ToolUnionParam{responsesWeather}
	wsSend(t, conn, ev)
	created := laneUntil(t, lane, "tools", "response.created").AsResponseCreated().Response
	laneUntil(t, lane, "tools", "response.output_item.added")
	wsSteer(t, conn, created.ID, "Answer in Fahrenheit, secretly.")
	acc := laneUntil(t, lane, "tools", "response.steer.accepted").AsResponseSteerAcceptedEvent()
	conn.Close()
	llmtest.WaitFor(t, "the undelivered steer logged", func() bool {
		return bytes.Contains(logs.Bytes(), []byte("steering input not delivered"))
	})
	var line []byte
	for l := range bytes.Lines(logs.Bytes()) {
		if bytes.Contains(l, []byte("steering input not delivered")) {
			line = l
		}
	}
	for _, want := range []string{"response_id=" + created.ID, "lane=tools", "steers=1", acc.Steer.ID, "reason=client_left_mid_response"} {
		if !bytes.Contains(line, []byte(want)) {
			t.Errorf("the log line lacks %s: %s", want, line)
		}
	}
	if bytes.Contains(logs.Bytes(), []byte("secretly")) {
		t.Error("the steering input was logged")
	}
	// The response's row in the request log says so too
	// (explanation.steers_undelivered).
	steered := func(r record.Record) bool { return r.SteersUndelivered > 0 }
	n, recs := e.recordedWhere(t, 1, steered)
	if n != 1 {
		t.Fatalf("%d records count undelivered steers, want 1", n)
	}
	for i := range recs {
		if r := &recs[i]; steered(*r) {
			if r.SteersUndelivered != 1 || r.ErrorKind != llm.KindCanceled || record.Row(r).Explanation.SteersUndelivered != 1 {
				t.Errorf("the response's record: %d undelivered, %q", r.SteersUndelivered, r.ErrorKind)
			}
		}
	}
}
