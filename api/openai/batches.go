package openai

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/store"
	wire "switchyard/wire/openai"
)

// This file serves the Batch API (docs/batches.md): POST /v1/batches
// creates a batch of an input file the caller uploaded, which the
// router's batch runner runs (package batch); GET /v1/batches lists
// them, newest first; GET /v1/batches/{id} reads one; POST
// /v1/batches/{id}/cancel cancels it. Each is the caller's tenant's.

// BatchStore keeps and runs the caller's batches (read from ctx):
// another tenant's is not found. It is safe for concurrent use.
type BatchStore interface {
	// Create stores a batch of the caller's input file fileID to
	// endpoint with metadata, validating, and starts running it; an
	// error wrapping store.ErrFileNotFound when the file is not the
	// caller's, ErrNotBatchFile when its purpose is not batch.
	Create(ctx context.Context, endpoint, fileID string, metadata map[string]string) (*batch.Object, error)
	// Get and List read the caller's batches: an error wrapping
	// store.ErrBatchNotFound for none.
	Get(ctx context.Context, id string) (*batch.Object, error)
	List(ctx context.Context, after string, limit int) ([]*batch.Object, bool, error)
	// Cancel asks the batch id to stop and returns it (cancelling, or as
	// it was when it was cancelling or cancelled already);
	// ErrNotCancellable when it ended otherwise.
	Cancel(ctx context.Context, id string) (*batch.Object, error)
}

// The errors of a BatchStore.
var (
	ErrNotBatchFile   = errors.New("openai: the file's purpose is not batch")
	ErrNotCancellable = errors.New("openai: the batch has ended")
)

// batchEndpoints are the endpoints a batch may run: those the router
// serves of OpenAI's batch endpoints.
var batchEndpoints = []string{"/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/responses", "/v1/moderations"}

// mountBatches registers the Batch API's routes on mux.
func (h *Handler) mountBatches(mux *http.ServeMux) {
	bounded := h.bounded(mux)
	bounded.HandleFunc("POST /v1/batches", unrouted(h.createBatch))
	bounded.HandleFunc("GET /v1/batches", h.listBatches)
	bounded.HandleFunc("GET /v1/batches/{id}", h.getBatch)
	bounded.HandleFunc("POST /v1/batches/{id}/cancel", h.cancelBatch)
}

// batches returns the batch store, or answers that none is kept and
// returns nil.
func (h *Handler) batches(w http.ResponseWriter, r *http.Request) BatchStore {
	if h.Batches == nil {
		e := llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router runs no batches (batches.enabled is false, or store.driver is none).", r.Method, r.URL.Path)
		e.Code = "batches_not_supported"
		WriteError(w, e)
	}
	return h.Batches
}

// batchFailed answers err, a batch store's.
func batchFailed(w http.ResponseWriter, err error, id string) {
	switch {
	case errors.Is(err, store.ErrBatchNotFound):
		e := llm.Errorf(llm.KindNotFound, "No such Batch object: %s", llm.Clip(id))
		e.Param = "batch_id"
		WriteError(w, e)
	case errors.Is(err, store.ErrFileNotFound):
		e := llm.Errorf(llm.KindNotFound, "No such File object: %s", llm.Clip(id))
		e.Param = "input_file_id"
		WriteError(w, e)
	default:
		WriteError(w, storeError(err, "The stored batch", "The batch could not be read or written; try again."))
	}
}

// batchRequest is the body of POST /v1/batches.
type batchRequest struct {
	InputFileID      *string        `json:"input_file_id"`
	Endpoint         *string        `json:"endpoint"`
	CompletionWindow *string        `json:"completion_window"`
	Metadata         wire.StringMap `json:"metadata"`
}

// decodeBatchRequest decodes the body of POST /v1/batches.
func decodeBatchRequest(b []byte) (*batchRequest, error) {
	var q batchRequest
	if err := json.Unmarshal(b, &q); err != nil {
		return nil, wire.BodyError(err, "", "https://platform.openai.com/docs/api-reference/batch/create")
	}
	return &q, nil
}

