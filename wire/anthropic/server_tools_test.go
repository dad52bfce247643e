package anthropic

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// rawList splits a JSON array into its elements, as written.
func rawList(t *testing.T, b []byte) []json.RawMessage {
	t.Helper()
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return list
}

// A request with server tools, a container and server tool blocks in an
// assistant turn is read into a canonical request only Claude can serve,
// and a Claude deployment is sent the tools and the blocks as the client
// wrote them, in place.
func TestServerToolsRequestRoundTrip(t *testing.T) {
	body, err := os.ReadFile("testdata/request_server_tools.json")
	if err != nil {
		t.Fatal(err)
	}
	req, err := DecodeRequest(body)
	if err != nil {
		t.Fatal(err)
	}
	if !req.AnthropicServerTools() || string(req.AnthropicContainer) != `"container_011CPR5CNjB747bApzwDe7b6"` {
		t.Fatalf("server tools %v, container %s", req.AnthropicServerTools(), req.AnthropicContainer)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var in, got struct {
		Container json.RawMessage `json:"container"`
		Tools     json.RawMessage `json:"tools"`
		Messages  []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(sent, &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Container, in.Container) {
		t.Errorf("container %s, want %s", got.Container, in.Container)
	}
	inTools, gotTools := rawList(t, in.Tools), rawList(t, got.Tools)
	for _, i := range []int{0, 2} { // the server tools, byte for byte
		if !bytes.Equal(gotTools[i], inTools[i]) {
			t.Errorf("tool %d sent as %s, want %s", i, gotTools[i], inTools[i])
		}
	}
	want, have := rawList(t, in.Messages[1].Content), rawList(t, got.Messages[1].Content)
	if len(have) != len(want) {
		t.Fatalf("assistant turn sent as %s", got.Messages[1].Content)
	}
	for i := range want {
		if blockType(want[i]) != blockType(have[i]) {
			t.Errorf("block %d is %s, want %s", i, have[i], want[i])
		}
		if !bytes.Equal(have[i], want[i]) { // server blocks and the cited text alike
			t.Errorf("block %d sent as %s, want %s", i, have[i], want[i])
		}
	}
	if err := Validate(out); err != nil {
		t.Errorf("what Claude is sent is invalid: %v", err)
	}
}

// Server tool blocks in a user turn cannot be carried (400); mcp_servers
// stays refused.
func TestServerToolsRefused(t *testing.T) {
	for _, c := range []struct{ body, err string }{
		{`{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}]}]}`,
			"content blocks of type 'server_tool_use' are not supported"},
		{`{"model":"m","max_tokens":5,"mcp_servers":[{"type":"url","url":"https://x","name":"x"}],"messages":[{"role":"user","content":"x"}]}`,
			"mcp_servers: this router does not support mcp_servers"},
	} {
		_, err := DecodeRequest([]byte(c.body))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: error %v, want %q", c.body, err, c.err)
		}
	}
}

// translateCited feeds an SSE transcript through a translator that keeps text
// blocks apart (as for a request with server tools).
func translateCited(t *testing.T, sse string) []*llm.Chunk {
	t.Helper()
	d := NewStreamDecoder(strings.NewReader(sse), 1)
	d.t.Citations = true
	var chunks []*llm.Chunk
	for {
		c, err := d.Next()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatal(err)
			}
			return chunks
		}
		chunks = append(chunks, c)
	}
}

