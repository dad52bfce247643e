package e2e

import (
	"errors"
	"io"
	"strings"
	"testing"

	goai "github.com/sashabaranov/go-openai"

	"switchyard/config"
	"switchyard/sim"
)

// goAlone puts every chat deployment of goKinds in a route of its own,
// so that asked by name it has nothing to fall back to and an upstream's
// failure reaches the client.
func goAlone(c *config.Config) {
	for _, k := range goKinds {
		c.Routes["alone-"+k.chat] = &config.Route{Name: "alone-" + k.chat, Deployments: []string{k.chat}}
	}
}

// TestGoOpenAIErrors: every failure reaches go-openai as an *APIError
// with its status, type (the router's, wire/openai ErrorType), code and
// param; one in the middle of a stream is an error from Recv, not an
// io.EOF.
func TestGoOpenAIErrors(t *testing.T) {
	t.Parallel()
	const key = "go-openai-key"
	e := newEnv(t, func(c *config.Config) {
		c.Auth.Keys = []config.Key{{Key: key}}
		c.Server.MaxBodyBytes = 64 << 10
		goAlone(c)
	})
	c := goClient(e.URL, key)
	t.Run("unknown model", func(t *testing.T) {
		goAPIError(t, goAsk1(t, c, "no-such-model", "hi"), 404, "invalid_request_error", "model_not_found", "model")
	})
	t.Run("bad key", func(t *testing.T) {
		err := goAsk1(t, goClient(e.URL, "wrong-key"), "gpt-4o-mini", "hi")
		if apiErr := goAPIError(t, err, 401, "invalid_request_error", "invalid_api_key", ""); strings.Contains(apiErr.Message, key) {
			t.Errorf("the message shows the key: %s", apiErr.Message)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		goAPIError(t, goAsk1(t, c, "gpt-4o-mini", strings.Repeat("x", 80<<10)), 413, "invalid_request_error", "", "")
	})
	goUpstreamFailures(t, e, c)
}

// goUpstreamFailures fails each kind's upstream in turn, in e whose
// deployments are alone in their routes (goAlone).
func goUpstreamFailures(t *testing.T, e *env, c *goai.Client) {
	// What each upstream's failure says: a 503 (Anthropic's 529) is the
	// router's 503 service_unavailable_error with OpenAI's overload code
	// (wire/openai.CodeOverloaded), whatever the upstream's own; an error
	// event in a stream keeps its kind (Anthropic's overload, with the
	// same code; the others' server error). A stream cut without its end
	// is the router's server_error. A refusal is no error: finish_reason
	// content_filter, no content. They run before the outage, which
	// opens the deployment's breaker.
	type failure struct{ outageCode, streamType, streamCode string }
	const overloaded = "server_is_overloaded"
	failures := map[string]failure{
		"gpt-4o-mini":       {outageCode: overloaded, streamType: "server_error"},
		"azure-gpt-4o-mini": {outageCode: overloaded, streamType: "server_error"},
		"claude-haiku-4-5":  {outageCode: overloaded, streamType: "service_unavailable_error", streamCode: overloaded},
		"gemini-2.5-flash":  {outageCode: overloaded, streamType: "server_error"},
	}
	for _, k := range goKinds {
		f := failures[k.chat]
		t.Run("mid-stream/"+k.chat, func(t *testing.T) {
			model := strings.TrimPrefix(k.chat, "azure-") // the upstream's model
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultErrorEvent, Model: model, After: 3})
			defer e.Sim.Faults.Clear(model)
			err := goRecvAll(t, c, k.chat)
			goAPIError(t, err, 0, f.streamType, f.streamCode, "")
		})
		t.Run("cut/"+k.chat, func(t *testing.T) {
			model := strings.TrimPrefix(k.chat, "azure-") // the upstream's model
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultCut, Model: model, After: 3})
			defer e.Sim.Faults.Clear(model)
			goAPIError(t, goRecvAll(t, c, k.chat), 0, "server_error", "", "")
		})
		t.Run("refusal/"+k.chat, func(t *testing.T) { goRefusal(t, e, c, k.chat) })
		t.Run("outage/"+k.chat, func(t *testing.T) {
			model := strings.TrimPrefix(k.chat, "azure-") // the upstream's model
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultOutage, Model: model})
			defer e.Sim.Faults.Clear(model)
			goAPIError(t, goAsk1(t, c, k.chat, "hi"), 503, "service_unavailable_error", f.outageCode, "")
			_, err := c.CreateChatCompletionStream(ctxT(t), goai.ChatCompletionRequest{Model: k.chat, Messages: goUser("hi"), Stream: true})
			goAPIError(t, err, 503, "service_unavailable_error", f.outageCode, "")
			// Soon the deployment's breaker opens: the router's own 503, code
			// no_candidate.
			for i := 0; ; i++ {
				err := goAsk1(t, c, k.chat, "hi")
				var apiErr *goai.APIError
				if errors.As(err, &apiErr) && apiErr.Code == "no_candidate" {
					goAPIError(t, err, 503, "service_unavailable_error", "no_candidate", "")
					break
				}
				goAPIError(t, err, 503, "service_unavailable_error", f.outageCode, "")
				if i == 10 {
					t.Fatal("the breaker did not open")
				}
			}
		})
	}
}

// goRefusal has dep's upstream refuse: finish_reason content_filter and
// no content, complete and streamed.
func goRefusal(t *testing.T, e *env, c *goai.Client, dep string) {
	model := strings.TrimPrefix(dep, "azure-") // the upstream's model
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultRefusal, Model: model})
	defer e.Sim.Faults.Clear(model)
	req := goai.ChatCompletionRequest{Model: dep, Messages: goUser("hi")}
	resp, err := c.CreateChatCompletion(ctxT(t), req)
	if err != nil || resp.Choices[0].FinishReason != goai.FinishReasonContentFilter || resp.Choices[0].Message.Content != "" {
		t.Fatalf("complete: %v %+v", err, resp.Choices)
	}
	req.Stream = true
	if s := goStream(t, c, req); s.finishes[0] != goai.FinishReasonContentFilter || s.content[0] != "" {
		t.Fatalf("streamed %q, finish %q", s.content[0], s.finishes[0])
	}
}

// goAsk1 asks model prompt, complete, and returns the error.
func goAsk1(t *testing.T, c *goai.Client, model, prompt string) error {
	_, err := c.CreateChatCompletion(ctxT(t), goai.ChatCompletionRequest{Model: model, Messages: goUser(prompt)})
	return err
}

// goRecvAll streams a chat from model and returns the error that ended
// it (nil for io.EOF), failing if it ended before a chunk.
func goRecvAll(t *testing.T, c *goai.Client, model string) error {
	t.Helper()
	stream, err := c.CreateChatCompletionStream(ctxT(t), goai.ChatCompletionRequest{Model: model, Messages: goUser("Write about rivers."), Stream: true})
	if err != nil {
		t.Fatalf("before the stream: %v", err)
	}
	defer stream.Close()
	for n := 0; ; n++ {
		_, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			t.Fatalf("io.EOF after %d chunks: the stream's failure went unseen", n)
		}
		if err != nil {
			if n == 0 {
				t.Fatalf("failed before a chunk: %v", err)
			}
			return err
		}
	}
}
