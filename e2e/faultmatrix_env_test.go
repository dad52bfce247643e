package e2e

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider/providertest"
	"switchyard/server"
)

// The fault matrix: an outside tester's benchmark of the router's
// resilience, every cell of client endpoint (Chat Completions, Responses,
// Messages; each through its official SDK) × streamed or not × upstream
// kind (campaignKinds) × fault (matrixFaults), each asked on two routes:
// "c<n>" (the faulty deployment, then the simulator's claude-haiku-4-5)
// and "a<n>" (the faulty deployment alone). Every cell has deployments of
// its own, so that one cell's rate limit window or open breaker never
// decides another's faultOutcome, and the one hostile upstream reads which
// cell it serves from the upstream model ("cell<n>x", in the request's
// path or body). One router serves the whole matrix, whose requests run
// concurrently: most cells take a millisecond, the stalls take the
// deadline, and run side by side they fit in seconds.

const (
	// The times are generous (a loaded 2-core machine under other
	// tests' builds answered healthy requests in over a second): only the
	// stalls wait for them, and they wait side by side.
	matrixDeadline = 4 * time.Second         // server.request_timeout
	matrixTTFT     = 1500 * time.Millisecond // route c<n>'s first tier
	matrixStall    = time.Second             // resilience.stall_timeout
	matrixSlack    = 2 * time.Second
	matrixWorkers  = 48
	// matrixRaceWorkers under the race detector, which slows every
	// request several times over.
	matrixRaceWorkers = 20
)

// faultOutcome is what a fault must come to.
type faultOutcome int

const (
	// early: the fault strikes before any content. Route c fails over to
	// the fallback's answer; route a answers the error.
	early faultOutcome = iota
	// late: the fault strikes after content reached the router. A stream
	// is continued on the fallback (c) or ends with the content, then an
	// error event (a); a complete answer fails over (c) or is an error (a).
	late
	// intact: the faulty upstream's answer arrives whole on both routes.
	intact
)

// matrixFault is one misbehaviour of the upstream.
type matrixFault struct {
	name  string
	fault upstreamFault // nil: connection refused
	is    faultOutcome
	// status is route a's HTTP status on the OpenAI endpoints (0: 502);
	// on /v1/messages 503 is Anthropic's 529.
	status int
	// eventStatus: route a's status is that of the format's error event
	// (providertest.Format.ErrorKind) instead.
	eventStatus bool
	// final: the error ends the plan; route c answers it too, without
	// trying the fallback.
	final bool
	// says is a phrase route a's error must hold ("": any).
	says string
}

// matrixFaults are the faults of the matrix.
func matrixFaults() []matrixFault {
	fs := []matrixFault{
		{name: "connection refused"},
		{name: "reset before headers", fault: resetConn},
	}
	for _, st := range []int{500, 502, 503, 529} {
		want := http.StatusBadGateway
		if st == 503 || st == 529 {
			want = http.StatusServiceUnavailable
		}
		fs = append(fs,
			matrixFault{name: fmt.Sprintf("%d with a body", st), fault: statusBody(st), status: want},
			matrixFault{name: fmt.Sprintf("%d without a body", st), fault: bare(st), status: want})
	}
	return append(append(fs,
		matrixFault{name: "429 Retry-After seconds", fault: tooMany(func() string { return "30" }), status: http.StatusTooManyRequests},
		matrixFault{name: "429 Retry-After date", status: http.StatusTooManyRequests, fault: tooMany(func() string {
			return time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
		})},
		matrixFault{name: "200 truncated JSON", fault: plain("application/json", `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"mess`)},
		matrixFault{name: "200 garbage JSON", fault: plain("application/json", `]]}{"ok":tru`)},
		matrixFault{name: "200 HTML", fault: plain("text/html; charset=utf-8", "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>")},
		matrixFault{name: "wrong content type", is: intact, fault: func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, whole(f))
		}},
		matrixFault{name: "stall before headers", status: http.StatusGatewayTimeout, fault: func(_ http.ResponseWriter, r *http.Request, _ providertest.Format) {
			<-r.Context().Done()
		}},
		matrixFault{name: "stall after headers", status: http.StatusGatewayTimeout, fault: func(w http.ResponseWriter, r *http.Request, _ providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		matrixFault{name: "cut mid-event", fault: events(func(f providertest.Format) string {
			ev := f.Text("Hel")
			return f.Start + ev[:len(ev)/2]
		})},
		matrixFault{name: "keep-alives, no content", status: http.StatusGatewayTimeout, fault: heartbeats(func(f providertest.Format) string { return f.Start })},
		matrixFault{name: "error event first", eventStatus: true, fault: events(func(f providertest.Format) string { return f.Start + f.ErrorEvent })},
		matrixFault{name: "cut after text", is: late, fault: events(func(f providertest.Format) string { return f.Start + f.Text("Hel") })},
		matrixFault{name: "error event after text", is: late, eventStatus: true, fault: events(func(f providertest.Format) string {
			return f.Start + f.Text("Hel") + f.ErrorEvent
		})},
		matrixFault{name: "no end marker", is: intact, fault: events(func(f providertest.Format) string {
			return f.Start + f.Text("Hel") + f.Text("lo") + f.Finish
		})},
		matrixFault{name: "open after the finish", is: intact, fault: func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, f.Start+f.Text("Hel")+f.Text("lo")+f.Finish)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		matrixFault{name: "keep-alives after the finish", is: intact, fault: heartbeats(func(f providertest.Format) string {
			return f.Start + f.Text("Hel") + f.Text("lo") + f.Finish
		})},
		matrixFault{name: "oversized error body", fault: oversizedError, status: http.StatusServiceUnavailable},
	), moreMatrixFaults()...)
}

