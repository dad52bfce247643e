package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/store"
)

// This file serves the Message Batches API (docs/anthropic-api.md):
// POST /v1/messages/batches creates a batch of inline Messages requests,
// which the router's batch runner runs as live requests; GET reads one
// or lists them; cancel, delete and the results (JSON Lines). Each batch
// is the caller's tenant's: another's id is a 404.

// MessageBatch is Anthropic's MessageBatch object. Times are RFC 3339;
// nil is null.
type MessageBatch struct {
	ID                string        `json:"id"`
	Type              string        `json:"type"`
	ProcessingStatus  string        `json:"processing_status"`
	RequestCounts     RequestCounts `json:"request_counts"`
	CreatedAt         string        `json:"created_at"`
	ExpiresAt         string        `json:"expires_at"`
	EndedAt           *string       `json:"ended_at"`
	CancelInitiatedAt *string       `json:"cancel_initiated_at"`
	ArchivedAt        *string       `json:"archived_at"`
	ResultsURL        *string       `json:"results_url"`
	// CostUSD and TotalCostUSD are Switchyard's, beside Anthropic's
	// fields (the SDKs keep a field they do not know as an extra one):
	// the served cost of the answers so far, and every call billed for
	// the requests (docs/batches.md#message-batches).
	CostUSD      float64 `json:"cost_usd"`
	TotalCostUSD float64 `json:"total_cost_usd"`
}

// RequestCounts are a Message Batch's requests by their state.
type RequestCounts struct {
	Processing int `json:"processing"`
	Succeeded  int `json:"succeeded"`
	Errored    int `json:"errored"`
	Canceled   int `json:"canceled"`
	Expired    int `json:"expired"`
}

// The processing statuses of a Message Batch.
const (
	BatchInProgress = "in_progress"
	BatchCanceling  = "canceling"
	BatchEnded      = "ended"
)

// MessageBatches keeps and runs the caller's Message Batches (the
// caller read from ctx). Methods return an error wrapping
// ErrBatchNotFound for an id that is not the caller's live batch.
type MessageBatches interface {
	// MaxBytes bounds a creation's body; MaxRequests its requests.
	MaxBytes() int64
	MaxRequests() int
	// Create stores and starts a batch of reqs.
	Create(ctx context.Context, reqs []BatchRequest) (*MessageBatch, error)
	Get(ctx context.Context, id string) (*MessageBatch, error)
	// List returns at most limit batches, newest first: after afterID,
	// or before beforeID (at most one is set), and whether more follow
	// in that direction.
	List(ctx context.Context, beforeID, afterID string, limit int) ([]*MessageBatch, bool, error)
	// Cancel starts cancelling a batch in progress; one ended is answered
	// as it is.
	Cancel(ctx context.Context, id string) (*MessageBatch, error)
	// Delete erases an ended batch; ErrBatchNotEnded for one that is not.
	Delete(ctx context.Context, id string) error
	// Results writes an ended batch's results, a JSON line each, to w;
	// ErrBatchNotEnded for one that is not.
	Results(ctx context.Context, id string, w io.Writer) error
}

// The errors of MessageBatches.
var (
	ErrBatchNotFound = errors.New("anthropic: message batch not found")
	ErrBatchNotEnded = errors.New("anthropic: message batch has not ended")
)

// mountBatches registers the Message Batches routes on mux.
func (h *Handler) mountBatches(mux *http.ServeMux) {
	bounded := store.BoundedMux{Mux: mux, Timeout: h.storeTimeout()}
	mux.HandleFunc("POST /v1/messages/batches", h.createBatch)
	bounded.HandleFunc("GET /v1/messages/batches", h.listBatches)
	bounded.HandleFunc("GET /v1/messages/batches/{id}", h.getBatch)
	bounded.HandleFunc("POST /v1/messages/batches/{id}/cancel", h.cancelBatch)
	bounded.HandleFunc("DELETE /v1/messages/batches/{id}", h.deleteBatch)
	mux.HandleFunc("GET /v1/messages/batches/{id}/results", h.batchResults)
}

// batches returns the batch store, or answers 404 when none is kept.
func (h *Handler) batches(w http.ResponseWriter, r *http.Request) MessageBatches {
	w.Header().Set(HeaderRequestID, llm.RequestID(r.Context()))
	if h.Batches == nil {
		e := llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router runs no batches (batches.enabled is false, or store.driver is none).", r.Method, r.URL.Path)
		WriteError(w, r, e)
	}
	return h.Batches
}

// batchError answers err of the batch id.
func batchError(w http.ResponseWriter, r *http.Request, id string, err error) {
	switch {
	case errors.Is(err, ErrBatchNotFound):
		err = llm.Errorf(llm.KindNotFound, "No such message batch: %s", llm.Clip(id))
	case errors.Is(err, ErrBatchNotEnded):
		err = llm.Errorf(llm.KindInvalidRequest, "The message batch %s has not ended yet (processing_status is not ended).", llm.Clip(id))
	default:
		var le *llm.Error
		if !errors.As(err, &le) {
			// The store failed or did not answer within its
			// timeout (store.timeout): 529 overloaded_error, as Anthropic
			// answers a service it cannot serve now (its SDKs retry it).
			err = llm.Wrap(llm.KindUnavailable, err, "The message batches' store could not be read or written; the router's log says why. Try again.")
		}
	}
	WriteError(w, r, err)
}

