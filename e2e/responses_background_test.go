package e2e

import (
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
	"switchyard/store"
)

// Background responses with openai-go, unchanged: created, polled to
// their end, cancelled while they run, refused when they cannot run; on
// both store back ends.

// bgEnv is a stored-responses router (tenants A and B) whose background
// responses hold a lease of lease; edit adjusts the rest.
func bgEnv(t *testing.T, st store.Store, lease time.Duration, edit func(*config.Config)) *env {
	t.Helper()
	e, _ := storedEnv(t, st, func(c *config.Config) {
		c.Responses.Background.Lease = lease
		if edit != nil {
			edit(c)
		}
	})
	return e
}

// background is a background request for model with input.
func background(model, input string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: model, Input: inputText(input), Background: openai.Bool(true)}
}

// waitStatus polls the response id with c until its status is one of
// want, and returns it.
func waitStatus(t *testing.T, c openai.Client, id string, want ...responses.ResponseStatus) *responses.Response {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		r, err := c.Responses.Get(ctxT(t), id, responses.ResponseGetParams{})
		if err != nil {
			t.Fatalf("poll %s: %v", id, err)
		}
		for _, w := range want {
			if r.Status == w {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is %s after 15s, want %v: %s", id, r.Status, want, r.RawJSON())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// requestID is the request id of the response id.
func requestID(id string) string { return "req_" + strings.TrimPrefix(id, "resp_") }

func TestResponsesBackgroundPolled(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e := bgEnv(t, b.open(t), 3*time.Second, nil)
			c := e.Client
			var hr *http.Response
			created, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "What is the capital of France?"), option.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if created.Status != responses.ResponseStatusQueued || !created.Background || !storeFlag(t, created.RawJSON()) ||
				created.ID != "resp_"+strings.TrimPrefix(hr.Header.Get("x-switchyard-request-id"), "req_") {
				t.Fatalf("created: %s", created.RawJSON())
			}
			start := time.Now()
			done := waitStatus(t, c, created.ID, responses.ResponseStatusCompleted)
			t.Logf("created, then completed %v later (polled every 20ms)", time.Since(start))
			if done.OutputText() == "" || !done.Background || done.Usage.TotalTokens == 0 || done.Model == "" {
				t.Fatalf("completed: %s", done.RawJSON())
			}
			// The run went through the pipeline: recorded, billed, tenant A's.
			rec := recordOf(t, e, requestID(created.ID))
			if rec.Endpoint != "chat" || rec.Status != 200 || rec.CostUSD <= 0 || rec.Tenant != respTenantA || rec.Deployment != "gpt-4o-mini" {
				t.Errorf("record: endpoint %s status %d cost %v tenant %q deployment %q", rec.Endpoint, rec.Status, rec.CostUSD, rec.Tenant, rec.Deployment)
			}
			rate(t, e, respKeyA, requestID(created.ID), http.StatusNoContent)
			// Another tenant finds nothing, to read or to cancel.
			other := e.clientWith(respKeyB)
			_, err = other.Responses.Get(ctxT(t), created.ID, responses.ResponseGetParams{})
			wantAPIError(t, "tenant B reads it", err, 404, "")
			_, err = other.Responses.Cancel(ctxT(t), created.ID)
			wantAPIError(t, "tenant B cancels it", err, 404, "")
			// Cancelling it once done answers it as it is.
			again, err := c.Responses.Cancel(ctxT(t), created.ID)
			if err != nil || again.Status != responses.ResponseStatusCompleted || again.OutputText() != done.OutputText() {
				t.Errorf("cancel once completed: %v %v", again, err)
			}
			// Its input items read as a stored response's; a later turn
			// continues it.
			page, err := c.Responses.InputItems.List(ctxT(t), created.ID, responses.InputItemListParams{})
			if err != nil || len(page.Data) != 1 {
				t.Fatalf("input items: %v %v", page, err)
			}
			next, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", PreviousResponseID: openai.String(created.ID), Input: inputText("And of Italy?")})
			if err != nil || next.PreviousResponseID != created.ID {
				t.Fatalf("continuing it: %v %v", next, err)
			}
		})
	}
}

// recordOf waits for the record of request id and returns it.
func recordOf(t *testing.T, e *env, id string) record.Record {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		e.mu.Lock()
		for _, r := range e.records {
			if r.RequestID == id {
				e.mu.Unlock()
				return r
			}
		}
		e.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no record of %s", id)
		}
	}
}

// rate posts a thumbs-up for request id with key and checks the status.
func rate(t *testing.T, e *env, key, id string, status int) {
	t.Helper()
	resp, b := post(t, e.URL+"/v1/feedback", key, []byte(`{"request_id":"`+id+`","thumbs":"up"}`))
	if resp.StatusCode != status {
		t.Errorf("rating %s: %d %s, want %d", id, resp.StatusCode, b, status)
	}
}

