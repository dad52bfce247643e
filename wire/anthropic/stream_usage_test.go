package anthropic

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"switchyard/llm"
)

// translateFile feeds the events of an .sse fixture to t, up to (not
// including) the first event named stop, and returns the chunks.
func translateFile(tb testing.TB, t *StreamTranslator, path, stop string) []*llm.Chunk {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []*llm.Chunk
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	name := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
			if name == stop {
				return out
			}
		case strings.HasPrefix(line, "data: "):
			cs, err := t.Translate(name, []byte(strings.TrimPrefix(line, "data: ")))
			if err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			out = append(out, cs...)
		}
	}
	return out
}

// lastSoFar is the last usage reported on the way among chunks.
func lastSoFar(chunks []*llm.Chunk) *llm.Usage {
	var u *llm.Usage
	for _, c := range chunks {
		if c.UsageSoFar != nil {
			u = c.UsageSoFar
		}
	}
	return u
}

// The usage Anthropic reports before a stream's end is on its chunks
// (UsageSoFar): message_start's prompt side (no output: its output_tokens
// counts none of the answer), then with each server tool result received
// the searches and fetches done so far (Anthropic bills a search whose
// result came, not one that failed), then message_delta's counts whole.
func TestStreamUsageSoFar(t *testing.T) {
	var tr StreamTranslator
	chunks := translateFile(t, &tr, "testdata/stream_server_tool.sse", "content_block_start")
	if u := lastSoFar(chunks); u == nil || *u != (llm.Usage{PromptTokens: 2679, TotalTokens: 2679}) {
		t.Errorf("after message_start: %+v", u)
	}
	tr = StreamTranslator{}
	chunks = translateFile(t, &tr, "testdata/stream_server_tool.sse", "message_delta")
	if u := lastSoFar(chunks); u == nil || *u != (llm.Usage{PromptTokens: 2679, TotalTokens: 2679, WebSearchRequests: 1}) {
		t.Errorf("after the search's result: %+v", u)
	}
	tr = StreamTranslator{}
	chunks = translateFile(t, &tr, "testdata/stream_server_tool.sse", "message_stop")
	if u := lastSoFar(chunks); u == nil || *u != (llm.Usage{PromptTokens: 10682, CompletionTokens: 510, TotalTokens: 11192, WebSearchRequests: 1}) {
		t.Errorf("after message_delta: %+v", u)
	}
}

