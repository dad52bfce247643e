package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
)

// upstreamCalls counts the upstream requests through tp whose path holds
// path.
func upstreamCalls(tp *tap, path string) int {
	n := 0
	for _, r := range tp.requests() {
		if strings.Contains(r.path, path) {
			n++
		}
	}
	return n
}

// A deployment whose refusal stated its output limit (gpt-4o-mini's "This
// model supports at most 16384 completion tokens", with no
// max_output_tokens configured) is remembered: the first request asking
// for more pays one refused call and fails over, the next goes straight
// to the route's other deployment without calling it, and
// x-switchyard-route names the learned limit. A request within the limit
// still goes to it.
func TestLearnedOutputLimitSkipsDeployment(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, misfitRoute("gpt-4o-mini", "claude-haiku-4-5"))
	ask := func(maxTokens int64) (*http.Response, string) {
		t.Helper()
		var resp *http.Response
		c, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "misfit", MaxTokens: openai.Int(maxTokens),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")}}, option.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("max_tokens %d: %v", maxTokens, err)
		}
		return resp, c.Choices[0].Message.Content
	}
	resp, text := ask(20000)
	checkMisfitServed(t, e, resp, text, "gpt-4o-mini", "claude-haiku-4-5")
	if n := upstreamCalls(tp, "/chat/completions"); n != 1 {
		t.Fatalf("first request: %d calls to gpt-4o-mini, want the one refused", n)
	}
	resp, text = ask(30000)
	if text == "" || resp.Header.Get("x-switchyard-deployment") != "claude-haiku-4-5" {
		t.Errorf("second request served by %q: %q", resp.Header.Get("x-switchyard-deployment"), text)
	}
	if n := upstreamCalls(tp, "/chat/completions"); n != 1 {
		t.Errorf("second request called gpt-4o-mini again (%d calls), though it had said its limit", n)
	}
	route := resp.Header.Get("x-switchyard-route")
	if !strings.Contains(route, "learned_max_output=gpt-4o-mini:16384@") || strings.Contains(route, "declined=") {
		t.Errorf("x-switchyard-route %q does not name the learned limit alone", route)
	}
	if rec := recordOf(t, e, resp.Header.Get("x-switchyard-request-id")); len(rec.Trail) != 1 {
		t.Errorf("trail %+v, want the one call", rec.Trail)
	}
	body := []byte(`{"model":"misfit","max_tokens":30000,"messages":[{"role":"user","content":"What is the capital of France?"}]}`)
	if _, b := post(t, e.URL+"/v1/route", "demo-key", body); !strings.Contains(string(b), `"reason":"max_output","by":"refusal"`) ||
		!strings.Contains(string(b), "as its refusal of a larger max_tokens said at") {
		t.Errorf("the dry run's explanation does not say the limit was learned: %s", b)
	}
	if resp, _ = ask(16384); resp.Header.Get("x-switchyard-deployment") != "gpt-4o-mini" {
		t.Errorf("a request within the learned limit went to %q", resp.Header.Get("x-switchyard-deployment"))
	}
}

// When every candidate's limit is below max_tokens, none declared, the
// first request is answered by the last candidate sent the request again
// at once with max_tokens lowered to the limit its refusal stated (the
// first failed over, as the last might have written it; both write at
// most 16384); the next is sent the learned limit at once by
// the route's first candidate (docs/routing.md#max_tokens-above-every-
// candidates-limit), named in x-switchyard-route either way.
func TestLearnedOutputLimitEveryCandidate(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(cfg *config.Config) {
		misfitRoute("gpt-4o-mini", "azure-gpt-4o-mini")(cfg)
		cfg.Deployments["azure-gpt-4o-mini"].MaxOutputTokens = 0
	})
	params := openai.ChatCompletionNewParams{Model: "misfit", MaxTokens: openai.Int(20000),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")}}
	var first *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&first)); err != nil {
		t.Fatalf("the first request: %v", err)
	}
	if route := first.Header.Get("x-switchyard-route"); first.Header.Get("x-switchyard-deployment") != "azure-gpt-4o-mini" ||
		!strings.Contains(route, "clamped=max_tokens:") || len(tp.requests()) != 3 {
		t.Errorf("the first request: served by %q in %d calls, x-switchyard-route %q", first.Header.Get("x-switchyard-deployment"), len(tp.requests()), route)
	}
	calls := len(tp.requests())
	var resp *http.Response
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp)); err != nil {
		t.Fatalf("the second request: %v", err)
	}
	if n := len(tp.requests()); n != calls+1 {
		t.Errorf("%d upstream calls, want 1", n-calls)
	}
	body := tp.lastBody(t, "/chat/completions")
	if sent := string(body["max_completion_tokens"]) + string(body["max_tokens"]); sent != "16384" {
		t.Errorf("sent max_tokens %s, want 16384", sent)
	}
	if route := resp.Header.Get("x-switchyard-route"); !strings.Contains(route, "clamped=max_tokens:16384") {
		t.Errorf("x-switchyard-route %q names no clamp", route)
	}
}