// A background response cancelled while its upstream call runs (the
// simulator stalls it) is cancelled at once: its upstream call ends (the
// request is recorded, what was spent billed), it reads cancelled, and a
// cancel again answers the same.
func TestResponsesBackgroundCancel(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e := bgEnv(t, b.open(t), 3*time.Second, nil)
			c := e.Client
			created, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "Write a long story. [[sim:stall=20s]]"))
			if err != nil {
				t.Fatal(err)
			}
			waitStatus(t, c, created.ID, responses.ResponseStatusInProgress)
			start := time.Now()
			cancelled, err := c.Responses.Cancel(ctxT(t), created.ID)
			if err != nil || cancelled.Status != responses.ResponseStatusCancelled || cancelled.ID != created.ID || !cancelled.Background {
				t.Fatalf("cancel: %v %v", cancelled, err)
			}
			rec := recordOf(t, e, requestID(created.ID))
			took := time.Since(start)
			if took > 5*time.Second || rec.ErrorKind != llm.KindCanceled {
				t.Errorf("the upstream call ended %v after the cancel, recorded %+v", took, rec)
			}
			t.Logf("cancelled on the router running it: its run recorded %v after the cancel was sent", took)
			if got := waitStatus(t, c, created.ID, responses.ResponseStatusCancelled); got.Status != responses.ResponseStatusCancelled {
				t.Fatal(got.Status)
			}
			again, err := c.Responses.Cancel(ctxT(t), created.ID)
			if err != nil || again.Status != responses.ResponseStatusCancelled {
				t.Errorf("cancel again: %v %v", again, err)
			}
			// A response not created in the background cannot be cancelled.
			fg, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("hi")})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Responses.Cancel(ctxT(t), fg.ID)
			wantAPIError(t, "cancel a synchronous response", err, 400, "response_not_cancellable")
		})
	}
}

// What cannot run in the background is refused in OpenAI's error shape:
// store false, a router that keeps no responses, a full queue (429).
func TestResponsesBackgroundRefused(t *testing.T) {
	t.Parallel()
	e := bgEnv(t, storeBackends[0].open(t), 3*time.Second, func(c *config.Config) {
		c.Responses.Background.MaxConcurrent, c.Responses.Background.MaxQueued = 1, 1
	})
	c := e.Client
	p := background("gpt-4o-mini", "hi")
	p.Store = openai.Bool(false)
	_, err := c.Responses.New(ctxT(t), p)
	wantAPIError(t, "background with store false", err, 400, "")
	var ids []string
	for range 2 {
		r, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "Take your time. [[sim:stall=20s]]"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	_, err = c.Responses.New(ctxT(t), background("gpt-4o-mini", "One more."))
	wantAPIError(t, "a third with one running and one queued", err, 429, "background_queue_full")
	for _, id := range ids {
		if r, err := c.Responses.Cancel(ctxT(t), id); err != nil || r.Status != responses.ResponseStatusCancelled {
			t.Errorf("cancel %s: %v %v", id, r, err)
		}
	}
	// Their places free as their runs end, at once.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r, err := c.Responses.New(ctxT(t), background("gpt-4o-mini", "Now there is room."))
		if err == nil {
			waitStatus(t, c, r.ID, responses.ResponseStatusCompleted)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the cancels: %v", err)
		}
	}

	stateless := newEnv(t, nil) // no store
	_, err = stateless.Client.Responses.New(ctxT(t), background("gpt-4o-mini", "hi"))
	wantAPIError(t, "background without a store", err, 400, "unsupported_parameter")
}

// POST /v1/responses/input_tokens counts as the router counts a prompt:
// more input, more tokens; the conversation continued included; a model
// the caller may not ask for is a 404.
func TestResponsesInputTokens(t *testing.T) {
	t.Parallel()
	e := bgEnv(t, storeBackends[0].open(t), 3*time.Second, nil)
	c := e.Client
	count := func(p responses.InputTokenCountParams) int64 {
		t.Helper()
		r, err := c.Responses.InputTokens.Count(ctxT(t), p)
		if err != nil {
			t.Fatal(err)
		}
		return r.InputTokens
	}
	short := count(responses.InputTokenCountParams{Model: openai.String("gpt-4o-mini"), Input: responses.InputTokenCountParamsInputUnion{OfString: openai.String("Tell me a joke.")}})
	long := count(responses.InputTokenCountParams{Model: openai.String("auto"), Input: responses.InputTokenCountParamsInputUnion{OfString: openai.String(strings.Repeat("Tell me a joke. ", 50))}})
	if short <= 0 || long <= 10*short {
		t.Errorf("counts: %d for a short input, %d for fifty times it", short, long)
	}
	first, err := c.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("Tell me a joke.")})
	if err != nil {
		t.Fatal(err)
	}
	continued := count(responses.InputTokenCountParams{PreviousResponseID: openai.String(first.ID), Input: responses.InputTokenCountParamsInputUnion{OfString: openai.String("Another.")}})
	if continued <= short {
		t.Errorf("a continuation counts %d, no more than its first turn alone (%d)", continued, short)
	}
	_, err = c.Responses.InputTokens.Count(ctxT(t), responses.InputTokenCountParams{Model: openai.String("no-such-model"), Input: responses.InputTokenCountParamsInputUnion{OfString: openai.String("x")}})
	wantAPIError(t, "an unknown model", err, 404, "model_not_found")
}
