package e2e

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// A Chat client that keeps a tool call's extra_content as the router
// wrote it (a raw-JSON client: Python dicts, the npm SDK's objects) sends
// back, beside Google's signature, the router's mark of the model that
// made it: the conversation moved to another Gemini 3 model sends that
// model the skip value in its place, as for the router's own signatures,
// and the model that made it gets it.
func TestGoogleCompatClientSignatureBound(t *testing.T) {
	t.Parallel()
	tp := &tap{}
	srv := httptest.NewServer(tp.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "gemini-3-flash-preview", Reasoning: true},
		sim.Profile{Model: "gemini-3-pro-preview", Reasoning: true}), nil)))
	t.Cleanup(srv.Close)
	e := newEnv(t, func(c *config.Config) {
		c.Providers["google"] = &config.Provider{Name: "google", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1beta/openai", APIKey: "sk-sim"}
		for _, m := range []string{"gemini-3-flash-preview", "gemini-3-pro-preview"} {
			c.Deployments[m] = &config.Deployment{Name: m, Provider: "google", Model: m}
		}
	})
	params := openai.ChatCompletionNewParams{Model: "gemini-3-flash-preview", Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather for Alta")}}
	first, sig := askCompat(t, e, params, false)
	calls := first.Choices[0].Message.ToolCalls
	if len(calls) != 1 || sig == "" {
		t.Fatalf("first turn: calls %+v, signature %q", calls, sig)
	}
	raw := calls[0].AsFunction().JSON.ExtraFields["extra_content"].Raw()
	if !strings.Contains(raw, `"signature_model":"gemini-3-flash-preview"`) {
		t.Errorf("extra_content %s: no mark of the model", raw)
	}
	asst := first.Choices[0].Message.ToAssistantMessageParam()
	asst.ToolCalls[0].OfFunction.SetExtraFields(map[string]any{"extra_content": json.RawMessage(raw)})
	params.Messages = append(params.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &asst}, openai.ToolMessage(`{"temp_c": 4}`, calls[0].ID))
	for model, want := range map[string]string{"gemini-3-pro-preview": llm.SkipThoughtSignature, "gemini-3-flash-preview": sig} {
		params.Model = openai.ChatModel(model)
		if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if got := upstreamSignatures(t, tp, "/v1beta/openai/chat/completions"); len(got) != 1 || got[0] != want {
			t.Errorf("%s was sent signatures %q, want %q", model, got, want)
		}
	}
	if b := tp.lastBody(t, "/v1beta/openai/chat/completions"); strings.Contains(string(b["messages"]), "switchyard") {
		t.Errorf("Google was sent the router's mark: %s", b["messages"])
	}
}
