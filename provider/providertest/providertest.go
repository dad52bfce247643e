// Package providertest is the conformance suite every provider adapter
// passes: Run drives the adapter against an httptest upstream that plays
// scripted bytes of the adapter's wire format (a Format), and checks the
// streaming contract of llm.ChatProvider and provider.EventStream:
// content and usage mapping, the proper end and a clean end without an end
// marker, cut and malformed streams, skipped undecodable events, error
// events, statuses with Retry-After, JSON or HTML instead of an event
// stream, key redaction, cancel, Close and stalls, connection reuse,
// Ready, redirects (never followed), an end marker before the finish
// reason (a cut, or a complete answer where the format says so), implausible usage counts, the legal framings of the same events
// (line endings, comments, fields, split data, a byte order mark, lines
// past 64 KiB and 1 MiB), and bodies that are not what their headers say
// (gzip unasked, a JSON error as an event stream, stray bytes after an
// event's JSON, a short Content-Length).
package providertest

import (
	"net/http"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// Name is the provider name the suite's adapters must be configured with.
const Name = "up"

// Secret is the API key the suite gives the adapter. The fixtures' error
// messages quote it; no error may show it.
const Secret = "k3y-CONFORMANCE-7f3a9c1e5b"

// HeaderName and HeaderSecret are a header the suite configures the
// adapter to send (Config.Headers: a gateway's own credential, say),
// whose value is as secret as the key: the fixtures' errors quote it too,
// and no error may show it.
const (
	HeaderName   = "X-Gateway-Auth"
	HeaderSecret = "hdrV4lue-Qm8Tz2Wc6Pn1"
)

// Headers returns the headers the adapter is configured with: HeaderName
// set to HeaderSecret (a new map each call).
func Headers() map[string]string { return map[string]string{HeaderName: HeaderSecret} }

// Format is the wire format of an adapter: scripted pieces of an event
// stream and error bodies. Every string is raw bytes as the upstream sends
// them.
type Format struct {
	// Start opens a response: every event before the first text delta
	// (may be empty).
	Start string
	// Text returns the event that carries one text delta, s.
	Text func(s string) string
	// Finish ends the choice with finish reason "stop" and reports usage
	// of 3 prompt and 5 completion tokens (in whichever events carry it):
	// FinishUsage("3", "5").
	Finish string
	// FinishUsage is Finish reporting the prompt and completion counts
	// given, as raw JSON number literals (which may be absurd: "-1",
	// "1e30", more digits than an int64 holds).
	FinishUsage func(prompt, completion string) string
	// End is the format's end marker; empty when it has none.
	End string
	// Noop is an event that yields no chunk (a ping or keep-alive).
	Noop string
	// Bad is an event whose data cannot be decoded.
	Bad string
	// ErrorEvent is an error event sent mid-stream; its message quotes
	// Secret and HeaderSecret. ErrorKind is the kind it must map to.
	ErrorEvent string
	ErrorKind  llm.ErrorKind
	// ErrorJSON is an error body of the format quoting Secret and
	// HeaderSecret, meaning a
	// rate limit.
	ErrorJSON string
}

// Adapter is one adapter under test.
type Adapter struct {
	// Format is its wire format.
	Format Format
	// New returns the adapter configured with Name, Secret, Headers and hc for an
	// upstream whose every path the suite's server answers, at baseURL.
	New func(t *testing.T, baseURL string, hc *http.Client) provider.Provider
	// API is the upstream API the suite's requests name (llm.Request.API,
	// as the dispatcher sets it from the deployment); the zero value is
	// llm.APIAuto.
	API llm.UpstreamAPI
}

// Run runs the conformance suite against a.
func Run(t *testing.T, a Adapter) {
	t.Run("Stream", func(t *testing.T) { testStream(t, a) })
	t.Run("Failures", func(t *testing.T) { testFailures(t, a) })
	t.Run("BadEvents", func(t *testing.T) { testBadEvents(t, a) })
	t.Run("Open", func(t *testing.T) { testOpen(t, a) })
	t.Run("Cancel", func(t *testing.T) { testCancel(t, a) })
	t.Run("Reuse", func(t *testing.T) { testReuse(t, a) })
	t.Run("Ready", func(t *testing.T) { testReady(t, a) })
	t.Run("Redirect", func(t *testing.T) { testRedirect(t, a) })
	t.Run("EndBeforeFinish", func(t *testing.T) { testEndBeforeFinish(t, a) })
	t.Run("ImplausibleUsage", func(t *testing.T) { testImplausibleUsage(t, a) })
	t.Run("Framing", func(t *testing.T) { testFraming(t, a) })
	t.Run("Bodies", func(t *testing.T) { testBodies(t, a) })
}
