package store

import (
	"context"
	"errors"
	"time"
)

// The errors of the BatchLog.
var (
	// ErrBatchNotFound: no batch has that id in the scope, or it expired.
	ErrBatchNotFound = errors.New("store: batch not found")
	// ErrBatchMoved: a write conditioned on a batch's status found it in
	// another (cancelled meanwhile, or finished by another router);
	// nothing was written.
	ErrBatchMoved = errors.New("store: batch is no longer in that status")
)

// The statuses of a batch (OpenAI's). A batch runs while validating, in
// progress or finalizing; cancelling waits for its runner to stop; the
// others are final.
const (
	BatchValidating = "validating"
	BatchInProgress = "in_progress"
	BatchFinalizing = "finalizing"
	BatchCancelling = "cancelling"
	BatchCompleted  = "completed"
	BatchFailed     = "failed"
	BatchExpired    = "expired"
	BatchCancelled  = "cancelled"
)

// BatchRunning lists the statuses of a batch that runs.
var BatchRunning = []string{BatchValidating, BatchInProgress, BatchFinalizing}

// Batch is one batch of the Batch API (docs/batches.md), run by a
// router's batch workers, which hold a lease on it while they do.
type Batch struct {
	// ID is the batch's id (batch_…).
	ID string
	// Tenant owns it; KeyName is the configured name of the key that
	// created it (never the key): its lines run as that key.
	Tenant, KeyName string
	// Created is when it was stored; Expires is when it stops being
	// found (Created plus the retention).
	Created, Expires time.Time
	// Status is Object's status.
	Status string
	// Object is the Batch object as the API shows it (JSON), sealed at
	// rest: its metadata is the user's.
	Object []byte
	// Lease is until when a router's workers hold it; zero when no
	// router does (final).
	Lease time.Time
}

// BatchLine is the result of one line of a batch's input, as its output
// or error file will hold it.
type BatchLine struct {
	// Index is the line's place among the input's requests, from 0.
	Index int
	// Failed says it goes to the error file.
	Failed bool
	// Data is the line of the output or error file (JSON, no newline).
	Data []byte
}

// BatchForward is one provider batch (OpenAI's Batch API, Anthropic's
// Message Batches) that lines of a batch were sent to, kept so that a
// router resuming the batch polls it rather than sending its lines again.
type BatchForward struct {
	// ID is the provider's id of its batch; Deployment the deployment
	// whose provider holds it.
	ID, Deployment string
	// Key names it before the provider answered its creation: it is kept
	// under ID = Key first, the key sent with it (OpenAI's metadata), and
	// its ID set once the provider answered (SetBatchForwardID). While
	// Pending, a router resuming the batch does not know whether the
	// provider made it. "" for one kept without a key.
	Key string
	// Lines are the indexes of the batch's lines it holds, each once.
	Lines []int
	// Created is when it was sent.
	Created time.Time
}

// BatchRetry is a line of a batch that a provider batch left to the
// router (it did not answer it, or answered with an error a live request
// would retry), kept so that a router resuming the batch runs it on the
// router without asking the provider batch again.
type BatchRetry struct {
	// Index is the line's place among the input's requests, from 0.
	Index int
	// Earlier is the provider batch's call of the line that failed
	// having used tokens the provider bills (JSON, as the batch runner
	// wrote it: no content of the user's), billed on the line's record
	// as its first attempt; nil when there is none.
	Earlier []byte
}

// Pending reports whether f was kept before its provider batch was
// created, and the provider's id never written: f.ID is its key.
func (f BatchForward) Pending() bool { return f.Key != "" && f.ID == f.Key }

// BatchFilter selects the batches ListBatches lists; its zero value
// selects every one.
type BatchFilter struct {
	// Statuses are the statuses listed (Batch.Status); nil means any.
	Statuses []string
	// IDPrefix is how the listed batches' ids begin ("msgbatch_" for
	// Anthropic's Message Batches); "" means any.
	IDPrefix string
	// Since <= Created < Until; a zero bound is open.
	Since, Until time.Time
}

// BatchPage is a page of batches, newest first; HasMore says whether
// more follow it.
type BatchPage struct {
	Batches []*Batch
	HasMore bool
}

// BatchUse is the request log's account of lines of one batch (the
// requests recorded with its id, Request.BatchID) that one deployment
// served, of one endpoint, run one way.
type BatchUse struct {
	// Batch is the batch's id; Deployment the deployment that answered
	// or last failed ("" when none was tried); Endpoint the request
	// log's ("chat", "embeddings", …); Mode how the lines ran,
	// "provider" or "router" (Explanation.Batch).
	Batch, Deployment, Endpoint, Mode string
	// Lines is how many requests; CostUSD their total cost (every billed
	// attempt), ServedCostUSD the cost of the answers they got.
	Lines                  int64
	CostUSD, ServedCostUSD float64
	// CostUnknown reports that one of them had an attempt on a deployment
	// with no known price: the costs are lower bounds.
	CostUnknown bool
}

