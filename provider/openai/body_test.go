package openai

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// TestUpstreamBodyReleasedOnceSent checks that the encoded upstream body
// of a large request is not kept while the upstream works on it (issue 8,
// memory): the upstream, once it has read the whole body, measures the
// live heap of this process, which the client shares. Keeping the body
// (as a bytes.Reader in the *http.Request did) adds its 16 MB.
func TestUpstreamBodyReleasedOnceSent(t *testing.T) {
	const size = 16 << 20
	var before, during runtime.MemStats
	got := make(chan int64, 1)
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		runtime.GC()
		runtime.ReadMemStats(&during)
		got <- n
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
	})
	c := serve(t, up, KindOpenAI, "/v1", testKey)
	req := userRequest("m", strings.Repeat("a", size))
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drain(s); err != io.EOF {
		t.Fatalf("stream ended with %v", err)
	}
	if n := <-got; n < size {
		t.Fatalf("upstream got %d bytes, want over %d", n, size)
	}
	if grew := int64(during.HeapAlloc) - int64(before.HeapAlloc); grew > size/2 {
		t.Errorf("the live heap grew by %d MB while the upstream worked; the %d MB body was kept", grew>>20, size>>20)
	}
	runtime.KeepAlive(req)
}
