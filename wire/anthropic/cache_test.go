package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// breakpoints lists the cache_control of every site of req in the API's
// order, as "path=ttl" ("5m" for a breakpoint without ttl).
func breakpoints(req *MessagesRequest) []string {
	var out []string
	eachSite(req, func(s *site) bool {
		if cc := *s.cc; cc != nil {
			out = append(out, s.path()+"="+string(CacheToLLM(cc)))
		}
		return true
	})
	return out
}

const cachedConversation = `{"model":"m","max_tokens":10,
	"tools":[{"name":"a","input_schema":{"type":"object"}},{"name":"b","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral","ttl":"1h"}}],
	"system":[{"type":"text","text":"Rules."},{"type":"text","text":"More rules.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
	"messages":[
		{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]},
		{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"b","input":{},"cache_control":{"type":"ephemeral"}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"18C","cache_control":{"type":"ephemeral","ttl":"5m"}},{"type":"text","text":"Thanks"}]}]}`

// Breakpoints on tools, system blocks, tool_use and tool_result blocks
// reach the canonical request, which is marked ClientCaching, and come
// back out of FromLLM at the same blocks with the same lifetimes.
func TestBreakpointsRoundTrip(t *testing.T) {
	req := decodeOK(t, cachedConversation)
	if !req.ClientCaching || req.CacheBreakpoints() != 4 {
		t.Fatalf("ClientCaching %v, %d breakpoints", req.ClientCaching, req.CacheBreakpoints())
	}
	m := req.Messages
	if req.Tools[1].Cache != llm.Cache1h || m[0].Content[1].Cache() != llm.Cache1h || m[2].ToolCalls()[0].Cache != llm.Cache5m ||
		m[3].Role != llm.RoleTool || m[3].Content[0].Cache() != llm.Cache5m || m[4].Content[0].Cache() != llm.NoCache {
		t.Errorf("canonical breakpoints: tools %+v, messages %+v", req.Tools, m)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	want := "tools.1=1h system.1=1h messages.1.content.0=5m messages.2.content.0=5m"
	if got := strings.Join(breakpoints(out), " "); got != want {
		t.Errorf("upstream breakpoints %s, want %s", got, want)
	}
	body, _ := json.Marshal(out.Messages[2].Content[0])
	if !strings.Contains(string(body), `"cache_control":{"type":"ephemeral"}`) {
		t.Errorf("tool_result written as %s", body)
	}
}

// A breakpoint on the last part of a tool message marks the tool_result
// block, not its last inner block; one on an earlier part stays inside.
func TestToolResultBreakpoint(t *testing.T) {
	tool := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "a"}, {Type: llm.PartText, Text: "b"}}}
	tool.SetToolCallID("t1")
	tool.Content[0].SetCache(llm.Cache1h)
	tool.Content[1].SetCache(llm.Cache5m)
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "t1", Name: "f", Arguments: "{}"}})
	out, err := FromLLM(&llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "go"), asst, tool}})
	if err != nil {
		t.Fatal(err)
	}
	want := "messages.2.content.0.content.0=1h messages.2.content.0=5m"
	if got := strings.Join(breakpoints(out), " "); got != want {
		t.Errorf("breakpoints %s, want %s", got, want)
	}
}

// A top-level cache_control (automatic caching) marks the last block that
// may carry one; it takes one of the four slots unless that block has a
// breakpoint of the same lifetime already.
func TestAutomaticCaching(t *testing.T) {
	base := `{"model":"m","max_tokens":10,"cache_control":{"type":"ephemeral"%s},"system":"S",` +
		`"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"text","text":"Hello"%s},{"type":"thinking","thinking":"x","signature":"s"}]}]}`
	req := decodeOK(t, strings.Replace(base, "%s", "", 2))
	if got := req.Messages[2].Content[0].Cache(); got != llm.Cache5m || req.CacheBreakpoints() != 1 {
		t.Errorf("automatic breakpoint %q, %d in all", got, req.CacheBreakpoints())
	}
	req = decodeOK(t, strings.Replace(strings.Replace(base, "%s", `,"ttl":"1h"`, 1), "%s", `,"cache_control":{"type":"ephemeral","ttl":"1h"}`, 1))
	if got := req.Messages[2].Content[0].Cache(); got != llm.Cache1h || req.CacheBreakpoints() != 1 {
		t.Errorf("same ttl: %q, %d in all", got, req.CacheBreakpoints())
	}
	_, err := DecodeRequest([]byte(strings.Replace(strings.Replace(base, "%s", `,"ttl":"1h"`, 1), "%s", `,"cache_control":{"type":"ephemeral"}`, 1)))
	if err == nil || !strings.Contains(llm.AsError(err).Message, "differs from the cache_control of the last block (messages.1.content.0)") {
		t.Errorf("different ttl: %v", err)
	}
}

