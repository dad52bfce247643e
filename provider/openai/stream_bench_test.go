package openai

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"switchyard/provider"
)

// simBody returns an upstream stream body of the simulator's shape (the
// one switchyard bench answers with): a role chunk, n content chunks, a
// finish chunk, a usage chunk and [DONE].
func simBody(n int) []byte {
	const head = `{"id":"chatcmpl-qfv7LXJJhm2kgNDNgKi3qyFhmD97K","object":"chat.completion.chunk","created":1796453836,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":`
	var b strings.Builder
	b.WriteString("data: " + head + `{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}` + "\n\n")
	for i := range n {
		fmt.Fprintf(&b, "data: %s{\"content\":\" word%d\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n", head, i)
	}
	b.WriteString("data: " + head + `{},"logprobs":null,"finish_reason":"stop"}]}` + "\n\n")
	b.WriteString(`data: {"id":"chatcmpl-qfv7LXJJhm2kgNDNgKi3qyFhmD97K","object":"chat.completion.chunk","created":1796453836,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[],"usage":{"prompt_tokens":220,"completion_tokens":40,"total_tokens":260}}` + "\n\n")
	b.WriteString("data: [DONE]\n\n")
	return []byte(b.String())
}

// BenchmarkEventStream reads one upstream call's stream (40 content
// chunks) through the EventStream every adapter shares, as the router
// does for each request: the reader, the decoder and the chunks.
func BenchmarkEventStream(b *testing.B) {
	body := simBody(40)
	ctx := context.Background()
	secrets := []string{testKey} // a client's, made once with it
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s := provider.NewEventStream(ctx, provider.NewCall(ctx), "openai", secrets, io.NopCloser(bytes.NewReader(body)), &decoder{}, nil)
		for {
			if _, err := s.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
		s.Close()
	}
}
