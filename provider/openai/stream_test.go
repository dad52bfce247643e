package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"switchyard/llm/llmtest"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	simopenai "switchyard/sim/openai"
)

func TestStream(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := simClient(t, k.kind, k.suffix)
			req := userRequest("gpt-sim", "Say hello")
			want, err := llmtest.Complete(context.Background(), c, req)
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.Stream(context.Background(), req) // IncludeUsage unset: usage comes anyway
			if err != nil {
				t.Fatal(err)
			}
			chunks, err := drain(s)
			if err != io.EOF {
				t.Fatalf("stream ended with %v, want io.EOF", err)
			}
			if got := streamText(chunks); got != want.Choices[0].Message.Text() {
				t.Errorf("streamed %q, want %q", got, want.Choices[0].Message.Text())
			}
			if chunks[0].Choices[0].Delta.Role != llm.RoleAssistant {
				t.Errorf("first chunk = %+v", chunks[0])
			}
			last := chunks[len(chunks)-1]
			if len(last.Choices) != 0 || last.Usage == nil || last.Usage.CompletionTokens == 0 {
				t.Errorf("last chunk = %+v, want the usage chunk", last)
			}
			fin := chunks[len(chunks)-2]
			if len(fin.Choices) != 1 || fin.Choices[0].FinishReason != llm.FinishStop {
				t.Errorf("finish chunk = %+v", fin)
			}
			for _, ch := range chunks {
				if ch.ID == "" {
					t.Errorf("chunk without id (Azure's filter preamble must be skipped): %+v", ch)
				}
			}
		})
	}
}

func TestStreamToolCalls(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	req := userRequest("gpt-sim", "Use get_weather for Oslo")
	req.Tools = []llm.Tool{weatherTool}
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF {
		t.Fatal(err)
	}
	var id, name, args string
	frags := 0
	var finish llm.FinishReason
	for _, ch := range chunks {
		for _, cc := range ch.Choices {
			if cc.FinishReason != "" {
				finish = cc.FinishReason
			}
			for _, d := range cc.Delta.ToolCalls {
				if d.ID != "" {
					id, name = d.ID, d.Name
				}
				if d.Arguments != "" {
					frags++
				}
				args += d.Arguments
			}
		}
	}
	if id == "" || name != "get_weather" || finish != llm.FinishToolCalls || frags < 2 || !json.Valid([]byte(args)) {
		t.Errorf("id %q name %q finish %q fragments %d args %q", id, name, finish, frags, args)
	}
}

// TestStreamIncremental proves chunks reach the caller while the upstream
// is still writing: the first chunk arrives before the handler is done.
func TestStreamIncremental(t *testing.T) {
	done := make(chan struct{})
	h := simopenai.New(catalog(), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/v1/chat/completions" {
			close(done)
		}
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, provider.Config{Name: "up", BaseURL: srv.URL + "/v1", APIKey: testKey})
	s, err := c.Stream(context.Background(), userRequest("gpt-sim-slow", "Tell me a story"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
		t.Fatal("the upstream had finished before the first chunk was delivered")
	default:
	}
	if _, err := drain(s); err != io.EOF {
		t.Fatal(err)
	}
	<-done
}

// choice is a chunk of choice i with finish reason finish ("" for none).
func choice(i int, finish string) string {
	f := "null"
	if finish != "" {
		f = `"` + finish + `"`
	}
	return fmt.Sprintf(`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":%d,"delta":{"content":"x"},"finish_reason":%s}]}`, i, f)
}

