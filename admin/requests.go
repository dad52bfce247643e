package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"switchyard/llm"
	"switchyard/store"
	wire "switchyard/wire/openai"
)

// This file serves the request log: GET /admin/requests and
// GET /admin/requests/{id}, and what the log's endpoints share (the
// principal and store checks, JSON and error answers).

// Error codes of the request log endpoints.
const (
	// codeLogOff: no request log is kept (store.driver: none), 404.
	codeLogOff = "request_log_off"
	// codeNoPrincipal: the request reached the handler without passing
	// the operational endpoints' guard, 403.
	codeNoPrincipal = "admin_principal_missing"
	// codeTenantNotAllowed: a scoped key asked for another tenant, 403.
	codeTenantNotAllowed = "tenant_not_allowed"
	// codeRequestNotFound: no such request in the caller's scope, 404.
	codeRequestNotFound = "request_not_found"
	// codeLogUnavailable: the database failed, 503.
	codeLogUnavailable = "request_log_unavailable"
)

func (h *Handler) listRequests(w http.ResponseWriter, r *http.Request) {
	q, scope, ok := parseScoped(h, w, r, ParseRequestQuery)
	if !ok {
		return
	}
	page, err := h.Store.List(r.Context(), scope, q.Filter)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := RequestList{Data: make([]RequestSummary, len(page.Requests)), Next: page.Next}
	for i, row := range page.Requests {
		out.Data[i] = SummaryOf(row)
	}
	writeJSON(w, out)
}

func (h *Handler) getRequest(w http.ResponseWriter, r *http.Request) {
	_, scope, ok := parseScoped(h, w, r, func(v url.Values, _ time.Time) (getQuery, error) {
		tenant, err := ParseGetQuery(v)
		return getQuery{tenant}, err
	})
	if !ok {
		return
	}
	id := r.PathValue("id")
	row, err := h.Store.Get(r.Context(), scope, id)
	if errors.Is(err, store.ErrNotFound) {
		// The same answer whether the id is unknown or another tenant's.
		e := llm.Errorf(llm.KindNotFound, "No request %q in the request log.", llm.Clip(id))
		e.Code = codeRequestNotFound
		writeError(w, e)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	writeJSON(w, DetailOf(row))
}

// getQuery is the query of GET /admin/requests/{id}.
type getQuery struct{ Tenant *string }

func (q getQuery) tenant() *string { return q.Tenant }

// parseScoped starts a read of the request log: it checks the principal
// and the store, parses the query with parse and returns it with the
// scope to read; or it answers the request itself and reports false.
func parseScoped[Q interface{ tenant() *string }](h *Handler, w http.ResponseWriter, r *http.Request,
	parse func(url.Values, time.Time) (Q, error),
) (q Q, scope store.Scope, ok bool) {
	p, ok := h.begin(w, r)
	if !ok {
		return q, scope, false
	}
	q, err := parse(r.URL.Query(), h.now())
	if err == nil {
		scope, err = p.ScopeFor(q.tenant())
	}
	if err != nil {
		writeError(w, err)
		return q, scope, false
	}
	return q, scope, true
}

// begin returns the principal of a request log read, or answers the
// request itself and reports false when there is no request log or no
// principal.
func (h *Handler) begin(w http.ResponseWriter, r *http.Request) (Principal, bool) {
	p, ok := PrincipalFrom(r.Context())
	if !ok {
		e := llm.Errorf(llm.KindPermission, "This request carries no admin identity; the request log answers only through the operational endpoints' key check.")
		e.Code = codeNoPrincipal
		writeError(w, e)
		return Principal{}, false
	}
	if h.Store == nil {
		e := llm.Errorf(llm.KindNotFound, "The request log is off: store.driver is none. Set store.driver to sqlite or postgres to record requests.")
		e.Code = codeLogOff
		writeError(w, e)
		return Principal{}, false
	}
	return p, true
}

// storeError answers a failed store read: a bad cursor or query is the
// caller's (400); anything else is logged and answered 503 without its
// cause.
func (h *Handler) storeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *llm.Error
	switch {
	case errors.Is(err, store.ErrBadCursor):
		e = llm.Errorf(llm.KindInvalidRequest, "Invalid query parameter cursor: not a cursor this API returned.")
		e.Param = "cursor"
	case errors.Is(err, store.ErrBadQuery):
		e = llm.Errorf(llm.KindInvalidRequest, "Invalid query: %v.", err)
	case errors.Is(err, context.Canceled):
		return // the client left
	default:
		h.logger().ErrorContext(r.Context(), "admin: reading the request log failed", "path", r.URL.Path, "err", err)
		e = llm.Errorf(llm.KindUnavailable, "The request log could not be read; the router's log says why. Try again later.")
		e.Code = codeLogUnavailable
	}
	writeError(w, e)
}

// writeError answers err in OpenAI's error shape with its status.
func writeError(w http.ResponseWriter, err error) {
	e := llm.AsError(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.HTTPStatus())
	w.Write(wire.AppendError(nil, e))
}
