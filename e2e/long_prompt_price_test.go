package e2e

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/llm"
)

// withLongPromptBand gives the demo's claude-haiku-4-5 ($1 / $5, cached
// reads $0.10, cache writes $1.25) a configured long-prompt band above
// 20 prompt tokens: $5 in, $25 out, the rest derived ($0.50 cached,
// $6.25 cache writes).
func withLongPromptBand(cfg *config.Config) {
	cfg.Deployments["claude-haiku-4-5"].Price.LongPrompt = &config.PriceBand{AboveTokens: 20, Input: 5, Output: 25,
		Set: config.PriceInput | config.PriceOutput}
}

// bandedHaikuUSD is what usage u costs on that deployment, by hand: every
// token at the band's prices when the prompt exceeds 20 tokens.
func bandedHaikuUSD(u llm.Usage) float64 {
	in, out, cached, write := 1.0, 5.0, 0.10, 1.25
	if u.PromptTokens > 20 {
		in, out, cached, write = 5, 25, 0.50, 6.25
	}
	uncached := u.PromptTokens - u.CachedPromptTokens - u.CacheWriteTokens
	return (float64(uncached)*in + float64(u.CachedPromptTokens)*cached + float64(u.CacheWriteTokens)*write + float64(u.CompletionTokens)*out) / 1e6
}

const longPrompt = "Summarize the following notes for the weekly report: the migration finished on Tuesday, " +
	"two services still read the old table, the on-call rotation changes next month, and the budget review moved to Friday."

// A prompt over the deployment's configured band is priced at the band
// on every token, a short one at the standard prices:
// x-switchyard-cost-usd (the header of a complete answer, the trailer of
// a stream) and usage.cost through openai-go, the header through
// anthropic-sdk-go, and the record all say the same, checked against the
// arithmetic on the usage the upstream reported.
func TestLongPromptBandThroughTheRouter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withLongPromptBand)
	check := func(name, got string, wantLong bool) {
		t.Helper()
		recs := e.recorded(t, 1)
		r := recs[len(recs)-1]
		e.mu.Lock()
		e.records = e.records[:0]
		e.mu.Unlock()
		if long := r.Usage.PromptTokens > 20; long != wantLong || r.Usage.CompletionTokens == 0 {
			t.Fatalf("%s: %d prompt tokens, %d completion: the fixture does not test what it says", name, r.Usage.PromptTokens, r.Usage.CompletionTokens)
		}
		want := bandedHaikuUSD(r.Usage)
		usd, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Abs(usd-want) > 1e-12 || math.Abs(r.CostUSD-want) > 1e-12 || r.Deployment != "claude-haiku-4-5" {
			t.Errorf("%s: cost %q, record %v on %s, want %v (usage %+v)", name, got, r.CostUSD, r.Deployment, want, r.Usage)
		}
	}
	for _, tc := range []struct {
		prompt string
		long   bool
	}{{"Hi", false}, {longPrompt, true}} {
		params := openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", MaxTokens: openai.Int(60),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(tc.prompt)}}
		var hr *http.Response
		if _, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&hr)); err != nil {
			t.Fatal(err)
		}
		check("openai-go complete", hr.Header.Get("x-switchyard-cost-usd"), tc.long)

		params.StreamOptions.IncludeUsage = openai.Bool(true)
		s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
		var cost string
		for s.Next() {
			if u := s.Current().Usage; u.TotalTokens > 0 {
				cost = u.JSON.ExtraFields["cost"].Raw()
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
		check("openai-go streamed usage.cost", cost, tc.long)

		check("raw stream trailer", streamTrailerCost(t, e, tc.prompt), tc.long)

		c := anthropicClient(e, "demo-key")
		msg, err := c.Messages.New(ctxT(t), userMessage("claude-haiku-4-5", tc.prompt, 60), sdkoption.WithResponseInto(&hr))
		if err != nil || msg.Usage.OutputTokens == 0 {
			t.Fatal(err)
		}
		check("anthropic-sdk-go complete", hr.Header.Get("x-switchyard-cost-usd"), tc.long)
	}
}

// streamTrailerCost streams a chat of prompt to the end over plain HTTP
// and returns the x-switchyard-cost-usd trailer.
func streamTrailerCost(t *testing.T, e *env, prompt string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"model": "claude-haiku-4-5", "stream": true, "max_tokens": 60,
		"messages": []map[string]string{{"role": "user", "content": prompt}}})
	req, _ := http.NewRequestWithContext(ctxT(t), "POST", e.URL+"/v1/chat/completions", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer demo-key")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, err := io.ReadAll(resp.Body); err != nil || !strings.Contains(string(b), "[DONE]") {
		t.Fatalf("stream %q, %v", b, err)
	}
	return resp.Trailer.Get("x-switchyard-cost-usd")
}
