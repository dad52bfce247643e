package openai_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

// usageChunk is the final chunk of an upstream stream: no choices, usage.
func usageChunk() *llm.Chunk {
	return &llm.Chunk{ID: "chatcmpl-1", Model: "up-model", Created: 1700000000, Choices: []llm.ChunkChoice{},
		Usage: &llm.Usage{PromptTokens: 3, CompletionTokens: 1, TotalTokens: 4}}
}

// lateBilling is a backend whose streams, like the gateway's, know their
// served cost only once closed, and forward Ready; its streams play
// events (by default "hello" then the usage chunk).
type lateBilling struct {
	openaitest.Backend
	cost    float64
	unknown bool
	events  []llmtest.Event
}

func (b *lateBilling) Stream(ctx context.Context, req *llm.Request, ov *route.Overrides, served *llm.Served) (llm.Stream, error) {
	if _, err := b.Backend.Stream(ctx, req, ov, served); err != nil {
		return nil, err
	}
	ev := b.events
	if ev == nil {
		ev = llmtest.Chunks(openaitest.TextChunk("hello"), usageChunk())
	}
	s := llmtest.NewStream(ctx, ev...)
	return &closeBilled{Stream: s, bill: func() { served.CostUSD, served.CostUnknown = b.cost, b.unknown }}, nil
}

type closeBilled struct {
	*llmtest.Stream
	bill func()
}

func (s *closeBilled) Close() error {
	s.bill()
	return s.Stream.Close()
}

func postStream(t *testing.T, url, body string) string {
	t.Helper()
	resp, err := http.Post(url+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// With stream_options.include_usage the final usage chunk carries the
// served cost as usage.cost, billed when the stream closed (the backend
// knows it only then); an unknown cost leaves it out; without
// include_usage there is no usage chunk at all.
func TestStreamUsageCarriesCost(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		b          *lateBilling
		wantLast   string // the event before [DONE]
	}{
		{"known", streamUsageBody, &lateBilling{cost: 0.0042},
			`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"up-model","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},"cost":0.0042}}`},
		{"unknown", streamUsageBody, &lateBilling{unknown: true},
			`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"up-model","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`},
		{"no include_usage", streamBody, &lateBilling{cost: 0.0042},
			`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"up-model","choices":[{"index":0,"delta":{"content":"hello"},"logprobs":null,"finish_reason":null}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := events(t, postStream(t, costServer(t, tc.b).URL, tc.body))
			if len(ev) < 2 || ev[len(ev)-1] != "[DONE]" || ev[len(ev)-2] != tc.wantLast {
				t.Errorf("events %q\nwant last %s", ev, tc.wantLast)
			}
		})
	}
}

// The official Go SDK reads the stream and the complete answer as usual,
// and keeps usage.cost as an extra field of the usage.
func TestUsageCostWithSDK(t *testing.T) {
	b := &lateBilling{cost: 0.0042}
	b.Served = llm.Served{Deployment: "d", CostUSD: 0.0021}
	c := sdk.NewClient(option.WithBaseURL(costServer(t, b).URL+"/v1/"), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	params := sdk.ChatCompletionNewParams{Model: "m", Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("hi")},
		StreamOptions: sdk.ChatCompletionStreamOptionsParam{IncludeUsage: sdk.Bool(true)}}
	s := c.Chat.Completions.NewStreaming(context.Background(), params)
	var text strings.Builder
	var usage sdk.CompletionUsage
	for s.Next() {
		ch := s.Current()
		for _, choice := range ch.Choices {
			text.WriteString(choice.Delta.Content)
		}
		if ch.JSON.Usage.Valid() && ch.Usage.TotalTokens > 0 {
			usage = ch.Usage
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if text.String() != "hello" || usage.TotalTokens != 4 || usage.JSON.ExtraFields["cost"].Raw() != "0.0042" {
		t.Errorf("streamed %q, usage %+v, cost %q", text.String(), usage, usage.JSON.ExtraFields["cost"].Raw())
	}
	params.StreamOptions = sdk.ChatCompletionStreamOptionsParam{}
	resp, err := c.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Usage.TotalTokens != 4 || resp.Usage.JSON.ExtraFields["cost"].Raw() != "0.0021" {
		t.Errorf("complete answer: usage %+v, cost %q", resp.Usage, resp.Usage.JSON.ExtraFields["cost"].Raw())
	}
	var cost float64
	if err := json.Unmarshal([]byte(resp.Usage.JSON.ExtraFields["cost"].Raw()), &cost); err != nil || cost != 0.0021 {
		t.Errorf("cost %v, %v", cost, err)
	}
}

// A complete answer from a deployment of unknown price has no usage.cost.
func TestCompleteUsageCostUnknown(t *testing.T) {
	b := &openaitest.Backend{Served: llm.Served{Deployment: "local", CostUnknown: true}}
	w := do(mux(b, 0), "POST", "/v1/chat/completions", chatBody, nil)
	var out struct{ Usage map[string]any }
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Usage == nil {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if _, has := out.Usage["cost"]; has || out.Usage["total_tokens"] != 4.0 {
		t.Errorf("usage %v: want no cost", out.Usage)
	}
}

// Holding the usage chunk back for its cost never holds back the text
// before it: the client reads "hello" while the upstream has not ended.
func TestHeldUsageDoesNotDelayText(t *testing.T) {
	gate := make(chan struct{})
	b := &lateBilling{cost: 0.0042, events: []llmtest.Event{
		{Chunk: openaitest.TextChunk("hello")}, {Chunk: usageChunk()}, {Err: io.EOF, Gate: gate},
	}}
	srv := costServer(t, b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a failure fails, not hangs
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v1/chat/completions",
		strings.NewReader(streamUsageBody))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := bufio.NewReader(resp.Body)
	line, err := r.ReadString('\n')
	if err != nil || !strings.Contains(line, `"content":"hello"`) {
		t.Fatalf("first line %q, %v: the text waited for the stream's end", line, err)
	}
	close(gate)
	rest, _ := io.ReadAll(r)
	if !strings.Contains(string(rest), `"cost":0.0042}}`) || !strings.HasSuffix(string(rest), "data: [DONE]\n\n") {
		t.Errorf("rest %q", rest)
	}
	if got := resp.Trailer.Get(apiopenai.HeaderCost); got != "0.0042" {
		t.Errorf("trailer %q", got)
	}
}
