package openai_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

const streamBody = `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`
const streamUsageBody = `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`

// events splits an SSE body into its data payloads, checking the framing.
func events(t *testing.T, body string) []string {
	t.Helper()
	if !strings.HasSuffix(body, "\n\n") {
		t.Fatalf("stream does not end with a blank line: %q", body)
	}
	var out []string
	for _, ev := range strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n") {
		data, ok := strings.CutPrefix(ev, "data: ")
		if !ok || strings.Contains(data, "\n") {
			t.Fatalf("bad event %q", ev)
		}
		out = append(out, data)
	}
	return out
}

type chunkJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Choices []struct {
		Delta struct {
			Content string `json:"content"`
		} `json:"delta"`
		Finish *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		Prompt     int `json:"prompt_tokens"`
		Completion int `json:"completion_tokens"`
	} `json:"usage"`
}

func decodeChunk(t *testing.T, data string) chunkJSON {
	t.Helper()
	var c chunkJSON
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		t.Fatalf("bad chunk %s: %v", data, err)
	}
	if c.Object != "chat.completion.chunk" {
		t.Fatalf("chunk object = %q", c.Object)
	}
	return c
}

func usage(p, c int) *llm.Usage {
	return &llm.Usage{PromptTokens: p, CompletionTokens: c, TotalTokens: p + c}
}

func TestStream(t *testing.T) {
	stop := &llm.Chunk{ID: "chatcmpl-1", Model: "up-model", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}}
	usageOnly := &llm.Chunk{ID: "chatcmpl-1", Model: "up-model", Usage: usage(3, 2)}
	lastWithUsage := &llm.Chunk{ID: "chatcmpl-1", Model: "up-model", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}, Usage: usage(3, 2)}
	tests := []struct {
		name    string
		body    string
		chunks  []*llm.Chunk
		end     error
		content []string // content of each relayed chunk, in order
		usage   []bool   // whether each relayed chunk has usage
		done    bool     // ends with [DONE]
		errType string   // the type of a final error event
	}{
		{name: "relayed in order", body: streamBody,
			chunks: []*llm.Chunk{textChunk("Hel"), textChunk("lo"), textChunk("!"), stop}, end: io.EOF,
			content: []string{"Hel", "lo", "!", ""}, usage: []bool{false, false, false, false}, done: true},
		{name: "usage chunk dropped without include_usage", body: streamBody,
			chunks: []*llm.Chunk{textChunk("a"), stop, usageOnly}, end: io.EOF,
			content: []string{"a", ""}, usage: []bool{false, false}, done: true},
		{name: "usage stripped from a chunk with choices", body: streamBody,
			chunks: []*llm.Chunk{textChunk("a"), lastWithUsage}, end: io.EOF,
			content: []string{"a", ""}, usage: []bool{false, false}, done: true},
		{name: "usage chunk kept with include_usage", body: streamUsageBody,
			chunks: []*llm.Chunk{textChunk("a"), stop, usageOnly}, end: io.EOF,
			content: []string{"a", "", ""}, usage: []bool{false, false, true}, done: true},
		{name: "usage kept on a chunk with choices", body: streamUsageBody,
			chunks: []*llm.Chunk{textChunk("a"), lastWithUsage}, end: io.EOF,
			content: []string{"a", ""}, usage: []bool{false, true}, done: true},
		{name: "error after the first chunk", body: streamBody,
			chunks: []*llm.Chunk{textChunk("par"), textChunk("tial")}, end: &llm.Error{Kind: llm.KindUpstream, Message: "upstream cut the stream"},
			content: []string{"par", "tial"}, usage: []bool{false, false}, errType: "server_error"},
		{name: "rate limit error in the stream", body: streamBody,
			chunks: []*llm.Chunk{textChunk("x")}, end: llm.Errorf(llm.KindRateLimit, "quota"),
			content: []string{"x"}, usage: []bool{false}, errType: "rate_limit_error"},
		{name: "plain error in the stream", body: streamBody,
			chunks: []*llm.Chunk{textChunk("x")}, end: io.ErrUnexpectedEOF,
			content: []string{"x"}, usage: []bool{false}, errType: "server_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scripted(tt.chunks, tt.end)
			b := &fakeBackend{
				Served:     llm.Served{Deployment: "d", Summary: "tier=1"},
				StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return s, nil },
			}
			w := do(mux(b, 0), "POST", "/v1/chat/completions", tt.body, nil)
			if w.Code != 200 {
				t.Fatalf("status = %d: %s", w.Code, w.Body)
			}
			for k, want := range map[string]string{
				"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
				"X-Switchyard-Deployment": "d", "X-Switchyard-Route": "tier=1",
			} {
				if got := w.Header().Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if !w.Flushed {
				t.Error("the stream was never flushed")
			}
			if !s.Closed() {
				t.Error("the backend stream was not closed")
			}
			evs := events(t, w.Body.String())
			n := len(tt.content)
			if want := n + 1; len(evs) != want {
				t.Fatalf("%d events, want %d: %q", len(evs), want, evs)
			}
			for i := range n {
				c := decodeChunk(t, evs[i])
				content := ""
				if len(c.Choices) > 0 {
					content = c.Choices[0].Delta.Content
				}
				if content != tt.content[i] || (c.Usage != nil) != tt.usage[i] {
					t.Errorf("chunk %d = %s; want content %q, usage %v", i, evs[i], tt.content[i], tt.usage[i])
				}
			}
			last := evs[n]
			if tt.done {
				if last != "[DONE]" {
					t.Fatalf("last event = %s, want [DONE]", last)
				}
				return
			}
			if strings.Contains(w.Body.String(), "[DONE]") {
				t.Fatal("[DONE] after a failed stream")
			}
			var e struct{ Error *apiError }
			if err := json.Unmarshal([]byte(last), &e); err != nil || e.Error == nil || e.Error.Type != tt.errType {
				t.Fatalf("last event = %s, want an error of type %s", last, tt.errType)
			}
		})
	}
}

func TestStreamUsageChunkNotMutated(t *testing.T) {
	// Dropping usage for the client must not change the backend's chunk
	// (the gateway reads it for accounting).
	c := &llm.Chunk{ID: "x", Choices: []llm.ChunkChoice{{FinishReason: llm.FinishStop}}, Usage: usage(1, 1)}
	b := &fakeBackend{StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) {
		return scripted([]*llm.Chunk{c}, io.EOF), nil
	}}
	do(mux(b, 0), "POST", "/v1/chat/completions", streamBody, nil)
	if c.Usage == nil {
		t.Fatal("the handler cleared Usage on the backend's chunk")
	}
}

func TestStreamClientGoesAway(t *testing.T) {
	defer goleak.VerifyNone(t)
	// The stream yields one chunk, then blocks until its context ends or
	// it is closed.
	streams := make(chan *llmtest.Stream, 1)
	b := &fakeBackend{StreamFunc: func(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
		s := llmtest.NewStream(ctx, llmtest.Event{Chunk: textChunk("first")}, llmtest.Event{Gate: make(chan struct{})})
		streams <- s
		return s, nil
	}}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v1/chat/completions", strings.NewReader(streamBody))
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	// The first chunk arrives at once: it was flushed, not buffered.
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.Contains(line, `"first"`) {
		t.Fatalf("first line %q, %v", line, err)
	}
	cancel()
	resp.Body.Close()
	select {
	case <-(<-streams).Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the backend stream was not closed after the client left")
	}
}
