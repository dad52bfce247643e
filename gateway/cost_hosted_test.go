package gateway

import (
	"context"
	"encoding/json"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// hostedCutter answers as newCutter does, deployment a's stream holding
// hosted tool calls — a web search and a code interpreter call done, a
// second search under way — before its text is cut.
func hostedCutter() *llmtest.Provider {
	hosted := func(bd llm.BlockDelta) llmtest.Event {
		return llmtest.Event{Chunk: &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Output: &llm.OutputDelta{Hosted: &bd}}}}}}
	}
	search := json.RawMessage(`{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"}}`)
	code := json.RawMessage(`{"id":"ci_1","type":"code_interpreter_call","status":"completed","container_id":"cntr_1"}`)
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		if req.Model != "a" {
			return answer(req.Model)
		}
		return llmtest.Script{Events: []llmtest.Event{
			hosted(llm.BlockDelta{Index: 0, Start: search}), hosted(llm.BlockDelta{Index: 0, Whole: search}),
			hosted(llm.BlockDelta{Index: 1, Start: code}), hosted(llm.BlockDelta{Index: 1, Whole: code}),
			hosted(llm.BlockDelta{Index: 2, Start: json.RawMessage(`{"id":"ws_2","type":"web_search_call","status":"in_progress"}`)}),
			{Chunk: &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "partial answer"}}}}},
			{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "connection reset mid-stream"}},
		}}
	}}
}

// An attempt cut after hosted tool calls were done (OpenAI bills each
// web search, file search and code interpreter container beside the
// tokens) is billed for them too, in its estimated usage — the upstream's
// usage, which would have counted them, never came: a stream cut for its
// client, and a complete answer's attempt abandoned for the next
// deployment. A call still under way is not counted.
func TestCutAttemptBillsHostedCalls(t *testing.T) {
	for _, stream := range []bool{true, false} {
		g, flush := recordingGateway(t, hostedCutter())
		serveOnce(t, g, stream, "a", "r")
		rec := flush()[0]
		if len(rec.Billed) == 0 || rec.Billed[0].Deployment != "a" {
			t.Fatalf("stream %v: billed %+v", stream, rec.Billed)
		}
		u := rec.Billed[0].Usage
		if !u.Estimated || u.CompletionTokens == 0 || u.WebSearchRequests != 1 || u.ContainerSessions != 1 || u.FileSearchCalls != 0 {
			t.Errorf("stream %v: usage %+v, want the tokens estimated with one web search and one container", stream, u)
		}
	}
}

// serveOnce sends one request through g, streamed (model streamModel,
// read to its end) or complete (model chatModel), and returns what was
// served; the stream's error, if any, is the test's to read from the
// record.
func serveOnce(t *testing.T, g *Gateway, stream bool, streamModel, chatModel string) llm.Served {
	t.Helper()
	var served llm.Served
	if !stream {
		if _, err := g.Chat(context.Background(), hello(chatModel), nil, &served); err != nil {
			t.Fatal(err)
		}
		return served
	}
	s, err := g.Stream(context.Background(), hello(streamModel), nil, &served)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := s.Next(); err != nil {
			break
		}
	}
	s.Close()
	return served
}
