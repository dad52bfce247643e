package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// This file is the suite of the background responses (store.BackgroundLog):
// the runner's writes while a response runs, leases renewed and expired,
// cancellation, and the streamed events, each within its tenant.

// backgroundLog returns s's background responses, failing t when s keeps
// none.
func backgroundLog(t *testing.T, s store.Store) store.BackgroundLog {
	t.Helper()
	return logOf[store.BackgroundLog](t, s, "background responses")
}

// queuedResponse is a background response of tenant, queued at Base, its
// lease ending at lease.
func queuedResponse(id, tenant string, mode store.Background, lease time.Time) *store.Response {
	r := sampleResponse(id, tenant)
	r.Status, r.Background, r.Lease = store.StatusQueued, mode, lease
	r.Object, r.Output = []byte(`{"id":"`+id+`","status":"queued"}`), []byte(`[]`)
	return r
}

// saveAll saves rs through rl, failing t on an error.
func saveAll(t *testing.T, rl store.ResponseLog, rs ...*store.Response) {
	t.Helper()
	for _, r := range rs {
		if err := rl.SaveResponse(context.Background(), r); err != nil {
			t.Fatalf("SaveResponse(%s): %v", r.ID, err)
		}
	}
}

// testBackgroundUpdates: a queued response reads back with its mode and
// lease; the runner's writes apply while it runs and are refused, as not
// running, once it is final; an unknown id or another tenant's is not
// found.
func testBackgroundUpdates(t *testing.T, s store.Store) {
	rl, bl, ctx := responseLog(t, s), backgroundLog(t, s), context.Background()
	lease := Base.Add(30 * time.Second)
	saveAll(t, rl, queuedResponse("resp_bg", "acme", store.BackgroundPoll, lease), sampleResponse("resp_fg", "acme"))
	acme := store.TenantScope("acme")
	got, err := rl.GetResponse(ctx, acme, "resp_bg", Base)
	if err != nil || got.Status != store.StatusQueued || got.Background != store.BackgroundPoll || !got.Lease.Equal(lease) {
		t.Fatalf("GetResponse = %+v, %v", got, err)
	}
	if fg, err := rl.GetResponse(ctx, acme, "resp_fg", Base); err != nil || fg.Background != store.Foreground || !fg.Lease.IsZero() {
		t.Fatalf("a foreground response: %+v, %v", fg, err)
	}
	running := &store.BackgroundUpdate{ID: "resp_bg", Tenant: "acme", Status: store.StatusInProgress, Model: "m1",
		Object: []byte(`{"status":"in_progress"}`), Output: []byte(`[]`), Lease: lease.Add(time.Minute)}
	if err := bl.UpdateBackground(ctx, running); err != nil {
		t.Fatalf("UpdateBackground in progress: %v", err)
	}
	done := &store.BackgroundUpdate{ID: "resp_bg", Tenant: "acme", Status: "completed", Model: "m2",
		Object: []byte(`{"status":"completed"}`), Output: []byte(`[{"id":"msg_1"}]`)}
	if err := bl.UpdateBackground(ctx, done); err != nil {
		t.Fatalf("UpdateBackground completed: %v", err)
	}
	got, err = rl.GetResponse(ctx, acme, "resp_bg", Base)
	if err != nil || got.Status != "completed" || got.Model != "m2" || string(got.Object) != `{"status":"completed"}` ||
		string(got.Output) != `[{"id":"msg_1"}]` || !got.Lease.IsZero() || got.Background != store.BackgroundPoll {
		t.Fatalf("after completing: %+v, %v", got, err)
	}
	if err := bl.UpdateBackground(ctx, running); !errors.Is(err, store.ErrNotRunning) {
		t.Errorf("UpdateBackground after the final status: %v, want ErrNotRunning", err)
	}
	if err := bl.UpdateBackground(ctx, &store.BackgroundUpdate{ID: "resp_fg", Tenant: "acme", Status: "failed"}); !errors.Is(err, store.ErrNotRunning) {
		t.Errorf("UpdateBackground of a foreground response: %v, want ErrNotRunning", err)
	}
	for _, u := range []*store.BackgroundUpdate{{ID: "resp_zz", Tenant: "acme"}, {ID: "resp_bg", Tenant: "globex"}} {
		if err := bl.UpdateBackground(ctx, u); !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("UpdateBackground(%s of %s): %v, want ErrResponseNotFound", u.ID, u.Tenant, err)
		}
	}
}

