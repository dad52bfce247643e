package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
)

// azureHostedEdit adds an Azure OpenAI provider on its v1 API (the
// demo's Azure simulator under /openai/v1), GPT-4o mini on it (api auto:
// Chat Completions by its model, the Responses API for hosted tools),
// and the routes "azure-search" (an Azure deployment on its deployment
// routes first, which serve no hosted tool, then it) and
// "azure-only".
func azureHostedEdit(c *config.Config) {
	c.Providers["azure-v1"] = &config.Provider{Name: "azure-v1", Kind: config.KindAzure, BaseURL: c.Providers["azure"].BaseURL + "/openai/v1", APIKey: "sim-key"}
	c.Deployments["azure-v1-mini"] = &config.Deployment{Name: "azure-v1-mini", Provider: "azure-v1", Model: "gpt-4o-mini",
		Price: config.Price{Input: 0.15, Output: 0.60, CachedInput: 0.075}, Capabilities: []llm.Capability{llm.CapTools, llm.CapStreaming}}
	c.Routes["azure-search"] = &config.Route{Name: "azure-search", Deployments: []string{"azure-gpt-4o-mini", "azure-v1-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	c.Routes["azure-only"] = &config.Route{Name: "azure-only", Deployments: []string{"azure-v1-mini"}}
}

// A web search is served by an Azure OpenAI deployment on the v1 API
// (Azure serves web search on its Responses API): sent to
// /openai/v1/responses with the tool as the client wrote it, the search
// call and the cited answer back complete and streamed. A hosted tool
// Azure does not serve (the computer tool) is not sent there: a route of
// Azure alone answers 400 at the tool, naming it.
func TestResponsesHostedAzure(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, azureHostedEdit)
	var hr *http.Response
	resp, err := e.Client.Responses.New(ctxT(t), webSearchParams("azure-search", "What is the weather in Paris today?"), option.WithResponseInto(&hr))
	if err != nil {
		var ae *openai.Error
		errors.As(err, &ae)
		t.Fatalf("%v %s", err, ae.RawJSON())
	}
	if d := hr.Header.Get("x-switchyard-deployment"); d != "azure-v1-mini" {
		t.Errorf("served by %q", d)
	}
	checkWebSearch(t, "complete", resp.Output)
	reqs := tp.requests()
	if last := reqs[len(reqs)-1].path; last != "/azure/openai/v1/responses" {
		t.Errorf("sent to %s", last)
	}
	if body := tp.lastBody(t, "/openai/v1/responses"); string(body["tools"]) != `[{"type":"web_search"}]` || string(body["model"]) != `"gpt-4o-mini"` {
		t.Errorf("sent tools %s model %s", body["tools"], body["model"])
	}

	stream := e.Client.Responses.NewStreaming(ctxT(t), webSearchParams("azure-search", "What is the weather in Paris today?"))
	var final responses.Response
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.completed" {
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	checkWebSearch(t, "streamed", final.Output)

	computer := `{"model":"azure-only","input":"Open the settings page.","tools":[{"type":"computer"}]}`
	res, body := post(t, e.URL+"/v1/responses", "demo-key", []byte(computer))
	if res.StatusCode != 400 || !strings.Contains(string(body), `"param":"tools[0].type"`) ||
		!strings.Contains(string(body), "azure-v1-mini does not serve the hosted tools computer the request asks for (Azure OpenAI deployments on the v1 Responses API serve") {
		t.Errorf("computer tool on azure-only: %d %s", res.StatusCode, body)
	}
	if _, err = e.Client.Responses.New(ctxT(t), webSearchParams("azure-only", "What is the weather in Paris today?")); err != nil {
		t.Errorf("web search on azure-only: %v", err)
	}
}
