package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotRunning: a write that only applies to a background response
// while it runs (queued or in progress) found it no longer running:
// cancelled, failed (its lease expired), finished, or deleted. Nothing
// was written.
var ErrNotRunning = errors.New("store: background response is not running")

// Background says how a stored response was created: in the foreground
// (answered when done), or in the background (answered at once, run by a
// router's worker, polled; docs/responses.md#background-responses).
type Background string

// The Background modes of a Response.
const (
	// Foreground: created without background; never running once stored.
	Foreground Background = ""
	// BackgroundPoll: created with background, not streamed.
	BackgroundPoll Background = "poll"
	// BackgroundStream: created with background and stream: its events
	// are kept (AppendEvents), so that a client can stream them again.
	BackgroundStream Background = "stream"
)

// The statuses of a stored response that the store reads: a background
// response runs while queued or in progress; the others are final.
const (
	StatusQueued     = "queued"
	StatusInProgress = "in_progress"
	StatusCancelled  = "cancelled"
	StatusFailed     = "failed"
)

// Running reports whether status is that of a background response still
// running (queued or in progress).
func Running(status string) bool { return status == StatusQueued || status == StatusInProgress }

// EventBatch is consecutive events of a streamed background response,
// the server-sent events First to Last (their sequence_number) as they
// were written to the client, one after another in Data.
type EventBatch struct {
	First, Last int64
	Data        []byte
}

// BackgroundUpdate is a background response's new state, written by the
// router running it.
type BackgroundUpdate struct {
	// ID and Tenant name the response.
	ID, Tenant string
	// Status, Model, Object and Output replace the stored ones (Output as
	// Response.Output: what a next turn carries).
	Status, Model  string
	Object, Output []byte
	// Lease is until when the runner holds the response; zero releases it
	// (a final Status).
	Lease time.Time
}

// BackgroundLog keeps what the background responses need besides their
// stored response (ResponseLog, which saves one first, queued, with its
// Background and Lease): their runner's lease, which a router renews
// while it runs them; their cancellation; their streamed events. A
// response whose lease ended is failed by any router (ExpiredLeases,
// FailExpired). Implementations are safe for concurrent use; every
// router sharing the database sees every write once it returns.
type BackgroundLog interface {
	// UpdateBackground writes u to the background response u.ID of
	// u.Tenant while it runs: ErrNotRunning when it is not (then nothing
	// is written), ErrResponseNotFound when it was never stored.
	UpdateBackground(ctx context.Context, u *BackgroundUpdate) error
	// RenewLeases sets to until the lease of each background response
	// among ids that still runs, and returns the others among ids (no
	// longer running, deleted, or erased): their runner stops them.
	RenewLeases(ctx context.Context, ids []string, until time.Time) (stopped []string, err error)
	// CancelResponse makes the background response id in scope, while it
	// runs, cancelled, its object replaced by object (the caller's, made
	// from the one it read), and reports whether it did; false, with
	// nothing written, when the response is no longer running.
	// ErrResponseNotFound when GetResponse at now would not find it.
	CancelResponse(ctx context.Context, scope Scope, id string, object []byte, now time.Time) (bool, error)
	// ExpiredLeases returns at most limit background responses, of all
	// tenants, still running at now although their lease ended before
	// it (their router stopped), each with its Object and Lease.
	ExpiredLeases(ctx context.Context, now time.Time, limit int) ([]*Response, error)
	// FailExpired makes r, one ExpiredLeases returned, failed with
	// object, if it still runs and its lease is still r.Lease (no runner
	// renewed it meanwhile), and reports whether it did. A non-nil last
	// (a streamed response's last events) is appended to its events in
	// the same transaction: whoever finds it failed finds them too.
	FailExpired(ctx context.Context, r *Response, object []byte, last *EventBatch) (bool, error)
	// AppendEvents adds b to the events of the background response id of
	// tenant. Batches are appended in order, without gaps or overlaps.
	AppendEvents(ctx context.Context, tenant, id string, b EventBatch) error
	// Events returns the batches of events of the response id in scope
	// that hold events after the sequence number after, oldest first;
	// ErrResponseNotFound when GetResponse at now would not find it.
	Events(ctx context.Context, scope Scope, id string, after int64, now time.Time) ([]EventBatch, error)
	// DeleteEvents erases the events of every response created before
	// before that no longer runs, of all tenants (the response itself is
	// kept), and returns how many batches it erased.
	DeleteEvents(ctx context.Context, before time.Time) (int64, error)
}