// heartbeats answers 200 with first as an event stream, then sends the
// format's keep-alive (a comment, Anthropic's ping) every 100 ms until
// the router hangs up.
func heartbeats(first func(f providertest.Format) string) upstreamFault {
	return func(w http.ResponseWriter, r *http.Request, f providertest.Format) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, first(f))
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				io.WriteString(w, f.Noop)
			}
		}
	}
}

// resetConn resets the connection before any byte of an answer.
func resetConn(w http.ResponseWriter, _ *http.Request, _ providertest.Format) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	conn.(*net.TCPConn).SetLinger(0)
	conn.Close()
}

// bare answers st with no body.
func bare(st int) upstreamFault {
	return func(w http.ResponseWriter, _ *http.Request, _ providertest.Format) { w.WriteHeader(st) }
}

// plain answers 200 with body as contentType.
func plain(contentType, body string) upstreamFault {
	return func(w http.ResponseWriter, _ *http.Request, _ providertest.Format) {
		w.Header().Set("Content-Type", contentType)
		io.WriteString(w, body)
	}
}

// statusBody answers st with the error body the format's provider sends
// for it.
func statusBody(st int) upstreamFault {
	return func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		io.WriteString(w, serverErrorJSON(f, st))
	}
}

// serverErrorJSON is the error body of a 5xx in format f: OpenAI's
// server_error, Anthropic's api_error or overloaded_error (529), Gemini's
// INTERNAL or UNAVAILABLE, as their API references word them.
func serverErrorJSON(f providertest.Format, st int) string {
	switch f.ErrorJSON {
	case providertest.Anthropic.ErrorJSON:
		if st == 529 {
			return `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}`
		}
		return `{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_1"}`
	case providertest.Gemini.ErrorJSON:
		if st == 503 {
			return `{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}`
		}
		return `{"error":{"code":` + strconv.Itoa(st) + `,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}`
	}
	return `{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}`
}

// tooMany answers 429 with the format's rate limit error and the
// Retry-After retryAfter gives.
func tooMany(retryAfter func() string) upstreamFault {
	return func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", retryAfter())
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, f.ErrorJSON)
	}
}

// oversizedError answers 503 with a 4 MiB error body.
func oversizedError(w http.ResponseWriter, _ *http.Request, _ providertest.Format) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, oversizedErrorBody)
}

// oversizedErrorBody is oversizedError's body, made once.
var oversizedErrorBody = `{"error":{"message":"` + strings.Repeat("overloaded ", 4<<20/11) + `","type":"server_error"}}`

// matrixCell is one cell: a fault, an upstream kind, an endpoint, a mode.
type matrixCell struct {
	id       int
	fault    matrixFault
	kind     string
	format   providertest.Format
	endpoint string
	stream   bool
}

func (c matrixCell) name() string {
	return c.fault.name + "/" + c.kind + "/" + c.endpoint + "/" + mode(c.stream)
}

