package e2e

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/provider/providertest"
	"switchyard/sim"
)

// An upstream's overload reaches OpenAI clients alike whatever the
// upstream's kind, before the stream or in it: 503 (before),
// service_unavailable_error, code server_is_overloaded, as OpenAI's own
// 503 carries it — not Anthropic's null code before the stream and
// overloaded_error in it, nor Azure's ServiceUnavailable. A failure in a
// stream that is no overload keeps its server_error. Anthropic clients
// get Anthropic's overloaded_error, 529 before the stream.
func TestOverloadErrorsAlike(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		// Every failure here is the test's: the breakers stay closed.
		c.Resilience.Health.ConsecutiveFailures, c.Resilience.Health.MinRequests = 1000, 1000
	})
	none := option.WithHeader("x-switchyard-fallback", "none")
	ask := openai.ChatCompletionNewParams{Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write about rivers.")}}
	ac := anthropicClient(e, "demo-key", sdkoption.WithHeader("x-switchyard-fallback", "none"))
	for _, dep := range chatDeployments {
		model := strings.TrimPrefix(dep, "azure-") // the upstream's model
		ask.Model = dep
		t.Run("before the stream/"+dep, func(t *testing.T) {
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultOutage, Model: model})
			defer e.Sim.Faults.Clear(model)
			_, err := e.Client.Chat.Completions.New(ctxT(t), ask, none)
			wantOverload(t, "complete", err)
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), ask, none)
			for stream.Next() {
			}
			wantOverload(t, "streamed", stream.Err())
			_, err = ac.Messages.New(ctxT(t), userMessage(dep, "Write about rivers.", 64))
			var ae *sdk.Error
			if !errors.As(err, &ae) || ae.StatusCode != 529 || !strings.Contains(ae.RawJSON(), `"type":"overloaded_error"`) {
				t.Errorf("messages: %v, want Anthropic's 529 overloaded_error", err)
			}
		})
		t.Run("in the stream/"+dep, func(t *testing.T) {
			e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultErrorEvent, Model: model, After: 3})
			defer e.Sim.Faults.Clear(model)
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), ask, none)
			n := 0
			for stream.Next() {
				n++
			}
			err := stream.Err()
			overload := dep == "claude-haiku-4-5" // the others' simulators fail with a server error
			switch {
			case n == 0 || err == nil:
				t.Fatalf("%d chunks, then %v; want chunks, then an error", n, err)
			case overload && (!strings.Contains(err.Error(), `"code":"server_is_overloaded"`) || !strings.Contains(err.Error(), `"type":"service_unavailable_error"`)):
				t.Errorf("an overload in the stream: %v, want service_unavailable_error server_is_overloaded", err)
			case !overload && (strings.Contains(err.Error(), "server_is_overloaded") || !strings.Contains(err.Error(), `"type":"server_error"`)):
				t.Errorf("a server error in the stream: %v, want server_error", err)
			}
			if !overload {
				return
			}
			ms := ac.Messages.NewStreaming(ctxT(t), userMessage(dep, "Write about rivers.", 64))
			for ms.Next() {
			}
			if err := ms.Err(); err == nil || !strings.Contains(err.Error(), "overloaded_error") {
				t.Errorf("messages in the stream: %v, want Anthropic's overloaded_error", err)
			}
		})
	}
}

// wantOverload checks err is the router's 503 of an upstream overload.
func wantOverload(t *testing.T, what string, err error) {
	t.Helper()
	var oe *openai.Error
	if !errors.As(err, &oe) || oe.StatusCode != http.StatusServiceUnavailable || oe.Type != "service_unavailable_error" || oe.Code != "server_is_overloaded" {
		t.Errorf("%s: %v, want 503 service_unavailable_error server_is_overloaded", what, err)
	}
}

// An overload in the stream from each kind the simulators cannot make
// overloaded mid-answer: OpenAI's and Azure's error object (as OpenAI's
// Responses stream words it), Gemini's UNAVAILABLE event. Each reaches an
// OpenAI client as Anthropic's overloaded_error event does.
func TestOverloadInStreamEveryKind(t *testing.T) {
	t.Parallel()
	openAIOverload := `data: {"error":{"message":"Our servers are currently overloaded. Please try again later.","type":"service_unavailable_error","param":null,"code":"server_is_overloaded"}}` + "\n\n"
	formats := map[string]struct {
		f     providertest.Format
		event string
	}{
		"openai": {providertest.OpenAI, openAIOverload},
		"azure":  {providertest.OpenAI, strings.Replace(openAIOverload, "server_is_overloaded", "ServiceUnavailable", 1)},
		"gemini": {providertest.Gemini, providertest.Gemini.ErrorEvent},
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
		f := formats[kind]
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, f.f.Start+f.f.Text("Rivers ")+f.f.Text("run ")+f.event)
	}))
	t.Cleanup(up.Close)
	e := newEnv(t, func(c *config.Config) {
		for kind := range formats {
			url := up.URL + "/" + kind
			if kind != "gemini" {
				url += "/v1"
			}
			c.Providers["hostile-"+kind] = &config.Provider{Name: "hostile-" + kind, Kind: kind, BaseURL: url, APIKey: providertest.Secret}
			c.Deployments["hostile-"+kind] = &config.Deployment{Name: "hostile-" + kind, Provider: "hostile-" + kind, Model: "m"}
		}
	})
	for kind := range formats {
		stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{Model: "hostile-" + kind,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write about rivers.")}}, option.WithHeader("x-switchyard-fallback", "none"))
		n := 0
		for stream.Next() {
			n++
		}
		err := stream.Err()
		if n == 0 || err == nil || !strings.Contains(err.Error(), `"code":"server_is_overloaded"`) || !strings.Contains(err.Error(), `"type":"service_unavailable_error"`) {
			t.Errorf("%s: %d chunks, then %v; want chunks, then service_unavailable_error server_is_overloaded", kind, n, err)
		}
	}
}
