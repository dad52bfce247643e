// Package ui serves Switchyard's web dashboard at /ui/: static pages —
// HTML, CSS and JavaScript modules embedded in the binary, no build step,
// nothing fetched from elsewhere — that read every figure they show from
// the admin API (/admin/…) with the operator's admin key, sent by the
// page's own fetch calls. The pages hold no data and need no key; the
// API they call checks it (docs/dashboard.md).
//
// Every answer carries a strict Content-Security-Policy (scripts and
// styles from the dashboard's own files only, no inline code, no eval,
// DOM sinks closed by Trusted Types, no framing) and the usual hardening
// headers.
package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed assets
var assets embed.FS

// Prefix is the path the dashboard is served under; Root, without the
// slash, redirects there.
const (
	Prefix = "/ui/"
	Root   = "/ui"
)

// ContentSecurityPolicy is the policy of every answer: the page runs only
// the dashboard's own script files and styles (no inline script, style
// attribute or event handler, no eval), talks only to its own origin,
// may not be framed, and the DOM's HTML sinks (innerHTML and the like)
// refuse strings (Trusted Types with no policy), so text from the API can
// only ever be text.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
	"require-trusted-types-for 'script'; trusted-types 'none'"

// contentTypes are the types of the files the dashboard is made of, by
// extension; New refuses a file of another.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

// file is one embedded file, ready to serve.
type file struct {
	data  []byte
	etag  string
	ctype string
}

// AuthPath, under Prefix, answers whether the admin API wants a key from
// the caller: {"key_required": true|false}. The pages read it before
// asking for a key, so opening the dashboard calls the admin API only
// with a key, or where none is needed (and leaves no failed login in the
// audit trail).
const AuthPath = "auth.json"

// Handler serves the dashboard's files under Prefix: Prefix itself is
// index.html, any other path its file (or AuthPath), and a path of no
// file is a 404 (the pages route with the URL's fragment, #/requests, so
// no path needs to fall back to the index). Only GET and HEAD are served.
// Answers are revalidated by their ETag (Cache-Control: no-cache), so a
// new binary's files are picked up at once. It is safe for concurrent
// use.
type Handler struct {
	files map[string]file
	// keyRequired reports whether the admin API wants a key from the
	// sender of a request; nil means it always does.
	keyRequired func(*http.Request) bool
}

// New returns the handler of the embedded files; keyRequired says
// whether the admin API wants a key from a request's sender (false in
// demo mode, say), and nil means it always does.
func New(keyRequired func(*http.Request) bool) *Handler {
	h, err := newHandler(assets, "assets")
	if err != nil {
		panic(err) // the embedded files are fixed at build time; a test reads them all
	}
	h.keyRequired = keyRequired
	return h
}

// newHandler reads every file under dir of fsys.
func newHandler(fsys fs.FS, dir string) (*Handler, error) {
	h := &Handler{files: map[string]file{}}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := contentTypes[path.Ext(p)]
		if !ok {
			return fmt.Errorf("ui: %s: no content type for its extension", p)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		h.files[strings.TrimPrefix(p, dir+"/")] = file{data: data, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	return h, err
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secure(w.Header())
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, Prefix)
	if name == "" {
		name = "index.html"
	}
	if name == AuthPath {
		required := h.keyRequired == nil || h.keyRequired(r)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "{\"key_required\": %t}\n", required)
		return
	}
	f, ok := h.files[name]
	if !ok || !strings.HasPrefix(r.URL.Path, Prefix) {
		http.Error(w, "not found: the dashboard starts at "+Prefix, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("ETag", f.etag)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
}

// Redirect sends a request for Root to Prefix.
func Redirect(w http.ResponseWriter, r *http.Request) {
	secure(w.Header())
	http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
}

// secure sets the security headers of every answer.
func secure(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
}