// A Claude answer's server tool blocks reach an Anthropic client as Claude
// wrote them: streamed, each content_block_start and input_json_delta
// event's data as Claude sent it; complete, the blocks whole, in order
// with the cited text; with the server_tool_use count.
func TestServerBlocksToClient(t *testing.T) {
	sse, err := os.ReadFile("testdata/stream_server_tool.sse")
	if err != nil {
		t.Fatal(err)
	}
	chunks := translateCited(t, string(sse))
	enc := StreamEncoder{RequestID: "req_1"}
	var stream []byte
	for _, c := range chunks {
		stream = enc.Chunk(stream, c)
	}
	stream = enc.End(stream, nil)
	for _, line := range strings.Split(string(sse), "\n") {
		if strings.Contains(line, `"server_tool_use"`) && strings.Contains(line, "content_block_start") ||
			strings.Contains(line, "web_search_tool_result") || strings.Contains(line, "input_json_delta") {
			if !strings.Contains(string(stream), line+"\n") {
				t.Errorf("the client's stream lacks Claude's\n%s\nin\n%s", line, stream)
			}
		}
	}
	if !strings.Contains(string(stream), `"server_tool_use":{"web_search_requests":1,"web_fetch_requests":0}`) {
		t.Errorf("message_delta lacks the server tool count:\n%s", stream)
	}
	checkEvents(t, stream)

	var acc llm.Accumulator
	for _, c := range chunks {
		acc.Add(c)
	}
	msg := AppendResponse(nil, acc.Response(), "msg_1")
	var resp MessagesResponse
	if err := json.Unmarshal(msg, &resp); err != nil {
		t.Fatalf("%s: %v", msg, err)
	}
	var types []string
	for _, b := range resp.Content {
		types = append(types, b.Type)
	}
	if want := []string{"server_tool_use", "web_search_tool_result", "text"}; !reflect.DeepEqual(types, want) {
		t.Fatalf("content %v, want %v: %s", types, want, msg)
	}
	wantUse := `{"type":"server_tool_use","id":"srvtoolu_014hJH82Qum7Td6UV8gDXThB","name":"web_search","input":{"query": "weather NYC today"}}`
	if string(resp.Content[0].Raw) != wantUse {
		t.Errorf("server_tool_use %s, want %s", resp.Content[0].Raw, wantUse)
	}
	if !strings.Contains(string(resp.Content[1].Raw), `"encrypted_content":"Ev0DCioIAxgC"`) || len(resp.Content[2].Citations) == 0 {
		t.Errorf("result %s, text citations %s", resp.Content[1].Raw, resp.Content[2].Citations)
	}
	if st := resp.Usage.ServerToolUse; st == nil || st.WebSearchRequests != 1 {
		t.Errorf("usage %+v", resp.Usage)
	}
}

// A paused turn (pause_turn) is pause_turn to an Anthropic client,
// streamed and complete; to the canonical answer a stop.
func TestPauseTurn(t *testing.T) {
	sse := "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n" +
		"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}\n\n" +
		"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
		"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"pause_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}\n\n" +
		"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
	chunks := translateCited(t, sse)
	var acc llm.Accumulator
	enc := StreamEncoder{}
	var stream []byte
	for _, c := range chunks {
		acc.Add(c)
		stream = enc.Chunk(stream, c)
	}
	stream = enc.End(stream, nil)
	resp := acc.Response()
	if c := resp.Choices[0]; c.FinishReason != llm.FinishStop || !c.Paused {
		t.Errorf("finish %q paused %v", c.FinishReason, c.Paused)
	}
	if !strings.Contains(string(stream), `"stop_reason":"pause_turn"`) {
		t.Errorf("stream:\n%s", stream)
	}
	if msg := AppendResponse(nil, resp, "msg_1"); !strings.Contains(string(msg), `"content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}],"stop_reason":"pause_turn"`) {
		t.Errorf("message %s", msg)
	}
	var complete MessagesResponse
	json.Unmarshal([]byte(`{"content":[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}],"stop_reason":"pause_turn","usage":{"input_tokens":1,"output_tokens":1,"server_tool_use":{"web_search_requests":2,"web_fetch_requests":1}}}`), &complete)
	r := ToLLM(&complete)
	if c := r.Choices[0]; !c.Paused || len(c.Message.Blocks()) != 1 || r.Usage.WebSearchRequests != 2 || r.Usage.WebFetchRequests != 1 {
		t.Errorf("ToLLM: %+v, usage %+v", c, r.Usage)
	}
}

