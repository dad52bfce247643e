package gemini

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// readAll drains a stream reader: the chunks before the end and the error
// that ended it.
func readAll(r *StreamReader) ([]*llm.Chunk, error) {
	var out []*llm.Chunk
	for {
		c, err := r.Next()
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
}

func TestStreamFixtures(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		chunks, err := readAll(NewStreamReader(bytes.NewReader(fixture(t, "stream_text.sse")), "fallback"))
		if err != io.EOF {
			t.Fatalf("end = %v, want io.EOF", err)
		}
		if len(chunks) != 4 {
			t.Fatalf("%d chunks, want 3 deltas and a usage chunk", len(chunks))
		}
		var text strings.Builder
		for i, c := range chunks[:3] {
			if c.ID != "IZI2acSKMoWl0-kPmYj2yQc" || c.Model != "gemini-2.5-flash" {
				t.Errorf("chunk %d id %q model %q", i, c.ID, c.Model)
			}
			if (c.Choices[0].Delta.Role == llm.RoleAssistant) != (i == 0) {
				t.Errorf("chunk %d role %q", i, c.Choices[0].Delta.Role)
			}
			text.WriteString(c.Choices[0].Delta.Content)
		}
		if text.String() != "The capital of France is Paris." {
			t.Errorf("text = %q", text.String())
		}
		if chunks[2].Choices[0].FinishReason != llm.FinishStop {
			t.Errorf("finish = %q", chunks[2].Choices[0].FinishReason)
		}
		last := chunks[3]
		want := llm.Usage{PromptTokens: 4, CompletionTokens: 27, ReasoningTokens: 20, TotalTokens: 31}
		if len(last.Choices) != 0 || last.Usage == nil || *last.Usage != want {
			t.Errorf("usage chunk = %+v %+v, want %+v", last.Choices, last.Usage, want)
		}
	})
	t.Run("function call", func(t *testing.T) {
		chunks, err := readAll(NewStreamReader(bytes.NewReader(fixture(t, "stream_function_call.sse")), "m"))
		if err != io.EOF || len(chunks) != 2 {
			t.Fatalf("%d chunks, end %v", len(chunks), err)
		}
		ch := chunks[0].Choices[0]
		want := llm.ToolCallDelta{Index: 0, ID: generated, Type: "function", Name: "getWeather", Arguments: `{"location":"Tokyo"}`, Signature: "CikBcsjafFK168Ib"}
		if len(ch.Delta.ToolCalls) != 1 || !isGenerated(ch.Delta.ToolCalls[0].ID) {
			t.Fatalf("tool calls = %+v, want a generated id", ch.Delta.ToolCalls)
		}
		got := ch.Delta.ToolCalls[0]
		if got.ID = generated; got != want {
			t.Errorf("tool calls = %+v, want %+v", ch.Delta.ToolCalls, want)
		}
		if ch.FinishReason != llm.FinishToolCalls || ch.Delta.Role != llm.RoleAssistant {
			t.Errorf("finish %q role %q", ch.FinishReason, ch.Delta.Role)
		}
	})
}

func TestStreamEnds(t *testing.T) {
	const (
		part   = `data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}]}` + "\r\n\r\n"
		finish = `data: {"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5}}` + "\r\n\r\n"
	)
	tests := []struct {
		name   string
		body   string
		chunks int
		kind   llm.ErrorKind // "" means a clean io.EOF
	}{
		{"clean", part + finish, 3, ""},
		{"LF framing is fine too", strings.ReplaceAll(part+finish, "\r\n", "\n"), 3, ""},
		{"EOF before finishReason", part + part, 2, llm.KindUpstream},
		{"empty body", "", 0, llm.KindUpstream},
		{"cut mid-event", part + `data: {"candidates":[{"content":`, 1, llm.KindUpstream},
		{"malformed event", part + "data: {not json\r\n\r\n", 1, llm.KindUpstream},
		{"error event", part + `data: {"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}` + "\r\n\r\n", 1, llm.KindRateLimit},
		{"error event 503", `data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}` + "\r\n\r\n", 0, llm.KindUnavailable},
		{"blocked prompt ends cleanly", `data: {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}}` + "\r\n\r\n", 2, ""},
		{"thought-only fragments yield nothing", `data: {"candidates":[{"content":{"parts":[{"text":"hmm","thought":true}]},"index":0}]}` + "\r\n\r\n" + finish, 2, ""},
		{"comments and blank events are skipped", ": keep-alive\r\n\r\n" + part + finish, 3, ""},
		// The model failed to make a usable function call: no answer
		// at all, which another attempt may well give.
		{"malformed function call", `data: {"candidates":[{"content":{"role":"model"},"finishReason":"MALFORMED_FUNCTION_CALL","index":0}]}` + "\r\n\r\n", 0, llm.KindUpstream},
		{"unexpected tool call", part + `data: {"candidates":[{"finishReason":"UNEXPECTED_TOOL_CALL","index":0}]}` + "\r\n\r\n", 1, llm.KindUpstream},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks, err := readAll(NewStreamReader(strings.NewReader(tt.body), "m"))
			if len(chunks) != tt.chunks {
				t.Errorf("%d chunks, want %d", len(chunks), tt.chunks)
			}
			if tt.kind == "" {
				if err != io.EOF {
					t.Fatalf("end = %v, want io.EOF", err)
				}
				return
			}
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != tt.kind {
				t.Fatalf("end = %v, want %s", err, tt.kind)
			}
			if strings.HasSuffix(tt.name, " call") && (!le.Retryable || !strings.Contains(le.Message, "_CALL")) {
				t.Errorf("retryable %v, message %q; want a retryable error naming the finish reason", le.Retryable, le.Message)
			}
		})
	}
}