// BatchUseQuery selects the batch lines BatchUses sums.
type BatchUseQuery struct {
	// Batches are the batches' ids; nil means every batch's lines.
	Batches []string
	// Since <= Time < Until; a zero bound is open.
	Since, Until time.Time
}

// BatchLog keeps the batches and their lines' results. Implementations
// are safe for concurrent use; every router sharing the database sees
// every write once it returns. A read never finds a batch expired at its
// now, nor one of another tenant than the scope's.
type BatchLog interface {
	// SaveBatch stores a new batch.
	SaveBatch(ctx context.Context, b *Batch) error
	// GetBatch returns the live batch id in scope, or ErrBatchNotFound.
	GetBatch(ctx context.Context, scope Scope, id string, now time.Time) (*Batch, error)
	// ListBatches returns a page of at most limit live batches in scope
	// that f selects, newest first, after the batch after ("" from the
	// newest; it need not be one f selects); ErrBatchNotFound when after
	// names no live batch in scope. HasMore says whether more that f
	// selects follow.
	ListBatches(ctx context.Context, scope Scope, f BatchFilter, after string, limit int, now time.Time) (BatchPage, error)
	// UpdateBatch writes b's Status, Object and Lease to the batch b.ID
	// of b.Tenant if its stored status is one of from: ErrBatchMoved
	// when it is not (nothing is written), ErrBatchNotFound when there
	// is no such batch.
	UpdateBatch(ctx context.Context, b *Batch, from ...string) error
	// RenewBatchLeases sets to until the lease of each batch among ids
	// that still runs (BatchRunning), and returns the others among ids
	// (cancelling, final, or erased): their runner stops them.
	RenewBatchLeases(ctx context.Context, ids []string, until time.Time) (stopped []string, err error)
	// ClaimBatches takes at most limit batches, of all tenants, running
	// or cancelling, whose lease ended before now (their router
	// stopped): each is given the lease until, if no other router took
	// it meanwhile, and returned.
	ClaimBatches(ctx context.Context, now, until time.Time, limit int) ([]*Batch, error)
	// SaveBatchLine keeps the result of one line of the batch id of
	// tenant; a line already kept is left as it was.
	SaveBatchLine(ctx context.Context, tenant, id string, l BatchLine) error
	// BatchLines returns the results kept of the batch id of tenant, by
	// Index.
	BatchLines(ctx context.Context, tenant, id string) ([]BatchLine, error)
	// SaveBatchForward keeps f, a provider batch holding lines of the
	// batch id of tenant; one already kept under f.ID is left as it is.
	SaveBatchForward(ctx context.Context, tenant, id string, f BatchForward) error
	// SetBatchForwardID sets to providerID the ID of the provider batch
	// kept under key (its ID key, Pending) of the batch id of tenant;
	// ErrBatchNotFound when there is none.
	SetBatchForwardID(ctx context.Context, tenant, id, key, providerID string) error
	// DeleteBatchForward erases the provider batch kept under key while it
	// is Pending (its ID still key) of the batch id of tenant: its
	// provider refused to create it. ErrBatchNotFound when there is none
	// (one whose id was set is never erased by it).
	DeleteBatchForward(ctx context.Context, tenant, id, key string) error
	// BatchForwards returns the provider batches kept of the batch id of
	// tenant, oldest first.
	BatchForwards(ctx context.Context, tenant, id string) ([]BatchForward, error)
	// SaveBatchRetries keeps rs, lines of the batch id of tenant a
	// provider batch left to the router, in one transaction; a line
	// already kept is left as it was.
	SaveBatchRetries(ctx context.Context, tenant, id string, rs []BatchRetry) error
	// BatchRetries returns the lines kept by SaveBatchRetries of the
	// batch id of tenant, by Index.
	BatchRetries(ctx context.Context, tenant, id string) ([]BatchRetry, error)
	// DeleteBatch erases the batch id of tenant with its lines (results,
	// provider batches and retries), whatever its status; ErrBatchNotFound when there is no such batch.
	DeleteBatch(ctx context.Context, tenant, id string) error
	// DeleteExpiredBatches erases every batch expired at now, of all
	// tenants, with its lines, and returns how many batches it erased.
	DeleteExpiredBatches(ctx context.Context, now time.Time) (int64, error)
	// BatchUses sums the request log's rows of batch lines in scope that
	// q selects, one BatchUse per batch, deployment, endpoint and mode,
	// ordered by them. Lines recorded before the request log kept their
	// batch are in none.
	BatchUses(ctx context.Context, scope Scope, q BatchUseQuery) ([]BatchUse, error)
}
