package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	apianthropic "switchyard/api/anthropic"
	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/batch"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
	"switchyard/store"
	"switchyard/tenant"
)

// batchStore keeps the Batch API's batches in the request store
// (store.BatchLog), each owned by the tenant and key of the request that
// created it (the caller in ctx), and has the router's batch runner run
// them.
type batchStore struct {
	log    store.BatchLog
	files  store.FileLog
	runner *batch.Runner
	cfg    func() *config.Config
	now    func() time.Time
}

var _ apiopenai.BatchStore = (*batchStore)(nil)

// completionWindow is the only completion window (OpenAI's).
const completionWindow = 24 * time.Hour

// Create implements apiopenai.BatchStore.
func (s *batchStore) Create(ctx context.Context, endpoint, fileID string, metadata map[string]string) (*batch.Object, error) {
	c := gateway.CallerFrom(ctx)
	now := s.now().UTC()
	f, err := s.files.GetFile(ctx, store.TenantScope(c.Tenant), fileID, now)
	if err != nil {
		return nil, err
	}
	if f.Purpose == messageBatchInput { // the router's own, which the Files API never shows
		return nil, store.ErrFileNotFound
	}
	if f.Purpose != "batch" {
		return nil, apiopenai.ErrNotBatchFile
	}
	o := &batch.Object{ID: batch.NewBatchID(), Object: "batch", Endpoint: endpoint, InputFileID: fileID, CompletionWindow: "24h",
		Status: store.BatchValidating, CreatedAt: now.Unix(), Metadata: metadata}
	exp := now.Add(completionWindow).Unix()
	o.ExpiresAt = &exp
	b := &store.Batch{ID: o.ID, Tenant: c.Tenant, KeyName: c.Name, Created: now, Expires: now.Add(s.cfg().Batches.Retention),
		Status: o.Status, Object: o.Marshal(), Lease: s.runner.LeaseEnd()}
	if err := s.log.SaveBatch(ctx, b); err != nil {
		return nil, err
	}
	s.runner.Submit(b)
	return o, nil
}

// Get implements apiopenai.BatchStore.
func (s *batchStore) Get(ctx context.Context, id string) (*batch.Object, error) {
	if !strings.HasPrefix(id, oaiBatchPrefix) { // a Message Batch is not the Batch API's
		return nil, store.ErrBatchNotFound
	}
	b, err := s.log.GetBatch(ctx, callerScope(ctx), id, s.now())
	if err != nil {
		return nil, err
	}
	return batch.ParseObject(b.Object)
}

// List implements apiopenai.BatchStore.
func (s *batchStore) List(ctx context.Context, after string, limit int) ([]*batch.Object, bool, error) {
	bs, more, err := s.listKind(ctx, oaiBatchPrefix, after, limit)
	if err != nil {
		return nil, false, err
	}
	out := make([]*batch.Object, len(bs))
	for i, b := range bs {
		if out[i], err = batch.ParseObject(b.Object); err != nil {
			return nil, false, err
		}
	}
	return out, more, nil
}

// listPage is how many batches listBefore reads at once.
const listPage = 100

// listKind returns at most limit of the caller's batches whose id starts
// with prefix, newest first, after the batch after ("" from the
// newest), and whether more follow: the store's page of that kind alone
// (store.BatchFilter.IDPrefix).
func (s *batchStore) listKind(ctx context.Context, prefix, after string, limit int) ([]*store.Batch, bool, error) {
	p, err := s.log.ListBatches(ctx, callerScope(ctx), store.BatchFilter{IDPrefix: prefix}, after, limit, s.now())
	if err != nil {
		return nil, false, err
	}
	return p.Batches, p.HasMore, nil
}