// testBackgroundCancel: RenewLeases renews the running responses and
// names the others; a cancel applies once, in its tenant, and makes the
// next renewal name the response; a deleted response is named too.
func testBackgroundCancel(t *testing.T, s store.Store) {
	rl, bl, ctx := responseLog(t, s), backgroundLog(t, s), context.Background()
	lease := Base.Add(30 * time.Second)
	saveAll(t, rl, queuedResponse("resp_a", "acme", store.BackgroundPoll, lease), queuedResponse("resp_b", "acme", store.BackgroundStream, lease),
		sampleResponse("resp_done", "acme"))
	acme, later := store.TenantScope("acme"), lease.Add(time.Minute)
	stopped, err := bl.RenewLeases(ctx, []string{"resp_a", "resp_b", "resp_done", "resp_gone"}, later)
	if err != nil || !slices.Equal(stopped, []string{"resp_done", "resp_gone"}) {
		t.Fatalf("RenewLeases = %v, %v; want the final and the unknown one", stopped, err)
	}
	if got, err := rl.GetResponse(ctx, acme, "resp_a", Base); err != nil || !got.Lease.Equal(later) {
		t.Fatalf("the renewed lease: %+v, %v", got, err)
	}
	if _, err := bl.CancelResponse(ctx, store.TenantScope("globex"), "resp_a", []byte(`{}`), Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("CancelResponse of another tenant's: %v, want ErrResponseNotFound", err)
	}
	if ok, err := bl.CancelResponse(ctx, acme, "resp_a", []byte(`{"status":"cancelled"}`), Base); err != nil || !ok {
		t.Fatalf("CancelResponse = %v, %v", ok, err)
	}
	got, err := rl.GetResponse(ctx, acme, "resp_a", Base)
	if err != nil || got.Status != store.StatusCancelled || string(got.Object) != `{"status":"cancelled"}` || !got.Lease.IsZero() {
		t.Fatalf("after the cancel: %+v, %v", got, err)
	}
	if ok, err := bl.CancelResponse(ctx, acme, "resp_a", []byte(`{"again":true}`), Base); err != nil || ok {
		t.Errorf("CancelResponse again = %v, %v; want false", ok, err)
	}
	if ok, err := bl.CancelResponse(ctx, acme, "resp_done", []byte(`{}`), Base); err != nil || ok {
		t.Errorf("CancelResponse of a completed response = %v, %v; want false", ok, err)
	}
	if err := bl.UpdateBackground(ctx, &store.BackgroundUpdate{ID: "resp_a", Tenant: "acme", Status: "completed"}); !errors.Is(err, store.ErrNotRunning) {
		t.Errorf("the runner's write after the cancel: %v, want ErrNotRunning", err)
	}
	if err := rl.DeleteResponse(ctx, acme, "resp_b", Base); err != nil {
		t.Fatal(err)
	}
	if stopped, err := bl.RenewLeases(ctx, []string{"resp_a", "resp_b"}, later); err != nil || !slices.Equal(stopped, []string{"resp_a", "resp_b"}) {
		t.Errorf("RenewLeases after a cancel and a delete = %v, %v", stopped, err)
	}
	if stopped, err := bl.RenewLeases(ctx, nil, later); err != nil || stopped != nil {
		t.Errorf("RenewLeases of none = %v, %v", stopped, err)
	}
}