// route names the cell's route: "c" (with the fallback) or "a" (alone).
func (c matrixCell) route(which string) string { return which + strconv.Itoa(c.id) }

// matrixEndpoints are the client endpoints.
var matrixEndpoints = []string{"chat", "responses", "messages"}

// matrixCells lays the matrix out.
func matrixCells() []matrixCell {
	var cells []matrixCell
	for _, f := range matrixFaults() {
		for _, k := range campaignKinds {
			for _, ep := range matrixEndpoints {
				for _, stream := range []bool{false, true} {
					cells = append(cells, matrixCell{id: len(cells), fault: f, kind: k.kind, format: k.format, endpoint: ep, stream: stream})
				}
			}
		}
	}
	return cells
}

var cellModel = regexp.MustCompile(`cell([0-9]+)x`)

// cellOf returns the index of the cell (of n) whose model r's path or
// body names, marking r with cellHeader; when it names none, it answers
// 418 and returns false.
func cellOf(w http.ResponseWriter, r *http.Request, n int) (int, bool) {
	body, _ := io.ReadAll(r.Body)
	m := cellModel.FindStringSubmatch(r.URL.Path)
	if m == nil {
		m = cellModel.FindStringSubmatch(string(body))
	}
	i := -1
	if m != nil {
		i, _ = strconv.Atoi(m[1])
	}
	if i < 0 || i >= n {
		http.Error(w, "no cell", http.StatusTeapot)
		return 0, false
	}
	r.Header.Set(cellHeader, m[0])
	return i, true
}

// newMatrixEnv starts the hostile upstream and the router with the
// cells' providers, deployments and routes.
func newMatrixEnv(t *testing.T, cells []matrixCell) *env {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, ok := cellOf(w, r, len(cells)); ok {
			cells[n].fault.fault(w, r, cells[n].format)
		}
	}))
	t.Cleanup(up.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + l.Addr().String()
	l.Close()
	return newEnvWith(t, func(c *config.Config) {
		c.Server.RequestTimeout = matrixDeadline
		c.Resilience.StallTimeout = matrixStall
		c.Resilience.Backoff, c.Resilience.BackoffMax = 5*time.Millisecond, 20*time.Millisecond
		// No latency demotion: the matrix's cells share this router and
		// run side by side, and on a loaded machine a cell's deployment
		// (or the fallback) whose first tokens came late in three
		// buckets would be demoted, its route then answered by the
		// other deployment first (once, a 422 cell by the fallback).
		// What a cell tests is its fault's outcome, not demotion.
		c.Resilience.Health.SpikeCount = math.MaxInt32
		for _, k := range campaignKinds {
			kind, base := k.kind, up.URL
			if kind == kindResponses {
				kind = "openai"
			}
			for name, url := range map[string]string{"hostile-": base, "refused-": refused} {
				if kind == "openai" {
					url += "/v1"
				}
				c.Providers[name+k.kind] = &config.Provider{Name: name + k.kind, Kind: kind, BaseURL: url, APIKey: providertest.Secret}
			}
		}
		ordered := config.Policy{Strategy: config.StrategyOrdered}
		for _, cell := range cells {
			prov, api := "hostile-"+cell.kind, ""
			if cell.fault.fault == nil {
				prov = "refused-" + cell.kind
			}
			if cell.kind == kindResponses {
				api = config.APIResponses
			}
			for _, which := range []string{"c", "a"} {
				dep := "dep-" + cell.route(which)
				c.Deployments[dep] = &config.Deployment{Name: dep, Provider: prov, Model: "cell" + strconv.Itoa(cell.id) + "x", API: api,
					Price: config.Price{Input: 1, Output: 1}, Capabilities: []llm.Capability{llm.CapStreaming}}
			}
			c.Routes[cell.route("c")] = &config.Route{Name: cell.route("c"), Deployments: []string{"dep-" + cell.route("c"), campaignFallback}, Policy: ordered,
				Tiers: config.Tiers{Count: 2, TTFTTimeout: []time.Duration{matrixTTFT, matrixDeadline}}}
			c.Routes[cell.route("a")] = &config.Route{Name: cell.route("a"), Deployments: []string{"dep-" + cell.route("a")}, Policy: ordered,
				Tiers: config.Tiers{Count: 1, TTFTTimeout: []time.Duration{matrixDeadline}}}
		}
	}, server.RouterOptions{})
}