func TestStreamBlockedChunk(t *testing.T) {
	body := `data: {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"}}` + "\r\n\r\n"
	chunks, err := readAll(NewStreamReader(strings.NewReader(body), "m"))
	if err != io.EOF || len(chunks) != 1 {
		t.Fatalf("%d chunks, end %v", len(chunks), err)
	}
	if c := chunks[0].Choices[0]; c.FinishReason != llm.FinishContentFilter || c.Delta.Role != llm.RoleAssistant {
		t.Errorf("choice = %+v", c)
	}
}

func TestStreamMultipleCandidates(t *testing.T) {
	body := `data: {"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0},{"content":{"parts":[{"text":"b"}]},"index":1}]}` + "\r\n\r\n" +
		`data: {"candidates":[{"finishReason":"STOP","index":0}]}` + "\r\n\r\n"
	_, err := readAll(NewStreamReader(strings.NewReader(body), "m"))
	var le *llm.Error
	if !errors.As(err, &le) {
		t.Fatalf("candidate 1 never finished, yet end = %v", err)
	}
	body += `data: {"candidates":[{"finishReason":"MAX_TOKENS","index":1}]}` + "\r\n\r\n"
	chunks, err := readAll(NewStreamReader(strings.NewReader(body), "m"))
	if err != io.EOF || len(chunks) != 3 {
		t.Fatalf("%d chunks, end %v", len(chunks), err)
	}
	if c := chunks[2].Choices[0]; c.Index != 1 || c.FinishReason != llm.FinishLength {
		t.Errorf("last choice = %+v", c)
	}
}

func TestWriteEventFraming(t *testing.T) {
	var b bytes.Buffer
	if err := WriteEvent(&b, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "data: {\"a\":1}\r\n\r\n" {
		t.Errorf("framing = %q", got)
	}
}

// FuzzStreamTranslator reads arbitrary bytes as an SSE body: no panic, no
// hang, no candidate's text, call or finish after its finish, and every
// end is io.EOF or an *llm.Error.
func FuzzStreamTranslator(f *testing.F) {
	f.Add(fixture(f, "stream_text.sse"))
	f.Add(fixture(f, "stream_function_call.sse"))
	f.Add(fixture(f, "stream_logprobs.sse"))
	f.Add([]byte("data: {\"error\":{\"code\":500,\"message\":\"x\",\"status\":\"INTERNAL\"}}\r\n\r\n"))
	f.Add([]byte("data: {\"promptFeedback\":{\"blockReason\":\"OTHER\"}}\n\n"))
	f.Add([]byte("event: x\ndata: [DONE]\n\n"))
	f.Add([]byte("data: {\"candidates\":[{\"index\":-1,\"finishReason\":\"STOP\"}]}\r\n\r\ndata: {"))
	f.Add([]byte("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"finishReason\":\"STOP\"}]}\n\n" +
		"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\"}]}\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := NewStreamReader(bytes.NewReader(body), "m")
		deadline := time.Now().Add(5 * time.Second)
		finished := map[int]bool{}
		for i := 0; ; i++ {
			if time.Now().After(deadline) || i > len(body)+2 {
				t.Fatalf("no end after %d chunks", i)
			}
			c, err := r.Next()
			if err == nil {
				for _, ch := range c.Choices {
					if finished[ch.Index] && (ch.Delta.Content != "" || len(ch.Delta.ToolCalls) > 0 || ch.FinishReason != "") {
						t.Fatalf("candidate %d went on after its finish: %+v", ch.Index, ch)
					}
					finished[ch.Index] = finished[ch.Index] || ch.FinishReason != ""
				}
				continue
			}
			if err == io.EOF {
				return
			}
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("error %T %v is not an *llm.Error", err, err)
			}
			if _, again := r.Next(); again != err {
				t.Fatalf("error not sticky: %v then %v", err, again)
			}
			return
		}
	})
}