// listBefore returns at most limit of the caller's batches whose id
// starts with prefix, newest first, that are newer than the batch
// before, the closest to it, and whether newer ones are left out.
func (s *batchStore) listBefore(ctx context.Context, prefix, before string, limit int) ([]*store.Batch, bool, error) {
	if _, err := s.log.GetBatch(ctx, callerScope(ctx), before, s.now()); err != nil {
		return nil, false, err
	}
	var newer []*store.Batch
	after := ""
	for {
		p, err := s.log.ListBatches(ctx, callerScope(ctx), store.BatchFilter{}, after, listPage, s.now())
		if err != nil {
			return nil, false, err
		}
		for _, b := range p.Batches {
			if b.ID == before {
				cut := max(len(newer)-limit, 0)
				return newer[cut:], cut > 0, nil
			}
			if strings.HasPrefix(b.ID, prefix) {
				newer = append(newer, b)
			}
		}
		if !p.HasMore || len(p.Batches) == 0 {
			return nil, false, store.ErrBatchNotFound
		}
		after = p.Batches[len(p.Batches)-1].ID
	}
}

// Cancel implements apiopenai.BatchStore: the batch is written
// cancelling, if it still runs, and its runner told (this router's at
// once, another's at its next lease renewal).
func (s *batchStore) Cancel(ctx context.Context, id string) (*batch.Object, error) {
	if !strings.HasPrefix(id, oaiBatchPrefix) {
		return nil, store.ErrBatchNotFound
	}
	return s.cancel(ctx, id)
}

// cancel cancels the caller's batch id, of either API.
func (s *batchStore) cancel(ctx context.Context, id string) (*batch.Object, error) {
	for range 3 { // a runner's write between the read and the cancel: read again
		b, err := s.log.GetBatch(ctx, callerScope(ctx), id, s.now())
		if err != nil {
			return nil, err
		}
		o, err := batch.ParseObject(b.Object)
		switch {
		case err != nil:
			return nil, err
		case o.Status == store.BatchCancelling || o.Status == store.BatchCancelled:
			return o, nil
		case b.Status != store.BatchValidating && b.Status != store.BatchInProgress && b.Status != store.BatchFinalizing:
			return o, apiopenai.ErrNotCancellable
		}
		o.Status = store.BatchCancelling
		at := s.now().Unix()
		o.CancellingAt = &at
		b.Status, b.Object = o.Status, o.Marshal()
		err = s.log.UpdateBatch(ctx, b, store.BatchRunning...)
		if errors.Is(err, store.ErrBatchMoved) {
			continue
		}
		if err != nil {
			return nil, err
		}
		s.runner.Cancel(id)
		return o, nil
	}
	return nil, errors.New("batches: the batch kept changing while it was cancelled")
}

// newBatches returns the batch store and runner of st, nil when st
// keeps no batches or files, or the batches section turns them off.
// dispatch sends a line's request; forward, when not nil, sends lines to
// the providers' batch APIs; busy counts the interactive requests in
// flight.
func newBatches(cfg *config.Config, st store.Store, serving func() *config.Config, dispatch batch.Dispatch, forward batch.Forwarder, busy func() int, log *slog.Logger, reg prometheus.Registerer) *batchStore {
	bl, ok := st.(store.BatchLog)
	fl, fok := st.(store.FileLog)
	b := &cfg.Batches
	if !ok || !fok || !b.On() {
		return nil
	}
	r := batch.New(batch.Options{Log: bl, Files: fl, Dispatch: dispatch, Concurrency: b.Concurrency, Busy: busy, YieldAt: b.YieldAt,
		MaxLines: b.MaxLines, Lease: b.Lease, Retention: b.Retention, Logger: log, Metrics: batch.NewMetrics(reg),
		Forward: forward, PollInterval: b.PollInterval})
	return &batchStore{log: bl, files: fl, runner: r, cfg: serving, now: time.Now}
}

// batchAPI is s as the API's batch store: nil (no batches) when s is
// nil.
func batchAPI(s *batchStore) apiopenai.BatchStore {
	if s == nil {
		return nil
	}
	return s
}

