package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/state"
	"switchyard/state/redis"
)

// costedUpstream is an OpenAI-wire upstream whose every answer uses 100
// completion tokens (and 9 prompt tokens), and whose embeddings use 5
// tokens.
func costedUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if strings.HasSuffix(r.URL.Path, "/embeddings") {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"object":"list","model":"e","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"usage":{"prompt_tokens":5,"total_tokens":5}}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte(`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Rivers flow."},"finish_reason":"stop"}]}` + "\n\n" +
			`data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":100,"total_tokens":109}}` + "\n\ndata: [DONE]\n\n"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// budgetConfig is one deployment at $10 per 1M output tokens (input is
// free): a request with max_tokens 100 is estimated at $0.001, and costs
// that. Tenant acme has $0.0155 a day: room for exactly 15 of them.
func budgetConfig(t *testing.T, up string, st config.State) *config.Config {
	t.Helper()
	cfg := &config.Config{
		Auth:      config.Auth{Keys: []config.Key{{Key: "sk-acme", Name: "app", Tenant: "acme"}}},
		Providers: map[string]*config.Provider{"up": {Name: "up", Kind: "openai", BaseURL: up + "/v1", APIKey: "k"}},
		Deployments: map[string]*config.Deployment{
			"m": {Name: "m", Provider: "up", Model: "m", Price: config.Price{Output: 10, Set: config.PriceInput}},
			"e": {Name: "e", Provider: "up", Model: "e", Price: config.Price{Input: 1, Set: config.PriceOutput}, Capabilities: []llm.Capability{llm.CapEmbeddings}},
		},
		Routes: map[string]*config.Route{"chat": {Name: "chat", Deployments: []string{"m"}}, "embed": {Name: "embed", Deployments: []string{"e"}}},
		Budgets: []config.Budget{
			{Name: "acme-daily", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitUSD: 0.0155},
			{Name: "embed-tokens", Scope: config.ScopeRoute, Match: "embed", Period: config.PeriodMonthly, LimitTokens: 1000},
		},
		State: st,
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func budgetRouter(t *testing.T, cfg *config.Config) *Router {
	t.Helper()
	r, err := NewRouter(cfg, RouterOptions{Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(context.Background()) })
	return r
}

var acmeHeaders = map[string]string{"Authorization": "Bearer sk-acme"}

// ask sends a chat (streamed or not) with max_tokens 100.
func ask(h http.Handler, stream bool) *httptest.ResponseRecorder {
	return do(h, "POST", "/v1/chat/completions", `{"model":"chat","max_tokens":100,"stream":`+strconv.FormatBool(stream)+
		`,"messages":[{"role":"user","content":"Tell me about rivers"}]}`, acmeHeaders)
}

// hammer sends chats from workers goroutines, spread over routers and
// alternately streamed, each until it is refused; it returns how many
// were answered.
func hammer(t *testing.T, workers int, routers ...*Router) int64 {
	t.Helper()
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for {
				w := ask(routers[i%len(routers)], i%2 == 1)
				if w.Code != http.StatusOK {
					if w.Code != http.StatusTooManyRequests {
						t.Errorf("status %d: %s", w.Code, w.Body)
					}
					return
				}
				if ok.Add(1) > 200 { // the limit admits 15: a budget that never refuses fails, not hangs
					t.Error("the budget never refused")
					return
				}
			}
		})
	}
	wg.Wait()
	return ok.Load()
}

// checkStopped checks that exactly 15 requests were admitted and the
// budget spent $0.015 and holds nothing, as b (on the routers' state)
// sees it.
func checkStopped(t *testing.T, b *budget.Budgets, admitted int64) {
	t.Helper()
	u, ok, err := b.Usage(context.Background(), "acme-daily", "")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if admitted != 15 || u.Spent != 15000 || u.Reserved != 0 {
		t.Errorf("%d admitted; usage %+v, want 15 and 15000 micro-USD spent, nothing held", admitted, u)
	}
}

