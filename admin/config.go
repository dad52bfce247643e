package admin

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/reload"
	"switchyard/store"
	wire "switchyard/wire/openai"
)

// This file serves the versioned configuration: GET /admin/config,
// PUT /admin/config (with ?dry_run=1), POST /admin/config/rollback and
// the versions (docs/admin-api.md#configuration).

// Error codes of the configuration endpoints.
const (
	// codeConfigOff: the router was built without its configuration's
	// text (a router embedded in Go code), 404.
	codeConfigOff = "config_api_off"
	// CodeConfigInvalid: the configuration does not validate, 422; the
	// error carries the list of mistakes.
	CodeConfigInvalid = "config_invalid"
	// codeVersionNotFound: no such version, 404.
	codeVersionNotFound = "config_version_not_found"
	// codeConfigUnavailable: the history could not be read or written,
	// 503.
	codeConfigUnavailable = "config_store_unavailable"
	// CodeConfigConflict: the change was made from a version
	// (base_version) that no longer runs, 409.
	CodeConfigConflict = "config_conflict"
)

// MaxConfigBytes bounds the body of PUT /admin/config.
const MaxConfigBytes = 1 << 20

// ConfigView is the answer of GET /admin/config.
type ConfigView struct {
	// Version is the running version; zero when it could not be stored.
	Version int64 `json:"version"`
	// YAML is the configuration, each secret a ${VAR} reference or masked.
	YAML string `json:"yaml"`
}

// VersionList is the answer of GET /admin/config/versions.
type VersionList struct {
	// Data are the versions, newest first, without their texts.
	Data []store.ConfigVersion `json:"data"`
	// Next is the cursor of the next page; empty on the last one.
	Next string `json:"next"`
}

// configManager returns the manager, or answers 404 and returns nil.
func (h *Handler) configManager(w http.ResponseWriter) *reload.Manager {
	if h.Config == nil {
		e := llm.Errorf(llm.KindNotFound, "The configuration API needs a router started with switchyard serve (--config FILE or --demo); this one runs a configuration built in code.")
		e.Code = codeConfigOff
		writeError(w, e)
	}
	return h.Config
}

func (h *Handler) getConfig(w http.ResponseWriter, r *http.Request) {
	m := h.configManager(w)
	if m == nil {
		return
	}
	p := params{v: r.URL.Query()}
	p.only([]string{"format"})
	format := p.str("format")
	if p.err == nil && format != "" && format != "json" && format != "yaml" {
		p.fail("format", "%q: json (the default) or yaml", llm.Clip(format))
	}
	if p.err != nil {
		writeError(w, p.err)
		return
	}
	_, text, version := m.Current()
	if format == "yaml" {
		w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
		w.Header().Set("X-Switchyard-Config-Version", strconv.FormatInt(version, 10))
		w.Write(text)
		return
	}
	writeJSON(w, ConfigView{Version: version, YAML: string(text)})
}

// putConfig validates the body and applies it, or with dry_run only
// reports what it would change; with base_version, only while that
// version runs.
func (h *Handler) putConfig(w http.ResponseWriter, r *http.Request) {
	m := h.configManager(w)
	if m == nil {
		return
	}
	p := params{v: r.URL.Query()}
	p.only([]string{"dry_run", "last", "base_version"})
	dry := p.boolean("dry_run")
	last := p.upTo("last", reload.MaxReplay)
	base := int64(p.upTo("base_version", 1<<62))
	if p.err == nil && last > 0 && (dry == nil || !*dry) {
		p.fail("last", "only with dry_run=true")
	}
	if p.err != nil {
		writeError(w, p.err)
		return
	}
	text, err := configBody(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	if dry != nil && *dry {
		out, err := m.DryRun(r.Context(), reload.Change{Text: text, Base: base}, last)
		if err != nil {
			h.configError(w, r, err)
			return
		}
		writeJSON(w, out)
		return
	}
	principal, _ := PrincipalFrom(r.Context())
	res, err := m.Apply(r.Context(), reload.Change{Text: text, Actor: principal.Name, Source: store.SourceAPI, Base: base})
	if err != nil {
		h.configError(w, r, err)
		return
	}
	writeJSON(w, res)
}

// configBody reads the configuration sent: the body itself (YAML), or
// {"yaml": "..."} when it is JSON.
func configBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxConfigBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, llm.Errorf(llm.KindTooLarge, "The configuration is over %d bytes.", MaxConfigBytes)
	case err != nil:
		return nil, llm.Errorf(llm.KindInvalidRequest, "The body could not be read.")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		var body struct {
			YAML *string `json:"yaml"`
		}
		if err := json.Unmarshal(data, &body); err != nil || body.YAML == nil {
			e := llm.Errorf(llm.KindInvalidRequest, `A JSON body is {"yaml": "<the configuration>"}; or send the YAML itself (Content-Type: application/yaml).`)
			e.Param = "yaml"
			return nil, e
		}
		data = []byte(*body.YAML)
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil, llm.Errorf(llm.KindInvalidRequest, "The body is empty; send the whole configuration (GET /admin/config?format=yaml gives the running one).")
	}
	return data, nil
}

