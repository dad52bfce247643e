package conformance

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/sim"
)

// TestRouterAzure checks the router's answers from an Azure deployment
// against OpenAI's spec with none of Azure's differences allowed: the
// router answers in OpenAI's shape, so Azure's content filter
// annotations (prompt_filter_results, content_filter_results) and its
// error shape must not come through, on Chat Completions and the
// Responses API, whole and streamed, an answer its output filter cut,
// and its errors (the content filter's among them).
func TestRouterAzure(t *testing.T) {
	t.Parallel()
	url, _, sims := routerSim(t, func(c *config.Config) {
		zero := 0
		c.Resilience.Retries = &zero
		c.Server.RequestTimeout = 900 * time.Millisecond
		// The Azure deployment alone: a failure must not fail over.
		c.Routes["azure-only"] = &config.Route{Name: "azure-only", Deployments: []string{"azure-gpt-4o-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
	oa := loadSpec(t, "openai")
	const model = "azure-gpt-4o-mini"
	noAzure := func(what string, b []byte) {
		for _, f := range []string{"prompt_filter_results", "content_filter_results", "content_filter_offsets", "innererror"} {
			if strings.Contains(string(b), f) {
				t.Errorf("%s: Azure's %s came through: %.400s", what, f, b)
			}
		}
	}
	for _, prompt := range []string{"Say hello.", "Tell me a story. [[sim:content_filter_output]]",
		"[[sim:async_filter]] Say hello.", "[[sim:async_filter]] Tell me a story. [[sim:content_filter_output]]"} {
		chat := `{"model":"` + model + `","messages":[{"role":"user","content":"` + prompt + `"}]}`
		b := callOK(t, chat, http.MethodPost, url+"/v1/chat/completions", chat, "Authorization", bearer)
		oa.check(t, "CreateChatCompletionResponse", b)
		noAzure(chat, b)
		b = callOK(t, chat, http.MethodPost, url+"/v1/chat/completions", chat[:len(chat)-1]+`,"stream":true,"stream_options":{"include_usage":true}}`, "Authorization", bearer)
		noAzure(chat+" stream", b)
		evs := sse(t, b)
		streamAsOpenAI(t, oa, chat, evs, strings.Contains(prompt, "content_filter_output"))
		resp := `{"model":"` + model + `","input":"` + prompt + `"}`
		b = callOK(t, resp, http.MethodPost, url+"/v1/responses", resp, "Authorization", bearer)
		oa.check(t, "Response", b)
		noAzure(resp, b)
		b = callOK(t, resp, http.MethodPost, url+"/v1/responses", resp[:len(resp)-1]+`,"stream":true}`, "Authorization", bearer)
		noAzure(resp+" stream", b)
		for _, ev := range sse(t, b) {
			oa.checkEvent(t, "ResponseStreamEvent", ev.data)
		}
	}
	checked := 0
	for _, kind := range faultKinds {
		sims.Faults.Add(sim.Fault{Kind: kind, Model: "gpt-4o-mini"})
		for _, c := range []struct{ path, body string }{
			{"/v1/chat/completions", `{"model":"azure-only","messages":[{"role":"user","content":"hi"}]}`},
			{"/v1/responses", `{"model":"azure-only","input":"hi"}`},
		} {
			st, b := call(t, http.MethodPost, url+c.path, c.body, "Authorization", bearer)
			if st < 400 {
				t.Errorf("%s %s: status %d, want an error", kind, c.path, st)
				continue
			}
			oa.check(t, "ErrorResponse", b)
			noAzure(string(kind), b)
			checked++
		}
		sims.Faults.Clear("gpt-4o-mini")
	}
	t.Logf("%d error bodies checked", checked)
}

// streamAsOpenAI checks the router's chat stream evs against OpenAI's
// spec, and as OpenAI streams: every chunk of the answer's id, none of
// an annotation's empty choice, and one finish, content_filter where
// the filter cut the answer.
func streamAsOpenAI(t *testing.T, oa *spec, what string, evs []event, cut bool) {
	t.Helper()
	var id string
	var finishes []string
	for _, ev := range evs[:len(evs)-1] {
		m := oa.check(t, "CreateChatCompletionStreamResponse", ev.data)
		got, _ := m["id"].(string)
		if id == "" {
			id = got
		}
		if got == "" || got != id {
			t.Errorf("%s: chunk id %q in a stream of %q: %s", what, got, id, ev.data)
		}
		choices, _ := m["choices"].([]any)
		for _, c := range choices {
			c, _ := c.(map[string]any)
			delta, _ := c["delta"].(map[string]any)
			f, _ := c["finish_reason"].(string)
			if f != "" {
				finishes = append(finishes, f)
			} else if len(delta) == 0 {
				t.Errorf("%s: a choice with neither delta nor finish_reason: %s", what, ev.data)
			}
		}
	}
	want := "stop"
	if cut {
		want = "content_filter"
	}
	if len(finishes) != 1 || finishes[0] != want {
		t.Errorf("%s: finish reasons %v, want [%s]", what, finishes, want)
	}
}
