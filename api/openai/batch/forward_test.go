package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// forwardEnv is a runner forwarding through f, its local requests
// counted in sent.
type forwardEnv struct {
	st   *sqlite.DB
	r    *Runner
	f    *fakeForwarder
	sent atomic.Int32
	// earlier is the deployment of each earlier call the local requests
	// carried (EarlierOf).
	earlier chan string
}

func newForwardEnv(t *testing.T, f *fakeForwarder) *forwardEnv {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir()+"/b.db")
	if err != nil {
		t.Fatal(err)
	}
	f.polls = map[string]int{}
	if f.byKey == nil {
		f.byKey = map[string]string{}
	}
	e := &forwardEnv{st: st, f: f, earlier: make(chan string, 100)}
	t.Cleanup(func() { st.Close() })
	e.r = e.runner(t)
	return e
}

// runner returns a new runner on e's store and forwarder, closed when
// the test ends.
func (e *forwardEnv) runner(t *testing.T) *Runner {
	r := New(Options{Log: e.st, Files: e.st, Concurrency: 2, MaxLines: 100, Lease: 3 * time.Second, Retention: time.Hour,
		Forward: e.f, PollInterval: 10 * time.Millisecond,
		Dispatch: func(ctx context.Context, o Owner, url string, body []byte) Result {
			e.sent.Add(1)
			res := Result{Status: 200, RequestID: "req_local", CostUSD: 1, Body: []byte(`{}`)}
			if a := EarlierOf(ctx); a != nil { // its record bills the earlier call too
				e.earlier <- a.Deployment.Name
				res.TotalCostUSD = 1.25
			}
			return res
		}})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.Close(ctx)
	})
	return r
}

// submit stores batch_1 of n chat lines expiring in window, and runs it;
// before runs before the runner is given it.
func (e *forwardEnv) submit(t *testing.T, n int, window time.Duration, before func()) {
	t.Helper()
	e.submitAs(t, store.BatchValidating, n, window, before)
}

// submitAs is submit of a batch in status.
func (e *forwardEnv) submitAs(t *testing.T, status string, n int, window time.Duration, before func()) {
	t.Helper()
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, `{"custom_id":"c%d","method":"POST","url":"/v1/chat/completions","body":{}}`+"\n", i)
	}
	now := time.Now()
	ctx := context.Background()
	if err := e.st.SaveFile(ctx, &store.File{ID: "file-in", Tenant: "acme", Created: now, Expires: now.Add(10 * time.Hour), Purpose: "batch", Content: []byte(in.String())}); err != nil {
		t.Fatal(err)
	}
	exp := now.Add(window).Unix()
	o := &Object{ID: "batch_1", Object: "batch", Endpoint: "/v1/chat/completions", InputFileID: "file-in", Status: status, ExpiresAt: &exp}
	b := &store.Batch{ID: o.ID, Tenant: "acme", Created: now, Expires: now.Add(10 * time.Hour), Status: o.Status, Object: o.Marshal(), Lease: e.r.LeaseEnd()}
	if err := e.st.SaveBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	if before != nil {
		before()
	}
	e.r.Submit(b)
}

// lines returns the batch's kept results by index.
func (e *forwardEnv) lines(t *testing.T) map[int]string {
	t.Helper()
	ls, err := e.st.BatchLines(context.Background(), "acme", "batch_1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, l := range ls {
		out[l.Index] = string(l.Data)
	}
	return out
}

// The even lines go to one provider batch, kept in the store; its answer
// to line 0 is kept at its cost; line 2, which it did not answer, and
// the odd lines run on the router.
func TestForwardAnswersAndFallsBack(t *testing.T) {
	f := &fakeForwarder{ends: 2, answer: map[int]bool{0: true}}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, nil)
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
	if o.RequestCounts != (Counts{Total: 4, Completed: 4}) || o.CostUSD != 3.5 {
		t.Errorf("completed = %s", o.Marshal())
	}
	if got := e.sent.Load(); got != 3 {
		t.Errorf("%d lines ran on the router, want 3 (1, 2, 3)", got)
	}
	if l := e.lines(t); !strings.Contains(l[0], `"req_fwd"`) || !strings.Contains(l[2], `"req_local"`) {
		t.Errorf("lines = %v", l)
	}
	if held, released := f.holds(); len(held) != 0 || !slices.Equal(released, []int{2}) {
		t.Errorf("held again %v, released %v; want line 2's hold released (it runs here), line 0's settled", held, released)
	}
	f.mu.Lock()
	for _, o := range f.owners {
		if o.Batch != "batch_1" || o.HoldUntil.Before(time.Now().Add(time.Hour)) {
			t.Errorf("owner %+v, want the batch named and its holds lasting past its window", o)
		}
	}
	f.mu.Unlock()
	kept, err := e.st.BatchForwards(context.Background(), "acme", "batch_1")
	if err != nil || len(kept) != 1 || kept[0].ID != "pb_1" || !strings.HasPrefix(kept[0].Key, "swfk_") || !slices.Equal(kept[0].Lines, []int{0, 2}) {
		t.Errorf("kept provider batches = %+v, %v", kept, err)
	}
}

