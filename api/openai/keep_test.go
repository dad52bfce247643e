package openai

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// keepingBackend keeps every chat request it is handed, as the gateway's
// records do when it keeps answers.
type keepingBackend struct {
	mu   sync.Mutex
	kept []*llm.Request
}

func (b *keepingBackend) keep(req *llm.Request) {
	b.mu.Lock()
	b.kept = append(b.kept, req)
	b.mu.Unlock()
}

func (b *keepingBackend) Chat(_ context.Context, req *llm.Request, _ *route.Overrides, _ *llm.Served) (*llm.Response, error) {
	b.keep(req)
	return &llm.Response{ID: "x", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "ok"), FinishReason: llm.FinishStop}}}, nil
}

func (b *keepingBackend) Stream(ctx context.Context, req *llm.Request, _ *route.Overrides, _ *llm.Served) (llm.Stream, error) {
	b.keep(req)
	return llmtest.NewStream(ctx, llmtest.Chunks(llmtest.TextChunk("m", "ok"))...), nil
}

func (b *keepingBackend) Embed(context.Context, *llm.EmbeddingRequest, *llm.Served) (*llm.EmbeddingResponse, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) Moderate(context.Context, *llm.ModerationRequest, *llm.Served) (*llm.ModerationResponse, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) GenerateImages(context.Context, *llm.ImageRequest, *llm.Served) (*llm.ImageResponse, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) Speak(context.Context, *llm.SpeechRequest, *llm.Served) (*llm.AudioStream, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) Transcribe(context.Context, *llm.TranscriptionRequest, *llm.Served) (*llm.TranscriptionResponse, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) EditImages(context.Context, *llm.ImageEditRequest, *llm.Served) (*llm.ImageResponse, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) StreamMedia(context.Context, *llm.MediaStreamRequest, *llm.Served) (llm.EventStream, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

func (b *keepingBackend) Route(context.Context, *llm.Request, *route.Overrides) (*route.Plan, error) {
	return nil, llm.Errorf(llm.KindInvalidRequest, "not here")
}

// keptBody is a chat body whose every string and raw value is unique to i:
// plain and escaped strings, parts, tool calls, tools, a schema, stop
// words, metadata and an unknown field (kept raw in Extra).
func keptBody(i int, stream bool) string {
	return fmt.Sprintf(`{"model":"m-%[1]d","messages":[{"role":"system","content":"sys %[1]d"},`+
		`{"role":"user","content":[{"type":"text","text":"question %[1]d \u00fc\nline"},{"type":"image_url","image_url":{"url":"https://x/%[1]d.png"}}]},`+
		`{"role":"assistant","content":null,"tool_calls":[{"id":"call_%[1]d","type":"function","function":{"name":"f%[1]d","arguments":"{\"a\":%[1]d}"}}]},`+
		`{"role":"tool","tool_call_id":"call_%[1]d","content":"result %[1]d"}],`+
		`"tools":[{"type":"function","function":{"name":"f%[1]d","description":"d %[1]d","parameters":{"type":"object","properties":{"a%[1]d":{"type":"integer"}}}}}],`+
		`"response_format":{"type":"json_schema","json_schema":{"name":"s%[1]d","schema":{"type":"object","title":"t%[1]d"}}},`+
		`"stop":["end %[1]d"],"user":"u%[1]d","metadata":{"k":"v%[1]d"},"x_custom":{"k":"v%[1]d"},"stream":%[2]v}`, i, stream)
}

// scribblePool overwrites, to their capacity, buffers the pool hands out
// (the ones the last requests used among them), then returns them.
func scribblePool() {
	var bufs []*[]byte
	for range 4 {
		b := getBuf()
		full := (*b)[:cap(*b)]
		for k := range full {
			full[k] = 'X'
		}
		bufs = append(bufs, b)
	}
	for _, b := range bufs {
		putBuf(b)
	}
}

// A decoded request outlives its handler (records keep it): none of its
// strings or raw values may point into the pooled body buffer, which the
// next requests reuse. Each request is checked after the buffers were
// reused and overwritten, against a decode of its own copy of the body.
func TestKeptRequestOutlivesThePooledBody(t *testing.T) {
	b := &keepingBackend{}
	mux := http.NewServeMux()
	(&Handler{Backend: b}).Mount(mux)
	const n = 24
	var want []*llm.Request
	for i := range n {
		body := keptBody(i, i%2 == 1)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
		if w.Code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, w.Code, w.Body)
		}
		scribblePool()
		exp, err := wire.DecodeChatRequestOwned([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		exp.ShowsReasoningText = true // the handler's mark of a Chat Completions client
		want = append(want, exp)
	}
	if len(b.kept) != n {
		t.Fatalf("%d requests kept, want %d", len(b.kept), n)
	}
	for i, got := range b.kept {
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("request %d changed after its handler returned:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
}
