package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/tenant"
	wire "switchyard/wire/openai"
)

// This file serves the managed keys: GET /admin/keys (every key in the
// caller's tenant scope, never a key itself), POST /admin/keys (create;
// the key is in the answer, once), DELETE /admin/keys/{id} (revoke) and
// POST /admin/keys/{id}/rotate (a new key; the old one works until the
// grace ends). An admin key scoped to a tenant sees and manages only
// that tenant's keys.

// maxKeyBody bounds the body of a key request.
const maxKeyBody = 64 << 10

// KeyView is a managed key as the admin API and the CLI show it: its
// visible prefix, never the key or its hash.
type KeyView struct {
	ID     string          `json:"id"`
	Prefix string          `json:"prefix"`
	Name   string          `json:"name,omitempty"`
	Tenant string          `json:"tenant,omitempty"`
	Role   string          `json:"role,omitempty"`
	State  tenant.KeyState `json:"state"`
	// Routes, Deployments and Overrides are null when every one is
	// allowed, [] when none is.
	Routes        []string   `json:"routes"`
	Deployments   []string   `json:"deployments"`
	Overrides     []string   `json:"overrides"`
	RPM           int64      `json:"rpm,omitempty"`
	TPM           int64      `json:"tpm,omitempty"`
	MaxConcurrent int64      `json:"max_concurrent,omitempty"`
	Created       time.Time  `json:"created"`
	CreatedBy     string     `json:"created_by,omitempty"`
	Expires       *time.Time `json:"expires,omitempty"`
	Revoked       *time.Time `json:"revoked,omitempty"`
	RotatedTo     string     `json:"rotated_to,omitempty"`
}

// KeyViewOf returns the view of rec at now.
func KeyViewOf(rec *store.KeyRecord, now time.Time) KeyView {
	v := KeyView{
		ID: rec.ID, Prefix: tenant.Shown(rec.ID), Name: rec.Name, Tenant: rec.Tenant, Role: rec.Role, State: tenant.StateOf(rec, now),
		Routes: rec.Routes, Deployments: rec.Deployments, Overrides: rec.Overrides,
		RPM: rec.RPM, TPM: rec.TPM, MaxConcurrent: rec.MaxConcurrent, Created: rec.Created, CreatedBy: rec.CreatedBy, RotatedTo: rec.RotatedTo,
	}
	if !rec.Expires.IsZero() {
		v.Expires = &rec.Expires
	}
	if !rec.Revoked.IsZero() {
		v.Revoked = &rec.Revoked
	}
	return v
}

// KeyList is the answer of GET /admin/keys.
type KeyList struct {
	Data []KeyView `json:"data"`
}

// NewKey is the answer of a create or a rotation: the key, shown this
// once, and its view.
type NewKey struct {
	Key string `json:"key"`
	KeyView
	// Replaces is the rotated key's id.
	Replaces string `json:"replaces,omitempty"`
}

// KeyRequest is the body of POST /admin/keys. Lists left out allow every
// route, deployment or override; an empty list allows none.
type KeyRequest struct {
	Name          string   `json:"name"`
	Tenant        string   `json:"tenant"`
	Routes        []string `json:"routes"`
	Deployments   []string `json:"deployments"`
	Overrides     []string `json:"overrides"`
	RPM           int64    `json:"rpm"`
	TPM           int64    `json:"tpm"`
	MaxConcurrent int      `json:"max_concurrent"`
	// Expires is a duration from now ("30d", "12h") or a time (RFC 3339,
	// or a date); empty means never.
	Expires string `json:"expires"`
	// Admin makes an admin key of Role (default viewer).
	Admin bool   `json:"admin"`
	Role  string `json:"role"`
}

// DecodeKeyRequest reads the body of POST /admin/keys: one JSON object
// with only the known fields, at most 64 KiB. Errors are 400s.
func DecodeKeyRequest(body io.Reader, now time.Time) (tenant.Spec, error) {
	var kr KeyRequest
	if err := decodeBody(body, &kr); err != nil {
		return tenant.Spec{}, err
	}
	spec := tenant.Spec{Name: kr.Name, Tenant: kr.Tenant, Routes: kr.Routes, Deployments: kr.Deployments,
		Overrides: kr.Overrides, Limits: config.Limits{RPM: kr.RPM, TPM: kr.TPM, MaxConcurrent: kr.MaxConcurrent}}
	switch {
	case kr.Admin:
		spec.Role = config.Role(kr.Role)
		if spec.Role == "" {
			spec.Role = config.RoleViewer
		}
	case kr.Role != "":
		return tenant.Spec{}, badBody("role", "role applies to admin keys: add \"admin\": true")
	}
	exp, err := tenant.ParseExpires(kr.Expires, now)
	if err != nil {
		return tenant.Spec{}, badBody("expires", err.Error())
	}
	spec.Expires = exp
	return spec, nil
}

