package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/server"
	wgemini "switchyard/wire/gemini"
)

// upstreamTap sits between the router and the simulated providers and
// keeps every answer's bytes as the upstream sent them, a cut stream's as
// far as it went: the provider's own usage reports, to bill a broken
// attempt against.
type upstreamTap struct {
	target string // host:port of the simulated providers
	mu     sync.Mutex
	bodies []*syncBuffer // one per upstream call, in order
}

// newUpstreamTapEnv is newEnv with every provider reached through an
// upstreamTap.
func newUpstreamTapEnv(t *testing.T, edit func(*config.Config)) (*env, *upstreamTap) {
	t.Helper()
	tp := &upstreamTap{}
	proxy := httptest.NewServer(http.HandlerFunc(tp.forward))
	t.Cleanup(proxy.Close)
	e := newEnvWith(t, func(c *config.Config) {
		for _, p := range c.Providers {
			u, err := url.Parse(p.BaseURL)
			if err != nil {
				t.Fatal(err)
			}
			tp.target, u.Host = u.Host, strings.TrimPrefix(proxy.URL, "http://")
			p.BaseURL = u.String()
		}
		if edit != nil {
			edit(c)
		}
	}, server.RouterOptions{})
	return e, tp
}

// forward proxies to the simulated providers, keeping the answer's bytes;
// a stream the simulator cuts is cut for the router too.
func (tp *upstreamTap) forward(w http.ResponseWriter, r *http.Request) {
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme, pr.Out.URL.Host = "http", tp.target
		},
		ModifyResponse: func(resp *http.Response) error {
			b := &syncBuffer{}
			tp.mu.Lock()
			tp.bodies = append(tp.bodies, b)
			tp.mu.Unlock()
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.TeeReader(resp.Body, b), resp.Body}
			return nil
		},
		FlushInterval: -1,
		ErrorLog:      log.New(io.Discard, "", 0),
	}
	rp.ServeHTTP(w, r)
}

// body returns the bytes of upstream call i.
func (tp *upstreamTap) body(t *testing.T, i int) []byte {
	t.Helper()
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if i >= len(tp.bodies) {
		t.Fatalf("%d upstream calls, want call %d", len(tp.bodies), i)
	}
	return tp.bodies[i].Bytes()
}

// sseEvents returns the whole events of an event stream (a cut one's
// last, torn, event left out): each event's name and data.
func sseEvents(body []byte) (names []string, data [][]byte) {
	body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")) // Gemini's framing
	for {
		end := bytes.Index(body, []byte("\n\n"))
		if end < 0 {
			return names, data
		}
		ev := body[:end]
		body = body[end+2:]
		name := ""
		var d []byte
		for _, line := range bytes.Split(ev, []byte("\n")) {
			line = bytes.TrimSuffix(line, []byte("\r"))
			if v, ok := bytes.CutPrefix(line, []byte("event: ")); ok {
				name = string(v)
			}
			if v, ok := bytes.CutPrefix(line, []byte("data: ")); ok {
				d = v
			}
		}
		if d != nil {
			names, data = append(names, name), append(data, d)
		}
	}
}

// anthropicCutUsage is what a cut Claude stream (body, as the upstream
// sent it) consumed by Anthropic's own report: message_start's input,
// cache reads and cache writes, the web searches and fetches whose result
// came; and the estimate of the output tokens, which Anthropic reports
// only at the end, from the text it sent.
func anthropicCutUsage(t *testing.T, body []byte) llm.Usage {
	t.Helper()
	var u llm.Usage
	var text strings.Builder
	started := false
	for _, d := range sseEventsData(body) {
		var ev struct {
			Type    string `json:"type"`
			Message struct {
				Usage struct {
					InputTokens int `json:"input_tokens"`
					CacheRead   int `json:"cache_read_input_tokens"`
					CacheWrite  int `json:"cache_creation_input_tokens"`
				} `json:"usage"`
			} `json:"message"`
			ContentBlock struct {
				Type    string          `json:"type"`
				Content json.RawMessage `json:"content"`
			} `json:"content_block"`
			Delta struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"delta"`
		}
		if err := json.Unmarshal(d, &ev); err != nil {
			t.Fatalf("upstream event %s: %v", d, err)
		}
		switch {
		case ev.Type == "message_start":
			mu := ev.Message.Usage
			u.PromptTokens = mu.InputTokens + mu.CacheRead + mu.CacheWrite
			u.CachedPromptTokens, u.CacheWriteTokens, started = mu.CacheRead, mu.CacheWrite, true
		case ev.Type == "content_block_start" && ev.ContentBlock.Type == "web_search_tool_result" && bytes.HasPrefix(ev.ContentBlock.Content, []byte("[")):
			u.WebSearchRequests++ // its result came whole with its start
		case ev.Type == "content_block_delta" && ev.Delta.Type == "text_delta":
			text.WriteString(ev.Delta.Text)
		case ev.Type == "message_delta" || ev.Type == "message_stop":
			t.Fatalf("the upstream's stream was not cut before its usage: %s", body)
		}
	}
	if !started {
		t.Fatalf("no message_start in %s", body)
	}
	if n := cost.SampleTokens(text.String(), text.Len()); n > 0 {
		u.CompletionTokens, u.Estimated = n, true
	}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return u
}

// sseEventsData is the data of sseEvents.
func sseEventsData(body []byte) [][]byte {
	_, data := sseEvents(body)
	return data
}

// geminiCutUsage is what a cut Gemini stream consumed by Google's own
// report: the last usageMetadata it sent (every fragment carries the
// counts so far, output included).
func geminiCutUsage(t *testing.T, body []byte) llm.Usage {
	t.Helper()
	var last *wgemini.UsageMetadata
	for _, d := range sseEventsData(body) {
		var frag wgemini.GenerateContentResponse
		if err := json.Unmarshal(d, &frag); err != nil {
			t.Fatalf("upstream fragment %s: %v", d, err)
		}
		for _, c := range frag.Candidates {
			if c.FinishReason != "" {
				t.Fatalf("the upstream's stream was not cut before its end: %s", body)
			}
		}
		if frag.UsageMetadata != nil {
			last = frag.UsageMetadata
		}
	}
	if last == nil {
		t.Fatalf("no usageMetadata in %s", body)
	}
	return llm.Usage{PromptTokens: last.PromptTokenCount, CachedPromptTokens: last.CachedContentTokenCount,
		CompletionTokens: last.CandidatesTokenCount + last.ThoughtsTokenCount, ReasoningTokens: last.ThoughtsTokenCount,
		TotalTokens: last.TotalTokenCount}
}