func (h *Handler) createBatch(w http.ResponseWriter, r *http.Request) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	// Its requests are routed by their own params: a routing header here
	// would steer none of them (inbound.Unrouted).
	if err := inbound.Unrouted(r.Header, "POST /v1/messages/batches"); err != nil {
		WriteError(w, r, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, bs.MaxBytes()))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = llm.Errorf(llm.KindTooLarge, "The request body exceeds %d bytes (batches.max_file_bytes).", bs.MaxBytes())
		}
		WriteError(w, r, err)
		return
	}
	reqs, err := DecodeBatchRequests(body, bs.MaxRequests())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	ctx, cancel := h.storeTimeouts().Bound(r.Context()) // not the body's upload
	defer cancel()
	b, err := bs.Create(ctx, reqs)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeBatchJSON(w, b)
}

func (h *Handler) getBatch(w http.ResponseWriter, r *http.Request) {
	h.oneBatch(w, r, MessageBatches.Get)
}

func (h *Handler) cancelBatch(w http.ResponseWriter, r *http.Request) {
	h.oneBatch(w, r, MessageBatches.Cancel)
}

// oneBatch answers the batch of the path's id that op returns.
func (h *Handler) oneBatch(w http.ResponseWriter, r *http.Request, op func(MessageBatches, context.Context, string) (*MessageBatch, error)) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	id := r.PathValue("id")
	b, err := op(bs, r.Context(), id)
	if err != nil {
		batchError(w, r, id, err)
		return
	}
	writeBatchJSON(w, b)
}

func (h *Handler) deleteBatch(w http.ResponseWriter, r *http.Request) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	id := r.PathValue("id")
	if err := bs.Delete(r.Context(), id); err != nil {
		batchError(w, r, id, err)
		return
	}
	writeBatchJSON(w, map[string]string{"id": id, "type": "message_batch_deleted"})
}

func (h *Handler) batchResults(w http.ResponseWriter, r *http.Request) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	id := r.PathValue("id")
	// Bounded by the store's timeout until the first byte of the
	// results; then for as long as the client reads them.
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	bound := time.AfterFunc(h.storeTimeout(), func() { cancel(context.DeadlineExceeded) })
	defer bound.Stop()
	if _, err := bs.Get(ctx, id); err != nil {
		batchError(w, r, id, err)
		return
	}
	pw := &pendingWriter{w: w, onStart: func() { bound.Stop() }}
	if err := bs.Results(ctx, id, pw); err != nil && !pw.started {
		batchError(w, r, id, err)
		return
	}
	if !pw.started {
		pw.start()
	}
}

// pendingWriter sets the results' headers at the first byte, so that an
// error before it can still be answered.
type pendingWriter struct {
	w       http.ResponseWriter
	started bool
	onStart func() // if set, called at the first byte
}

func (p *pendingWriter) start() {
	p.started = true
	if p.onStart != nil {
		p.onStart()
	}
	p.w.Header().Set("Content-Type", "application/x-jsonl")
	p.w.WriteHeader(http.StatusOK)
}

func (p *pendingWriter) Write(b []byte) (int, error) {
	if !p.started {
		p.start()
	}
	return p.w.Write(b)
}

func (h *Handler) listBatches(w http.ResponseWriter, r *http.Request) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	q := r.URL.Query()
	limit := 20
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			WriteError(w, r, invalid("limit: Input should be an integer between 1 and 1000, got '%s'.", llm.Clip(s)))
			return
		}
		limit = n
	}
	before, after := q.Get("before_id"), q.Get("after_id")
	if before != "" && after != "" {
		WriteError(w, r, invalid("before_id and after_id cannot both be given."))
		return
	}
	list, more, err := bs.List(r.Context(), before, after, limit)
	if err != nil {
		batchError(w, r, before+after, err)
		return
	}
	page := struct {
		Data    []*MessageBatch `json:"data"`
		HasMore bool            `json:"has_more"`
		FirstID *string         `json:"first_id"`
		LastID  *string         `json:"last_id"`
	}{Data: list, HasMore: more}
	if len(list) > 0 {
		page.FirstID, page.LastID = &list[0].ID, &list[len(list)-1].ID
	} else {
		page.Data = []*MessageBatch{}
	}
	writeBatchJSON(w, page)
}

// writeBatchJSON answers v as JSON.
func writeBatchJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v) // of our own types: never fails
	inbound.WriteJSON(w, b)
}

// storeTimeouts are the bounds of the store calls a request waits for
// (Handler.StoreTimeout).
func (h *Handler) storeTimeouts() store.Timeouts { return store.Timeouts{Request: h.StoreTimeout} }

// storeTimeout bounds each read or write of the store a request waits
// for: a batch route answers 529 overloaded_error within it when the
// database stops answering, not 504 at server.request_timeout.
func (h *Handler) storeTimeout() time.Duration { return h.storeTimeouts().RequestOr() }
