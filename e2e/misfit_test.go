package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
)

// misfitRoute adds route "misfit" over deps in order, the first with no
// known output limit (MaxOutputTokens 0, as a new or self-hosted model's
// is): the router cannot know a request asks it for more than it takes.
func misfitRoute(deps ...string) func(*config.Config) {
	return func(cfg *config.Config) {
		cfg.Deployments[deps[0]].MaxOutputTokens = 0
		cfg.Routes["misfit"] = &config.Route{Name: "misfit", Deployments: deps,
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
	}
}

// A deployment that refuses what the request asks of its model (here more
// output tokens than it allows, in its provider's own 400) is passed over
// for the route's next candidate, complete and streamed, and
// x-switchyard-route and the request log say which refused and why. (A
// router each: the refusal's limit is learned, and a second request would
// skip the first deployment: learned_limit_test.go.)
func TestModelRefusalFailsOverOpenAISDK(t *testing.T) {
	t.Parallel()
	params := openai.ChatCompletionNewParams{Model: "misfit", MaxTokens: openai.Int(20000),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")}}
	for _, stream := range []bool{false, true} {
		e := newEnv(t, misfitRoute("gpt-4o-mini", "claude-haiku-4-5"))
		var resp *http.Response
		text := ""
		if stream {
			s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&resp))
			for s.Next() {
				if c := s.Current(); len(c.Choices) > 0 {
					text += c.Choices[0].Delta.Content
				}
			}
			if err := s.Err(); err != nil {
				t.Fatalf("stream: %v", err)
			}
		} else {
			c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
			if err != nil {
				t.Fatalf("complete: %v", err)
			}
			text = c.Choices[0].Message.Content
		}
		checkMisfitServed(t, e, resp, text, "gpt-4o-mini", "claude-haiku-4-5")
	}
}

// The same through the Anthropic SDK: Claude's "max_tokens: N > M, which
// is the maximum allowed number of output tokens" passes the request on
// to Gemini.
func TestModelRefusalFailsOverAnthropicSDK(t *testing.T) {
	t.Parallel()
	params := userMessage("misfit", "What is the capital of France?", 65000)
	for _, stream := range []bool{false, true} {
		e := newEnv(t, misfitRoute("claude-haiku-4-5", "gemini-2.5-pro"))
		c := anthropicClient(e, "demo-key")
		var resp *http.Response
		text := ""
		if stream {
			s := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
			for s.Next() {
				if ev, ok := s.Current().AsAny().(sdk.ContentBlockDeltaEvent); ok {
					text += ev.Delta.Text
				}
			}
			if err := s.Err(); err != nil {
				t.Fatalf("stream: %v", err)
			}
		} else {
			// A timeout of its own: the SDK asks a stream of a request for
			// this many tokens otherwise.
			msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp), sdkoption.WithRequestTimeout(20*time.Second))
			if err != nil {
				t.Fatalf("complete: %v", err)
			}
			for _, b := range msg.Content {
				text += b.Text
			}
		}
		checkMisfitServed(t, e, resp, text, "claude-haiku-4-5", "gemini-2.5-pro")
	}
}

func checkMisfitServed(t *testing.T, e *env, resp *http.Response, text, refused, served string) {
	t.Helper()
	if resp == nil {
		t.Fatal("no response")
	}
	if text == "" || resp.Header.Get("x-switchyard-deployment") != served {
		t.Errorf("served by %q: %q", resp.Header.Get("x-switchyard-deployment"), text)
	}
	route := resp.Header.Get("x-switchyard-route")
	if !strings.Contains(route, "declined="+refused+"(model_unsupported)") {
		t.Errorf("x-switchyard-route %q does not name the refusal", route)
	}
	rec := recordOf(t, e, resp.Header.Get("x-switchyard-request-id"))
	if len(rec.Trail) != 2 || rec.Trail[0].Deployment != refused || rec.Trail[0].ErrorCode != llm.CodeModelUnsupported || rec.Trail[1].Outcome != "ok" {
		t.Errorf("trail %+v", rec.Trail)
	}
}

// When every candidate refuses, the caller gets the refusal in its API's
// error shape, with its status: a 400 naming the field, before any byte
// of a stream. (A router each, as the refusals' limits are learned; the
// route's max_tokens is refuse, or the last candidate would be sent the
// request again with the limit its refusal stated: learned_limit_test.go.)
func TestModelRefusalByEveryCandidate(t *testing.T) {
	t.Parallel()
	newRouter := func() *env {
		return newEnv(t, func(cfg *config.Config) {
			misfitRoute("gpt-4o-mini", "azure-gpt-4o-mini")(cfg)
			cfg.Deployments["azure-gpt-4o-mini"].MaxOutputTokens = 0
			cfg.Routes["misfit"].MaxTokens = config.MaxTokensRefuse
		})
	}
	params := openai.ChatCompletionNewParams{Model: "misfit", MaxTokens: openai.Int(20000),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")}}
	check := func(err error) {
		t.Helper()
		var oe *openai.Error
		if !errors.As(err, &oe) || oe.StatusCode != 400 || oe.Code != llm.CodeModelUnsupported || !strings.HasPrefix(oe.Param, "max_") ||
			!strings.Contains(oe.Message, "2 refused") || !strings.Contains(oe.Message, "This model supports at most 16384") {
			t.Errorf("want a 400 model_unsupported, got %v", err)
			return
		}
		if route := oe.Response.Header.Get("x-switchyard-route"); !strings.Contains(route, "declined=gpt-4o-mini(model_unsupported),azure-gpt-4o-mini(model_unsupported)") {
			t.Errorf("x-switchyard-route %q", route)
		}
	}
	_, err := newRouter().Client.Chat.Completions.New(ctxT(t), params)
	check(err)
	s := newRouter().Client.Chat.Completions.NewStreaming(ctxT(t), params)
	for s.Next() {
		t.Fatal("a chunk of a refused stream")
	}
	check(s.Err())
}

// A caller's own mistake (a tool result with no call before it) still
// stops at the first deployment: no other would take it, none is tried.
func TestCallerMistakeIsNotFailedOver(t *testing.T) {
	t.Parallel()
	e := newEnv(t, misfitRoute("gpt-4o-mini", "azure-gpt-4o-mini"))
	var resp *http.Response
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "misfit",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi"), openai.ToolMessage("42", "call_1")}},
		option.WithResponseInto(&resp))
	var oe *openai.Error
	if !errors.As(err, &oe) || oe.StatusCode != 400 || oe.Code == llm.CodeModelUnsupported {
		t.Fatalf("want the upstream's 400, got %v", err)
	}
	rec := recordOf(t, e, oe.Response.Header.Get("x-switchyard-request-id"))
	if len(rec.Trail) != 1 {
		t.Errorf("a caller's mistake was tried on %d deployments: %+v", len(rec.Trail), rec.Trail)
	}
}
