package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// The simulators' own mid-stream faults (sim.FaultCut, FaultStall,
// FaultErrorEvent after two content pieces, FaultMalformed), each
// upstream kind's stream as that provider sends it, reach a Messages
// client (anthropic-sdk-go) and a Responses client (openai-go) of a
// deployment named alone as an error — an HTTP error in the endpoint's
// shape, or after the text the endpoint's error event — and never as a
// stream ended in success (message_stop, response.completed).
func TestSimMidStreamFaults(t *testing.T) {
	t.Parallel()
	for _, ft := range []sim.Fault{
		{Kind: sim.FaultCut, After: 2},
		{Kind: sim.FaultStall, After: 2, Delay: 10 * time.Second},
		{Kind: sim.FaultErrorEvent, After: 2},
		{Kind: sim.FaultMalformed},
	} {
		t.Run(string(ft.Kind), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(c *config.Config) {
				c.Resilience.StallTimeout = 500 * time.Millisecond
				c.Server.RequestTimeout = 5 * time.Second
			})
			e.Sim.Faults.Add(ft)
			for _, dep := range chatDeployments {
				for _, ep := range []string{"messages", "responses"} {
					rp := askSimStream(e, ep, dep)
					checkSimStreamFault(t, dep+"/"+ep, ep, rp)
				}
			}
		})
	}
}

// askSimStream streams "Say hello." from dep on the endpoint ep through
// its SDK, keeping the body the client read.
func askSimStream(e *env, ep, dep string) matrixReply {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tt := &teeTransport{}
	hc := &http.Client{Transport: tt}
	var rp matrixReply
	if ep == "messages" {
		rp.text, rp.err = matrixMessages(ctx, sdk.NewClient(sdkoption.WithBaseURL(e.URL), sdkoption.WithAPIKey("demo-key"), sdkoption.WithMaxRetries(0), sdkoption.WithHTTPClient(hc)), dep, true)
	} else {
		rp.text, rp.err = matrixResponses(ctx, openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey("demo-key"), option.WithMaxRetries(0), option.WithHTTPClient(hc)), dep, true)
	}
	if tt.resp != nil {
		rp.status = tt.resp.StatusCode
	}
	rp.raw = tt.body.Bytes()
	return rp
}

// checkSimStreamFault asserts a faulty stream's end: an error, in the
// endpoint's shape, and no success event.
func checkSimStreamFault(t *testing.T, name, ep string, rp matrixReply) {
	t.Helper()
	if rp.err == nil {
		t.Errorf("%s: no error; status %d, text %q: %.600s", name, rp.status, rp.text, rp.raw)
		return
	}
	if rp.status != http.StatusOK {
		wantMatrixErrorShape(t, name, ep, rp.raw, rp.status, false)
		return
	}
	ev := streamErrorEvent(ep, rp.raw)
	if ev == nil {
		t.Errorf("%s: a stream without an error event: %.800s", name, rp.raw)
		return
	}
	wantMatrixErrorShape(t, name, ep, ev, 0, true)
	if ep == "responses" {
		wantResponsesFailure(t, ev)
	}
	names := eventNames(rp.raw)
	for _, bad := range []string{"message_stop", "response.completed", "response.incomplete"} {
		if names[bad] {
			t.Errorf("%s: the stream has a %s beside its error: %.800s", name, bad, rp.raw)
		}
	}
	if ep == "messages" && strings.Contains(string(rp.raw), `"stop_reason":"end_turn"`) {
		t.Errorf("%s: the stream says end_turn beside its error: %.800s", name, rp.raw)
	}
}