// A line the provider batch failed with usage runs on the router
// carrying that call (EarlierOf), for its record to bill it.
func TestForwardFailedLineCarriesItsCall(t *testing.T) {
	f := &fakeForwarder{ends: 1, answer: map[int]bool{0: true}, earlier: map[int]*Earlier{2: {
		Deployment: llm.Deployment{Name: "dep"}, Usage: llm.Usage{PromptTokens: 7, CompletionTokens: 2}, Err: llm.Errorf(llm.KindUpstream, "failed"),
	}}}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, nil)
	(&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
	close(e.earlier)
	var got []string
	for d := range e.earlier {
		got = append(got, d)
	}
	if !slices.Equal(got, []string{"dep"}) {
		t.Errorf("the local requests carried earlier calls on %v, want line 2's on dep", got)
	}
}

// A provider batch that cannot be created leaves its lines to the
// router. When the provider may have made it (its answer lost: a
// timeout, a 5xx) the row kept before its creation stays pending, for a
// resume to look for; when it refused it (ErrNotCreated: a 4xx, nothing
// made) the row is erased, so that no resume looks for a batch that does
// not exist.
func TestForwardSubmitFails(t *testing.T) {
	for _, c := range []struct {
		name        string
		err         error
		keptPending bool
	}{
		{"ambiguous", errors.New("provider down"), true},
		{"refused", fmt.Errorf("%w: 400 invalid_request_error", ErrNotCreated), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeForwarder{submitErr: c.err}
			e := newForwardEnv(t, f)
			e.submit(t, 4, time.Hour, nil)
			(&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
			if got := e.sent.Load(); got != 4 {
				t.Errorf("%d lines ran on the router, want 4", got)
			}
			if _, released := f.holds(); !slices.Equal(released, []int{0, 2}) {
				t.Errorf("released %v, want the holds of the lines never sent", released)
			}
			kept, err := e.st.BatchForwards(context.Background(), "acme", "batch_1")
			if pending := len(kept) == 1 && kept[0].Pending(); err != nil || pending != c.keptPending || !c.keptPending && len(kept) != 0 {
				t.Errorf("kept %+v (%v), want pending kept: %v", kept, err, c.keptPending)
			}
		})
	}
}

