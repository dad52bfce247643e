package openai

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	oai "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/llm"
)

// sdkServer is a minimal OpenAI-compatible server built on this codec; the
// official Go client talks to it unchanged.
type sdkServer struct {
	mu       sync.Mutex
	lastChat *llm.Request
	lastEmb  *llm.EmbeddingRequest
}

func (s *sdkServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	fail := func(err error) {
		e := llm.AsError(err)
		w.WriteHeader(e.HTTPStatus())
		w.Write(AppendError(nil, e))
	}
	switch r.URL.Path {
	case "/chat/completions":
		req, err := DecodeChatRequest(body)
		if err != nil {
			fail(err)
			return
		}
		s.mu.Lock()
		s.lastChat = req
		s.mu.Unlock()
		if !req.Stream {
			w.Write(AppendChatResponse(nil, sampleResponse()))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		var buf []byte
		for _, c := range sampleChunks() {
			if c.Usage != nil && !req.IncludeUsage {
				continue
			}
			buf = append(buf[:0], "data: "...)
			if req.IncludeUsage {
				buf = AppendChunkIncludeUsage(buf, c)
			} else {
				buf = AppendChunk(buf, c)
			}
			w.Write(append(buf, "\n\n"...))
		}
		io.WriteString(w, "data: [DONE]\n\n")
	case "/embeddings":
		req, err := DecodeEmbeddingRequest(body)
		if err != nil {
			fail(err)
			return
		}
		s.mu.Lock()
		s.lastEmb = req
		s.mu.Unlock()
		resp := &llm.EmbeddingResponse{Model: req.Model, Usage: llm.Usage{PromptTokens: 2, TotalTokens: 2}}
		for i := range req.Input {
			resp.Data = append(resp.Data, llm.Embedding{Index: i, Vector: []float32{float32(i), 0.25, -1e-3}})
		}
		w.Write(AppendEmbeddingResponse(nil, resp, req.EncodingFormat))
	case "/models":
		w.Write(AppendModelList(nil, []Model{{ID: "auto", OwnedBy: "switchyard", Created: 1}}))
	default:
		fail(&llm.Error{Kind: llm.KindNotFound, Message: "Invalid URL (" + r.Method + " " + r.URL.Path + ")"})
	}
}

func newSDKClient(t *testing.T) (oai.Client, *sdkServer) {
	srv := &sdkServer{}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return oai.NewClient(option.WithBaseURL(ts.URL), option.WithAPIKey("sk-test"), option.WithMaxRetries(0)), srv
}

func TestSDKClientChat(t *testing.T) {
	client, srv := newSDKClient(t)
	ctx := context.Background()
	params := oai.ChatCompletionNewParams{
		Model: "auto",
		Messages: []oai.ChatCompletionMessageParamUnion{
			oai.DeveloperMessage("Be brief."),
			oai.UserMessage("Weather in Oslo?"),
		},
		Tools: []oai.ChatCompletionToolUnionParam{oai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: "get_weather", Description: oai.String("Weather."), Strict: oai.Bool(true),
			Parameters: shared.FunctionParameters{"type": "object"},
		})},
		MaxCompletionTokens: oai.Int(64),
		Temperature:         oai.Float(0.2),
		Seed:                oai.Int(7),
		Metadata:            shared.Metadata{"k": "v"},
		ReasoningEffort:     shared.ReasoningEffortLow,
	}
	cc, err := client.Chat.Completions.New(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	if cc.Choices[0].Message.Content != "Hi \"there\"\n" || cc.Usage.PromptTokensDetails.CachedTokens != 1024 {
		t.Errorf("response: %+v", cc)
	}
	got := srv.lastChat
	if got.Model != "auto" || len(got.Messages) != 2 || got.Messages[0].Role != llm.RoleDeveloper || got.Messages[1].Text() != "Weather in Oslo?" ||
		len(got.Tools) != 1 || got.Tools[0].Name != "get_weather" || *got.Tools[0].Strict != true || string(got.Tools[0].Parameters) != `{"type":"object"}` ||
		*got.MaxTokens != 64 || got.Extra[ExtraMaxCompletionTokens] == nil || *got.Temperature != 0.2 || *got.Seed != 7 ||
		got.Metadata["k"] != "v" || got.Reasoning == nil || got.Reasoning.Effort != llm.EffortLow {
		t.Errorf("decoded SDK request: %+v", got)
	}
}

