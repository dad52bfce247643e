package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"switchyard/provider/providertest"
)

// TestFaultCampaignBodies: answers that are wrong from their first byte —
// garbage, the wrong content type, redirects, errors quoting the key,
// numbers past any integer. Each is retryable: the fallback answers, and
// alone the client gets a 502 in OpenAI's shape that says what happened,
// never quotes the key, and stays small.
func TestFaultCampaignBodies(t *testing.T) {
	var redirected atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		redirected.Add(1)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, whole(providertest.OpenAI))
	}))
	t.Cleanup(elsewhere.Close)
	redirect := func(status int) upstreamFault {
		return func(w http.ResponseWriter, r *http.Request, _ providertest.Format) {
			http.Redirect(w, r, elsewhere.URL+r.URL.RequestURI(), status)
		}
	}
	noneRedirected := func(t *testing.T, _ *campaignEnv, _ string, _ bool, _ reply) {
		if n := redirected.Swap(0); n != 0 {
			t.Fatalf("the redirect's target received %d requests", n)
		}
	}
	statusQuotingKey := func(status int) upstreamFault {
		return func(w http.ResponseWriter, _ *http.Request, f providertest.Format) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			io.WriteString(w, f.ErrorJSON) // it quotes the key
		}
	}
	runCampaign(t, []faultCase{
		{name: "200 with an HTML page", says: "malformed", fault: func(w http.ResponseWriter, _ *http.Request, _ providertest.Format) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html><html><body>502 Bad Gateway</body></html>")
		}},
		{name: "200 with JSON instead of a stream", says: "malformed", fault: func(w http.ResponseWriter, _ *http.Request, _ providertest.Format) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[]}`)
		}},
		{name: "200 with an empty stream", fault: events(func(providertest.Format) string { return "" })},
		{name: "200 with binary garbage", says: "malformed", fault: events(func(providertest.Format) string {
			var b bytes.Buffer
			for i := range 8 {
				b.WriteString("data: ")
				for c := range 256 {
					if c != '\n' && c != '\r' {
						b.WriteByte(byte(c + i))
					}
				}
				b.WriteString("\n\n")
			}
			return b.String()
		})},
		{name: "numbers of 100 KB", says: "malformed", check: noLongNumber, fault: events(func(f providertest.Format) string {
			nines := strings.Repeat("9", 100_000)
			big := strings.Replace(f.Text("x"), `"index":0`, `"index":`+nines, 1)
			big = strings.Replace(big, `"output_index":0`, `"output_index":`+nines, 1) // the Responses API's
			return f.Start + strings.Repeat(big, 4) + f.Text("Hello") + f.Finish + f.End
		})},
		{name: "307 to another host", says: "redirect to host 127.0.0.1", fault: redirect(http.StatusTemporaryRedirect), check: noneRedirected},
		{name: "301 to another host", says: "redirect", fault: redirect(http.StatusMovedPermanently), check: noneRedirected},
		{name: "500 quoting the key", says: "returned 500", fault: statusQuotingKey(http.StatusInternalServerError)},
		// Alone only: its first request opens the deployment's breaker (a
		// refused key fails every request alike), which a second route's
		// request would meet; the fault matrix has its failover.
		{name: "401 quoting the key", says: "rejected the configured credentials", aloneOnly: true, fault: statusQuotingKey(http.StatusUnauthorized)},
	})
}

// noLongNumber checks that neither the reply nor the router's log quotes
// more than 40 digits of a number.
func noLongNumber(t *testing.T, ce *campaignEnv, route string, _ bool, rp reply) {
	t.Helper()
	digits := []byte(strings.Repeat("9", 41))
	if bytes.Contains(rp.body, digits) {
		t.Errorf("%s: the reply quotes a long number", route)
	}
	if bytes.Contains(ce.log.Bytes(), digits) {
		t.Errorf("%s: the router's log quotes a long number", route)
	}
}
