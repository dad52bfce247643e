package conformance

import (
	"net/http"
	"strings"
	"testing"

	"switchyard/sim"
)

// TestRouterResponsesStreamMore drives the Responses stream's rarer
// events: hosted web search and its citations, a custom tool's input, an
// answer cut short by max_output_tokens, logprobs, a refusal (Claude's),
// hosted code interpreter, and an upstream cut mid-stream
// (response.failed, then error).
func TestRouterResponsesStreamMore(t *testing.T) {
	t.Parallel()
	url, _, sims := routerSim(t, nil)
	sims.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: "gpt-5.3-codex", After: 2})
	sims.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: "claude-haiku-4-5"})
	oa := loadSpec(t, "openai")
	bodies := []string{
		`{"model":"gpt-4o-mini","input":"What is the weather in Paris today?","tools":[{"type":"web_search"}],"include":["web_search_call.action.sources"]}`,
		`{"model":"claude-sonnet-4-5","input":"What is the weather in Paris today?","tools":[{"type":"web_search"}],"include":["web_search_call.action.sources"]}`,
		`{"model":"gemini-2.5-flash","input":"What is the weather in Paris today?","tools":[{"type":"web_search"}],"include":["web_search_call.action.sources"]}`,
		`{"model":"gpt-4o-mini","input":"Compute 2+2 in Python.","tools":[{"type":"code_interpreter","container":{"type":"auto"}}]}`,
		`{"model":"gpt-4o-mini","input":"Run a query listing the users.","tools":[{"type":"custom","name":"run_sql","description":"Runs one SQL query"}],"tool_choice":"required"}`,
		`{"model":"gpt-4o-mini","input":"Tell me a long story.","max_output_tokens":16}`,
		`{"model":"claude-sonnet-4-5","input":"List the files here.","tools":[{"type":"shell"}],"tool_choice":"required"}`,
		`{"model":"claude-sonnet-4-5","input":"List the files here.","tools":[{"type":"local_shell"}],"tool_choice":"required"}`,
		`{"model":"gemini-2.5-flash","input":"Fix the typo in README.md.","tools":[{"type":"apply_patch"}],"tool_choice":"required"}`,
		`{"model":"gpt-4o-mini","input":"Say hello.","top_logprobs":2,"include":["message.output_text.logprobs"]}`,
		`{"model":"claude-haiku-4-5","input":"Say hello."}`,
		`{"model":"gpt-4o-mini","input":"Say hello.","background":true}`,
		`{"model":"gpt-5.3-codex","input":"Say hello at length."}`,
	}
	seen := map[string]bool{}
	for _, body := range bodies {
		b := callOK(t, body, http.MethodPost, url+"/v1/responses", body[:len(body)-1]+`,"stream":true}`, "Authorization", bearer)
		for _, ev := range sse(t, b) {
			typ := oa.checkEvent(t, "ResponseStreamEvent", ev.data)
			if ev.name != typ {
				t.Errorf("event name %q, data type %q", ev.name, typ)
			}
			seen[typ] = true
		}
		if strings.Contains(body, "gpt-5.3-codex") {
			continue // the cut: no whole answer to check
		}
		b = callOK(t, body, http.MethodPost, url+"/v1/responses", body, "Authorization", bearer)
		oa.check(t, "Response", b)
	}
	for _, typ := range []string{"response.web_search_call.in_progress", "response.web_search_call.searching",
		"response.web_search_call.completed", "response.output_text.annotation.added",
		"response.custom_tool_call_input.delta", "response.custom_tool_call_input.done",
		"response.code_interpreter_call.in_progress", "response.code_interpreter_call.interpreting",
		"response.code_interpreter_call_code.delta", "response.code_interpreter_call_code.done",
		"response.code_interpreter_call.completed", "response.incomplete", "response.failed", "error"} {
		if !seen[typ] {
			t.Errorf("no %s event seen", typ)
		}
	}
	t.Logf("event types checked: %v", seen)
}