func TestSDKClientStream(t *testing.T) {
	client, _ := newSDKClient(t)
	for _, includeUsage := range []bool{true, false} {
		params := oai.ChatCompletionNewParams{Model: "auto", Messages: []oai.ChatCompletionMessageParamUnion{oai.UserMessage("hi")}}
		if includeUsage {
			params.StreamOptions = oai.ChatCompletionStreamOptionsParam{IncludeUsage: oai.Bool(true)}
		}
		stream := client.Chat.Completions.NewStreaming(context.Background(), params)
		var acc oai.ChatCompletionAccumulator
		for stream.Next() {
			if !acc.AddChunk(stream.Current()) {
				t.Fatalf("accumulator rejected %s", stream.Current().RawJSON())
			}
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		if len(acc.Choices) != 3 || acc.Choices[0].Message.Content != "Hello \u2028 wörld" || acc.Choices[1].Message.ToolCalls[0].Function.Arguments != `{"city":"Oslo"}` {
			t.Errorf("accumulated: %+v", acc.ChatCompletion)
		}
		if wantTokens := map[bool]int64{true: 29, false: 0}[includeUsage]; acc.Usage.TotalTokens != wantTokens {
			t.Errorf("include_usage=%v: total tokens %d", includeUsage, acc.Usage.TotalTokens)
		}
	}
}

func TestSDKClientErrors(t *testing.T) {
	client, _ := newSDKClient(t)
	_, err := client.Chat.Completions.New(context.Background(), oai.ChatCompletionNewParams{
		Model:       "auto",
		Messages:    []oai.ChatCompletionMessageParamUnion{oai.UserMessage("hi")},
		Temperature: oai.Float(9),
	})
	var apiErr *oai.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *openai.Error", err)
	}
	if apiErr.StatusCode != 400 || apiErr.Type != "invalid_request_error" || apiErr.Param != "temperature" || apiErr.JSON.Code.Raw() != "null" {
		t.Errorf("SDK error: status %d type %q param %q code %q message %q", apiErr.StatusCode, apiErr.Type, apiErr.Param, apiErr.JSON.Code.Raw(), apiErr.Message)
	}
	_, err = client.Completions.New(context.Background(), oai.CompletionNewParams{Model: "x", Prompt: oai.CompletionNewParamsPromptUnion{OfString: oai.String("x")}})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Message != "Invalid URL (POST /completions)" {
		t.Errorf("not found: %v", err)
	}
}

func TestSDKClientEmbeddingsAndModels(t *testing.T) {
	client, srv := newSDKClient(t)
	ctx := context.Background()
	for _, format := range []oai.EmbeddingNewParamsEncodingFormat{"", oai.EmbeddingNewParamsEncodingFormatFloat, oai.EmbeddingNewParamsEncodingFormatBase64} {
		res, err := client.Embeddings.New(ctx, oai.EmbeddingNewParams{
			Model:          "text-embedding-3-small",
			Input:          oai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"a", "b"}},
			EncodingFormat: format,
			Dimensions:     oai.Int(3),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Data) != 2 || res.Data[1].Embedding[0] != 1 || res.Data[1].Embedding[1] != 0.25 || float32(res.Data[1].Embedding[2]) != -1e-3 {
			t.Errorf("%q: %+v", format, res.Data)
		}
		if got := srv.lastEmb; got.EncodingFormat != string(format) || *got.Dimensions != 3 || len(got.Input) != 2 {
			t.Errorf("decoded SDK embeddings request: %+v", got)
		}
	}
	page, err := client.Models.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 || page.Data[0].ID != "auto" || page.Data[0].OwnedBy != "switchyard" {
		t.Errorf("models: %+v", page.Data)
	}
}
