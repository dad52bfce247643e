package openai

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm/llmtest"
	"switchyard/provider"
)

// A skipped undecodable event is logged to the configured logger (the
// router's), not to the process-wide default.
func TestWarningsGoToTheConfiguredLogger(t *testing.T) {
	up := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: "data: {not json\n\n" +
		`data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}` + "\n\ndata: [DONE]\n\n"}
	srv := httptest.NewServer(up)
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	c := newClient(t, provider.Config{Name: "up", Kind: KindOpenAI, BaseURL: srv.URL, APIKey: testKey,
		Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	resp, err := llmtest.Complete(context.Background(), c, userRequest("m", "hi"))
	if err != nil || resp.Choices[0].Message.Text() != "hi" {
		t.Fatalf("resp %+v, err %v", resp, err)
	}
	if !strings.Contains(buf.String(), "skipped an undecodable upstream stream event") {
		t.Errorf("the configured logger got %q", buf.String())
	}
}
