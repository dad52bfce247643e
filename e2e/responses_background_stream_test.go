package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// Streamed background responses with openai-go: a client that drops the
// stream does not stop the response, and picks it up again with
// starting_after (as the SDKs resume), while it runs and after it ended;
// and two routers sharing PostgreSQL: a response created on one is
// polled, followed and cancelled on the other.

// readEvents reads s until it ends, or until stop says so of an event
// (then the stream is left there), and returns the events read.
func readEvents(t *testing.T, s *ssestream.Stream[responses.ResponseStreamEventUnion], stop func(responses.ResponseStreamEventUnion) bool) []responses.ResponseStreamEventUnion {
	t.Helper()
	var out []responses.ResponseStreamEventUnion
	for s.Next() {
		ev := s.Current()
		out = append(out, ev)
		if stop != nil && stop(ev) {
			return out
		}
	}
	if err := s.Err(); err != nil {
		t.Fatalf("stream after %d events: %v", len(out), err)
	}
	return out
}

// checkSequence fails t unless evs are numbered from first on, without a
// gap, and end with response.completed.
func checkSequence(t *testing.T, what string, evs []responses.ResponseStreamEventUnion, first int64) {
	t.Helper()
	for i, ev := range evs {
		if ev.SequenceNumber != first+int64(i) {
			t.Fatalf("%s: event %d (%s) is number %d, want %d", what, i, ev.Type, ev.SequenceNumber, first+int64(i))
		}
	}
	if len(evs) == 0 || evs[len(evs)-1].Type != "response.completed" {
		t.Fatalf("%s: %d events, not ending with response.completed", what, len(evs))
	}
}

// deltas joins the output text deltas of evs.
func deltas(evs []responses.ResponseStreamEventUnion) string {
	var b strings.Builder
	for _, ev := range evs {
		if ev.Type == "response.output_text.delta" {
			b.WriteString(ev.Delta)
		}
	}
	return b.String()
}

func TestResponsesBackgroundStreamResumed(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			e := bgEnv(t, st, 3*time.Second, nil)
			c := e.Client
			// The simulator pauses a second after its first event: the
			// client leaves once the response is in progress.
			ctx, drop := context.WithCancel(ctxT(t))
			s := c.Responses.NewStreaming(ctx, background("gpt-4o-mini", "Tell me about rivers. [[sim:stall=1s]]"))
			head := readEvents(t, s, func(ev responses.ResponseStreamEventUnion) bool { return ev.Type == "response.in_progress" })
			drop()
			s.Close()
			if names := eventTypes(head); names != "response.created response.queued response.in_progress" {
				t.Fatalf("the first events: %s", names)
			}
			id, last := head[0].Response.ID, head[len(head)-1].SequenceNumber
			if head[0].Response.Status != responses.ResponseStatusQueued || !head[0].Response.Background {
				t.Fatalf("created: %s", head[0].RawJSON())
			}
			// Resumed while it runs: the rest, from the next event on.
			rest := readEvents(t, c.Responses.GetStreaming(ctxT(t), id, responses.ResponseGetParams{StartingAfter: openai.Int(last)}), nil)
			checkSequence(t, "resumed", rest, last+1)
			final := rest[len(rest)-1].Response
			if final.Status != responses.ResponseStatusCompleted || final.OutputText() == "" || deltas(rest) != final.OutputText() {
				t.Fatalf("resumed: deltas %q, final %s", deltas(rest), final.RawJSON())
			}
			// Replayed once it ended, from any event.
			replay := readEvents(t, c.Responses.GetStreaming(ctxT(t), id, responses.ResponseGetParams{StartingAfter: openai.Int(0)}), nil)
			checkSequence(t, "replayed", replay, 1)
			if deltas(replay) != final.OutputText() {
				t.Errorf("replayed deltas %q, want %q", deltas(replay), final.OutputText())
			}
			if got := waitStatus(t, c, id, responses.ResponseStatusCompleted); got.OutputText() != final.OutputText() {
				t.Errorf("retrieved %q, streamed %q", got.OutputText(), final.OutputText())
			}
			// A background response created without stream, and a bad
			// starting_after, are refused.
			polled, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "hi"))
			if err != nil {
				t.Fatal(err)
			}
			bad := c.Responses.GetStreaming(ctxT(t), polled.ID, responses.ResponseGetParams{})
			var apiErr *openai.Error
			if bad.Next() || !errors.As(bad.Err(), &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "stream" || !strings.Contains(apiErr.Message, "created with stream true") {
				t.Errorf("streaming a polled response: %v", bad.Err())
			}
			resp, body := getAs(t, e.URL+"/v1/responses/"+id+"?stream=true&starting_after=-3", respKeyA)
			if resp != 400 || !strings.Contains(body, `"param":"starting_after"`) {
				t.Errorf("starting_after -3: %d %s", resp, body)
			}
			// Once its events are past their retention, streaming it again
			// says so; the response itself is still there.
			if _, err := st.(store.BackgroundLog).DeleteEvents(context.Background(), time.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			resp, body = getAs(t, e.URL+"/v1/responses/"+id+"?stream=true&starting_after=3", respKeyA)
			if resp != 400 || !strings.Contains(body, `"code":"events_expired"`) {
				t.Errorf("streamed again past the events' retention: %d %s", resp, body)
			}
			waitStatus(t, c, id, responses.ResponseStatusCompleted)
		})
	}
}

