package e2e

import (
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// hostCostEnv is a router with one deployment, dep, of model on an
// OpenAI-compatible host the simulator plays at baseURL's path ("/v1":
// by the model's name; "/api/v1": OpenRouter), priced by price.
func hostCostEnv(t *testing.T, model, path string, price config.Price) *env {
	t.Helper()
	srv := httptest.NewServer(simopenai.New(sim.NewCatalog(sim.Profile{Model: model}), nil))
	t.Cleanup(srv.Close)
	return newEnv(t, func(c *config.Config) {
		c.Providers["host"] = &config.Provider{Name: "host", Kind: config.KindOpenAI, BaseURL: srv.URL + path, APIKey: "sk-sim"}
		c.Deployments["dep"] = &config.Deployment{Name: "dep", Provider: "host", Model: model, Price: price}
		c.Routes["host"] = &config.Route{Name: "host", Deployments: []string{"dep"}}
	})
}

// askHost asks route "host" for prompt, complete or streamed through
// openai-go, and returns the usage the client got and the served cost it
// was told (the header of a complete answer, usage.cost of a stream).
func askHost(t *testing.T, e *env, prompt string, stream bool) (openai.CompletionUsage, string) {
	t.Helper()
	params := openai.ChatCompletionNewParams{Model: "host", MaxTokens: openai.Int(60),
		Messages: []openai.ChatCompletionMessageParamUnion{openai.SystemMessage(prompt), openai.UserMessage("Summarize the text above.")}}
	if !stream {
		var hr *http.Response
		resp, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr))
		if err != nil {
			t.Fatal(err)
		}
		return resp.Usage, hr.Header.Get("x-switchyard-cost-usd")
	}
	params.StreamOptions.IncludeUsage = openai.Bool(true)
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var u openai.CompletionUsage
	for s.Next() {
		if c := s.Current(); c.Usage.TotalTokens > 0 {
			u = c.Usage
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return u, u.JSON.ExtraFields["cost"].Raw()
}

// lastRecord returns the newest record and forgets the others.
func lastRecord(t *testing.T, e *env) llm.Usage {
	t.Helper()
	recs := e.recorded(t, 1)
	r := recs[len(recs)-1]
	e.mu.Lock()
	e.records = e.records[:0]
	e.mu.Unlock()
	return r.Usage
}

// checkServedCost checks that the served cost the client was told and
// the record's cost are want.
func checkServedCost(t *testing.T, e *env, told string, want float64) {
	t.Helper()
	recs := e.recorded(t, 1)
	r := recs[len(recs)-1]
	usd, err := strconv.ParseFloat(told, 64)
	if err != nil || math.Abs(usd-want) > 1e-12 || math.Abs(r.CostUSD-want) > 1e-12 || math.Abs(r.ServedCostUSD-want) > 1e-12 {
		t.Errorf("cost told %q, record %v (served %v), want %v (usage %+v)", told, r.CostUSD, r.ServedCostUSD, want, r.Usage)
	}
}

// A DeepSeek deployment's cache hits, which DeepSeek reports as
// prompt_cache_hit_tokens (no prompt_tokens_details), are billed at the
// cache-hit price, complete and streamed: the client sees them as
// cached_tokens, and x-switchyard-cost-usd, usage.cost and the record are
// the arithmetic at DeepSeek's prices. Before, the hits were not read and
// the whole prompt was billed at the cache-miss price.
func TestDeepSeekCacheHitsBilled(t *testing.T) {
	t.Parallel()
	e := hostCostEnv(t, "deepseek-chat", "/v1", config.Price{Input: 0.28, CachedInput: 0.028, Output: 0.42})
	long := strings.Repeat("The quarterly report lists revenue, costs and the outlook for each region. ", 200)
	askHost(t, e, long, false) // writes the cache
	lastRecord(t, e)
	for _, stream := range []bool{false, true} {
		u, told := askHost(t, e, long, stream)
		hits := u.PromptTokensDetails.CachedTokens
		if hits < 1024 || hits > u.PromptTokens || u.CompletionTokens == 0 {
			t.Fatalf("%s: usage %+v: want DeepSeek's cache hits read", mode(stream), u)
		}
		want := llm.RoundUSD((float64(u.PromptTokens-hits)*0.28 + float64(hits)*0.028 + float64(u.CompletionTokens)*0.42) / 1e6)
		checkServedCost(t, e, told, want)
		if r := lastRecord(t, e); r.CachedPromptTokens != int(hits) {
			t.Errorf("%s: record's usage %+v, want %d cache hits", mode(stream), r, hits)
		}
	}
}

// An OpenRouter deployment's cost is what OpenRouter says it charged
// (usage.cost), complete and streamed, not its tokens at the configured
// price (here a stale one, four times too dear): x-switchyard-cost-usd,
// usage.cost and the record say OpenRouter's figure, and the record says
// where it came from. A model no price is known for is billed the stated
// cost too, not "unknown". Before, the configured price was billed, and
// the unpriced model's cost was unknown.
func TestOpenRouterReportedCostBilled(t *testing.T) {
	t.Parallel()
	t.Run("priced", func(t *testing.T) {
		checkOpenRouterCost(t, "openai/gpt-4o-mini", config.Price{Input: 0.60, Output: 2.40})
	})
	t.Run("no price", func(t *testing.T) { checkOpenRouterCost(t, "acme/new-model-2027", config.Price{}) })
}

// checkOpenRouterCost asks model on the simulated OpenRouter, its
// deployment priced by price, complete and streamed, and checks that the
// cost OpenRouter stated is billed.
func checkOpenRouterCost(t *testing.T, model string, price config.Price) {
	e := hostCostEnv(t, model, "/api/v1", price)
	if price == (config.Price{}) && !e.Router.Gateway.Target("dep").Deployment.PriceUnknown {
		t.Fatalf("%s has a price: the case does not test what it says", model)
	}
	for _, stream := range []bool{false, true} {
		u, told := askHost(t, e, "Tell me about the rivers of France.", stream)
		if u.PromptTokens == 0 || u.CompletionTokens == 0 {
			t.Fatalf("%s: usage %+v", mode(stream), u)
		}
		want := simopenai.OpenRouterCost(model, &llm.Usage{PromptTokens: int(u.PromptTokens),
			CachedPromptTokens: int(u.PromptTokensDetails.CachedTokens), CompletionTokens: int(u.CompletionTokens)})
		checkServedCost(t, e, told, want)
		if r := lastRecord(t, e); !r.CostReported || r.ReportedCostUSD != want {
			t.Errorf("%s: record's usage %+v: want the cost OpenRouter stated", mode(stream), r)
		}
	}
}
