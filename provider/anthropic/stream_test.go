package anthropic

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"switchyard/llm/llmtest"
	"testing"
	"time"

	"switchyard/llm"
	wire "switchyard/wire/anthropic"
)

// collected is what a client assembles from a stream.
type collected struct {
	chunks int
	role   llm.Role
	text   string
	calls  map[int]*llm.ToolCall
	finish llm.FinishReason
	usage  *llm.Usage
	err    error // the error that ended the stream (io.EOF when clean)
}

func drain(t *testing.T, s llm.Stream) collected {
	t.Helper()
	defer s.Close()
	c := collected{calls: map[int]*llm.ToolCall{}}
	for {
		ch, err := s.Next()
		if err != nil {
			c.err = err
			return c
		}
		c.chunks++
		if ch.Usage != nil {
			if len(ch.Choices) != 0 || c.usage != nil {
				t.Errorf("usage chunk with choices, or twice: %+v", ch)
			}
			c.usage = ch.Usage
		}
		for _, choice := range ch.Choices {
			if choice.Delta.Role != "" {
				c.role = choice.Delta.Role
			}
			c.text += choice.Delta.Content
			for _, tc := range choice.Delta.ToolCalls {
				call := c.calls[tc.Index]
				if call == nil {
					call = &llm.ToolCall{ID: tc.ID, Type: tc.Type, Name: tc.Name}
					c.calls[tc.Index] = call
				}
				call.Arguments += tc.Arguments
			}
			if choice.FinishReason != "" {
				c.finish = choice.FinishReason
			}
		}
	}
}

func TestStreamMatchesChat(t *testing.T) {
	f := newFixture(t, testKey)
	tool := llm.Tool{Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}}}`)}
	for _, prompt := range []string{"Tell me about the sea.", "Use get_weather for Paris."} {
		req := chatReq(prompt)
		req.Tools = []llm.Tool{tool}
		want, err := llmtest.Complete(context.Background(), f.c, req)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.c.Stream(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got := drain(t, s)
		wm := want.Choices[0].Message
		if got.err != io.EOF || got.role != llm.RoleAssistant || got.text != wm.Text() || got.finish != want.Choices[0].FinishReason {
			t.Errorf("%q: stream %+v, chat %+v", prompt, got, want.Choices[0])
		}
		if len(got.calls) != len(wm.ToolCalls()) {
			t.Fatalf("%q: %d streamed calls, %d in chat", prompt, len(got.calls), len(wm.ToolCalls()))
		}
		for i, call := range wm.ToolCalls() {
			if g := got.calls[i]; g.Name != call.Name || g.Arguments != call.Arguments || g.Type != "function" || !strings.HasPrefix(g.ID, "toolu_") {
				t.Errorf("call %d: streamed %+v, chat %+v", i, *g, call)
			}
		}
		if got.usage == nil || got.usage.PromptTokens != want.Usage.PromptTokens || got.usage.CompletionTokens != want.Usage.CompletionTokens {
			t.Errorf("%q: stream usage %+v, chat usage %+v", prompt, got.usage, want.Usage)
		}
	}
}

// TestStreamIsIncremental proves chunks reach the caller while the
// upstream is still writing: the server holds the rest of the stream until
// the client has seen the first text.
func TestStreamIsIncremental(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		ew := &wire.EventWriter{W: w, Flush: w.(http.Flusher).Flush}
		ew.MessageStart(&wire.MessagesResponse{ID: "msg_1", Model: "m", Usage: wire.Usage{InputTokens: 3, OutputTokens: 1}})
		ew.ContentBlockStart(0, wire.ContentBlock{Type: wire.BlockText})
		ew.TextDelta(0, "first")
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		ew.TextDelta(0, " second")
		ew.ContentBlockStop(0)
		ew.MessageDelta(wire.StopEndTurn, nil, nil, nil, wire.DeltaUsage{OutputTokens: 2}, nil)
		ew.MessageStop()
	})
	c := clientFor(t, srv.URL, testKey)
	s, err := c.Stream(context.Background(), chatReq("x"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var first *llm.Chunk
	within(t, 5*time.Second, "the first text chunk", func() {
		for first == nil || first.Choices[0].Delta.Content == "" {
			if first, err = s.Next(); err != nil {
				return
			}
		}
	})
	if err != nil || first.Choices[0].Delta.Content != "first" {
		t.Fatalf("first text chunk %+v, %v", first, err)
	}
	close(release)
	got := drain(t, s)
	if got.text != " second" || got.err != io.EOF || got.usage.TotalTokens != 5 {
		t.Errorf("rest %+v", got)
	}
}

// TestStreamIncrementalFromSim reads the first text of a simulated stream
// that then stalls for a minute: it can only arrive if chunks are passed on
// as they come.
func TestStreamIncrementalFromSim(t *testing.T) {
	f := newFixture(t, testKey)
	s, err := f.c.Stream(context.Background(), chatReq("Hi [[sim:stall=60s]]"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var chunks []*llm.Chunk
	within(t, 5*time.Second, "the first text chunk", func() {
		for {
			ch, err := s.Next()
			if err != nil {
				t.Error(err)
				return
			}
			chunks = append(chunks, ch)
			if len(ch.Choices) > 0 && ch.Choices[0].Delta.Content != "" {
				return
			}
		}
	})
	if len(chunks) != 2 || chunks[0].Choices[0].Delta.Role != llm.RoleAssistant || !strings.HasPrefix(chunks[0].ID, "msg_") {
		t.Errorf("chunks %+v", chunks)
	}
}

func TestStreamFailures(t *testing.T) {
	tests := []struct {
		prompt string
		kind   llm.ErrorKind
		msg    string
	}{
		{"Hi [[sim:cut]]", llm.KindUpstream, "upstream"},
		// One undecodable event is skipped; the stream then ends cut.
		{"Hi [[sim:malformed]]", llm.KindUpstream, "before message_stop"},
	}
	for _, tt := range tests {
		f := newFixture(t, testKey)
		s, err := f.c.Stream(context.Background(), chatReq(tt.prompt))
		if err != nil {
			t.Fatal(err)
		}
		got := drain(t, s)
		if got.err == io.EOF {
			t.Fatalf("%s: the stream ended cleanly", tt.prompt)
		}
		le := asError(t, got.err)
		if le.Kind != tt.kind || !le.Retryable || le.Provider != "claude-test" || !strings.Contains(le.Message, tt.msg) {
			t.Errorf("%s: %+v", tt.prompt, le)
		}
		if got.chunks == 0 {
			t.Errorf("%s: no chunk before the failure", tt.prompt)
		}
	}
}

func TestStreamErrorEvent(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		ew := &wire.EventWriter{W: w}
		ew.MessageStart(&wire.MessagesResponse{ID: "msg_1", Model: "m"})
		ew.Error(wire.OverloadedError, "Overloaded")
	})
	c := clientFor(t, srv.URL, testKey)
	s, err := c.Stream(context.Background(), chatReq("x"))
	if err != nil {
		t.Fatal(err)
	}
	got := drain(t, s)
	if le := asError(t, got.err); le.Kind != llm.KindUnavailable || !le.Retryable || le.Code != "overloaded_error" {
		t.Errorf("err %+v", le)
	}
}
