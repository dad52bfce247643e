package openai

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchyard/api/openai/background"
	"switchyard/llm"
	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file streams a streamed background response's events to a
// client: at its creation, and again with GET /v1/responses/{id}?stream=
// true&starting_after=n (the SDKs resume a dropped stream so), while it
// runs and after it ended. The events of a response this router runs are
// read from its feed as they come, those already stored from the store;
// a response another router runs is followed by reading the store every
// followPoll. The client leaving ends the following, never the response.

// followPoll is how often the store is read while following a response
// another router runs.
const followPoll = 200 * time.Millisecond

// follow answers with the events of the background response id numbered
// after the number after, as they come, until the response ended (or the
// client left, or the request's deadline passed).
func (h *Handler) follow(w http.ResponseWriter, r *http.Request, id string, after int64, rs ResponseStore, bs BackgroundStore) {
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	f := follower{h: h, w: w, r: r, rc: http.NewResponseController(w), id: id, after: after, rs: rs, bs: bs}
	if feed := h.Background.Feed(id); feed != nil {
		if !f.fromFeed(feed) {
			return
		}
	}
	f.fromStore()
}

// follower is one client following a response's events.
type follower struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	rc    *http.ResponseController
	id    string
	after int64 // the number of the last event sent
	rs    ResponseStore
	bs    BackgroundStore
}

// fromFeed sends the events as the feed gets them, those that left it
// for the store read there, until the feed ends; it reports whether to
// go on with the store (the client is still there).
func (f *follower) fromFeed(feed *background.Feed) bool {
	for {
		data, last, gap, ended, wake := feed.After(f.after)
		switch {
		case gap:
			if _, ok := f.stored(); !ok {
				return false
			}
			continue
		case len(data) > 0:
			if !f.send(data, last) {
				return false
			}
			continue
		case ended:
			return true
		}
		select {
		case <-wake:
		case <-f.r.Context().Done():
			return false
		}
	}
}

// fromStore sends the stored events until the response no longer runs
// and all were sent.
func (f *follower) fromStore() {
	t := time.NewTicker(followPoll)
	defer t.Stop()
	for {
		sr, err := read(f.r.Context(), f.h.storeTimeout(), func(ctx context.Context) (*store.Response, error) { return f.rs.Load(ctx, f.id) })
		if err != nil {
			return // gone (deleted, expired), unreadable or not answered in time: the stream ends
		}
		n, ok := f.stored()
		if !ok || n == 0 && !store.Running(sr.Status) {
			return
		}
		if n > 0 {
			continue
		}
		select {
		case <-t.C:
		case <-f.r.Context().Done():
			return
		}
	}
}

// stored sends the stored events after the last sent, and returns how
// many and whether to go on.
func (f *follower) stored() (int, bool) {
	batches, err := read(f.r.Context(), f.h.storeTimeout(), func(ctx context.Context) ([]store.EventBatch, error) { return f.bs.Events(ctx, f.id, f.after) })
	if err != nil { // not answered within the store's timeout too: the stream ends, and the client may resume it
		return 0, false
	}
	n := 0
	for _, b := range batches {
		for i, ev := range wireresp.SplitEvents(b.Data) {
			if seq := b.First + int64(i); seq > f.after {
				if !f.send(ev, seq) {
					return n, false
				}
				n++
			}
		}
	}
	return n, true
}

// send writes events, the last numbered last, and flushes; it reports
// whether the client is still there.
func (f *follower) send(events []byte, last int64) bool {
	if _, err := f.w.Write(events); err != nil {
		return false
	}
	f.after = last
	return f.rc.Flush() == nil
}

// resumeQuery reads the query of a resume (GET /v1/responses/{id}?stream=
// true): the sequence number of the last event the client has (-1 for
// none: starting_after absent), and include_obfuscation, true or false
// if present (the router's events carry no obfuscation either way). An
// error is a 400 naming the parameter.
func resumeQuery(q url.Values) (after int64, err *llm.Error) {
	after = -1
	if s := q.Get("starting_after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'starting_after': expected a non-negative integer (the sequence_number of the last event received), but got %q instead.", llm.Clip(s))
			e.Param, e.Code = "starting_after", "invalid_value"
			return 0, e
		}
		after = n
	}
	if v := q.Get("include_obfuscation"); v != "" && v != "true" && v != "false" {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'include_obfuscation': expected true or false.")
		e.Param, e.Code = "include_obfuscation", "invalid_value"
		return 0, e
	}
	return after, nil
}

