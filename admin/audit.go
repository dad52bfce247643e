package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file serves the audit trail, GET /admin/audit, and the health
// action that writes to it, POST /admin/health/{deployment}/reset.

// codeAuditOff: the router keeps no audit trail, 404.
const codeAuditOff = "audit_off"

// AuditList is the answer of GET /admin/audit.
type AuditList struct {
	// Data are the events, newest first.
	Data []store.AuditEvent `json:"data"`
	// Next is the cursor of the next page; empty on the last one.
	Next string `json:"next"`
}

// AuditQuery is a parsed GET /admin/audit query.
type AuditQuery struct {
	Filter store.AuditFilter
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
}

func (q AuditQuery) tenant() *string { return q.Tenant }

var auditParams = []string{"action", "actor", "since", "until", "tenant", "limit", "cursor"}

// ParseAuditQuery parses the parameters of GET /admin/audit: action (an
// action, or a prefix ending in ".*"), actor, since, until, tenant, limit
// and cursor. Its errors are *llm.Error (invalid_request, Param set).
func ParseAuditQuery(v url.Values, now time.Time) (AuditQuery, error) {
	var q AuditQuery
	p := params{v: v, now: now}
	p.only(auditParams)
	f := &q.Filter
	f.Action, f.Actor = p.str("action"), p.str("actor")
	f.Since, f.Until = p.time("since"), p.time("until")
	p.order(f.Since, f.Until)
	q.Tenant = p.optional("tenant")
	f.Limit = p.limit("limit")
	if c := p.str("cursor"); c != "" {
		if _, err := store.DecodeAuditCursor(c); err != nil {
			p.fail("cursor", "not a cursor this API returned; pass the next value of a previous page unchanged")
		}
		f.Cursor = c
	}
	if p.err == nil {
		if err := f.Check(); err != nil {
			p.fail("action", "%q: give an action (config.update) or a prefix ending in .* (config.*)", llm.Clip(f.Action))
		}
	}
	return q, p.err
}

func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) {
	if h.Audit == nil || h.Audit.Log() == nil {
		e := llm.Errorf(llm.KindNotFound, "This router keeps no audit trail.")
		e.Code = codeAuditOff
		writeError(w, e)
		return
	}
	p, ok := principal(w, r)
	if !ok {
		return
	}
	q, err := ParseAuditQuery(r.URL.Query(), h.now())
	var scope store.Scope
	if err == nil {
		scope, err = p.ScopeFor(q.Tenant)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	page, err := h.Audit.Log().ListAudit(r.Context(), scope, q.Filter)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := AuditList{Data: page.Events, Next: page.Next}
	if out.Data == nil {
		out.Data = []store.AuditEvent{}
	}
	writeJSON(w, out)
}

// codeDeploymentNotFound: no deployment of that name, 404.
const codeDeploymentNotFound = "deployment_not_found"

// resetHealth clears a deployment's health (health.Tracker.Reset) and
// records who did it.
func (h *Handler) resetHealth(w http.ResponseWriter, r *http.Request) {
	p, _ := PrincipalFrom(r.Context())
	dep := r.PathValue("deployment")
	if !h.Health.Reset(dep, "reset by "+p.Name) {
		e := llm.Errorf(llm.KindNotFound, "No deployment %q (GET /admin/health lists them).", llm.Clip(dep))
		e.Code, e.Param = codeDeploymentNotFound, "deployment"
		writeError(w, e)
		return
	}
	if err := h.Audit.Record(r.Context(), store.AuditEvent{Actor: p.Name, Tenant: p.Tenant, Action: "health.reset",
		Target: "deployment " + dep, Detail: fmt.Sprintf("breaker closed, demotion and rate limit window cleared by %s", p.Name),
		Outcome: store.AuditOK}); err != nil {
		h.logger().ErrorContext(r.Context(), "admin: a health reset was not audited", "deployment", dep, "err", err)
	}
	for _, v := range h.healthViews() {
		if v.Deployment == dep {
			writeJSON(w, v)
			return
		}
	}
	writeJSON(w, struct{}{})
}