// A batch resumed with a provider batch kept before its creation and
// never given its id (its router died between) asks the provider for it
// by its key: the one the provider has is polled, its id written, and
// its lines not sent again; the lines of one the provider does not have
// are sent.
func TestForwardResumesPending(t *testing.T) {
	f := &fakeForwarder{ends: 1, answer: map[int]bool{0: true, 2: true, 3: true}, byKey: map[string]string{"swfwd_made": "pb_made"}}
	e := newForwardEnv(t, f)
	e.submit(t, 6, time.Hour, func() {
		for _, fw := range []store.BatchForward{{ID: "swfwd_made", Key: "swfwd_made", Deployment: "dep", Lines: []int{0, 2}, Created: time.Now()},
			{ID: "swfwd_lost", Key: "swfwd_lost", Deployment: "dep", Lines: []int{4}, Created: time.Now()}} {
			if err := e.st.SaveBatchForward(context.Background(), "acme", "batch_1", fw); err != nil {
				t.Fatal(err)
			}
		}
	})
	(&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
	f.mu.Lock()
	if f.finds != 2 || f.polls["pb_made"] == 0 || len(f.submitted) != 1 || !slices.Equal(f.submitted[0], []int{4}) || !slices.Equal(f.split[0], []int{1, 3, 4, 5}) {
		t.Errorf("finds %d, submitted %v, polls %v, split %v; want pb_made polled and line 4 sent again", f.finds, f.submitted, f.polls, f.split)
	}
	f.mu.Unlock()
	kept, err := e.st.BatchForwards(context.Background(), "acme", "batch_1")
	ids := map[string]bool{}
	for _, k := range kept {
		ids[k.ID] = true
	}
	if err != nil || !ids["pb_made"] || ids["swfwd_made"] || !ids["pb_1"] {
		t.Errorf("kept %+v, %v; want pb_made's id written", kept, err)
	}
}

// A batch resumed with a provider batch kept polls it, and never sends
// its lines again.
func TestForwardResumesKept(t *testing.T) {
	f := &fakeForwarder{ends: 1, answer: map[int]bool{0: true, 2: true}}
	e := newForwardEnv(t, f)
	e.submit(t, 4, time.Hour, func() {
		if err := e.st.SaveBatchForward(context.Background(), "acme", "batch_1", store.BatchForward{ID: "pb_old", Deployment: "dep", Lines: []int{0, 2}, Created: time.Now()}); err != nil {
			t.Fatal(err)
		}
	})
	(&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCompleted)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.submitted) != 0 || f.polls["pb_old"] == 0 || len(f.split) != 1 || !slices.Equal(f.split[0], []int{1, 3}) {
		t.Errorf("submitted %v, polls %v, split %v; want pb_old polled and only 1 and 3 split", f.submitted, f.polls, f.split)
	}
	if !slices.Equal(f.held, []int{0, 2}) {
		t.Errorf("held again %v, want pb_old's lines (a resume holds what is at the provider)", f.held)
	}
}

// A batch whose window passes while its provider batch runs cancels it
// and waits for it to end: the line it answered before (0) is kept, the
// other (2) ends batch_expired.
func TestForwardExpires(t *testing.T) {
	f := &fakeForwarder{answer: map[int]bool{0: true}}
	e := newForwardEnv(t, f)
	e.submit(t, 4, 2*time.Second, nil) // whole seconds: the local lines run well before
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchExpired)
	if o.RequestCounts != (Counts{Total: 4, Completed: 3, Failed: 1}) || o.CostUSD != 2.5 {
		t.Errorf("expired = %s", o.Marshal())
	}
	if l := e.lines(t); !strings.Contains(l[0], `"req_fwd"`) {
		t.Errorf("line 0 = %s, want the provider's answer", l[0])
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Equal(f.cancelled, []string{"pb_1"}) {
		t.Errorf("cancelled %v, want pb_1", f.cancelled)
	}
	if !slices.Equal(f.released, []int{2}) {
		t.Errorf("released %v, want the expired line's hold", f.released)
	}
}

// A batch found cancelling when a router takes it over cancels the
// provider batches it kept whose lines have no result, and keeps what
// they answered before (line 4), not asking again for a line kept (0).
func TestForwardCancelledWhileUnrun(t *testing.T) {
	f := &fakeForwarder{answer: map[int]bool{0: true, 4: true}}
	e := newForwardEnv(t, f)
	e.submitAs(t, store.BatchCancelling, 6, time.Hour, func() {
		ctx := context.Background()
		for _, fw := range []store.BatchForward{{ID: "pb_done", Deployment: "dep", Lines: []int{0}}, {ID: "pb_open", Deployment: "dep", Lines: []int{2, 4}}} {
			if err := e.st.SaveBatchForward(ctx, "acme", "batch_1", fw); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.st.SaveBatchLine(ctx, "acme", "batch_1", store.BatchLine{Index: 0, Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	})
	o := (&runnerEnv{st: e.st}).await(t, "batch_1", store.BatchCancelled)
	if o.RequestCounts.Completed != 2 || o.CancellingAt == nil {
		t.Errorf("cancelled = %s, want lines 0 and 4 completed", o.Marshal())
	}
	if l := e.lines(t); len(l) != 2 || !strings.Contains(l[4], `"req_fwd"`) || l[0] != "{}" {
		t.Errorf("lines = %v, want line 4's answer kept and line 0 as it was", l)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Equal(f.cancelled, []string{"pb_open"}) {
		t.Errorf("cancelled %v, want pb_open alone", f.cancelled)
	}
	if !slices.Equal(f.released, []int{2}) {
		t.Errorf("released %v, want pb_open's line", f.released)
	}
}
