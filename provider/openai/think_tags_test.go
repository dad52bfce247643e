package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// tagStream returns a host's stream of model whose content is pieces, one
// chunk each (as vLLM without a reasoning parser writes a reasoning
// model's answer), then its finish, usage and [DONE].
func tagStream(model string, pieces ...string) string {
	head := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"` + model + `","choices":[{"index":0,"delta":`
	var b strings.Builder
	b.WriteString("data: " + head + `{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}` + "\n\n")
	for _, p := range pieces {
		q, _ := json.Marshal(p)
		fmt.Fprintf(&b, "data: %s{\"content\":%s},\"logprobs\":null,\"finish_reason\":null}]}\n\n", head, q)
	}
	b.WriteString("data: " + head + `{},"logprobs":null,"finish_reason":"stop"}]}` + "\n\n")
	b.WriteString(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"` + model + `","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":30,"total_tokens":39}}` + "\n\n")
	b.WriteString("data: [DONE]\n\n")
	return b.String()
}

// tagsClient is a client of a host that answers every chat request with
// body, handing each request body to bodies.
func tagsClient(t *testing.T, body string) (*Client, <-chan []byte) {
	t.Helper()
	bodies := make(chan []byte, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- b
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(provider.Config{Name: "vllm", Kind: KindOpenAI, BaseURL: srv.URL, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	return c, bodies
}

// splitAnswer streams req and returns its thinking, its text, and its
// usage's completion tokens.
func splitAnswer(t *testing.T, c *Client, req *llm.Request) (thinking, text string, completion int) {
	t.Helper()
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF {
		t.Fatal(err)
	}
	var th strings.Builder
	for _, ch := range chunks {
		if ch.Usage != nil {
			completion = ch.Usage.CompletionTokens
		}
		for _, cc := range ch.Choices {
			if cc.Delta.Thinking != nil {
				th.WriteString(cc.Delta.Thinking.Text)
			}
			if cc.Delta.Content == "" && cc.Delta.Thinking == nil && cc.Delta.Role == "" && cc.FinishReason == "" {
				t.Errorf("an empty chunk: %+v", cc)
			}
		}
	}
	return th.String(), streamText(chunks), completion
}

// TestThinkTagsStream: the <think> block that opens a reasoning model's
// content, its tags cut at any byte, is the answer's thinking, shown to a
// client that shows reasoning and dropped for the others, usage as the
// host counted it; a model not known to write tags, or think_tags off,
// keeps the content as it came; think_tags on takes an answer that lost
// its opening tag as reasoning up to </think>.
func TestThinkTagsStream(t *testing.T) {
	pieces := []string{"\n<th", "ink>\nThe user", " greets. </thi", "nk>\n", "\nHello", " <think>there</think>!"}
	whole := strings.Join(pieces, "")
	for _, tc := range []struct {
		name, model string
		tags        llm.ThinkTags
		shows       bool
		pieces      []string
		think, text string
		prefill     string // a final assistant message continued (continue_final_message)
	}{
		{"shown", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", "", true, pieces, "The user greets. ", "Hello <think>there</think>!", ""},
		{"hidden", "qwq-32b", "", false, pieces, "", "Hello <think>there</think>!", ""},
		{"unknown model", "llama-3.3-70b", "", true, pieces, "", whole, ""},
		{"off", "deepseek-r1", llm.ThinkTagsOff, true, pieces, "", whole, ""},
		{"on, any model", "my-finetune", llm.ThinkTagsOn, true, pieces, "The user greets. ", "Hello <think>there</think>!", ""},
		{"on, no opening tag", "deepseek-r1-0528", llm.ThinkTagsOn, true, []string{"Okay", ", hi.\n</", "think>\n\nHi!"}, "Okay, hi.\n", "Hi!", ""},
		{"never closed", "qwen3-32b", "", true, []string{"<think>", "hmm", " </thin"}, "hmm </thin", "", ""},
		{"partial open, no tag", "qwen3-32b", "", true, []string{"<", "b>bold</b>"}, "", "<b>bold</b>", ""},
		{"continues the block", "qwen3-32b", "", true, []string{" greets.", "\n</thi", "nk>\n\nHi"}, " greets.\n", "Hi", "<think>\nThe user"},
		{"continues the block, on", "deepseek-r1-0528", llm.ThinkTagsOn, true, []string{" greets.</think>Hi"}, " greets.", "Hi", "<think>\nThe user"},
		{"continues the text, on", "deepseek-r1-0528", llm.ThinkTagsOn, true, []string{" there</think>!"}, "", " there</think>!", "Hello"},
		{"continues the text after a block", "qwen3-32b", "", true, []string{" there"}, "", " there", "<think>r</think>Hello"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := tagsClient(t, tagStream(tc.model, tc.pieces...))
			req := &llm.Request{Model: tc.model, ThinkTags: tc.tags, ShowsReasoningText: tc.shows, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
			if tc.prefill != "" {
				req.Messages = append(req.Messages, llm.TextMessage(llm.RoleAssistant, tc.prefill))
				req.Extra = map[string]json.RawMessage{"continue_final_message": json.RawMessage("true")}
			}
			think, text, completion := splitAnswer(t, c, req)
			if think != tc.think || text != tc.text {
				t.Errorf("thinking %q text %q, want %q %q", think, text, tc.think, tc.text)
			}
			if completion != 30 {
				t.Errorf("completion tokens %d, want the host's 30", completion)
			}
		})
	}
}

// TestThinkTagsNotSentBack: the thinking of an earlier answer goes back
// to a host that wrote it in tags as its rules for reasoning say (not at
// all by default; as reasoning_content when its deployment says
// reasoning_content: send), never as tags in the content.
func TestThinkTagsNotSentBack(t *testing.T) {
	c, bodies := tagsClient(t, tagStream("deepseek-r1", "<think>r</think>ok"))
	prior := llm.TextMessage(llm.RoleAssistant, "Hello")
	prior.SetThinking([]llm.Thinking{{Text: "The user greets."}})
	req := &llm.Request{Model: "deepseek-r1", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi"), prior, llm.TextMessage(llm.RoleUser, "again")}}
	splitAnswer(t, c, req)
	if b := <-bodies; bytes.Contains(b, []byte("think")) || bytes.Contains(b, []byte("The user greets")) {
		t.Errorf("the earlier thinking went back: %s", b)
	}
	req.ReasoningContent = llm.ReasoningContentSend
	splitAnswer(t, c, req)
	var sent struct {
		Messages []struct {
			Content          json.RawMessage `json:"content"`
			ReasoningContent *string         `json:"reasoning_content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(<-bodies, &sent); err != nil {
		t.Fatal(err)
	}
	if m := sent.Messages[1]; m.ReasoningContent == nil || *m.ReasoningContent != "The user greets." || string(m.Content) != `"Hello"` {
		t.Errorf("reasoning_content send: assistant message %s, reasoning_content %v", m.Content, m.ReasoningContent)
	}
}

// TestThinkTagsAllocs: splitting a stream of thinking costs a few
// allocations a stream, none a chunk: a 200-chunk answer in tags
// allocates about what the same answer as plain text does.
func TestThinkTagsAllocs(t *testing.T) {
	const n = 200
	words := make([]string, n)
	for i := range words {
		words[i] = fmt.Sprintf(" word%d", i)
	}
	tagged := append(append([]string{"<think>"}, words...), "</think>", "Done.")
	plain := append(append([]string{"<p>"}, words...), "</p>", "Done.")
	run := func(body string) float64 {
		return testing.AllocsPerRun(20, func() {
			ctx := context.Background()
			dec := &decoder{tags: newThinkTags(&llm.Request{Model: "deepseek-r1"})}
			s := provider.NewEventStream(ctx, provider.NewCall(ctx), "vllm", []string{testKey}, io.NopCloser(strings.NewReader(body)), dec, nil)
			for {
				if _, err := s.Next(); err != nil {
					break
				}
			}
			s.Close()
		})
	}
	base, split := run(tagStream("deepseek-r1", plain...)), run(tagStream("deepseek-r1", tagged...))
	// A chunk's allocation would cost n more; a few more come and go
	// with sync.Pool, which the race detector makes drop items at random
	// (438 against 429 once, in CI under -race).
	if split > base+n/10 {
		t.Errorf("%v allocations splitting %d chunks of thinking, %v for plain text", split, n, base)
	}
}

// BenchmarkEventStreamThinkTags reads a 40-chunk answer written in
// <think> tags, as BenchmarkEventStream reads a plain one.
func BenchmarkEventStreamThinkTags(b *testing.B) {
	pieces := []string{"<think>"}
	for i := range 40 {
		pieces = append(pieces, fmt.Sprintf(" word%d", i))
	}
	body := []byte(tagStream("deepseek-r1", append(pieces, "</think>", "Done.")...))
	ctx := context.Background()
	secrets := []string{testKey} // a client's, made once with it
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		dec := &decoder{tags: newThinkTags(&llm.Request{Model: "deepseek-r1"})}
		s := provider.NewEventStream(ctx, provider.NewCall(ctx), "vllm", secrets, io.NopCloser(bytes.NewReader(body)), dec, nil)
		for {
			if _, err := s.Next(); err != nil {
				break
			}
		}
		s.Close()
	}
}

// TestThinkTagsBatchAnswer: a provider batch's answer from a host that
// wrote the reasoning in tags has it split as a live one does: kept as
// thinking for a client that shows it, dropped for another.
func TestThinkTagsBatchAnswer(t *testing.T) {
	c, _ := tagsClient(t, "")
	for _, shows := range []bool{true, false} {
		req := &llm.Request{Model: "Qwen/QwQ-32B", ShowsReasoningText: shows}
		resp := &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "<think>\nr\n</think>\n\nDone.")}}}
		c.RestoreAnswer(context.Background(), req, resp)
		m := resp.Choices[0].Message
		if m.Text() != "Done." || shows != (len(m.Thinking()) == 1 && m.Thinking()[0].Text == "r\n") || !shows && len(m.Thinking()) != 0 {
			t.Errorf("shows %v: text %q thinking %+v", shows, m.Text(), m.Thinking())
		}
	}
}
