package openai

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"switchyard/api/openai/background"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file runs one background response, on a worker of the runner:
// marked in progress, run through the Backend (complete, or streamed
// into its event feed and the store), and ended with its final state
// written only while it still runs, so that a cancel or a failure
// another router wrote first is never overwritten. A response cancelled
// or stopped meanwhile is left as whoever did it wrote it.

// bgJob is one background response being run.
type bgJob struct {
	h    *Handler
	rr   *wireresp.Request
	ov   *route.Overrides
	meta wireresp.Meta
	bs   BackgroundStore
	cs   ConversationStore
	// st and feed are a streamed response's: its events' Streamer, and
	// the feed this router's clients follow; nil otherwise.
	st   *wireresp.Streamer
	feed *background.Feed
	// flushFailed says a flush of the events failed (logged once).
	flushFailed bool
}

// run runs the response and returns its final status (the outcome the
// runner counts).
func (j *bgJob) run(ctx context.Context) (status string) {
	if j.feed != nil {
		defer j.feed.End()
	}
	defer func() {
		if v := recover(); v != nil {
			j.panicked(ctx)
			panic(v) // the runner logs it
		}
	}()
	if !j.begin(ctx) {
		return j.failed(ctx, ctx.Err())
	}
	if j.feed != nil {
		return j.stream(ctx)
	}
	var served llm.Served
	resp, err := j.h.Backend.Chat(ctx, j.rr.Chat, j.ov, &served)
	if err != nil {
		return j.failed(ctx, err)
	}
	j.meta.Model = answeringModel(resp.Model, &served, j.meta.Model)
	out := wireresp.OutputOf(j.rr, resp, j.meta.IDs)
	out.Cost = usageCost(&served)
	return j.end(ctx, &out, nil)
}

// begin marks the response in progress and reports whether it should
// run: not when its context ended while it was queued (cancelled, or cut
// by the shutdown), nor when it no longer runs in the store (cancelled on
// another router). A failed write is logged, and the response runs.
func (j *bgJob) begin(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	out := wireresp.Output{Status: wireresp.StatusInProgress}
	u := &store.BackgroundUpdate{ID: j.meta.IDs.Response(), Status: out.Status, Model: j.meta.Model,
		Object: wireresp.AppendResponse(nil, j.rr, &j.meta, &out), Output: []byte("[]"), Lease: j.h.Background.LeaseEnd()}
	err := j.write(ctx, func(ctx context.Context) error { return j.bs.Update(ctx, u) })
	switch {
	case errors.Is(err, store.ErrNotRunning), errors.Is(err, store.ErrResponseNotFound):
		j.h.Background.Cancel(u.ID, background.ErrStopped)
		return false
	case err != nil:
		j.logger().WarnContext(ctx, "background: marking a response in progress failed; it runs", "response", u.ID, "err", err)
	}
	if j.feed != nil {
		j.feed.Append(j.st.Started(nil))
		j.flush(ctx) // at once: the first chunk may be long in coming
	}
	return true
}

// stream runs a streamed response, its events into the feed and, when
// due, the store.
func (j *bgJob) stream(ctx context.Context) string {
	j.rr.Chat.IncludeUsage = true // the usage goes in the terminal event
	var served llm.Served
	s, err := j.h.Backend.Stream(ctx, j.rr.Chat, j.ov, &served)
	if err != nil {
		return j.failed(ctx, err)
	}
	defer s.Close()
	j.meta.Model = answeringModel("", &served, j.meta.Model)
	j.st.SetModel(j.meta.Model)
	var buf []byte
	size, max := 0, j.h.maxAnswerBytes()
	for {
		c, err := s.Next()
		if err == io.EOF {
			s.Close() // bills the stream: the served cost is known from here
			cost := usageCost(&served)
			out := j.st.Final(cost)
			return j.end(ctx, &out, func() []byte { return j.st.Finish(nil, cost) })
		}
		if err != nil {
			s.Close()
			return j.failed(ctx, err)
		}
		if size += llm.AnswerBytes(c); size > max {
			e := answerTooLarge(&served, max)
			llm.Abort(s, e) // recorded failed with e, billed for what it produced
			return j.failed(ctx, e)
		}
		buf = j.st.Chunk(buf[:0], c)
		j.feed.Append(buf)
		if j.feed.Due() {
			j.flush(ctx)
		}
	}
}