// check reports what is wrong with a batch request.
func (q *batchRequest) check() *llm.Error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"input_file_id", q.InputFileID}, {"endpoint", q.Endpoint}, {"completion_window", q.CompletionWindow}} {
		if f.v == nil || *f.v == "" {
			return paramError(f.name, "Missing required parameter: '"+f.name+"'.")
		}
	}
	switch {
	case !slices.Contains(batchEndpoints, *q.Endpoint):
		return paramError("endpoint", "Invalid value for 'endpoint': '"+llm.Clip(*q.Endpoint)+"'. This router runs batches of: /v1/chat/completions, /v1/embeddings, /v1/completions, /v1/responses, /v1/moderations.")
	case *q.CompletionWindow != "24h":
		return paramError("completion_window", "Invalid value for 'completion_window': '"+llm.Clip(*q.CompletionWindow)+"'. Supported values are: '24h'.")
	case len(q.Metadata) > 16:
		return paramError("metadata", "Invalid 'metadata': at most 16 pairs.")
	}
	for k, v := range q.Metadata {
		if len(k) > 64 || len(v) > 512 {
			return paramError("metadata", "Invalid 'metadata': keys are at most 64 characters, values at most 512.")
		}
	}
	return nil
}

// paramError is a 400 about param.
func paramError(param, msg string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "%s", msg)
	e.Param = param
	return e
}

// createBatch answers POST /v1/batches.
func (h *Handler) createBatch(w http.ResponseWriter, r *http.Request) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	q, err := decodeBody(h, w, r, decodeBatchRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	if e := q.check(); e != nil {
		WriteError(w, e)
		return
	}
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	o, err := bs.Create(ctx, *q.Endpoint, *q.InputFileID, q.Metadata)
	if errors.Is(err, ErrNotBatchFile) {
		WriteError(w, paramError("input_file_id", "The file "+llm.Clip(*q.InputFileID)+" was not uploaded with purpose 'batch'."))
		return
	}
	if err != nil {
		batchFailed(w, err, *q.InputFileID)
		return
	}
	writeJSON(w, o.Marshal())
}

// listBatches answers GET /v1/batches: newest first, at most limit (1
// to 100, default 20) after the batch after.
func (h *Handler) listBatches(w http.ResponseWriter, r *http.Request) {
	bs := h.batches(w, r)
	if bs == nil {
		return
	}
	limit, err := listLimit(r.URL.Query().Get("limit"), 20, 100)
	if err != nil {
		WriteError(w, err)
		return
	}
	after := r.URL.Query().Get("after")
	page, more, err := bs.List(r.Context(), after, limit)
	if errors.Is(err, store.ErrBatchNotFound) {
		WriteError(w, paramError("after", "Invalid 'after': no batch with id '"+after+"'."))
		return
	}
	if err != nil {
		batchFailed(w, err, "")
		return
	}
	out := listObject[json.RawMessage]{Object: "list", Data: make([]json.RawMessage, len(page)), HasMore: more}
	for i, o := range page {
		out.Data[i] = o.Marshal()
	}
	if n := len(page); n > 0 {
		out.FirstID, out.LastID = &page[0].ID, &page[n-1].ID
	}
	answerJSON(w, out)
}

// getBatch answers GET /v1/batches/{id}.
func (h *Handler) getBatch(w http.ResponseWriter, r *http.Request) {
	if bs := h.batches(w, r); bs != nil {
		id := r.PathValue("id")
		o, err := bs.Get(r.Context(), id)
		if err != nil {
			batchFailed(w, err, id)
			return
		}
		writeJSON(w, o.Marshal())
	}
}

// cancelBatch answers POST /v1/batches/{id}/cancel.
func (h *Handler) cancelBatch(w http.ResponseWriter, r *http.Request) {
	if bs := h.batches(w, r); bs != nil {
		id := r.PathValue("id")
		ctx, cancel := h.writeCtx(r)
		defer cancel()
		o, err := bs.Cancel(ctx, id)
		if errors.Is(err, ErrNotCancellable) {
			e := llm.Errorf(llm.KindInvalidRequest, "Cannot cancel a batch with status '%s'.", o.Status)
			e.Code = "batch_not_cancellable"
			WriteError(w, e)
			return
		}
		if err != nil {
			batchFailed(w, err, id)
			return
		}
		writeJSON(w, o.Marshal())
	}
}
