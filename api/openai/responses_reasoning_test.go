package openai_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/store"
	"switchyard/store/seal"
	wireresp "switchyard/wire/responses"
)

// thinkingBackend answers a first turn with thinking and a tool call
// (complete or streamed), and keeps the messages of every request.
type thinkingBackend struct {
	fakeBackend
	mu   sync.Mutex
	seen [][]llm.Message
}

var backendThinking = []llm.Thinking{{Text: "Paris needs the tool.", Signature: "sig"}}

func newThinkingBackend() *thinkingBackend {
	b := &thinkingBackend{}
	note := func(req *llm.Request) bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.seen = append(b.seen, req.Messages)
		return len(b.seen) == 1
	}
	b.ChatFunc = func(_ context.Context, req *llm.Request) (*llm.Response, error) {
		if !note(req) {
			return textResponse("18C in Paris."), nil
		}
		m := llm.Message{Role: llm.RoleAssistant}
		m.SetThinking(backendThinking)
		m.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "get_weather", Arguments: `{"city":"Paris"}`}})
		return &llm.Response{Choices: []llm.Choice{{Message: m, FinishReason: llm.FinishToolCalls}}}, nil
	}
	b.StreamFunc = func(ctx context.Context, req *llm.Request) (llm.Stream, error) {
		note(req)
		return llmtest.NewStream(ctx, llmtest.Chunks(
			&llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Text: backendThinking[0].Text}}}}},
			&llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Thinking: &llm.ThinkingDelta{Signature: "sig"}}}}},
			&llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{ToolCalls: []llm.ToolCallDelta{{ID: "call_1", Name: "get_weather", Arguments: `{"city":"Paris"}`}}}, FinishReason: llm.FinishToolCalls}}})...), nil
	}
	return b
}

// lastAssistantThinking returns the thinking of the last request's last
// assistant turn.
func (b *thinkingBackend) lastAssistantThinking() []llm.Thinking {
	b.mu.Lock()
	defer b.mu.Unlock()
	msgs := b.seen[len(b.seen)-1]
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == llm.RoleAssistant {
			return msgs[i].Thinking()
		}
	}
	return nil
}

// A stored response's reasoning item keeps the sealed thinking (whether
// or not the client asked to see it): GET shows the item, and a
// continuation by previous_response_id puts the thinking back on the
// assistant turn, complete and streamed first turns alike.
func TestStoredReasoningContinues(t *testing.T) {
	keys, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	for _, stream := range []bool{false, true} {
		rs := &memResponses{kept: map[string]*store.Response{}}
		b := newThinkingBackend()
		m := http.NewServeMux()
		(&apiopenai.Handler{Backend: &b.fakeBackend, Responses: rs,
			Reasoning: func(context.Context) *wireresp.Sealer { return wireresp.NewSealer(keys, "") }}).Mount(m)
		srv := httptest.NewServer(m)
		c := sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
		p := responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("Weather in Paris?")},
			Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow}}
		var id string
		if stream {
			s := c.Responses.NewStreaming(context.Background(), p)
			for s.Next() {
				if ev := s.Current(); ev.Type == "response.completed" {
					id = ev.Response.ID
				}
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
		} else {
			first, err := c.Responses.New(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			id = first.ID
		}
		got, err := c.Responses.Get(context.Background(), id, responses.ResponseGetParams{})
		if err != nil || len(got.Output) != 2 || got.Output[0].Type != "reasoning" || got.Output[0].AsReasoning().EncryptedContent != "" {
			t.Fatalf("stream %v: GET %v %s", stream, err, got.RawJSON())
		}
		if out := string(rs.get(id).Output); !strings.Contains(out, `"encrypted_content":"swy1.`) {
			t.Errorf("stream %v: stored output %s", stream, out)
		}
		p.PreviousResponseID = sdk.String(id)
		p.Input = responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
			CallID: sdk.String("call_1"), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: sdk.String("18C")}}}}}
		next, err := c.Responses.New(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		page, err := c.Responses.InputItems.List(context.Background(), next.ID, responses.InputItemListParams{Order: "asc"})
		if err != nil || len(page.Data) != 4 || page.Data[1].Type != "reasoning" || page.Data[1].ID != "rs_"+strings.TrimPrefix(id, "resp_") {
			t.Errorf("stream %v: input items %v %s", stream, err, page.RawJSON())
		}
		if th := b.lastAssistantThinking(); len(th) != 1 || th[0] != backendThinking[0] {
			t.Errorf("stream %v: the continued turn's thinking %v", stream, th)
		}
		srv.Close()
	}
}