// dispatchLine sends one request of a batch through the API handler, as
// a live request of the batch's key: the key looked up by its tenant and
// name in the keyring (a key revoked or expired since is refused, as it
// would be live), the request given its own request id and recorded,
// routed, budgeted, priced and logged as any.
func (s *Server) dispatchLine(ctx context.Context, owner batch.Owner, url string, body []byte) batch.Result {
	caller, err := s.batchCaller(owner)
	if err != nil {
		return errorResult(url, err)
	}
	id := newRequestID()
	ex := &exchange{start: time.Now(), caller: caller.Name, tenant: caller.Tenant, batch: owner.Batch}
	ctx = context.WithValue(llm.WithRequestID(ctx, id), exchangeKey{}, ex)
	var total record.Total
	ctx = gateway.WithTotalCost(withEarlierCall(gateway.WithCaller(ctx, caller)), &total)
	ctx = gateway.WithBatch(ctx, owner.Batch)
	if url == batch.MessagesEndpoint {
		ctx = apianthropic.Unthreaded(ctx) // a batch's requests hold no message thread
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return errorResult(url, llm.Wrap(llm.KindInternal, err, "The batch request could not be made."))
	}
	req.Header.Set("Content-Type", "application/json")
	w := &lineWriter{header: http.Header{}}
	tw := &trackingWriter{ResponseWriter: w}
	if !s.serveLine(tw, req) {
		return errorResult(url, llm.Errorf(llm.KindInternal, "internal error; the request id is %s", id))
	}
	if tw.status >= 400 && !ex.reached && !ex.panicked {
		s.rejected(req, id, ex, tw) // logged, counted and recorded as a live request refused before the backend
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return batch.Result{Status: w.status, RequestID: id, CostUSD: batch.ParseCost(w.header.Get(apiopenai.HeaderCost)), TotalCostUSD: total.CostUSD, Body: w.body.Bytes(),
		RetryAfter: retryableWait(w.status, w.header)}
}

// retryableWait is the wait a 429 answer asks for before it is sent
// again (its retry-after-ms or Retry-After), when it may be (it does not
// say x-should-retry: false, as a spent budget does); 0 otherwise.
func retryableWait(status int, h http.Header) time.Duration {
	if status != http.StatusTooManyRequests || h.Get("x-should-retry") == "false" {
		return 0
	}
	return provider.RetryAfter(h)
}

// serveLine serves a batch's request; false when its handler panicked
// after its answer had started (recover, which logged it, aborts such a
// response).
func (s *Server) serveLine(w http.ResponseWriter, r *http.Request) (ok bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			ok = false
		}
	}()
	s.lines.ServeHTTP(w, r)
	return true
}

// batchCaller is the caller a batch's requests run as.
func (s *Server) batchCaller(owner batch.Owner) (gateway.Caller, error) {
	if s.opts.AnyKey || !s.ring.Enabled() {
		return gateway.Caller{Name: owner.KeyName, Tenant: owner.Tenant, Allowed: gateway.Anonymous.Allowed}, nil
	}
	id, status := s.ring.Named(owner.Tenant, owner.KeyName)
	if status != tenant.Valid {
		e := keyRefusal(status, "The key that created this batch no longer exists.")
		return gateway.Caller{}, e
	}
	return gateway.CallerOf(id), nil
}

// errorResult is the answer of a request that failed before the API.
func errorResult(url string, err error) batch.Result {
	e := llm.AsError(err)
	w := &lineWriter{header: http.Header{}}
	if url == batch.MessagesEndpoint {
		r, _ := http.NewRequest(http.MethodPost, url, nil) // only its context is read
		apianthropic.WriteError(w, r, e)
		return batch.Result{Status: w.status, Body: w.body.Bytes()}
	}
	apiopenai.WriteError(w, e)
	return batch.Result{Status: w.status, Body: w.body.Bytes()}
}

// lineWriter keeps the answer of a batch's request.
type lineWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *lineWriter) Header() http.Header { return w.header }

func (w *lineWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *lineWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// Flush implements http.Flusher (nothing to flush).
func (w *lineWriter) Flush() {}
