package e2e

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/provider/providertest"
)

// faultCase is one misbehaviour of the hostile upstream and what the
// router must make of it.
type faultCase struct {
	name  string
	fault upstreamFault
	// late reports a fault that strikes after content reached the router:
	// a complete answer fails over afresh ("campaign") or fails with a
	// 502 ("alone"); a stream is continued on the fallback ("campaign")
	// or ends with an error event after the content ("alone"). Otherwise
	// the fault strikes before any content: the fallback answers
	// ("campaign") or the client gets a 502 ("alone").
	late bool
	// whole reports that the hostile upstream's answer arrives whole
	// despite the fault, on both routes.
	whole bool
	// says is a phrase the error of route "alone" must hold; status its
	// HTTP status (a stream's, before its first byte), 0 meaning 502.
	says   string
	status int
	// statusOf, if set, gives status for each wire format.
	statusOf func(f providertest.Format) int
	// answer is the whole answer's text when whole is set ("" means
	// campaignAnswer).
	answer string
	// streamOnly and plainOnly cases are run for streams only, or for
	// complete answers only; aloneOnly cases on route "alone" only.
	streamOnly, plainOnly, aloneOnly bool
	// slow cases are skipped under -short; heavy ones (tens of MB) run
	// for kind openai only under the race detector, which makes them take
	// seconds each (what they test does not depend on the kind).
	slow, heavy bool
	// deadline is the router's request deadline (0: campaignDeadline).
	deadline time.Duration
	// read, if set, is how the client reads a stream.
	read func(io.Reader) io.Reader
	// check, if set, checks more of each reply.
	check func(t *testing.T, ce *campaignEnv, route string, stream bool, rp reply)
}

func mode(stream bool) string {
	if stream {
		return "streamed"
	}
	return "plain"
}

// runCampaign runs every case against every kind, streamed and not, on
// both routes, each case and kind with a router of its own, one at a
// time (side by side, a slow-writing upstream's 500 ms stall timeout fired
// under load in a clean-clone run); once all are closed, no goroutine is
// left. Its test must not be parallel: the leak check sees every
// goroutine of the process.
func runCampaign(t *testing.T, cases []faultCase) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { checkNoLeak(t, before) }) // runs last: after every case's router and upstream closed
	for _, fc := range cases {
		for _, k := range campaignKinds {
			for _, stream := range []bool{false, true} {
				if (fc.streamOnly && !stream) || (fc.plainOnly && stream) || (fc.heavy && raceEnabled && k.kind != "openai") {
					continue
				}
				t.Run(fc.name+"/"+k.kind+"/"+mode(stream), func(t *testing.T) {
					fc := fc
					if fc.statusOf != nil {
						fc.status = fc.statusOf(k.format)
					}
					if fc.slow && testing.Short() {
						t.Skip("slow under -short")
					}
					ce := newCampaignEnv(t, k.kind, k.format, fc.fault, cmp.Or(fc.deadline, campaignDeadline))
					for _, route := range fc.routes() {
						rp := ce.ask(t, route, stream, fc.read)
						fc.expect(t, route, stream, rp)
						if fc.check != nil {
							fc.check(t, ce, route, stream, rp)
						}
					}
					ce.checkLog(t)
				})
			}
		}
	}
}

// routes are the routes the case is run on, in order.
func (fc *faultCase) routes() []string {
	if fc.aloneOnly {
		return []string{"alone"}
	}
	return []string{"campaign", "alone"}
}

// expect asserts the outcome the case's kind of fault calls for.
func (fc *faultCase) expect(t *testing.T, route string, stream bool, rp reply) {
	t.Helper()
	switch {
	case fc.whole && fc.answer != "":
		wantAnswer(t, route, rp, campaignFaulty, fc.answer)
	case fc.whole:
		wantAnswer(t, route, rp, campaignFaulty, campaignAnswer)
	case route == "campaign" && (!fc.late || !stream):
		wantAnswer(t, route, rp, campaignFallback, "")
	case route == "campaign": // a stream broken after content, continued
		wantAnswer(t, route, rp, campaignFaulty, "")
		if !strings.HasPrefix(rp.text, "Hel") || len(rp.text) <= len("Hel") {
			t.Errorf("%s: text %q, want the hostile upstream's start continued", route, rp.text)
		}
	case !fc.late || !stream:
		wantFailure(t, route, rp, fc.status, fc.says)
	default: // alone, a stream broken after content
		if rp.status != http.StatusOK || rp.text != "Hel" || rp.done || rp.errEvent == nil {
			t.Fatalf("%s: status %d, text %q, [DONE] %v, error event %s; want the content, then an error event", route, rp.status, rp.text, rp.done, rp.errEvent)
		}
		wantMessage(t, route, rp.errEvent, fc.status, fc.says)
	}
}

// wantAnswer asserts a whole answer served by dep; text, if not empty,
// is the answer expected.
func wantAnswer(t *testing.T, route string, rp reply, dep, text string) {
	t.Helper()
	if rp.status != http.StatusOK || rp.deployment != dep || rp.errEvent != nil {
		t.Fatalf("%s: status %d from %q (error event %s), want an answer from %s: %.300s", route, rp.status, rp.deployment, rp.errEvent, dep, rp.body)
	}
	if rp.text == "" || (text != "" && rp.text != text) {
		t.Errorf("%s: text %.100q, want %q", route, rp.text, text)
	}
	if rp.body[0] != '{' && !rp.done {
		t.Errorf("%s: the stream did not end with [DONE]", route)
	}
}

// wantFailure asserts an error of status (0: 502) in OpenAI's error shape
// whose message holds says.
func wantFailure(t *testing.T, route string, rp reply, status int, says string) {
	t.Helper()
	if status == 0 {
		status = http.StatusBadGateway
	}
	if rp.status != status {
		t.Fatalf("%s: status %d, want %d: %.300s", route, rp.status, status, rp.body)
	}
	wantMessage(t, route, rp.body, status, says)
}

// wantMessage asserts an OpenAI error body of the type status (0: 502)
// calls for, whose message holds says.
func wantMessage(t *testing.T, route string, body []byte, status int, says string) {
	t.Helper()
	typ := "server_error"
	switch status {
	case http.StatusGatewayTimeout:
		typ = "timeout_error"
	case http.StatusServiceUnavailable:
		typ = "service_unavailable_error"
	case http.StatusTooManyRequests:
		typ = "rate_limit_error"
	}
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Type != typ || !strings.Contains(e.Error.Message, says) {
		t.Errorf("%s: error %s, want a %s saying %q", route, body, typ, says)
	}
}
