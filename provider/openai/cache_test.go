package openai

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// A GPT-5.6-or-later model is sent the request's breakpoints and
// options; when the request asked for 12 hours its cache writes come
// back as 12-hour writes (CacheWrite1hTokens), which the usage does not
// tell apart; an older model is sent none, and its writes stay 30-minute
// ones.
func TestExplicitCachingSentAndLongWritesCounted(t *testing.T) {
	var body string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}`+"\n\n"+
			`data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3000,"completion_tokens":1,"total_tokens":3001,"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":2048}}}`+"\n\ndata: [DONE]\n\n")
	}))
	defer up.Close()
	c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: up.URL + "/v1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		model     string
		ttl       llm.CacheTTL
		sent      bool
		longWrite int
	}{
		{"gpt-5.6-sol", llm.Cache12h, true, 2048},
		{"gpt-5.6-sol", llm.Cache30m, true, 0},
		{"gpt-5.5", llm.Cache12h, false, 0},
	} {
		m := llm.TextMessage(llm.RoleUser, "hi")
		m.Content[0].SetCache(tt.ttl)
		s, err := c.Stream(context.Background(), &llm.Request{Model: tt.model, Messages: []llm.Message{m}, PromptCache: llm.CacheOptions{Mode: llm.CacheExplicit}})
		if err != nil {
			t.Fatal(err)
		}
		var a llm.Accumulator
		for {
			ch, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			a.Add(ch)
		}
		s.Close()
		want := `"prompt_cache_breakpoint":{"mode":"explicit","ttl":"` + string(tt.ttl) + `"}`
		if strings.Contains(body, want) != tt.sent || strings.Contains(body, `"prompt_cache_options":{"mode":"explicit"}`) != tt.sent {
			t.Errorf("%s %s: body %s", tt.model, tt.ttl, body)
		}
		if u := a.Response().Usage; u == nil || u.CacheWriteTokens != 2048 || u.CacheWrite1hTokens != tt.longWrite {
			t.Errorf("%s %s: usage %+v", tt.model, tt.ttl, u)
		}
	}
}
