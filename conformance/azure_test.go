package conformance

import (
	"net/http"
	"strings"
	"testing"

	"switchyard/sim"
)

// azureDeployment is the Azure simulator's chat deployment route.
const azureDeployment = "/azure/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21"

// TestSimAzure checks the Azure OpenAI simulator's chat completions and
// stream chunks (the prompt annotations' chunk first), an answer its
// output filter cut, and its errors, the content filter's among them,
// against OpenAI's spec with Azure's documented differences.
func TestSimAzure(t *testing.T) {
	t.Parallel()
	addr, sims, stop, err := startSims()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	az := loadSpec(t, "azure")
	base := "http://" + addr
	key := []string{"api-key", "sim-key"}
	preambles := 0
	for _, body := range []string{
		`{"messages":[{"role":"user","content":"Say hello."}]}`,
		`{"messages":[{"role":"user","content":"What is the weather in Paris?"}],` + weatherTool + `,"tool_choice":"required"}`,
		`{"messages":[{"role":"user","content":"Say hello."}],"logprobs":true,"top_logprobs":2}`,
		`{"messages":[{"role":"user","content":"Tell me a story. [[sim:content_filter_output]]"}]}`,
		`{"messages":[{"role":"user","content":"[[sim:async_filter]] Say hello."}]}`,
		`{"messages":[{"role":"user","content":"[[sim:async_filter]] Tell me a story. [[sim:content_filter_output]]"}]}`,
	} {
		b := callOK(t, body, http.MethodPost, base+azureDeployment, body, key...)
		az.check(t, "CreateChatCompletionResponse", b)
		b = callOK(t, body, http.MethodPost, base+azureDeployment, body[:len(body)-1]+`,"stream":true,"stream_options":{"include_usage":true}}`, key...)
		evs := sse(t, b)
		if last := evs[len(evs)-1]; string(last.data) != "[DONE]" {
			t.Errorf("stream ends with %q, want [DONE]", last.data)
		}
		for i, ev := range evs[:len(evs)-1] {
			if m := az.check(t, "CreateChatCompletionStreamResponse", ev.data); m["prompt_filter_results"] != nil && i == 0 {
				preambles++
			}
		}
	}
	if preambles != 6 {
		t.Errorf("%d streams began with the prompt annotations' chunk, want 6", preambles)
	}
	checked := 0
	for _, kind := range faultKinds {
		sims.Faults.Add(sim.Fault{Kind: kind, Model: "gpt-4o-mini", Count: 1})
		st, b := call(t, http.MethodPost, base+azureDeployment, `{"messages":[{"role":"user","content":"hi"}]}`, key...)
		sims.Faults.Clear("gpt-4o-mini")
		if st < 400 {
			t.Errorf("%s: status %d, want an error", kind, st)
			continue
		}
		if m := az.check(t, "ErrorResponse", b); kind == sim.FaultContentFilter && !strings.Contains(string(b), `"code":"content_filter"`) {
			t.Errorf("content filter error %v lacks its code", m)
		}
		checked++
	}
	for _, c := range []struct{ path string }{
		{"/azure/openai/deployments/gpt-4o-mini/chat/completions"},                          // no api-version
		{"/azure/openai/deployments/gpt-4o-mini/chat/completions?api-version=yesterday"},    // malformed
		{"/azure/openai/deployments/no-such-model/chat/completions?api-version=2024-10-21"}, // unknown deployment
	} {
		st, b := call(t, http.MethodPost, base+c.path, `{"messages":[{"role":"user","content":"hi"}]}`, key...)
		if st < 400 {
			t.Errorf("%s: status %d, want an error", c.path, st)
			continue
		}
		az.check(t, "ErrorResponse", b)
		checked++
	}
	st, b := call(t, http.MethodPost, base+azureDeployment, `{"messages":[{"role":"user","content":"hi"}]}`)
	if st != http.StatusUnauthorized {
		t.Errorf("no key: status %d, want 401", st)
	}
	az.check(t, "ErrorResponse", b)
	if checked != len(faultKinds)+3 {
		t.Errorf("%d error bodies checked, want %d", checked, len(faultKinds)+3)
	}
}
