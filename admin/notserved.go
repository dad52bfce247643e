package admin

import (
	"net/http"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// notServed answers a request that matches no endpoint of mux as mux
// would — 404, or 405 with its Allow header when the path is served for
// other methods — but in OpenAI's error shape, as every admin error is
// (docs/admin-api.md#conventions), not the mux's plain text.
func notServed(w http.ResponseWriter, r *http.Request, mux *http.ServeMux) {
	probe := statusProbe{header: make(http.Header)}
	mux.ServeHTTP(&probe, r)
	e := llm.Errorf(llm.KindNotFound, "Unknown request URL: %s %s. docs/admin-api.md lists the admin endpoints.", r.Method, r.URL.Path)
	e.Code = "unknown_url"
	status := http.StatusNotFound
	if probe.status == http.StatusMethodNotAllowed {
		allow := probe.header.Get("Allow")
		e = llm.Errorf(llm.KindInvalidRequest, "%s does not take %s; it takes %s.", r.URL.Path, r.Method, allow)
		e.Code = "method_not_allowed"
		status = http.StatusMethodNotAllowed
		w.Header().Set("Allow", allow)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(wire.AppendError(nil, e))
}

// statusProbe keeps the status and headers a handler writes and drops
// its body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }

func (p *statusProbe) WriteHeader(status int) { p.status = status }

func (p *statusProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
