package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider/providertest"
)

// TestFaultCampaignWire: odd but legal framing, errors dressed as a 200
// stream, and statuses the upstreams document beyond the usual ones.
func TestFaultCampaignWire(t *testing.T) {
	errorEventStatus := func(f providertest.Format) int { return (&llm.Error{Kind: f.ErrorKind}).HTTPStatus() }
	lf := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
	status := func(code int) upstreamFault {
		return func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			io.WriteString(w, `{"error":{"message":"try again","type":"server_error"}}`)
		}
	}
	runCampaign(t, []faultCase{
		// Nothing reached the client: the error event (OpenAI's
		// {"error":…}, Anthropic's overloaded_error, Gemini's UNAVAILABLE)
		// fails over like a status would.
		{name: "error event before any content", statusOf: errorEventStatus,
			fault: events(func(f providertest.Format) string { return f.Start + f.ErrorEvent })},
		{name: "error event after content", late: true, statusOf: errorEventStatus,
			fault: events(func(f providertest.Format) string { return f.Start + f.Text("Hel") + f.ErrorEvent })},
		{name: "CR line endings", whole: true, fault: events(func(f providertest.Format) string {
			return strings.ReplaceAll(lf(whole(f)), "\n", "\r")
		})},
		{name: "a byte order mark first", whole: true, fault: events(func(f providertest.Format) string { return "\uFEFF" + whole(f) })},
		// A server that answers an error with 200 and the event-stream
		// Content-Type of the success it was asked for.
		{name: "a JSON error labelled as an event stream", status: http.StatusTooManyRequests,
			fault: events(func(f providertest.Format) string { return f.ErrorJSON })},
		{name: "425 Too Early", says: "returned 425", fault: status(http.StatusTooEarly)},
		{name: "499 from a proxy", says: "returned 499", fault: status(499)},
		{name: "529 overloaded", says: "returned 529", status: http.StatusServiceUnavailable, fault: status(529)},
	})
}