// TestStreamUpstreamEvents covers what the conformance suite does not:
// the OpenAI stream's own shapes (several choices, blank data, comments).
func TestStreamUpstreamEvents(t *testing.T) {
	chunk := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}`
	stop := "data: " + choice(0, "stop") + "\n\n"
	call := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]}`
	tests := []struct {
		name     string
		body     string
		chunks   int
		wantEOF  bool
		wantMsg  string
		wantKind llm.ErrorKind
	}{
		{"clean", "data: " + chunk + "\n\n" + stop + "data: [DONE]\n\n", 2, true, "", ""},
		{"comments and blank data", ": keep-alive\n\ndata: " + chunk + "\n\ndata:\n\n" + stop + "data: [DONE]\n\n", 2, true, "", ""},
		{"no trailing blank line", "data: " + chunk + "\n\n" + stop + "data: [DONE]\n", 2, true, "", ""},
		// [DONE] is the upstream's word that the stream is whole: a
		// choice it left without a finish_reason after tool calls gets
		// tool_calls inferred (NVIDIA NIM's GLM, earendil-works/pi#6226);
		// text left so, or nothing at all, is a cut stream, which must
		// resume or fail over.
		{"DONE after a call without its finish_reason", "data: " + call + "\n\ndata: [DONE]\n\n", 2, true, "", ""},
		{"DONE before the text's finish_reason", "data: " + chunk + "\n\ndata: [DONE]\n\n", 1, false, "[DONE] before the answer's finish_reason", llm.KindUpstream},
		{"DONE with no choice at all", "data: [DONE]\n\n", 0, false, "[DONE] before the answer's finish_reason", llm.KindUpstream},
		{"DONE after the role alone", "data: " + strings.Replace(chunk, `"content":"Hi"`, `"content":""`, 1) + "\n\ndata: [DONE]\n\n", 1, false, "[DONE] before the answer's finish_reason", llm.KindUpstream},
		{"DONE before the second choice's finish_reason", "data: " + choice(0, "stop") + "\n\ndata: " + choice(1, "") + "\n\ndata: [DONE]\n\n", 2, false, "[DONE] before the answer's finish_reason", llm.KindUpstream},
		{"a null string is no finish_reason", "data: " + choice(0, "null") + "\n\n", 1, false, "ended before a finish_reason", llm.KindUpstream},
		{"no DONE", "data: " + chunk + "\n\n", 1, false, "ended before a finish_reason", llm.KindUpstream},
		{"empty body", "", 0, false, "ended before a finish_reason", llm.KindUpstream},
		{"no DONE after every choice finished", "data: " + choice(0, "stop") + "\n\ndata: " + choice(1, "stop") + "\n\n", 2, true, "", ""},
		{"no DONE, a choice unfinished", "data: " + choice(0, "stop") + "\n\ndata: " + choice(1, "") + "\n\n", 2, false, "ended before a finish_reason", llm.KindUpstream},
		{"error payload", "data: " + chunk + "\n\ndata: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n", 1, false, "The server had an error", ""},
		{"error payload with key", "data: {\"error\":{\"message\":\"bad key " + testKey + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}\n\n", 0, false, "bad key", ""},
		// The key or the word spelled with a \u escape, valid JSON: still
		// the upstream's error, not an empty chunk passed over.
		{"error payload, key escaped", "data: " + chunk + "\n\ndata: {\"\\u0065rror\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n", 1, false, "The server had an error", ""},
		{"error payload, object escaped", "data: " + chunk + "\n\ndata: {\"object\":\"\\u0065rror\",\"message\":\"The server had an error\",\"code\":500}\n\n", 1, false, "The server had an error", ""},
		{"Google's error array, key escaped", "data: " + chunk + "\n\ndata: [{\"\\u0065rror\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}]\n\n", 1, false, "overloaded", llm.KindUnavailable},
		{"garbage skipped, then no DONE", "data: " + chunk + "\n\ndata: {\"id\":\"chatcmpl-1\",\"choi\n\n", 1, false, "ended before a finish_reason", llm.KindUpstream},
		{"cut mid event", "data: " + chunk + "\n\ndata: {\"id\"", 1, false, "", llm.KindUpstream},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: tt.body}
			c := serve(t, rec, KindOpenAI, "/v1", testKey)
			s, err := c.Stream(context.Background(), userRequest("m", "hi"))
			if err != nil {
				t.Fatal(err)
			}
			chunks, err := drain(s)
			if len(chunks) != tt.chunks {
				t.Errorf("got %d chunks, want %d", len(chunks), tt.chunks)
			}
			if tt.wantEOF {
				if err != io.EOF {
					t.Fatalf("error = %v, want io.EOF", err)
				}
				return
			}
			le := asLLM(t, err)
			if !strings.Contains(le.Message, tt.wantMsg) || (tt.wantKind != "" && le.Kind != tt.wantKind) {
				t.Errorf("error = %v (kind %s), want %q of kind %s", err, le.Kind, tt.wantMsg, tt.wantKind)
			}
			if le.Provider != "up" {
				t.Errorf("provider = %q", le.Provider)
			}
			if _, again := s.Next(); !errors.Is(again, err) {
				t.Errorf("Next after failure = %v, want the same error", again)
			}
		})
	}
}