// weave puts blocks where they stood: before the text from their offset
// on (cutting a text in two), before their tool call, the rest last.
func TestWeave(t *testing.T) {
	segs := []segment{{0, 5, 0}, {5, 9, 1}}
	blocks := []llm.Block{{At: 0}, {At: 7}, {At: 9}, {At: 9, Calls: 1}, {At: 9, Calls: 5}}
	got := weave(segs, 2, blocks)
	want := []item{
		{kind: itemBlock, i: 0}, {kind: itemText, i: 0, start: 0, end: 5}, {kind: itemText, i: 1, start: 5, end: 7},
		{kind: itemBlock, i: 1}, {kind: itemText, i: 1, start: 7, end: 9}, {kind: itemBlock, i: 2}, {kind: itemCall, i: 0},
		{kind: itemBlock, i: 3}, {kind: itemCall, i: 1}, {kind: itemBlock, i: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("weave:\n got %+v\nwant %+v", got, want)
	}
}

// FuzzWithInput checks that a block start with its input joined is JSON
// whenever the start and the input are.
func FuzzWithInput(f *testing.F) {
	f.Add(`{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}`, `{"query":"go"}`)
	f.Add(`{"input" : {} , "type":"x"}`, `{"a":[1,2]}`)
	f.Add(`{"type":"x"}`, `{}`)
	f.Add(`[1]`, `{}`)
	f.Add(`{"input":`, `{}`)
	f.Fuzz(func(t *testing.T, start, input string) {
		out := withInput(json.RawMessage(start), input)
		if json.Valid([]byte(start)) && json.Valid([]byte(input)) && !json.Valid(out) {
			t.Fatalf("withInput(%q, %q) = %q, not JSON", start, input, out)
		}
	})
}

// FuzzWithMembers checks that a block start with a delta's members set
// is JSON whenever the start and the delta are objects, and holds each
// of the delta's values.
func FuzzWithMembers(f *testing.F) {
	f.Add(`{"type":"compaction","content":"","encrypted_content":"","signature":"s"}`, `{"type":"compaction_delta","content":"sum","encrypted_content":"e"}`)
	f.Add(`{"type":"compaction"}`, `{"content":"a","encrypted_content":null}`)
	f.Add(`{}`, `{"content":"a"}`)
	f.Add(`{ "content" : "x" }`, `{"content":{"a":[1]}}`)
	f.Add(`[1]`, `{}`)
	f.Add(`{"content":`, `{"content":"a"}`)
	f.Fuzz(func(t *testing.T, start, delta string) {
		out := withMembers(json.RawMessage(start), json.RawMessage(delta))
		var s, d map[string]json.RawMessage
		if json.Unmarshal([]byte(start), &s) != nil || json.Unmarshal([]byte(delta), &d) != nil {
			return
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("withMembers(%q, %q) = %q, not an object", start, delta, out)
		}
		for k, v := range d {
			if k == "type" || bytes.Count([]byte(start), []byte(`"`+k+`"`)) > 1 || bytes.Count([]byte(delta), []byte(`"`+k+`"`)) > 1 {
				continue // a duplicated key: which one wins is not said
			}
			var want, have any
			json.Unmarshal(v, &want)
			json.Unmarshal(got[k], &have)
			if !reflect.DeepEqual(have, want) {
				t.Fatalf("withMembers(%q, %q) = %q: %s is %s, want %s", start, delta, out, k, got[k], v)
			}
		}
	})
}

// A client's own tool search answers with tool_reference blocks in a
// tool_result: kept as sent, in place, and the request is Claude's alone.
func TestToolReferenceInToolResult(t *testing.T) {
	body := `{"model":"m","max_tokens":64,"tools":[{"name":"search_tools","input_schema":{"type":"object"}},{"name":"mcp__x__f","input_schema":{"type":"object"},"defer_loading":true}],` +
		`"messages":[{"role":"user","content":"find f"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"search_tools","input":{"q":"f"}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Found:"},{"type":"tool_reference","tool_name":"mcp__x__f"}]}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !req.AnthropicServerTools() {
		t.Error("a tool_reference block does not make the request Claude's")
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	sent, _ := json.Marshal(out.Messages[2].Content)
	if want := `[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Found:"},{"type":"tool_reference","tool_name":"mcp__x__f"}]}]`; string(sent) != want {
		t.Errorf("tool_result sent as %s, want %s", sent, want)
	}
	if err := Validate(out); err != nil {
		t.Errorf("what Claude is sent is invalid: %v", err)
	}
}

// Thinking interleaved with server blocks keeps its place when the turn
// goes back to Claude (which refuses a tool loop's turn whose thinking
// moved), and still counts as the loop's thinking.
func TestServerBlocksKeepThinkingInPlace(t *testing.T) {
	turn := `[{"type":"thinking","thinking":"search first","signature":"c2ln"},` +
		`{"type":"server_tool_use","id":"srvtoolu_1","name":"tool_search_tool_regex","input":{"query":"f"}},` +
		`{"type":"tool_search_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"tool_search_tool_search_result","tool_references":[{"type":"tool_reference","tool_name":"f"}]}},` +
		`{"type":"redacted_thinking","data":"ZGF0YQ=="},{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]`
	body := `{"model":"claude-sonnet-4-5","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":2048},` +
		`"tools":[{"type":"tool_search_tool_regex_20251119","name":"tool_search_tool_regex"},{"name":"f","input_schema":{"type":"object"},"defer_loading":true}],` +
		`"messages":[{"role":"user","content":"x"},{"role":"assistant","content":` + turn + `},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r"}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if UnthoughtToolLoop(req.Messages) {
		t.Error("the loop's thinking, kept among the server blocks, was not seen")
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if out.Thinking == nil {
		t.Fatal("the request lost its thinking")
	}
	sent, _ := json.Marshal(out.Messages[1].Content)
	if string(sent) != turn {
		t.Errorf("turn sent as\n%s\nwant\n%s", sent, turn)
	}
}

// weaveAll puts each thinking block after the provider block before the
// first one that counts it, the rest after the last block.
func TestWeaveThinking(t *testing.T) {
	segs := []segment{{0, 4, 0}}
	blocks := []llm.Block{{At: 0, Thoughts: 1}, {At: 0, Thoughts: 1}, {At: 0, Thoughts: 2}}
	got := weaveAll(segs, 1, blocks, 3)
	want := []item{
		{kind: itemThink, i: 0}, {kind: itemBlock, i: 0}, {kind: itemBlock, i: 1}, {kind: itemThink, i: 1},
		{kind: itemBlock, i: 2}, {kind: itemThink, i: 2}, {kind: itemText, i: 0, start: 0, end: 4}, {kind: itemCall, i: 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("weaveAll:\n got %+v\nwant %+v", got, want)
	}
}

// An answer that thinks again after a server tool's result comes back, in
// the stream and complete, with each thinking block where Claude wrote it.
func TestServerBlocksInterleavedThinking(t *testing.T) {
	ev := func(data string) string {
		var h struct {
			Type string `json:"type"`
		}
		json.Unmarshal([]byte(data), &h)
		return "event: " + h.Type + "\ndata: " + data + "\n\n"
	}
	sse := ev(`{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}`) +
		ev(`{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}`) +
		ev(`{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"search"}}`) +
		ev(`{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2lnMQ=="}}`) +
		ev(`{"type":"content_block_stop","index":0}`) +
		ev(`{"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}`) +
		ev(`{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"query\":\"go\"}"}}`) +
		ev(`{"type":"content_block_stop","index":1}`) +
		ev(`{"type":"content_block_start","index":2,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}}`) +
		ev(`{"type":"content_block_stop","index":2}`) +
		ev(`{"type":"content_block_start","index":3,"content_block":{"type":"thinking","thinking":"","signature":""}}`) +
		ev(`{"type":"content_block_delta","index":3,"delta":{"type":"thinking_delta","thinking":"nothing found"}}`) +
		ev(`{"type":"content_block_delta","index":3,"delta":{"type":"signature_delta","signature":"c2lnMg=="}}`) +
		ev(`{"type":"content_block_stop","index":3}`) +
		ev(`{"type":"content_block_start","index":4,"content_block":{"type":"text","text":""}}`) +
		ev(`{"type":"content_block_delta","index":4,"delta":{"type":"text_delta","text":"No luck."}}`) +
		ev(`{"type":"content_block_stop","index":4}`) +
		ev(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}`) +
		ev(`{"type":"message_stop"}`)
	d := NewStreamDecoder(strings.NewReader(sse), 1)
	d.t.Citations, d.t.Thinking = true, true
	var acc llm.Accumulator
	enc := StreamEncoder{}
	var stream []byte
	for {
		c, err := d.Next()
		if err != nil {
			break
		}
		acc.Add(c)
		stream = enc.Chunk(stream, c)
	}
	stream = enc.End(stream, nil)
	want := []string{"thinking", "server_tool_use", "web_search_tool_result", "thinking", "text"}
	var starts []string
	for _, line := range strings.Split(string(stream), "\n") {
		if strings.HasPrefix(line, `data: {"type":"content_block_start"`) {
			var e StreamEvent
			json.Unmarshal([]byte(line[len("data: "):]), &e)
			starts = append(starts, e.ContentBlock.Type)
		}
	}
	if !reflect.DeepEqual(starts, want) {
		t.Errorf("streamed blocks %v, want %v", starts, want)
	}
	var resp MessagesResponse
	if err := json.Unmarshal(AppendResponse(nil, acc.Response(), "msg_1"), &resp); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, b := range resp.Content {
		types = append(types, b.Type)
	}
	if !reflect.DeepEqual(types, want) || resp.Content[3].Thinking != "nothing found" || resp.Content[3].Signature != "c2lnMg==" {
		t.Errorf("complete: %+v", resp.Content)
	}
}

// blockType is the type of a content block's JSON, "" when it has none.
func blockType(raw json.RawMessage) string {
	var h struct {
		Type string `json:"type"`
	}
	json.Unmarshal(raw, &h)
	return h.Type
}

// A paused turn (pause_turn) sent back as the final assistant message, to
// let Claude go on, stays last and whole.
func TestPausedTurnSentBack(t *testing.T) {
	turn := `[{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"go"}},{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}]`
	body := `{"model":"m","max_tokens":64,"tools":[{"type":"web_search_20250305","name":"web_search"}],"messages":[{"role":"user","content":"x"},{"role":"assistant","content":` + turn + `}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.Messages); n != 2 || out.Messages[1].Role != "assistant" {
		t.Fatalf("messages %+v", out.Messages)
	}
	if sent, _ := json.Marshal(out.Messages[1].Content); string(sent) != turn {
		t.Errorf("paused turn sent as %s, want %s", sent, turn)
	}
}

// A request's encoding writes a server tool as the client wrote it, called
// directly (the provider) or inside another value (a batch's params).
func TestRequestMarshalServerTool(t *testing.T) {
	raw := `{"type":"web_search_20250305","name":"web_search","user_location":{"type":"approximate","city":"Paris"},"max_uses":2}`
	req := &MessagesRequest{Model: "m", Messages: []Message{{Role: "user", Content: Blocks{{Type: BlockText, Text: "hi"}}}},
		Tools: []Tool{{Name: "f", InputSchema: json.RawMessage(`{"type":"object"}`)}, serverTool(json.RawMessage(raw))}}
	direct, err := req.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	nested, err := json.Marshal(struct {
		Params *MessagesRequest `json:"params"`
	}{req})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{direct, nested} {
		if !bytes.Contains(b, []byte(`"tools":[{"name":"f","input_schema":{"type":"object"}},`+raw+`]`)) {
			t.Errorf("encoded as %s", b)
		}
	}
	var back MessagesRequest
	if err := json.Unmarshal(direct, &back); err != nil || len(back.Tools) != 2 || string(back.Tools[1].Raw) != raw {
		t.Errorf("decoded back: %+v (%v)", back.Tools, err)
	}
}
