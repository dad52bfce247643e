package openai_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/route"
)

// billingBackend is the fake backend whose streams, like the gateway's,
// know their served cost only when they are closed.
type billingBackend struct {
	*openaitest.Backend
	cost    float64
	unknown bool
}

func (b *billingBackend) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	s, err := b.Backend.Stream(ctx, req, ov, served)
	if err != nil {
		return nil, err
	}
	return &billedStream{Stream: s, bill: func() { served.CostUSD, served.CostUnknown = b.cost, b.unknown }}, nil
}

type billedStream struct {
	llm.Stream
	bill func()
}

func (s *billedStream) Close() error {
	s.bill()
	return s.Stream.Close()
}

func costServer(t *testing.T, b apiopenai.Backend) *httptest.Server {
	t.Helper()
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: b}).Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv
}

// A stream's served cost is unknown when its headers go out: it comes as
// an HTTP trailer, once the stream is billed.
func TestStreamCostTrailer(t *testing.T) {
	for _, tc := range []struct {
		b    *billingBackend
		want string
	}{
		{&billingBackend{Backend: &openaitest.Backend{}, cost: 0.0042}, "0.0042"},
		{&billingBackend{Backend: &openaitest.Backend{}, unknown: true}, "unknown"},
	} {
		srv := costServer(t, tc.b)
		resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json",
			strings.NewReader(`{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Header.Get(apiopenai.HeaderCost); got != "" {
			t.Errorf("cost header %q before the stream was billed", got)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !strings.Contains(string(body), "[DONE]") {
			t.Fatalf("body %q, %v", body, err)
		}
		if got := resp.Trailer.Get(apiopenai.HeaderCost); got != tc.want {
			t.Errorf("trailer %s = %q, want %q", apiopenai.HeaderCost, got, tc.want)
		}
	}
}

// The trailer does not bother the OpenAI SDK, which streams as usual.
// (Whether the SDK's raw response shows the trailer depends on whether the
// body's end arrived before the SDK closed it at [DONE]: docs/cost.md.)
func TestStreamCostTrailerWithSDK(t *testing.T) {
	srv := costServer(t, &billingBackend{Backend: &openaitest.Backend{}, cost: 0.0042})
	c := sdk.NewClient(option.WithBaseURL(srv.URL+"/v1/"), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	s := c.Chat.Completions.NewStreaming(context.Background(), sdk.ChatCompletionNewParams{
		Model: "m", Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("hi")},
	})
	var text strings.Builder
	for s.Next() {
		for _, ch := range s.Current().Choices {
			text.WriteString(ch.Delta.Content)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if text.String() != "hello" {
		t.Errorf("streamed %q", text.String())
	}
}

// A complete answer from a deployment without a known price says so in
// the header rather than "0".
func TestCostHeaderUnknown(t *testing.T) {
	b := &openaitest.Backend{Served: llm.Served{Deployment: "local", CostUnknown: true}}
	w := do(mux(b, 0), "POST", "/v1/chat/completions", chatBody, nil)
	if got := w.Header().Get(apiopenai.HeaderCost); w.Code != 200 || got != "unknown" {
		t.Errorf("status %d, cost header %q, want unknown", w.Code, got)
	}
}