// testBackgroundExpiry: ExpiredLeases finds, in every tenant, the running
// responses whose lease ended; FailExpired fails one unless its lease
// was renewed since it was read, once, with a streamed one's last events
// written with it (and none when it is not failed).
func testBackgroundExpiry(t *testing.T, s store.Store) {
	rl, bl, ctx := responseLog(t, s), backgroundLog(t, s), context.Background()
	saveAll(t, rl, queuedResponse("resp_1", "acme", store.BackgroundPoll, Base.Add(time.Second)),
		queuedResponse("resp_2", "globex", store.BackgroundStream, Base.Add(2*time.Second)),
		queuedResponse("resp_3", "acme", store.BackgroundPoll, Base.Add(time.Hour)), sampleResponse("resp_fg", "acme"))
	expired, err := bl.ExpiredLeases(ctx, Base.Add(time.Minute), 10)
	if err != nil || len(expired) != 2 || expired[0].ID != "resp_1" || expired[1].ID != "resp_2" ||
		string(expired[1].Object) != `{"id":"resp_2","status":"queued"}` || !expired[1].Lease.Equal(Base.Add(2*time.Second)) {
		t.Fatalf("ExpiredLeases = %+v, %v; want resp_1 and resp_2", expired, err)
	}
	if one, err := bl.ExpiredLeases(ctx, Base.Add(time.Minute), 1); err != nil || len(one) != 1 {
		t.Errorf("ExpiredLeases with limit 1 = %d, %v", len(one), err)
	}
	if _, err := bl.RenewLeases(ctx, []string{"resp_2"}, Base.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	last := &store.EventBatch{First: 1030, Last: 1031, Data: []byte("event: response.failed\ndata: {}\n\nevent: error\ndata: {}\n\n")}
	if ok, err := bl.FailExpired(ctx, expired[1], []byte(`{"status":"failed"}`), last); err != nil || ok {
		t.Errorf("FailExpired of a response renewed since = %v, %v; want false", ok, err)
	}
	globex := store.TenantScope("globex")
	if evs, err := bl.Events(ctx, globex, "resp_2", -1, Base); err != nil || len(evs) != 0 {
		t.Errorf("events of a response not failed = %+v, %v; want none", evs, err)
	}
	testFailWithEvents(t, bl, last)
	if ok, err := bl.FailExpired(ctx, expired[0], []byte(`{"status":"failed"}`), nil); err != nil || !ok {
		t.Fatalf("FailExpired = %v, %v", ok, err)
	}
	got, err := rl.GetResponse(ctx, store.TenantScope("acme"), "resp_1", Base)
	if err != nil || got.Status != store.StatusFailed || string(got.Object) != `{"status":"failed"}` || !got.Lease.IsZero() {
		t.Fatalf("the failed response: %+v, %v", got, err)
	}
	if ok, err := bl.FailExpired(ctx, expired[0], []byte(`{}`), nil); err != nil || ok {
		t.Errorf("FailExpired again = %v, %v; want false", ok, err)
	}
	if left, err := bl.ExpiredLeases(ctx, Base.Add(time.Minute), 10); err != nil || len(left) != 0 {
		t.Errorf("ExpiredLeases after = %+v, %v; want none", left, err)
	}
}

// testFailWithEvents fails resp_2 (globex, streamed) once its renewed
// lease ended too, with last: its events are last.
func testFailWithEvents(t *testing.T, bl store.BackgroundLog, last *store.EventBatch) {
	t.Helper()
	ctx, globex := context.Background(), store.TenantScope("globex")
	expired, err := bl.ExpiredLeases(ctx, Base.Add(3*time.Minute), 10)
	if err != nil || len(expired) != 2 || expired[1].ID != "resp_2" {
		t.Fatalf("ExpiredLeases past the renewed lease = %+v, %v", expired, err)
	}
	if ok, err := bl.FailExpired(ctx, expired[1], []byte(`{"status":"failed"}`), last); err != nil || !ok {
		t.Fatalf("FailExpired with events = %v, %v", ok, err)
	}
	evs, err := bl.Events(ctx, globex, "resp_2", -1, Base)
	if err != nil || len(evs) != 1 || evs[0].First != last.First || evs[0].Last != last.Last || string(evs[0].Data) != string(last.Data) {
		t.Errorf("events of the failed response = %+v, %v; want the last batch", evs, err)
	}
}

// eventBatches are three batches of events 0 to 6.
var eventBatches = []store.EventBatch{
	{First: 0, Last: 2, Data: []byte("event: a\ndata: {\"n\":0}\n\nevent: a\ndata: {\"n\":1}\n\nevent: a\ndata: {\"n\":2}\n\n")},
	{First: 3, Last: 5, Data: []byte("event: b\ndata: {\"n\":3}\n\nevent: b\ndata: {\"n\":4}\n\nevent: b\ndata: {\"n\":5 \u0000}\n\n")},
	{First: 6, Last: 6, Data: []byte("event: c\ndata: {\"n\":6}\n\n")},
}

// testBackgroundEvents: the batches appended read back whole from the
// first holding an event after the one asked; in the response's tenant
// only; they go with their response, deleted or expired.
func testBackgroundEvents(t *testing.T, s store.Store) {
	rl, bl, ctx := responseLog(t, s), backgroundLog(t, s), context.Background()
	r := queuedResponse("resp_s", "acme", store.BackgroundStream, Base.Add(time.Minute))
	r.Expires = Base.Add(time.Hour)
	saveAll(t, rl, r, queuedResponse("resp_t", "acme", store.BackgroundStream, Base.Add(time.Minute)))
	for _, id := range []string{"resp_s", "resp_t"} {
		for _, b := range eventBatches {
			if err := bl.AppendEvents(ctx, "acme", id, b); err != nil {
				t.Fatalf("AppendEvents(%s, %d): %v", id, b.First, err)
			}
		}
	}
	acme := store.TenantScope("acme")
	for _, c := range []struct {
		after int64
		want  []store.EventBatch
	}{{-1, eventBatches}, {2, eventBatches[1:]}, {4, eventBatches[1:]}, {5, eventBatches[2:]}, {6, nil}} {
		got, err := bl.Events(ctx, acme, "resp_s", c.after, Base)
		if err != nil || len(got) != len(c.want) {
			t.Errorf("Events after %d = %d batches, %v; want %d", c.after, len(got), err, len(c.want))
			continue
		}
		for i := range got {
			if w := c.want[i]; got[i].First != w.First || got[i].Last != w.Last || !bytes.Equal(got[i].Data, w.Data) {
				t.Errorf("Events after %d: batch %d = %+v, want %+v", c.after, i, got[i], w)
			}
		}
	}
	if _, err := bl.Events(ctx, store.TenantScope("globex"), "resp_s", -1, Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("Events of another tenant's response: %v, want ErrResponseNotFound", err)
	}
	if _, err := bl.Events(ctx, acme, "resp_s", -1, Base.Add(time.Hour)); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("Events of an expired response: %v, want ErrResponseNotFound", err)
	}
	if err := rl.DeleteResponse(ctx, acme, "resp_t", Base); err != nil {
		t.Fatal(err)
	}
	if _, err := bl.Events(ctx, acme, "resp_t", -1, Base); !errors.Is(err, store.ErrResponseNotFound) {
		t.Errorf("Events of a deleted response: %v, want ErrResponseNotFound", err)
	}
	// DeleteEvents erases the events of the responses created before its
	// time that no longer run, and keeps the response.
	saveAll(t, rl, queuedResponse("resp_old", "acme", store.BackgroundStream, Base.Add(time.Minute)),
		queuedResponse("resp_run", "acme", store.BackgroundStream, Base.Add(time.Minute)))
	for _, id := range []string{"resp_old", "resp_run"} {
		if err := bl.AppendEvents(ctx, "acme", id, eventBatches[0]); err != nil {
			t.Fatal(err)
		}
	}
	if err := bl.UpdateBackground(ctx, &store.BackgroundUpdate{ID: "resp_old", Tenant: "acme", Status: "completed", Object: []byte(`{}`), Output: []byte(`[]`)}); err != nil {
		t.Fatal(err)
	}
	if n, err := bl.DeleteEvents(ctx, Base); err != nil || n != 0 {
		t.Errorf("DeleteEvents before their creation = %d, %v; want 0", n, err)
	}
	if n, err := bl.DeleteEvents(ctx, Base.Add(time.Second)); err != nil || n != 1 {
		t.Errorf("DeleteEvents = %d, %v; want the completed one's batch", n, err)
	}
	if got, err := bl.Events(ctx, acme, "resp_old", -1, Base); err != nil || len(got) != 0 {
		t.Errorf("the completed response's events after DeleteEvents: %+v, %v", got, err)
	}
	if got, err := bl.Events(ctx, acme, "resp_run", -1, Base); err != nil || len(got) != 1 {
		t.Errorf("the running response's events after DeleteEvents: %+v, %v", got, err)
	}
	if _, err := rl.GetResponse(ctx, acme, "resp_old", Base); err != nil {
		t.Errorf("the response whose events were erased: %v", err)
	}
	// A response saved again under the ids of erased ones finds no events
	// of theirs: they went with them.
	if _, err := rl.DeleteExpiredResponses(ctx, Base.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	saveAll(t, rl, queuedResponse("resp_s", "acme", store.BackgroundStream, Base.Add(time.Minute)),
		queuedResponse("resp_t", "acme", store.BackgroundStream, Base.Add(time.Minute)))
	for _, id := range []string{"resp_s", "resp_t"} {
		if got, err := bl.Events(ctx, acme, id, -1, Base); err != nil || len(got) != 0 {
			t.Errorf("Events of %s after its erasure = %+v, %v; want none", id, got, err)
		}
	}
}
