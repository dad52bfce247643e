package conformance

import (
	"net/http"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/sim"
)

// faultKinds are the simulated failures that answer with an error body.
var faultKinds = []sim.FaultKind{sim.FaultRateLimit, sim.FaultServerError, sim.FaultUnavailable,
	sim.FaultContextLength, sim.FaultContentFilter}

// TestSimFaultErrors checks the simulators' error bodies under each
// failure they simulate, in each provider's error shape.
func TestSimFaultErrors(t *testing.T) {
	t.Parallel()
	addr, sims, stop, err := startSims()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	oa, an, ge := loadSpec(t, "openai"), loadSpec(t, "anthropic"), loadSpec(t, "gemini")
	base := "http://" + addr
	checked := 0
	for _, kind := range faultKinds {
		for _, c := range []struct {
			model, url, body string
			hdr              []string
			check            func(st int, b []byte)
		}{
			{"gpt-4o-mini", base + "/openai/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}`,
				[]string{"Authorization", bearer}, func(_ int, b []byte) { oa.check(t, "ErrorResponse", b) }},
			{"gpt-4o-mini", base + "/openai/v1/responses", `{"model":"gpt-4o-mini","input":"hi"}`,
				[]string{"Authorization", bearer}, func(_ int, b []byte) { oa.check(t, "ErrorResponse", b) }},
			{"claude-haiku-4-5", base + "/anthropic/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`,
				anthropicHeaders, func(_ int, b []byte) { an.check(t, "ErrorResponse", b) }},
			{"gemini-2.5-flash", base + "/gemini/v1beta/models/gemini-2.5-flash:generateContent", `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`,
				geminiHeaders, func(st int, b []byte) { checkGeminiError(t, ge, st, b) }},
		} {
			sims.Faults.Add(sim.Fault{Kind: kind, Model: c.model, Count: 1})
			st, b := call(t, http.MethodPost, c.url, c.body, c.hdr...)
			sims.Faults.Clear(c.model)
			if st < 400 {
				continue // a fault this wire format does not answer with an error
			}
			c.check(st, b)
			checked++
		}
	}
	if checked < 3*len(faultKinds) {
		t.Errorf("%d error bodies checked, want at least %d", checked, 3*len(faultKinds))
	}
}

// TestRouterFaultErrors checks the router's error bodies when every
// deployment fails each way (the router fails over from the one named
// to the others that can serve it, so all must fail), on /v1/chat/completions, /v1/responses
// (OpenAI's shape) and /v1/messages (Anthropic's).
func TestRouterFaultErrors(t *testing.T) {
	t.Parallel()
	url, _, sims := routerSim(t, func(c *config.Config) {
		// No retries, and a deadline a rate limit's Retry-After (1s) does
		// not fit in, so the router answers at once: what is checked is
		// the error's shape.
		zero := 0
		c.Resilience.Retries = &zero
		c.Server.RequestTimeout = 900 * time.Millisecond
	})
	oa, an := loadSpec(t, "openai"), loadSpec(t, "anthropic")
	checked := 0
	for _, kind := range faultKinds {
		sims.Faults.Add(sim.Fault{Kind: kind})
		for _, model := range []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
			for _, c := range []struct{ path, body string }{
				{"/v1/chat/completions", `{"model":"` + model + `","messages":[{"role":"user","content":"hi"}]}`},
				{"/v1/responses", `{"model":"` + model + `","input":"hi"}`},
			} {
				if st, b := call(t, http.MethodPost, url+c.path, c.body, "Authorization", bearer); st >= 400 {
					oa.check(t, "ErrorResponse", b)
					checked++
				}
			}
			msgs := `{"model":"` + model + `","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`
			if st, b := call(t, http.MethodPost, url+"/v1/messages", msgs, anthropicHeaders...); st >= 400 {
				an.check(t, "ErrorResponse", b)
				checked++
			}
		}
		sims.Faults.Clear("")
	}
	if checked < 3*len(faultKinds) {
		t.Errorf("%d error bodies checked, want at least %d", checked, 3*len(faultKinds))
	}
	t.Logf("%d error bodies checked", checked)
}
