package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file serves the batches (docs/admin-api.md#get-adminbatches):
// GET /admin/batches lists the batches of both batch APIs (OpenAI's Batch
// API, Anthropic's Message Batches) in the caller's tenant scope, newest
// first, and GET /admin/batches/{id} one of them with its provider
// batches; each with its status, counts, costs, times and the
// deployments its lines ran on (the request log's rows of its lines,
// store.BatchLog.BatchUses).

// Error codes of the batch endpoints.
const (
	// codeBatchesOff: the store keeps no batches, 404.
	codeBatchesOff = "batches_off"
	// codeBatchNotFound: no such batch in the caller's scope, 404.
	codeBatchNotFound = "batch_not_found"
)

// The default and largest pages of GET /admin/batches.
const (
	defaultBatchPage = 50
	maxBatchPage     = 100
)

// BatchList is the answer of GET /admin/batches.
type BatchList struct {
	Data []BatchView `json:"data"`
	// Next is the cursor of the next page; empty on the last.
	Next string `json:"next"`
}

// BatchView is a batch as the admin API shows it.
type BatchView struct {
	ID string `json:"id"`
	// API is "batches" (OpenAI's Batch API, /v1/batches) or
	// "message_batches" (Anthropic's, /v1/messages/batches).
	API     string `json:"api"`
	Tenant  string `json:"tenant"`
	KeyName string `json:"key_name"`
	// Status is the Batch object's (validating, in_progress, finalizing,
	// cancelling, completed, failed, expired, cancelled), for a Message
	// Batch too: the status GET /admin/batches?status= filters on.
	Status string `json:"status"`
	// ProcessingStatus is a Message Batch's own (in_progress, canceling,
	// ended); "" for the Batch API's.
	ProcessingStatus string `json:"processing_status,omitempty"`
	Endpoint         string `json:"endpoint"`
	// RequestCounts are in the shape of the batch's API: the Batch
	// object's, or the Message Batch's (Message).
	RequestCounts RequestCounts `json:"request_counts"`
	// CostUSD is the served cost of the answers so far, TotalCostUSD
	// every call billed for the lines (the Batch object's).
	CostUSD      float64 `json:"cost_usd"`
	TotalCostUSD float64 `json:"total_cost_usd"`
	// Runs says where its lines ran: "provider" (all sent to providers'
	// batch APIs), "router", "both", or "" while none is recorded.
	Runs        string          `json:"runs"`
	Deployments []BatchDeployed `json:"deployments"`
	CreatedAt   time.Time       `json:"created_at"`
	// EndedAt is when it completed, failed, expired or was cancelled;
	// null while it runs.
	EndedAt   *time.Time `json:"ended_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	// ProviderBatches are the provider batches its lines were sent to
	// (GET /admin/batches/{id} only).
	ProviderBatches []ProviderBatchView `json:"provider_batches,omitempty"`
}

// batchObject is what the admin API reads of a stored Batch object (the
// batch runner's, api/openai/batch.Object: admin does not import the
// API's packages).
type batchObject struct {
	Endpoint      string        `json:"endpoint"`
	CreatedAt     int64         `json:"created_at"`
	ExpiresAt     *int64        `json:"expires_at"`
	CompletedAt   *int64        `json:"completed_at"`
	FailedAt      *int64        `json:"failed_at"`
	ExpiredAt     *int64        `json:"expired_at"`
	CancelledAt   *int64        `json:"cancelled_at"`
	RequestCounts RequestCounts `json:"request_counts"`
	CostUSD       float64       `json:"cost_usd"`
	TotalCostUSD  float64       `json:"total_cost_usd"`
}

// BatchDeployed is what one deployment served of a batch's lines, as the
// request log recorded them.
type BatchDeployed struct {
	Deployment string `json:"deployment"`
	// Lines are its requests; Forwarded those sent to its provider's
	// batch API (at the batch price), OnRouter those the router ran.
	Lines     int64 `json:"lines"`
	Forwarded int64 `json:"forwarded"`
	OnRouter  int64 `json:"on_router"`
	// CostUSD is their total cost, the request log's cost_usd.
	CostUSD     float64 `json:"cost_usd"`
	CostUnknown bool    `json:"cost_unknown,omitempty"`
}

// ProviderBatchView is a provider batch holding lines of a batch.
type ProviderBatchView struct {
	// ID is the provider's id; empty while its creation is not known to
	// have been answered (Pending).
	ID         string    `json:"id"`
	Deployment string    `json:"deployment"`
	Lines      int       `json:"lines"`
	Created    time.Time `json:"created_at"`
}

// batchLog returns the store's batches, or answers 404 itself.
func (h *Handler) batchLog(w http.ResponseWriter) (store.BatchLog, bool) {
	bl, ok := h.Store.(store.BatchLog)
	if !ok {
		e := llm.Errorf(llm.KindNotFound, "This store keeps no batches.")
		e.Code = codeBatchesOff
		writeError(w, e)
	}
	return bl, ok
}

func (h *Handler) listBatches(w http.ResponseWriter, r *http.Request) {
	q, scope, ok := parseScoped(h, w, r, ParseBatchQuery)
	if !ok {
		return
	}
	bl, ok := h.batchLog(w)
	if !ok {
		return
	}
	page, err := bl.ListBatches(r.Context(), scope, q.Filter, q.Cursor, q.Limit, h.now())
	if errors.Is(err, store.ErrBatchNotFound) {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid query parameter cursor: no batch %q in this scope (it expired, or is not a cursor this API returned).", llm.Clip(q.Cursor))
		e.Param = "cursor"
		writeError(w, e)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	views, err := h.batchViews(r, bl, scope, page.Batches)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := BatchList{Data: views}
	if page.HasMore {
		out.Next = views[len(views)-1].ID
	}
	writeJSON(w, out)
}

func (h *Handler) getBatch(w http.ResponseWriter, r *http.Request) {
	_, scope, ok := parseScoped(h, w, r, func(v url.Values, _ time.Time) (getQuery, error) {
		tenant, err := ParseGetQuery(v)
		return getQuery{tenant}, err
	})
	if !ok {
		return
	}
	bl, ok := h.batchLog(w)
	if !ok {
		return
	}
	id := r.PathValue("id")
	b, err := bl.GetBatch(r.Context(), scope, id, h.now())
	if errors.Is(err, store.ErrBatchNotFound) {
		// The same answer whether the id is unknown or another tenant's.
		e := llm.Errorf(llm.KindNotFound, "No batch %q.", llm.Clip(id))
		e.Code = codeBatchNotFound
		writeError(w, e)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	views, err := h.batchViews(r, bl, scope, []*store.Batch{b})
	if err == nil {
		err = providerBatches(r, bl, b, &views[0])
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	writeJSON(w, views[0])
}

// providerBatches fills v's provider batches, those kept of b.
func providerBatches(r *http.Request, bl store.BatchLog, b *store.Batch, v *BatchView) error {
	fs, err := bl.BatchForwards(r.Context(), b.Tenant, b.ID)
	if err != nil {
		return err
	}
	v.ProviderBatches = make([]ProviderBatchView, len(fs))
	for i, f := range fs {
		pv := ProviderBatchView{ID: f.ID, Deployment: f.Deployment, Lines: len(f.Lines), Created: f.Created.UTC()}
		if f.Pending() {
			pv.ID = ""
		}
		v.ProviderBatches[i] = pv
	}
	return nil
}

// batchViews returns the views of bs, with the deployments the request
// log recorded their lines on.
func (h *Handler) batchViews(r *http.Request, bl store.BatchLog, scope store.Scope, bs []*store.Batch) ([]BatchView, error) {
	out := make([]BatchView, len(bs))
	at := make(map[string]*BatchView, len(bs))
	ids := make([]string, len(bs))
	for i, b := range bs {
		out[i] = batchViewOf(b)
		at[b.ID], ids[i] = &out[i], b.ID
	}
	uses, err := bl.BatchUses(r.Context(), scope, store.BatchUseQuery{Batches: ids})
	if err != nil {
		return nil, err
	}
	for _, u := range uses {
		if v := at[u.Batch]; v != nil {
			v.add(u)
		}
	}
	return out, nil
}

// batchViewOf is the view of b before its deployments are added.
func batchViewOf(b *store.Batch) BatchView {
	v := BatchView{ID: b.ID, API: "batches", Tenant: b.Tenant, KeyName: b.KeyName, Status: b.Status,
		CreatedAt: b.Created.UTC(), Deployments: []BatchDeployed{}}
	if strings.HasPrefix(b.ID, "msgbatch_") {
		v.API = "message_batches"
	}
	var o batchObject
	if json.Unmarshal(b.Object, &o) != nil { // a stored object that no longer reads: the row's own fields
		return v
	}
	v.Endpoint, v.RequestCounts = o.Endpoint, o.RequestCounts
	if v.API == "message_batches" {
		var m *MessageRequestCounts
		v.ProcessingStatus, m = messageCounts(b.Status, o.RequestCounts)
		v.RequestCounts = RequestCounts{Message: m}
	}
	v.CostUSD, v.TotalCostUSD = llm.RoundUSD(o.CostUSD), llm.RoundUSD(max(o.TotalCostUSD, o.CostUSD))
	v.CreatedAt = time.Unix(o.CreatedAt, 0).UTC()
	v.ExpiresAt = unixTime(o.ExpiresAt)
	for _, t := range []*int64{o.CompletedAt, o.FailedAt, o.ExpiredAt, o.CancelledAt} {
		if t != nil {
			v.EndedAt = unixTime(t)
		}
	}
	return v
}

// unixTime is the time of Unix seconds t; nil for nil.
func unixTime(t *int64) *time.Time {
	if t == nil {
		return nil
	}
	u := time.Unix(*t, 0).UTC()
	return &u
}

// add counts u, lines of v's batch, in v's deployments and runs.
func (v *BatchView) add(u store.BatchUse) {
	var d *BatchDeployed
	for i := range v.Deployments {
		if v.Deployments[i].Deployment == u.Deployment {
			d = &v.Deployments[i]
		}
	}
	if d == nil {
		v.Deployments = append(v.Deployments, BatchDeployed{Deployment: u.Deployment})
		d = &v.Deployments[len(v.Deployments)-1]
	}
	d.Lines += u.Lines
	d.CostUSD = llm.RoundUSD(d.CostUSD + u.CostUSD)
	d.CostUnknown = d.CostUnknown || u.CostUnknown
	mode := "router"
	if u.Mode == "provider" {
		d.Forwarded += u.Lines
		mode = "provider"
	} else {
		d.OnRouter += u.Lines
	}
	switch v.Runs {
	case "":
		v.Runs = mode
	case mode:
	default:
		v.Runs = "both"
	}
}
