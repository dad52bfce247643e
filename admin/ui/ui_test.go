package ui

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// get serves one request to h.
func get(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// secured fails unless w carries every security header.
func secured(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	for k, v := range map[string]string{
		"Content-Security-Policy": ContentSecurityPolicy,
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
	} {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// TestPaths: the server mounts the handler at "/ui/" and the redirect at
// "GET /ui", written out (the endpoint inventory reads the literals).
func TestPaths(t *testing.T) {
	if Prefix != "/ui/" || Root != "/ui" {
		t.Errorf("Prefix %q, Root %q: change server.mountOps too", Prefix, Root)
	}
}

// TestPolicy: the policy loads only the dashboard's own files, allows no
// inline code or eval, forbids framing, and closes the DOM's HTML sinks.
func TestPolicy(t *testing.T) {
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
		"object-src 'none'", "base-uri 'none'", "form-action 'none'", "require-trusted-types-for 'script'"} {
		if !strings.Contains(ContentSecurityPolicy, want) {
			t.Errorf("the policy lacks %s", want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "unsafe-hashes", "data:", "http:", "https:", "*"} {
		if strings.Contains(ContentSecurityPolicy, bad) {
			t.Errorf("the policy allows %s", bad)
		}
	}
}

// TestServesEveryFile: every embedded file is served under Prefix with
// its type, an ETag that a revalidation matches (304), no-cache and the
// security headers; Prefix itself is the index.
func TestServesEveryFile(t *testing.T) {
	h := New(nil)
	if len(h.files) < 5 {
		t.Fatalf("%d files embedded", len(h.files))
	}
	types := map[string]string{".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
		".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	for name := range h.files {
		w := get(h, "GET", Prefix+name, nil)
		if w.Code != 200 || w.Header().Get("Content-Type") != types[path.Ext(name)] || w.Body.Len() == 0 {
			t.Errorf("%s: %d %q (%d bytes)", name, w.Code, w.Header().Get("Content-Type"), w.Body.Len())
		}
		secured(t, name, w)
		etag := w.Header().Get("ETag")
		if etag == "" || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: ETag %q, Cache-Control %q", name, etag, w.Header().Get("Cache-Control"))
		}
		if r := get(h, "GET", Prefix+name, map[string]string{"If-None-Match": etag}); r.Code != http.StatusNotModified {
			t.Errorf("%s revalidated: %d", name, r.Code)
		}
		if r := get(h, "HEAD", Prefix+name, nil); r.Code != 200 {
			t.Errorf("HEAD %s: %d", name, r.Code)
		}
	}
	index := get(h, "GET", Prefix, nil)
	if index.Code != 200 || index.Body.String() != string(h.files["index.html"].data) {
		t.Errorf("%s: %d, not the index", Prefix, index.Code)
	}
}

// TestUnknownPathsAndMethods: a path of no file is a 404 (the pages route
// with the fragment, so nothing falls back to the index), with the
// security headers; a method other than GET or HEAD is a 405; Root
// redirects to Prefix.
func TestUnknownPathsAndMethods(t *testing.T) {
	h := New(nil)
	for _, p := range []string{Prefix + "nope.js", Prefix + "requests", Prefix + "js/", Prefix + "../admin/health", "/elsewhere/index.html"} {
		w := get(h, "GET", p, nil)
		if w.Code != 404 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Errorf("%s: %d %q", p, w.Code, w.Header().Get("Content-Type"))
		}
		secured(t, p, w)
	}
	if w := get(h, "POST", Prefix, nil); w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
	w := get(http.HandlerFunc(Redirect), "GET", Root, nil)
	if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != Prefix {
		t.Errorf("%s: %d to %q", Root, w.Code, w.Header().Get("Location"))
	}
}

// TestRefusesUnknownTypes: a file whose type the handler does not know
// is refused when it is built, rather than served as a guess.
func TestRefusesUnknownTypes(t *testing.T) {
	fsys := fstest.MapFS{"assets/index.html": {Data: []byte("<!doctype html>")}, "assets/x.wasm": {Data: []byte{0}}}
	if _, err := newHandler(fsys, "assets"); err == nil || !strings.Contains(err.Error(), "x.wasm") {
		t.Errorf("err = %v", err)
	}
}

// TestNoInlineCodeOrHTMLSinks reads the files: the HTML has no inline
// script, style or event handler (the policy would block them anyway);
// the scripts never turn a string into HTML or code, and import only
// the dashboard's own modules; nothing names another origin.
func TestNoInlineCodeOrHTMLSinks(t *testing.T) {
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	sinks := regexp.MustCompile(`innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"](?:on|style)|\.style\.cssText|createContextualFragment|DOMParser`)
	imports := regexp.MustCompile(`(?m)^import .* from '([^']+)';$`)
	fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(assets, p)
		// The SVG namespace is a name, not a place (the favicon's xmlns,
		// the charts' createElementNS).
		s := strings.ReplaceAll(string(b), `xmlns="http://www.w3.org/2000/svg"`, "")
		s = strings.ReplaceAll(s, `const NS = 'http://www.w3.org/2000/svg';`, "")
		if strings.Contains(s, "http://") || strings.Contains(s, "https://") || strings.Contains(s, "//cdn") {
			t.Errorf("%s names another origin", p)
		}
		switch path.Ext(p) {
		case ".html":
			if inlineScript.MatchString(s) || handler.MatchString(s) || strings.Contains(s, "style=") || strings.Contains(s, "<style") {
				t.Errorf("%s has inline script, style or an event handler", p)
			}
		case ".js":
			if m := sinks.FindString(s); m != "" {
				t.Errorf("%s uses %s", p, m)
			}
			for _, m := range imports.FindAllStringSubmatch(s, -1) {
				if !strings.HasPrefix(m[1], "./") && !strings.HasPrefix(m[1], "../") {
					t.Errorf("%s imports %s", p, m[1])
				}
			}
		}
		return nil
	})
}

// TestAuthPath: AuthPath says whether a key is needed, as the function
// given to New decides (always, without one), and is never cached.
func TestAuthPath(t *testing.T) {
	for _, tt := range []struct {
		f    func(*http.Request) bool
		want string
	}{
		{nil, `{"key_required": true}`},
		{func(*http.Request) bool { return false }, `{"key_required": false}`},
		{func(r *http.Request) bool { return r.Header.Get("X-Test") == "" }, `{"key_required": true}`},
	} {
		w := get(New(tt.f), "GET", Prefix+AuthPath, nil)
		if w.Code != 200 || strings.TrimSpace(w.Body.String()) != tt.want || w.Header().Get("Cache-Control") != "no-store" ||
			w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%d %q %v; want %s", w.Code, w.Body, w.Header(), tt.want)
		}
		secured(t, AuthPath, w)
	}
}
