package gateway

import (
	"context"
	"encoding/json"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A stream cut after hosted tool calls were done (OpenAI bills each web
// search, file search and code interpreter container beside the tokens)
// is billed for them too, as its estimated usage: the upstream's usage,
// which would have counted them, never came. A call only started is not.
func TestCutStreamBillsHostedCalls(t *testing.T) {
	hosted := func(bd llm.BlockDelta) llmtest.Event {
		return llmtest.Event{Chunk: &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Output: &llm.OutputDelta{Hosted: &bd}}}}}}
	}
	search := json.RawMessage(`{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"}}`)
	code := json.RawMessage(`{"id":"ci_1","type":"code_interpreter_call","status":"completed","container_id":"cntr_1"}`)
	p := &llmtest.Provider{Func: func(context.Context, *llm.Request, int) llmtest.Script {
		return llmtest.Script{Events: []llmtest.Event{
			hosted(llm.BlockDelta{Index: 0, Start: search}), hosted(llm.BlockDelta{Index: 0, Whole: search}),
			hosted(llm.BlockDelta{Index: 1, Start: code}), hosted(llm.BlockDelta{Index: 1, Whole: code}),
			hosted(llm.BlockDelta{Index: 2, Start: json.RawMessage(`{"id":"ws_2","type":"web_search_call","status":"in_progress"}`)}),
			{Chunk: &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "partial answer"}}}}},
			{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "connection reset mid-stream"}},
		}}
	}}
	g, flush := recordingGateway(t, p)
	var served llm.Served
	s, err := g.Stream(context.Background(), hello("a"), nil, &served)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := s.Next(); err != nil {
			break
		}
	}
	s.Close()
	u := flush()[0].Usage
	if !u.Estimated || u.CompletionTokens == 0 || u.WebSearchRequests != 1 || u.ContainerSessions != 1 || u.FileSearchCalls != 0 {
		t.Errorf("usage %+v, want the tokens estimated with one web search and one container", u)
	}
}