// eventTypes joins the types of evs.
func eventTypes(evs []responses.ResponseStreamEventUnion) string {
	names := make([]string, len(evs))
	for i, ev := range evs {
		names[i] = ev.Type
	}
	return strings.Join(names, " ")
}

// getAs GETs url with key and returns the status and body.
func getAs(t *testing.T, url, key string) (int, string) {
	t.Helper()
	code, b := callAs(t, "GET", url, key)
	return code, string(b)
}

// Two routers sharing PostgreSQL: a response created on A is followed
// and polled on B; one cancelled on B stops on A at A's next lease
// renewal (a third of the lease).
func TestResponsesBackgroundTwoRouters(t *testing.T) {
	t.Parallel()
	dsn := pgtest.FreshSchema(t)
	open := func() store.Store {
		s, err := postgres.Open(context.Background(), dsn)
		return closing(t, s, err)
	}
	a := bgEnv(t, open(), 3*time.Second, nil)
	b := bgEnv(t, open(), 3*time.Second, nil)
	ca, cb := a.Client, b.Client

	s := ca.Responses.NewStreaming(ctxT(t), background("gpt-4o-mini", "Tell me about lakes. [[sim:stall=1s]]"))
	head := readEvents(t, s, func(ev responses.ResponseStreamEventUnion) bool { return ev.Type == "response.created" })
	s.Close()
	id := head[0].Response.ID
	all := readEvents(t, cb.Responses.GetStreaming(ctxT(t), id, responses.ResponseGetParams{}), nil)
	checkSequence(t, "followed on B", all, 0)
	if got := waitStatus(t, cb, id, responses.ResponseStatusCompleted); got.OutputText() != deltas(all) {
		t.Errorf("polled on B: %q, streamed %q", got.OutputText(), deltas(all))
	}

	created, err := ca.Responses.New(ctxT(t), background("gpt-4o-mini", "Write a long story. [[sim:stall=20s]]"))
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, cb, created.ID, responses.ResponseStatusInProgress)
	start := time.Now()
	cancelled, err := cb.Responses.Cancel(ctxT(t), created.ID)
	if err != nil || cancelled.Status != responses.ResponseStatusCancelled {
		t.Fatalf("cancel on B: %v %v", cancelled, err)
	}
	rec := recordOf(t, a, requestID(created.ID))
	took := time.Since(start)
	if rec.ErrorKind != llm.KindCanceled || took > 3*time.Second {
		t.Errorf("A's run ended %v after the cancel on B (lease 3s: renewed every 1s), recorded as %q", took, rec.ErrorKind)
	}
	t.Logf("cancelled on B: A's run recorded %v after the cancel was sent (lease 3s, renewed every 1s)", took)
	if got := waitStatus(t, ca, created.ID, responses.ResponseStatusCancelled); got.Status != responses.ResponseStatusCancelled {
		t.Fatal(got.Status)
	}
}
