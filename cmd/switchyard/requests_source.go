package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/learn"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/sqlite"
)

// openRequestSource opens the request log f names.
func openRequestSource(ctx context.Context, f *requestsFlags) (requestSource, error) {
	switch {
	case f.url != "":
		return newAPISource(f.url, f.key)
	case f.dsn != "":
		return openStoreSource(ctx, config.StorePostgres, "", f.dsn)
	case f.store != "":
		return openStoreSource(ctx, config.StoreSQLite, f.store, "")
	}
	cfg, err := config.Load(f.config)
	if err != nil {
		return nil, err
	}
	s := &cfg.Store
	if !s.Enabled() {
		return nil, fmt.Errorf("%s keeps no request log (store.driver: none)", f.config)
	}
	return openStoreSource(ctx, s.Driver, s.Path, s.DSN)
}

// storeSource reads a request log directly, as an unscoped operator: the
// file or database is the whole log.
type storeSource struct {
	s store.Store
	// savings prices the report's savings; nil leaves them out (no
	// configuration given).
	savings *learn.SavingsPolicy
	// refusalWeight is the configuration's learn.signals.refusal; nil
	// (no configuration given) means the default.
	refusalWeight *float64
}

// openStoreSource opens a request log of driver. An SQLite file must
// exist: reading never creates one.
func openStoreSource(ctx context.Context, driver, path, dsn string) (*storeSource, error) {
	var (
		s   store.Store
		err error
	)
	if driver == config.StorePostgres {
		s, err = postgres.Open(ctx, dsn)
	} else {
		if _, statErr := os.Stat(path); errors.Is(statErr, fs.ErrNotExist) {
			return nil, fmt.Errorf("no request log at %s (the router creates it when it starts with store.driver: sqlite)", path)
		}
		s, err = sqlite.Open(ctx, path)
	}
	if err != nil {
		return nil, err
	}
	return &storeSource{s: s}, nil
}

// operator is who reads a request log opened from the command line.
var operator = admin.Unscoped("cli")

func (s *storeSource) list(ctx context.Context, q url.Values) (admin.RequestList, error) {
	rq, err := admin.ParseRequestQuery(q, time.Now())
	if err != nil {
		return admin.RequestList{}, err
	}
	scope, _ := operator.ScopeFor(rq.Tenant) // an unscoped principal may read any tenant
	page, err := s.s.List(ctx, scope, rq.Filter)
	if err != nil {
		return admin.RequestList{}, err
	}
	out := admin.RequestList{Data: make([]admin.RequestSummary, len(page.Requests)), Next: page.Next}
	for i, r := range page.Requests {
		out.Data[i] = admin.SummaryOf(r)
	}
	return out, nil
}

func (s *storeSource) show(ctx context.Context, id string, q url.Values) (admin.RequestDetail, error) {
	tenant, err := admin.ParseGetQuery(q)
	if err != nil {
		return admin.RequestDetail{}, err
	}
	scope, _ := operator.ScopeFor(tenant) // an unscoped principal may read any tenant
	r, err := s.s.Get(ctx, scope, id)
	if errors.Is(err, store.ErrNotFound) {
		return admin.RequestDetail{}, llm.Errorf(llm.KindNotFound, "no request %q in the request log", id)
	}
	if err != nil {
		return admin.RequestDetail{}, err
	}
	return admin.DetailOf(r), nil
}

func (s *storeSource) Close() error { return s.s.Close() }

// apiSource reads a running router's admin API.
type apiSource struct {
	base   *url.URL
	key    string
	client *http.Client
}

// apiTimeout bounds one call to the admin API.
const apiTimeout = 30 * time.Second

func newAPISource(rawURL, key string) (*apiSource, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("--url %q is not an http:// or https:// address of a router", rawURL)
	}
	return &apiSource{base: u, key: key, client: &http.Client{Timeout: apiTimeout}}, nil
}

func (a *apiSource) list(ctx context.Context, q url.Values) (admin.RequestList, error) {
	var out admin.RequestList
	return out, a.get(ctx, q, &out, "admin", "requests")
}

func (a *apiSource) show(ctx context.Context, id string, q url.Values) (admin.RequestDetail, error) {
	var out admin.RequestDetail
	return out, a.get(ctx, q, &out, "admin", "requests", url.PathEscape(id))
}

func (a *apiSource) Close() error {
	a.client.CloseIdleConnections()
	return nil
}

// get fetches the path of the escaped elements, with the query q, and
// decodes the answer into v; an error answer becomes an *llm.Error with
// the router's message.
func (a *apiSource) get(ctx context.Context, q url.Values, v any, elems ...string) error {
	u := a.base.JoinPath(elems...)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
	if err != nil {
		return err
	}
	if a.key != "" {
		req.Header.Set("Authorization", "Bearer "+a.key)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("ask the router at %s: %w", a.base.Redacted(), errors.Unwrap(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read the router's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return apiError(resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("the router's answer is not the admin API's JSON: %w", err)
	}
	return nil
}

// apiError turns an error answer of the admin API into an *llm.Error: a
// 400 is the caller's (exit code 2).
func apiError(status int, body []byte) error {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		msg = e.Error.Message
	}
	if len(msg) > 500 {
		msg = msg[:500] + "…"
	}
	kind := llm.KindUpstream
	if status == http.StatusBadRequest {
		kind = llm.KindInvalidRequest
	}
	return llm.Errorf(kind, "the router answered %d: %s", status, msg)
}
