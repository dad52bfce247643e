package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/provider/providertest"
)

// A stream that breaks after its first text, with no other deployment to
// continue it, ends in the client's own error event and never in a
// success: on the Messages API (anthropic-sdk-go) an `event: error` of
// the type the break calls for (overloaded_error for an upstream's
// overload, timeout_error for a stall, api_error for a cut or garbage)
// and no message_delta stop_reason nor message_stop after the text; on
// the Responses API (openai-go) a response.failed (status failed, with
// its error) or an error event, and no response.completed or
// response.incomplete. From every upstream kind.
func TestMidStreamFaultsEndInError(t *testing.T) {
	t.Parallel()
	garbage := func(f providertest.Format) string {
		return f.Start + f.Text("Hel") + strings.Repeat("data: {\"choices\":[{\"delta\":\n\n", 5)
	}
	faults := []matrixFault{
		{name: "cut after text", fault: events(func(f providertest.Format) string { return f.Start + f.Text("Hel") })},
		{name: "stall after text", status: http.StatusGatewayTimeout, fault: func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte(f.Start + f.Text("Hel")))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		{name: "garbage after text", fault: events(garbage)},
		{name: "overloaded after text", eventStatus: true, fault: events(func(f providertest.Format) string {
			return f.Start + f.Text("Hel") + f.ErrorEvent
		})},
	}
	var cells []matrixCell
	for _, f := range faults {
		for _, k := range campaignKinds {
			for _, ep := range []string{"messages", "responses"} {
				cells = append(cells, matrixCell{id: len(cells), fault: f, kind: k.kind, format: k.format, endpoint: ep, stream: true})
			}
		}
	}
	e := newMatrixEnv(t, cells)
	replies := make([]matrixReply, len(cells))
	var wg sync.WaitGroup
	for i := range cells {
		wg.Go(func() { replies[i] = askMatrix(e, cells[i], "a") })
	}
	wg.Wait()
	for i, cell := range cells {
		t.Run(cell.name(), func(t *testing.T) {
			rp := replies[i]
			if rp.status != http.StatusOK || rp.text != "Hel" || rp.err == nil {
				t.Fatalf("status %d, text %q, SDK error %v; want the text, then an error: %.600s", rp.status, rp.text, rp.err, rp.raw)
			}
			ev := streamErrorEvent(cell.endpoint, rp.raw)
			if ev == nil {
				t.Fatalf("no error event in %.800s", rp.raw)
			}
			wantMatrixErrorShape(t, "a", cell.endpoint, ev, 0, true)
			names := eventNames(rp.raw)
			if cell.endpoint == "messages" {
				wantAnthropicErrorType(t, cell, ev)
				for _, bad := range []string{"message_stop", "message_delta"} {
					if names[bad] {
						t.Errorf("the stream has a %s beside its error: %.800s", bad, rp.raw)
					}
				}
				return
			}
			for _, bad := range []string{"response.completed", "response.incomplete"} {
				if names[bad] {
					t.Errorf("the stream has a %s beside its error: %.800s", bad, rp.raw)
				}
			}
			wantResponsesFailure(t, ev)
		})
	}
}

// wantAnthropicErrorType asserts the type of a Messages stream's error
// event: the upstream's own error event's kind, a stall's timeout_error,
// else api_error.
func wantAnthropicErrorType(t *testing.T, cell matrixCell, ev []byte) {
	t.Helper()
	status := cell.fault.status
	if cell.fault.eventStatus {
		status = (&llm.Error{Kind: cell.format.ErrorKind}).HTTPStatus()
	}
	if status == http.StatusServiceUnavailable {
		status = 529
	}
	var e struct{ Error struct{ Type string } }
	json.Unmarshal(ev, &e)
	if want := anthropicTypeFor(status); e.Error.Type != want {
		t.Errorf("error event of type %q, want %q: %s", e.Error.Type, want, ev)
	}
}

// wantResponsesFailure asserts a Responses stream's failure as OpenAI
// sends one: response.failed with status failed and its error's code and
// message, or an error event with its code and message.
func wantResponsesFailure(t *testing.T, ev []byte) {
	t.Helper()
	var e struct {
		Type, Code, Message string
		Response            struct {
			Status string
			Error  struct{ Code, Message string }
		}
	}
	json.Unmarshal(ev, &e)
	switch e.Type {
	case "response.failed":
		if e.Response.Status != "failed" || e.Response.Error.Code == "" || e.Response.Error.Message == "" {
			t.Errorf("response.failed without status failed and its error: %s", ev)
		}
	case "error":
		if e.Code == "" || e.Message == "" {
			t.Errorf("error event without its code and message: %s", ev)
		}
	default:
		t.Errorf("failure event of type %q: %s", e.Type, ev)
	}
}

// eventNames are the SSE event names of raw.
func eventNames(raw []byte) map[string]bool {
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			names[name] = true
		}
	}
	return names
}