// Each fragment's usageMetadata (Gemini's counts so far, on every
// fragment) is on its chunk (llm.Chunk.UsageSoFar), to bill a stream cut
// before its end: the prompt, the candidates' and thoughts' tokens so far.
func TestStreamUsageSoFar(t *testing.T) {
	chunks, err := readAll(NewStreamReader(bytes.NewReader(fixture(t, "stream_text.sse")), "fallback"))
	if err != io.EOF || len(chunks) != 4 {
		t.Fatalf("%d chunks, end %v", len(chunks), err)
	}
	want := []llm.Usage{
		{PromptTokens: 4, CompletionTokens: 1, TotalTokens: 5},
		{PromptTokens: 4, CompletionTokens: 4, TotalTokens: 8},
		{PromptTokens: 4, CompletionTokens: 27, ReasoningTokens: 20, TotalTokens: 31},
	}
	for i, w := range want {
		if u := chunks[i].UsageSoFar; u == nil || *u != w {
			t.Errorf("chunk %d: so far %+v, want %+v", i, u, w)
		}
	}
}

// TestStreamEmptyAnswer: a candidate that ends STOP with neither text nor
// a call is Gemini's empty response, a retryable error; with stop
// sequences in the request it is a real empty answer (the first words
// stopped it), a clean stop.
func TestStreamEmptyAnswer(t *testing.T) {
	const empty = `{"candidates":[{"content":{"role":"model"},"finishReason":"STOP","index":0}]}`
	tr := NewStreamTranslator("m")
	_, err := tr.Translate([]byte(empty))
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindUpstream || !le.Retryable {
		t.Fatalf("empty STOP: err = %v, want a retryable upstream error", err)
	}
	tr = NewStreamTranslator("m")
	tr.StopSequences = true
	chunks, err := tr.Translate([]byte(empty))
	if err != nil || len(chunks) != 1 || chunks[0].Choices[0].FinishReason != llm.FinishStop {
		t.Fatalf("empty STOP with stop sequences: %v, %+v; want a stop", err, chunks)
	}
	if _, err := tr.End(); err != nil {
		t.Errorf("End: %v", err)
	}
}

// TestStreamAfterFinish: a candidate's finishReason ends it. A proxy that
// repeats the last fragment, or sends text after it, adds neither a second
// finish nor text after the finish to the answer; a later fragment's usage
// is still the usage.
func TestStreamAfterFinish(t *testing.T) {
	const finish = `data: {"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7}}` + "\r\n\r\n"
	body := `data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello"}]},"index":0}]}` + "\r\n\r\n" +
		finish + finish +
		`data: {"candidates":[{"content":{"role":"model","parts":[{"text":" again"},{"functionCall":{"name":"f","args":{}}}]},"index":0}]}` + "\r\n\r\n" +
		`data: {"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8}}` + "\r\n\r\n"
	chunks, err := readAll(NewStreamReader(strings.NewReader(body), "m"))
	if err != io.EOF {
		t.Fatalf("end = %v", err)
	}
	var text strings.Builder
	finishes, calls := 0, 0
	var usage *llm.Usage
	for _, c := range chunks {
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
			calls += len(ch.Delta.ToolCalls)
			if ch.FinishReason != "" {
				finishes++
			}
		}
		if c.Usage != nil {
			usage = c.Usage
		}
	}
	if text.String() != "Hello" || finishes != 1 || calls != 0 {
		t.Errorf("text %q, %d finishes, %d calls; want Hello, one finish, no call", text.String(), finishes, calls)
	}
	if usage == nil || usage.CompletionTokens != 3 {
		t.Errorf("usage %+v, want the last fragment's", usage)
	}
}