// failed ends the response after err, unless it was cancelled or
// stopped (whoever did wrote its end): failed, with the error its client
// reads, the router's own when it cut it (shutdown, timeout).
func (j *bgJob) failed(ctx context.Context, err error) string {
	cause := context.Cause(ctx)
	if errors.Is(cause, background.ErrCancelled) || errors.Is(cause, background.ErrStopped) {
		return wireresp.StatusCancelled
	}
	e := backgroundError(cause, err)
	if j.st == nil {
		return j.end(ctx, &wireresp.Output{Status: wireresp.StatusFailed, Error: e}, nil)
	}
	out := j.st.Failed(e)
	return j.end(ctx, &out, func() []byte { return j.st.Fail(nil, e) })
}

// panicked fails the response whose run panicked, as the server answers
// a request whose handler did.
func (j *bgJob) panicked(ctx context.Context) {
	e := llm.Errorf(llm.KindInternal, "internal error; the request id is %s", llm.RequestID(ctx))
	if j.st == nil {
		j.end(ctx, &wireresp.Output{Status: wireresp.StatusFailed, Error: e}, nil)
		return
	}
	out := j.st.Failed(e)
	j.end(ctx, &out, func() []byte { return j.st.Fail(nil, e) })
}

// backgroundError is the error a background response fails with: the
// router's reason when it cut the run (cause), else err as a
// /v1/responses client reads it.
func backgroundError(cause, err error) *llm.Error {
	switch {
	case errors.Is(cause, background.ErrShutdown), llm.AsError(err).Code == gateway.CodeShuttingDown:
		e := llm.Errorf(llm.KindUnavailable, "The router running this background response shut down (its drain period ended) before it finished. Create the response again.")
		e.Code, e.Retryable = gateway.CodeShuttingDown, true
		return e
	case errors.Is(cause, background.ErrTimeout):
		e := llm.Errorf(llm.KindTimeout, "The background response ran longer than this router allows (responses.background.timeout).")
		e.Code = "background_timeout"
		return e
	}
	return llm.AsError(responsesError(err))
}

// end writes the response's end: its items added to its conversation
// (unless it failed), then a streamed response's last events (made by
// events, once the conversation is known), then its final state, in
// the store. It returns out's status.
func (j *bgJob) end(ctx context.Context, out *wireresp.Output, events func() []byte) string {
	if j.meta.Conversation != "" && !addToConversation(ctx, j.cs, j.h.storeTimeout(), j.rr, j.meta.IDs, out) {
		j.meta.Conversation = ""
	}
	if j.st != nil {
		j.st.SetConversation(j.meta.Conversation)
		j.feed.Append(events())
		j.flush(ctx)
	}
	u := &store.BackgroundUpdate{ID: j.meta.IDs.Response(), Status: out.Status, Model: j.meta.Model,
		Object: wireresp.AppendResponse(nil, j.rr, &j.meta, out), Output: wireresp.StoredOutput(out)}
	err := j.write(ctx, func(ctx context.Context) error { return j.bs.Update(ctx, u) })
	if err != nil && !errors.Is(err, store.ErrNotRunning) {
		j.logger().ErrorContext(ctx, "background: writing a response's end failed; it stays in progress until its lease ends, then fails", "response", u.ID, "status", out.Status, "err", err)
	}
	return out.Status
}

// flush stores the events the feed holds; a failure is logged once (the
// events stay in the feed for the next flush).
func (j *bgJob) flush(ctx context.Context) {
	b, ok := j.feed.Pending()
	if !ok {
		return
	}
	err := j.write(ctx, func(ctx context.Context) error { return j.bs.AppendEvents(ctx, j.meta.IDs.Response(), b) })
	if err == nil {
		j.feed.Flushed(b.Last)
		return
	}
	if !j.flushFailed {
		j.flushFailed = true
		j.logger().WarnContext(ctx, "background: storing a response's events failed; clients on other routers get them later", "response", j.meta.IDs.Response(), "err", err)
	}
}

// write runs a store write that the job's end does not cancel, bounded
// by the store's timeout.
func (j *bgJob) write(ctx context.Context, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), j.h.storeTimeout())
	defer cancel()
	return fn(ctx)
}

func (j *bgJob) logger() *slog.Logger {
	if j.h.Logger != nil {
		return j.h.Logger
	}
	return slog.Default()
}