// resume answers GET /v1/responses/{id}?stream=true: the events of a
// streamed background response after starting_after (from the first
// without it), as follow does.
func (h *Handler) resume(w http.ResponseWriter, r *http.Request, rs ResponseStore) {
	after, err := resumeQuery(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	sr, ok := loadStored(w, r, h.storeTimeout(), rs.Load)
	if !ok {
		return
	}
	bs, _ := rs.(BackgroundStore)
	if sr.Background != store.BackgroundStream || bs == nil || h.Background == nil {
		e := llm.Errorf(llm.KindInvalidRequest, "Only a background response created with stream true can be streamed again; this one was not (or this router serves no background responses). Retrieve it without 'stream'.")
		e.Param, e.Code = "stream", "unsupported_parameter"
		WriteError(w, e)
		return
	}
	if !store.Running(sr.Status) && !h.eventsKept(w, r, bs, sr.ID, after) {
		return
	}
	h.follow(w, r, sr.ID, after, rs, bs)
}

// eventsKept reports whether the events of the ended response id after
// after can be streamed; when not (erased, or the store failed), it has
// answered the error.
func (h *Handler) eventsKept(w http.ResponseWriter, r *http.Request, bs BackgroundStore, id string, after int64) bool {
	erased, err := h.eventsErased(r, bs, id, after)
	switch {
	case err != nil:
		WriteError(w, storeError(err, "The response's events", "The response's events could not be read; try again."))
		return false
	case erased:
		e := llm.Errorf(llm.KindInvalidRequest, "The events of this background response are no longer kept (responses.background.events_retention, from its creation). Retrieve it without 'stream'.")
		e.Param, e.Code = "stream", "events_expired"
		WriteError(w, e)
		return false
	}
	return true
}

// eventsErased reports whether the stored events of the ended response
// id were erased (past their retention): none after after is left, nor
// any at all. Each read is bounded by the store's timeout; its error is
// returned.
func (h *Handler) eventsErased(r *http.Request, bs BackgroundStore, id string, after int64) (bool, error) {
	for _, from := range []int64{after, -1} {
		evs, err := read(r.Context(), h.storeTimeout(), func(ctx context.Context) ([]store.EventBatch, error) { return bs.Events(ctx, id, from) })
		if err != nil || len(evs) > 0 {
			return false, err
		}
		if after < 0 {
			break
		}
	}
	return true, nil
}

// cancelResponse answers POST /v1/responses/{id}/cancel: a background
// response that runs is cancelled (its run, here or on the router that
// holds it, stops: at once here, at that router's next lease renewal
// there) and answered cancelled; one already ended is answered as it is.
func (h *Handler) cancelResponse(w http.ResponseWriter, r *http.Request) {
	rs := h.storing()
	if rs == nil {
		h.responseNotStored(w, r)
		return
	}
	sr, ok := loadStored(w, r, h.storeTimeout(), rs.Load)
	if !ok {
		return
	}
	bs, _ := rs.(BackgroundStore)
	switch {
	case sr.Background == store.Foreground:
		e := llm.Errorf(llm.KindInvalidRequest, "Cannot cancel a synchronous response: only a response created with background true can be cancelled.")
		e.Code = "response_not_cancellable"
		WriteError(w, e)
		return
	case !store.Running(sr.Status) || bs == nil:
		writeJSON(w, sr.Object)
		return
	}
	object := wireresp.Restatus(sr.Object, sr.ID, wireresp.StatusCancelled, nil)
	cancelled, err := bs.Cancel(r.Context(), sr.ID, object)
	switch {
	case errors.Is(err, store.ErrResponseNotFound):
		WriteError(w, responseNotFound(sr.ID))
		return
	case err != nil:
		WriteError(w, storeError(err, "The background response", "The background response could not be cancelled; try again."))
		return
	case cancelled:
		if h.Background != nil {
			h.Background.Cancel(sr.ID, background.ErrCancelled)
		}
		writeJSON(w, object)
		return
	}
	if sr, ok = loadStored(w, r, h.storeTimeout(), rs.Load); ok { // it ended meanwhile: as it ended
		writeJSON(w, sr.Object)
	}
}
