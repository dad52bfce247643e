package config

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// TestResumeAndContinuation: routes resume by default and `resume: false`
// turns it off; a deployment's continuation style is decoded, "none"
// maps to llm.ContinueNone, and an unknown one is an error naming the
// choices.
func TestResumeAndContinuation(t *testing.T) {
	c := mustParse(t, []byte(routeBase+`  v: {provider: openai, continuation: vllm}
  n: {provider: openai, continuation: none}
routes:
  on: {deployments: [mini, v]}
  off: {deployments: [mini, n], resume: false}
`), nil)
	if !c.Routes["on"].Resumes() || c.Routes["off"].Resumes() {
		t.Errorf("resumes: on %v off %v", c.Routes["on"].Resumes(), c.Routes["off"].Resumes())
	}
	for name, want := range map[string]llm.Continuation{"v": llm.ContinueVLLM, "n": llm.ContinueNone, "mini": llm.ContinueNone} {
		if got := c.Deployments[name].LLM().Continuation; got != want {
			t.Errorf("%s continuation %q, want %q", name, got, want)
		}
	}
	_, err := Parse([]byte(routeBase+"  q: {provider: openai, continuation: prefil}\n"), nil)
	fe := findError(t, err, "deployments.q.continuation", `unknown continuation "prefil"`)
	if !strings.Contains(fe.Hint, "anthropic, vllm, deepseek") {
		t.Errorf("hint %q", fe.Hint)
	}
	_, err = Parse([]byte(routeBase+"routes:\n  r: {deployments: [mini], resume: maybe}\n"), nil)
	findError(t, err, "routes.r.resume", "must be true or false")
}