// On one router, concurrent chats (complete and streamed) stop at the
// limit: exactly the requests whose estimates fit are answered, the
// budget is charged what they cost, and the next one gets a 429 in
// OpenAI's shape naming the budget, with Retry-After until midnight UTC
// and x-should-retry: false. Embeddings are charged too.
func TestRouterBudgetStopsAtTheLimit(t *testing.T) {
	up := costedUpstream(t)
	r := budgetRouter(t, budgetConfig(t, up.URL, config.State{}))
	admitted := hammer(t, 16, r)
	checkStopped(t, r.Gateway.Budgets(), admitted)
	w := ask(r, false) // now that nothing is in flight
	msg, typ, code := openAIError(t, w)
	if w.Code != http.StatusTooManyRequests || typ != "rate_limit_error" || code != budget.CodeBudgetExceeded ||
		!strings.Contains(msg, `Budget "acme-daily" (tenant acme, daily) is exhausted: limit $0.0155 per day, spent $0.015; this request needs an estimated $0.001.`) {
		t.Errorf("429: %s %v %q", typ, code, msg)
	}
	_, midnight := state.Day.Bounds(time.Now())
	secs, err := strconv.Atoi(w.Header().Get("Retry-After"))
	if want := int(time.Until(midnight).Seconds()); err != nil || secs < want-2 || secs > want+2 {
		t.Errorf("Retry-After %q, want about %d", w.Header().Get("Retry-After"), want)
	}
	if !strings.Contains(msg, "It resets at "+midnight.Format(time.RFC3339)+".") || w.Header().Get("x-should-retry") != "false" {
		t.Errorf("429 %q, x-should-retry %q", msg, w.Header().Get("x-should-retry"))
	}
	if got := counterValue(t, r.Registry, "switchyard_budget_rejections_total", map[string]string{"budget": "acme-daily"}); got < 1 {
		t.Errorf("rejections counted %v", got)
	}
	if got := counterValue(t, r.Registry, "switchyard_budget_charged_usd_total", map[string]string{"budget": "acme-daily"}); got < 0.01499 || got > 0.01501 {
		t.Errorf("charged counted %v USD", got)
	}
	if w := do(r, "POST", "/v1/embeddings", `{"model":"embed","input":"rivers"}`, acmeHeaders); w.Code != http.StatusOK {
		t.Fatalf("embeddings: %d %s", w.Code, w.Body)
	}
	if u, _, _ := r.Gateway.Budgets().Usage(context.Background(), "embed-tokens", ""); u.Spent != 5 || u.Reserved != 0 {
		t.Errorf("embeddings charged %+v, want 5 tokens", u)
	}
}

// Two routers sharing Redis share the budget: together they answer
// exactly the requests that fit.
func TestTwoRoutersShareABudgetInRedis(t *testing.T) {
	addr := testRedis(t)
	prefix := "switchyard-test:" + state.NewID() + ":"
	t.Cleanup(func() { dropKeys(t, addr, prefix) })
	up := costedUpstream(t)
	st := config.State{Driver: config.StateRedis, Addr: addr, Prefix: prefix}
	cfg := budgetConfig(t, up.URL, st)
	r1, r2 := budgetRouter(t, cfg), budgetRouter(t, budgetConfig(t, up.URL, st))
	admitted := hammer(t, 16, r1, r2)
	r1.Gateway.Budgets().Wait() // on Redis, requests settle off their path
	r2.Gateway.Budgets().Wait()
	rb, err := redis.New(redis.Options{Addr: addr, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	checkStopped(t, budget.New(cfg.Budgets, rb, budget.Options{}), admitted)
}

// When Redis does not answer, on_error decides: allow lets requests
// through unchecked and counts each failure; deny answers 503.
func TestBudgetsWhenRedisIsDown(t *testing.T) {
	up := costedUpstream(t)
	down := config.State{Driver: config.StateRedis, Addr: "127.0.0.1:1", OnError: config.OnErrorAllow}
	r := budgetRouter(t, budgetConfig(t, up.URL, down))
	if w := ask(r, false); w.Code != http.StatusOK {
		t.Fatalf("allow: %d %s", w.Code, w.Body)
	}
	if got := counterValue(t, r.Registry, "switchyard_state_unavailable_total", map[string]string{"op": "reserve"}); got != 1 {
		t.Errorf("unavailable reserves counted %v, want 1", got)
	}
	r.Gateway.Budgets().Wait()
	if got := counterValue(t, r.Registry, "switchyard_budget_charged_usd_total", map[string]string{"budget": "acme-daily"}); got != 0 {
		t.Errorf("an unchecked request counted as charged: %v USD", got)
	}
	down.OnError = config.OnErrorDeny
	r = budgetRouter(t, budgetConfig(t, up.URL, down))
	w := ask(r, true)
	if _, _, code := openAIError(t, w); w.Code != http.StatusServiceUnavailable || code != budget.CodeBudgetUnavailable {
		t.Errorf("deny: %d %s", w.Code, w.Body)
	}
}

// testRedis returns the test Redis's address ($SWITCHYARD_TEST_REDIS or
// 127.0.0.1:6379), failing the test if it does not answer.
func testRedis(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("SWITCHYARD_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis at %s does not answer (%v): this test needs a real Redis", addr, err)
	}
	return addr
}

func dropKeys(t *testing.T, addr, prefix string) {
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		c.Del(ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Error(err)
	}
}
