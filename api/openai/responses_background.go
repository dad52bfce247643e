package openai

import (
	"context"
	"errors"
	"net/http"
	"time"

	"switchyard/api/openai/background"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file serves the creation of a background response (background
// true): the response is stored at once, queued, answered (or, streamed,
// followed as it runs), and run by the router's background runner
// through the same Backend as any request (responses_background_job.go).

// BackgroundStore is what a ResponseStore offers the background
// responses (store.BackgroundLog), each the caller's tenant's (read from
// ctx): the Handler runs background responses only when its
// ResponseStore implements it.
type BackgroundStore interface {
	// Update writes a running background response's new state (u.Tenant
	// is the caller's); store.ErrNotRunning when it no longer runs.
	Update(ctx context.Context, u *store.BackgroundUpdate) error
	// Cancel makes the running background response id cancelled, its
	// object replaced by object, and reports whether it did (false: it no
	// longer ran); store.ErrResponseNotFound when it is not the caller's.
	Cancel(ctx context.Context, id string, object []byte) (bool, error)
	// AppendEvents keeps a batch of a streamed background response's
	// events.
	AppendEvents(ctx context.Context, id string, b store.EventBatch) error
	// Events returns the batches of events of the response id holding
	// events after the sequence number after.
	Events(ctx context.Context, id string, after int64) ([]store.EventBatch, error)
}

// backgroundStore returns the stores background responses need, or the
// error a request asking for one gets.
func (h *Handler) backgroundStore(rr *wireresp.Request) (ResponseStore, BackgroundStore, error) {
	rs := h.storing()
	bs, _ := rs.(BackgroundStore)
	switch {
	case rs == nil:
		return nil, nil, backgroundRefused("background responses are not supported: this router keeps no responses (responses.store is false, or store.driver is none), so none could be polled. Send the request without 'background' (stream it if it is long).")
	case h.Background == nil || bs == nil:
		return nil, nil, backgroundRefused("background responses are turned off on this router (responses.background.enabled is false). Send the request without 'background' (stream it if it is long).")
	case !rr.Store:
		e := llm.Errorf(llm.KindInvalidRequest, "Background responses must be stored, to be polled: set 'store' to true (the default), or send the request without 'background'.")
		e.Param = "store"
		return nil, nil, e
	}
	return rs, bs, nil
}

// backgroundRefused is the error of background true on a router that
// cannot run it.
func backgroundRefused(msg string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "%s", msg)
	e.Param, e.Code = "background", "unsupported_parameter"
	return e
}

// fullRetryAfter is the Retry-After of a full queue: when a place frees
// is unknown, so a short, fixed pause.
const fullRetryAfter = 2 * time.Second

// reserveError is the error of a reservation the runner refused.
func reserveError(err error) *llm.Error {
	if errors.Is(err, background.ErrFull) {
		e := llm.Errorf(llm.KindRateLimit, "This router runs and queues as many background responses as it allows (responses.background.max_concurrent and max_queued); retry shortly.")
		e.Code, e.Retryable, e.RetryAfter = "background_queue_full", true, fullRetryAfter
		return e
	}
	e := llm.Errorf(llm.KindUnavailable, "This router is shutting down and takes no background response; send the request again (to another router).")
	e.Code, e.Retryable = "server_shutting_down", true
	return e
}

// createBackground answers a request with background true: stored
// queued, then answered with that response object (or, streamed, its
// events as it runs), its run submitted to the runner.
func (h *Handler) createBackground(w http.ResponseWriter, r *http.Request, rr *wireresp.Request, ov *route.Overrides, meta wireresp.Meta) {
	rs, bs, err := h.backgroundStore(rr)
	if err != nil {
		WriteError(w, err)
		return
	}
	slot, err := h.Background.Reserve()
	if err != nil {
		WriteError(w, reserveError(err))
		return
	}
	meta.Background, meta.Store = true, true
	j := &bgJob{h: h, rr: rr, ov: ov, meta: meta, bs: bs, cs: h.conversing()}
	mode := store.BackgroundPoll
	if rr.Chat.Stream {
		mode, j.st, j.feed = store.BackgroundStream, wireresp.NewStreamer(rr, meta), background.NewFeed()
		j.feed.Append(j.st.Queued(nil))
	}
	object := wireresp.AppendResponse(nil, rr, &meta, &wireresp.Output{Status: wireresp.StatusQueued})
	if err := h.saveQueued(r.Context(), rs, rr, &meta, object, mode); err != nil {
		slot.Release()
		WriteError(w, storeError(err, "The background response", "The background response could not be stored, so it was not started; send the request again."))
		return
	}
	ctx, done := h.detach(r.Context())
	if j.feed != nil {
		j.flush(ctx) // its first events, for a client that resumes before the first flush
	}
	id := meta.IDs.Response()
	slot.Submit(background.Job{ID: id, Context: ctx, Run: j.run, Feed: j.feed, Done: done})
	if j.feed == nil {
		writeJSON(w, object)
		return
	}
	h.follow(w, r, id, -1, rs, bs)
}

// saveQueued stores the background response rr in rs, queued (its
// object object), with its mode and the runner's lease.
func (h *Handler) saveQueued(ctx context.Context, rs ResponseStore, rr *wireresp.Request, meta *wireresp.Meta, object []byte, mode store.Background) error {
	sr, err := storedResponse(rr, meta, &wireresp.Output{Status: wireresp.StatusQueued}, object)
	if err != nil {
		return err
	}
	sr.Output, sr.Background, sr.Lease = []byte("[]"), mode, h.Background.LeaseEnd()
	return saveStored(ctx, rs, h.storeTimeout(), rr, sr)
}

// detach returns the context a background response runs under, made
// from the request's, and the function to call once it ended.
func (h *Handler) detach(ctx context.Context) (context.Context, func()) {
	if h.Detach != nil {
		return h.Detach(ctx)
	}
	return context.WithoutCancel(ctx), func() {}
}