func TestCacheControlRejects(t *testing.T) {
	cc := `"cache_control":{"type":"ephemeral"}`
	hour := `"cache_control":{"type":"ephemeral","ttl":"1h"}`
	text := func(s, c string) string { return `{"type":"text","text":"` + s + `",` + c + `}` }
	user := func(blocks ...string) string {
		return `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[` + strings.Join(blocks, ",") + `]}]}`
	}
	tests := []struct{ name, body, want string }{
		{"five breakpoints", user(text("a", cc), text("b", cc), text("c", cc), text("d", cc), text("e", cc)),
			"A maximum of 4 blocks with cache_control may be provided. Found 5."},
		{"four and automatic", `{"model":"m","max_tokens":10,` + cc + `,"messages":[{"role":"user","content":[` +
			text("a", cc) + "," + text("b", cc) + "," + text("c", cc) + "," + text("d", cc) + `,{"type":"text","text":"e"}]}]}`,
			"A maximum of 4 blocks with cache_control may be provided. Found 5."},
		{"inside a tool result", `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"go"},` +
			`{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},` +
			`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1",` + cc + `,"content":[` + text("a", cc) + "," + text("b", cc) + `]},` +
			text("c", cc) + "," + text("d", cc) + `]}]}`,
			"Found 5."},
		{"one hour after five minutes", user(text("a", cc), text("b", hour)),
			"messages.0.content.1.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Blocks are processed in the following order: `tools`, `system`, `messages`."},
		{"tool one hour after system five minutes", `{"model":"m","max_tokens":10,"tools":[{"name":"f","input_schema":{"type":"object"},` + cc + `}],` +
			`"system":[` + text("s", hour) + `],"messages":[{"role":"user","content":"Hi"}]}`,
			"system.0.cache_control.ttl: a ttl='1h'"},
		{"unknown ttl", user(text("a", `"cache_control":{"type":"ephemeral","ttl":"10m"}`)),
			"messages.0.content.0.cache_control: type must be 'ephemeral'"},
		{"thinking", `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"s",` + cc + `}]}]}`,
			"messages.1.content.0.thinking.cache_control: Extra inputs are not permitted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeRequest([]byte(tt.body))
			if err == nil || llm.AsError(err).Kind != llm.KindInvalidRequest || !strings.Contains(llm.AsError(err).Message, tt.want) {
				t.Errorf("got %v, want invalid_request containing %q", err, tt.want)
			}
		})
	}
	// Five minutes after one hour, and four in all, are fine.
	decodeOK(t, user(text("a", hour), text("b", hour), text("c", cc), text("d", cc)))
}

func TestPlaceBreakpoints(t *testing.T) {
	asst := llm.TextMessage(llm.RoleAssistant, "Paris.")
	conversation := []llm.Message{llm.TextMessage(llm.RoleSystem, "Be terse."), llm.TextMessage(llm.RoleUser, "Capital of France?"), asst, llm.TextMessage(llm.RoleUser, "And Spain?")}
	tools := []llm.Tool{{Name: "a"}, {Name: "b"}}
	tests := []struct {
		name   string
		req    llm.Request
		placed int
		want   string
	}{
		{"tools, system and history", llm.Request{Tools: tools, Messages: conversation}, 3,
			"tools.1=5m system.0=5m messages.1.content.0=5m"},
		{"first turn: system only", llm.Request{Messages: conversation[:2]}, 1, "system.0=5m"},
		{"a prefill: the turn before the last user turn", llm.Request{Messages: append(conversation[1:], llm.TextMessage(llm.RoleAssistant, "Madrid"))}, 1,
			"messages.1.content.0=5m"},
		{"no system, one turn", llm.Request{Messages: conversation[1:2]}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Model = "m"
			out, err := FromLLM(&tt.req)
			if err != nil {
				t.Fatal(err)
			}
			placed := PlaceBreakpoints(out)
			if got := strings.Join(breakpoints(out), " "); placed != tt.placed || got != tt.want {
				t.Errorf("placed %d: %q; want %d: %q", placed, got, tt.placed, tt.want)
			}
			if err := Validate(out); err != nil {
				t.Errorf("the placed breakpoints are invalid: %v", err)
			}
		})
	}
	// A request that has a breakpoint of its own is left as it is.
	marked := llm.Request{Model: "m", Tools: tools, Messages: append([]llm.Message(nil), conversation...)}
	marked.Messages[1] = llm.TextMessage(llm.RoleUser, "Capital of France?")
	marked.Messages[1].Content[0].SetCache(llm.Cache1h)
	out, _ := FromLLM(&marked)
	if placed := PlaceBreakpoints(out); placed != 0 || strings.Join(breakpoints(out), " ") != "messages.0.content.0=1h" {
		t.Errorf("marked request: placed %d, breakpoints %v", placed, breakpoints(out))
	}
}