func (h *Handler) rollback(w http.ResponseWriter, r *http.Request) {
	m := h.configManager(w)
	if m == nil {
		return
	}
	var body struct {
		Version *int64 `json:"version"`
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4096))
	if err == nil {
		err = json.Unmarshal(data, &body)
	}
	if err != nil || body.Version == nil || *body.Version < 1 {
		e := llm.Errorf(llm.KindInvalidRequest, `The body is {"version": N}, the version to roll back to (GET /admin/config/versions lists them).`)
		e.Param = "version"
		writeError(w, e)
		return
	}
	principal, _ := PrincipalFrom(r.Context())
	res, err := m.Rollback(r.Context(), *body.Version, principal.Name)
	if err != nil {
		h.configError(w, r, err)
		return
	}
	writeJSON(w, res)
}

func (h *Handler) listVersions(w http.ResponseWriter, r *http.Request) {
	m := h.configManager(w)
	if m == nil {
		return
	}
	p := params{v: r.URL.Query()}
	p.only([]string{"limit", "cursor"})
	limit := p.limit("limit")
	before := int64(p.upTo("cursor", 1<<62))
	if p.err != nil {
		writeError(w, p.err)
		return
	}
	n := min(cmp.Or(limit, store.DefaultLimit), store.MaxLimit-1)
	vs, err := m.History().ConfigVersions(r.Context(), before, n+1)
	if err != nil {
		h.configError(w, r, err)
		return
	}
	out := VersionList{Data: vs}
	if len(vs) > n {
		out.Data = vs[:n]
		out.Next = strconv.FormatInt(vs[n-1].Version, 10)
	}
	if out.Data == nil {
		out.Data = []store.ConfigVersion{}
	}
	writeJSON(w, out)
}

func (h *Handler) getVersion(w http.ResponseWriter, r *http.Request) {
	m := h.configManager(w)
	if m == nil {
		return
	}
	n, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil || n < 1 {
		e := llm.Errorf(llm.KindInvalidRequest, "%q is not a version number.", llm.Clip(r.PathValue("version")))
		e.Param = "version"
		writeError(w, e)
		return
	}
	v, err := m.History().ConfigVersion(r.Context(), n)
	if err != nil {
		h.configError(w, r, err)
		return
	}
	writeJSON(w, v)
}

// configError answers a failed configuration call: a configuration that
// does not validate is a 422 with every mistake; a change made from a
// version that no longer runs a 409; an unknown version a 404; the
// history failing a 503 (its cause logged, not answered).
func (h *Handler) configError(w http.ResponseWriter, r *http.Request, err error) {
	var inv *reload.Invalid
	var stale *reload.Conflict
	switch {
	case errors.As(err, &inv):
		writeInvalid(w, inv.Errors)
	case errors.As(err, &stale):
		writeError(w, conflictError(stale))
	case errors.Is(err, store.ErrVersionNotFound):
		e := llm.Errorf(llm.KindNotFound, "No such configuration version (GET /admin/config/versions lists them).")
		e.Code = codeVersionNotFound
		writeError(w, e)
	case errors.Is(err, store.ErrBadQuery):
		writeError(w, llm.Errorf(llm.KindInvalidRequest, "Invalid query: %v.", err))
	default:
		h.logger().ErrorContext(r.Context(), "admin: the configuration history failed", "path", r.URL.Path, "err", err)
		e := llm.Errorf(llm.KindUnavailable, "The configuration history could not be read or written; nothing changed. The router's log says why.")
		e.Code = codeConfigUnavailable
		writeError(w, e)
	}
}

// conflictError is the 409 of a change made from a version that no
// longer runs.
func conflictError(c *reload.Conflict) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "This change was made from version %d, but version %d runs now: "+
		"another change was applied meanwhile. Nothing was applied. Read the running configuration again (GET /admin/config), "+
		"make your change on it, and send it with base_version=%d.", c.Base, c.Running, c.Running)
	e.Status = http.StatusConflict
	e.Code = CodeConfigConflict
	e.Param = "base_version"
	return e
}

// FieldErrorView is one mistake of a configuration, as
// `switchyard config check` prints it and in parts.
type FieldErrorView struct {
	Message string `json:"message"`
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Problem string `json:"problem"`
	Hint    string `json:"hint,omitempty"`
}

// writeInvalid answers 422 in OpenAI's error shape, the error object
// adding "errors", every mistake.
func writeInvalid(w http.ResponseWriter, errs config.Errors) {
	e := llm.Errorf(llm.KindUnprocessable, "The configuration is not valid: %d problem(s); the running configuration is unchanged. First: %s", len(errs), errs[0].Error())
	e.Code = CodeConfigInvalid
	views := make([]FieldErrorView, len(errs))
	for i, fe := range errs {
		views[i] = FieldErrorView{Message: fe.Error(), Path: fe.Path, Line: fe.Line, Column: fe.Column, Problem: fe.Problem, Hint: fe.Hint}
	}
	list, _ := json.Marshal(views)
	body := wire.AppendError(nil, e)
	body = append(body[:len(body)-2], `,"errors":`...) // before the two closing braces
	body = append(append(body, list...), '}', '}')
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.HTTPStatus())
	w.Write(body)
}