// A server tool's result counts once it is received whole, as Anthropic
// bills it: a web search or web fetch whose result is an error is not
// billed, nor a call whose result never came.
func TestStreamUsageSoFarServerTools(t *testing.T) {
	var tr StreamTranslator
	feed := func(name, data string) []*llm.Chunk {
		cs, err := tr.Translate(name, []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return cs
	}
	feed("message_start", `{"type":"message_start","message":{"id":"m","model":"claude","usage":{"input_tokens":100,"cache_read_input_tokens":50,"output_tokens":1}}}`)
	results := []string{
		`{"type":"web_fetch_tool_result","tool_use_id":"s1","content":{"type":"web_fetch_result","url":"https://x.example"}}`,
		`{"type":"web_search_tool_result","tool_use_id":"s2","content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}}`,
		`{"type":"web_fetch_tool_result","tool_use_id":"s3","content":{"type":"web_fetch_tool_error","error_code":"url_not_accessible"}}`,
		`{"type":"web_search_tool_result","tool_use_id":"s4","content":[]}`,
	}
	var chunks []*llm.Chunk
	for i, r := range results {
		feed("content_block_start", `{"type":"content_block_start","index":`+string(rune('0'+i))+`,"content_block":`+r+`}`)
		chunks = append(chunks, feed("content_block_stop", `{"type":"content_block_stop","index":`+string(rune('0'+i))+`}`)...)
	}
	feed("content_block_start", `{"type":"content_block_start","index":4,"content_block":{"type":"web_search_tool_result","tool_use_id":"s5","content":[]}}`)
	want := llm.Usage{PromptTokens: 150, CachedPromptTokens: 50, TotalTokens: 150, WebSearchRequests: 1, WebFetchRequests: 1}
	if u := lastSoFar(chunks); u == nil || *u != want {
		t.Errorf("so far %+v, want %+v", u, want)
	}
}

// Once Claude starts compacting the conversation (a compaction block),
// the usage so far says so with an empty Compaction: the compaction's
// counts come only in message_delta's iterations, so whoever bills a cut
// stream knows a summary was generated and estimates it.
func TestStreamUsageSoFarCompaction(t *testing.T) {
	var tr StreamTranslator
	chunks := translateFile(t, &tr, "testdata/stream_compaction.sse", "content_block_start")
	if u := lastSoFar(chunks); u == nil || u.Compaction != nil {
		t.Errorf("before the compaction: %+v", u)
	}
	tr = StreamTranslator{}
	chunks = translateFile(t, &tr, "testdata/stream_compaction.sse", "ping")
	if u := lastSoFar(chunks); u == nil || u.Compaction == nil || *u.Compaction != (llm.ModelUsage{}) || u.PromptTokens != 23000 {
		t.Errorf("once the compaction started: %+v", u)
	}
	tr = StreamTranslator{}
	chunks = translateFile(t, &tr, "testdata/stream_compaction.sse", "message_stop")
	if u := lastSoFar(chunks); u == nil || u.Compaction == nil || *u.Compaction == (llm.ModelUsage{}) {
		t.Errorf("after message_delta: %+v, want its iterations' compaction", u)
	}
}

// An advisor consultation whose result came counts in the usage so far as
// an empty consultation (its counts come only in message_delta's
// iterations), for whoever bills a cut stream to estimate; an advisor
// error is none. AdviceOf reads the advice, AdvisorModel the advisor's
// model from the request's tools.
func TestStreamUsageSoFarAdvisor(t *testing.T) {
	var tr StreamTranslator
	var chunks []*llm.Chunk
	for _, ev := range [][2]string{
		{"message_start", `{"type":"message_start","message":{"id":"m","model":"claude","usage":{"input_tokens":100,"output_tokens":1}}}`},
		{"content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"s1","name":"advisor","input":{}}}`},
		{"content_block_stop", `{"type":"content_block_stop","index":0}`},
		{"content_block_start", `{"type":"content_block_start","index":1,"content_block":` + adviceBlock + `}`},
		{"content_block_stop", `{"type":"content_block_stop","index":1}`},
		{"content_block_start", `{"type":"content_block_start","index":2,"content_block":{"type":"advisor_tool_result","tool_use_id":"s2","content":{"type":"advisor_tool_result_error","error_code":"unavailable"}}}`},
		{"content_block_stop", `{"type":"content_block_stop","index":2}`},
	} {
		cs, err := tr.Translate(ev[0], []byte(ev[1]))
		if err != nil {
			t.Fatalf("%s: %v", ev[0], err)
		}
		chunks = append(chunks, cs...)
	}
	u := lastSoFar(chunks)
	if u == nil || u.Advisor == nil || len(u.Advisor.Calls) != 1 || u.Advisor.Calls[0] != (llm.ModelUsage{}) || u.PromptTokens != 100 {
		t.Fatalf("so far %+v, want one consultation, its counts unknown", u)
	}
	if a := AdviceOf([]byte(adviceBlock)); a != "Do the riskiest step first." {
		t.Errorf("advice %q", a)
	}
	tools := []llm.Tool{{Name: "advisor", Anthropic: &llm.AnthropicToolOptions{Server: []byte(`{"type":"advisor_20260301","name":"advisor","model":"claude-opus-4-8"}`)}}}
	if m := AdvisorModel(tools); m != "claude-opus-4-8" {
		t.Errorf("advisor model %q", m)
	}
	if m := AdvisorModel(nil); m != "" {
		t.Errorf("advisor model %q without the tool", m)
	}
}

// adviceBlock is an advisor_tool_result block holding advice.
const adviceBlock = `{"type":"advisor_tool_result","tool_use_id":"s1","content":{"type":"advisor_result","text":"Do the riskiest step first."}}`

// message_delta's usage breaks the output down as the message's does
// (MessageDeltaUsage.output_tokens_details in the API's schema): the
// thinking tokens of an answer that reasoned. The Vercel AI SDK's
// @ai-sdk/anthropic reads a stream's reasoning tokens from it alone, so
// without it streamText reported none where generateText reported them.
func TestStreamEncoderDeltaThinkingTokens(t *testing.T) {
	chunks := textStream()
	chunks[len(chunks)-1].Usage = &llm.Usage{PromptTokens: 9, CompletionTokens: 40, ReasoningTokens: 14, TotalTokens: 49}
	out := string(encodeStream(chunks))
	_, delta, ok := strings.Cut(out, "event: message_delta\ndata: ")
	if !ok {
		t.Fatalf("no message_delta in %s", out)
	}
	delta, _, _ = strings.Cut(delta, "\n")
	var ev struct {
		Usage struct {
			OutputTokens        int `json:"output_tokens"`
			OutputTokensDetails *struct {
				ThinkingTokens int `json:"thinking_tokens"`
			} `json:"output_tokens_details"`
		} `json:"usage"`
	}
	if err := json.Unmarshal([]byte(delta), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Usage.OutputTokens != 40 || ev.Usage.OutputTokensDetails == nil || ev.Usage.OutputTokensDetails.ThinkingTokens != 14 {
		t.Errorf("message_delta %s: want output_tokens 40, output_tokens_details.thinking_tokens 14", delta)
	}
}