// The usage block of the docs' one-hour example: cache_creation splits
// the writes by lifetime and the one-hour share is carried apart.
func TestUsageOneHourWrites(t *testing.T) {
	var resp MessagesResponse
	if err := json.Unmarshal([]byte(`{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi"}],
		"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2048,"cache_read_input_tokens":1800,"cache_creation_input_tokens":248,
		"output_tokens":503,"cache_creation":{"ephemeral_5m_input_tokens":148,"ephemeral_1h_input_tokens":100}}}`), &resp); err != nil {
		t.Fatal(err)
	}
	u := ToLLM(&resp).Usage
	want := llm.Usage{PromptTokens: 4096, CompletionTokens: 503, TotalTokens: 4599, CachedPromptTokens: 1800, CacheWriteTokens: 248, CacheWrite1hTokens: 100}
	if *u != want {
		t.Errorf("usage %+v, want %+v", *u, want)
	}
	back := string(AppendUsage(nil, u))
	if !strings.Contains(back, `"cache_creation":{"ephemeral_5m_input_tokens":148,"ephemeral_1h_input_tokens":100}`) {
		t.Errorf("written back as %s", back)
	}
}

// Text before a tool result is sent after it (the API wants tool results
// first); a one-hour breakpoint that lands after a five-minute one that
// way is sent as five-minute, so the upstream request stays valid.
func TestFromLLMKeepsTTLOrder(t *testing.T) {
	req := decodeOK(t, `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},`+
		`{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},`+
		`{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"tool_result","tool_use_id":"t","cache_control":{"type":"ephemeral"}}]}]}`)
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(breakpoints(out), " "); got != "messages.2.content.0=5m messages.2.content.1=5m" {
		t.Errorf("breakpoints %s", got)
	}
	if err := Validate(out); err != nil {
		t.Error(err)
	}
}

// An OpenAI client's lifetimes reach Claude as its nearest: 30m and 12h
// as one hour, a breakpoint naming none as the default five minutes, or
// as one hour when the request's prompt_cache_options.ttl asks for 30m
// or 12h; of an OpenAI client's many breakpoints (OpenAI matches at up
// to 80), the latest four, the most Claude takes.
func TestFromLLMOpenAILifetimes(t *testing.T) {
	msg := func(ttls ...llm.CacheTTL) []llm.Message {
		var out []llm.Message
		for _, ttl := range ttls {
			m := llm.TextMessage(llm.RoleUser, "t")
			m.Content[0].SetCache(ttl)
			out = append(out, m, llm.TextMessage(llm.RoleAssistant, "ok"))
		}
		return append(out, llm.TextMessage(llm.RoleUser, "q"))
	}
	for _, tt := range []struct {
		ttls    []llm.CacheTTL
		options llm.CacheTTL
		want    string
	}{
		{[]llm.CacheTTL{llm.Cache12h, llm.Cache30m, llm.Cache5m}, "", "messages.0.content.0=1h messages.2.content.0=1h messages.4.content.0=5m"},
		{[]llm.CacheTTL{llm.Cache5m, llm.Cache5m}, llm.Cache12h, "messages.0.content.0=1h messages.2.content.0=1h"},
		{[]llm.CacheTTL{llm.Cache5m}, llm.Cache30m, "messages.0.content.0=1h"},
		{[]llm.CacheTTL{llm.Cache12h, llm.Cache5m, llm.Cache12h, llm.Cache5m, llm.Cache5m, llm.Cache5m}, "",
			"messages.4.content.0=1h messages.6.content.0=5m messages.8.content.0=5m messages.10.content.0=5m"},
	} {
		out, err := FromLLM(&llm.Request{Model: "claude-sonnet-4-5", Messages: msg(tt.ttls...), PromptCache: llm.CacheOptions{TTL: tt.options}})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(breakpoints(out), " "); got != tt.want {
			t.Errorf("%v with %q: %s, want %s", tt.ttls, tt.options, got, tt.want)
		}
		if err := Validate(out); err != nil {
			t.Errorf("%v: %v", tt.ttls, err)
		}
	}
}
