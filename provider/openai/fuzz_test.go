package openai

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
)

// FuzzStream feeds arbitrary bytes to the stream reader: it must not panic
// or hang, must fail only with *llm.Error values, and may end with io.EOF
// only after "[DONE]" or a finish_reason.
func FuzzStream(f *testing.F) {
	chunk := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null}`
	seeds := []string{
		"data: " + chunk + "\n\ndata: [DONE]\n\n",
		"data: [DONE]\n\n",
		"data: [DONE]",
		": ping\n\nevent: message\ndata: " + chunk + "\r\n\r\ndata: [DONE]\r\n\r\n",
		"data: " + chunk + "\n\n",
		"data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n",
		"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\ndata: [DONE]\n\n",
		"data: {\"choices\":[]}\n\ndata: [DONE]\n\n",
		"data: {\"id\":\n\n",
		"data: not json\n\n",
		"data: " + chunk[:40],
		"\n\n\n",
		"",
		"data:\ndata:\n\n",
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}\n\ndata: [DONE]\n\n",
		// finish_reason as the string "null", then choices left open by
		// [DONE] (inferFinish)
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":\"null\"},{\"index\":3,\"delta\":{\"content\":\"b\"}}]}\n\ndata: [DONE]\n\n",
	}
	for _, calls := range []string{ // hosts that number calls wrong (tool_slots.go)
		`{"id":"a","function":{"name":"f","arguments":"{"}},{"id":"b","function":{"name":"g"}}`,
		`{"index":0,"id":"a","function":{"name":"f"}},{"index":0,"id":"b","function":{"arguments":"1"}},{"index":null,"function":{"arguments":"2"}}`,
		`{"index":7,"function":{"arguments":"x"}},{"index":-1,"id":"a"},{"function":{"arguments":"y"}},{"function":{"arguments":"z"}}`,
	} {
		seeds = append(seeds, toolChunk(calls)+toolChunk(calls)+"data: [DONE]\n\n")
	}
	seeds = append(seeds, deepSeekStream, strings.ReplaceAll(deepSeekStream, "reasoning_content", "reasoning"),
		azureAsyncPasses, azureAsyncBlocked) // Azure's Asynchronous Filter annotations
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	mem := thinking.New(1<<20, 0)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		dec := &decoder{}
		switch len(data) % 3 { // the thinking hidden, or kept, or passed on
		case 1:
			dec.hide = true
		case 2:
			dec.keep = thinking.NewKeeper(mem, "fuzz", false)
		}
		s := provider.NewEventStream(ctx, provider.NewCall(ctx), "fuzz", []string{testKey}, io.NopCloser(bytes.NewReader(data)), dec, nil)
		defer s.Close()
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more chunks (%d) than input bytes", i)
			}
			ch, err := s.Next()
			if err == nil {
				if ch == nil {
					t.Fatal("nil chunk without error")
				}
				continue
			}
			if err == io.EOF {
				if !bytes.Contains(data, []byte("[DONE]")) && !bytes.Contains(data, []byte("finish_reason")) {
					t.Fatal("io.EOF without [DONE] or a finish_reason")
				}
				return
			}
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("error %T %v is not an *llm.Error", err, err)
			}
			return
		}
	})
}