// decodeBody decodes one JSON object of known fields into v; an empty
// body is an empty object.
func decodeBody(body io.Reader, v any) error {
	b, err := io.ReadAll(io.LimitReader(body, maxKeyBody+1))
	switch {
	case err != nil:
		return llm.Wrap(llm.KindInvalidRequest, err, "could not read the request body")
	case len(b) > maxKeyBody:
		return llm.Errorf(llm.KindTooLarge, "The request body is larger than %d bytes.", maxKeyBody)
	case len(strings.TrimSpace(string(b))) == 0:
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return wire.BodyError(err, "", "docs/admin-api.md") // the field in param, OpenAI's wording
	}
	if _, err := dec.Token(); err != io.EOF { // not More: it takes a stray "}" or "]" for the end
		return badBody("", "The body holds more than one JSON value, or bytes after it that are not JSON.")
	}
	return nil
}

func badBody(param, msg string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "%s", msg)
	e.Param = param
	return e
}

// keysBegin returns the actor of a keys request: its principal, which
// Authorize let through by the endpoint's row in Rules; or it answers the
// request itself and reports false.
func (h *Handler) keysBegin(w http.ResponseWriter, r *http.Request) (tenant.Actor, bool) {
	p, ok := principal(w, r)
	if !ok {
		return tenant.Actor{}, false
	}
	return tenant.Actor{Name: p.Name, Role: p.Role, Tenant: p.Tenant}, true
}

func (h *Handler) listKeys(w http.ResponseWriter, r *http.Request) {
	a, ok := h.keysBegin(w, r)
	if !ok {
		return
	}
	keys, err := h.Keys.List(r.Context(), a)
	if err != nil {
		h.keysError(w, r, err)
		return
	}
	out := KeyList{Data: make([]KeyView, len(keys))}
	now := h.now()
	for i, k := range keys {
		out.Data[i] = KeyViewOf(k, now)
	}
	writeJSON(w, out)
}

func (h *Handler) createKey(w http.ResponseWriter, r *http.Request) {
	a, ok := h.keysBegin(w, r)
	if !ok {
		return
	}
	spec, err := DecodeKeyRequest(r.Body, h.now())
	if err != nil {
		writeError(w, err)
		return
	}
	c, err := h.Keys.Create(r.Context(), a, spec)
	if err != nil {
		h.keysError(w, r, err)
		return
	}
	writeCreated(w, NewKey{Key: c.Key, KeyView: KeyViewOf(c.Record, h.now())})
}

func (h *Handler) revokeKey(w http.ResponseWriter, r *http.Request) {
	a, ok := h.keysBegin(w, r)
	if !ok {
		return
	}
	rec, err := h.Keys.Revoke(r.Context(), a, r.PathValue("id"))
	if err != nil {
		h.keysError(w, r, err)
		return
	}
	writeJSON(w, KeyViewOf(rec, h.now()))
}

// rotateRequest is the body of POST /admin/keys/{id}/rotate.
type rotateRequest struct {
	// Grace is how long the old key keeps working (a Go duration, or
	// days: "1h", "7d"); empty means none.
	Grace string `json:"grace"`
}

func (h *Handler) rotateKey(w http.ResponseWriter, r *http.Request) {
	a, ok := h.keysBegin(w, r)
	if !ok {
		return
	}
	var rr rotateRequest
	if err := decodeBody(r.Body, &rr); err != nil {
		writeError(w, err)
		return
	}
	grace, err := tenant.ParseGrace(rr.Grace)
	if err != nil {
		writeError(w, badBody("grace", err.Error()))
		return
	}
	id := r.PathValue("id")
	c, err := h.Keys.Rotate(r.Context(), a, id, grace)
	if err != nil {
		h.keysError(w, r, err)
		return
	}
	writeCreated(w, NewKey{Key: c.Key, KeyView: KeyViewOf(c.Record, h.now()), Replaces: id})
}

// codeKeyStoreUnavailable: the managed keys' store failed or did not
// answer within the store's timeout (store.timeout), 503.
const codeKeyStoreUnavailable = "key_store_unavailable"

// keysError answers a key manager's error: its own client error, or,
// for a store failure, a 503 whose cause is logged. A refusal (403: a
// key of another tenant, an admin key above the caller's role) is
// audited as a refused admin call.

func (h *Handler) keysError(w http.ResponseWriter, r *http.Request, err error) {
	e := llm.AsError(err)
	if e.Kind == llm.KindPermission {
		p, _ := PrincipalFrom(r.Context())
		deny(h.Audit, r, p, e)
	}
	if e.Kind == llm.KindInternal {
		h.logger().ErrorContext(r.Context(), "admin: managing keys failed", "path", r.URL.Path, "err", err)
		e = llm.Errorf(llm.KindUnavailable, "The key store could not be reached; the router's log says why. Try again later.")
		e.Code = codeKeyStoreUnavailable
	}
	writeError(w, e)
}

// writeCreated answers v as indented JSON with 201 Created.
func writeCreated(w http.ResponseWriter, v any) {
	w.Header().Set("Cache-Control", "no-store") // it holds a key
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
