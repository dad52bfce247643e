package openai_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"switchyard/llm"
)

// A body too large for the buffer pool is decoded in place (its strings
// alias the body, which is never reused): the backend still gets every
// message intact, and two large requests one after the other do not see
// each other's text.
func TestLargeBodyDecodedIntact(t *testing.T) {
	for _, fill := range []string{"a", "b"} {
		text := strings.Repeat(fill, 3<<20/2) // 1.5 MB, over the 1 MiB pooled buffers
		b := &fakeBackend{}
		var got *llm.Request
		b.ChatFunc = func(_ context.Context, req *llm.Request) (*llm.Response, error) {
			got = req
			return textResponse("ok"), nil
		}
		body := fmt.Sprintf(`{"model":"m","messages":[{"role":"user","content":%q},{"role":"user","content":"tail"}]}`, text)
		if w := do(mux(b, 4<<20), "POST", "/v1/chat/completions", body, nil); w.Code != 200 {
			t.Fatalf("status %d: %.300s", w.Code, w.Body)
		}
		if got == nil || len(got.Messages) != 2 || got.Messages[0].Text() != text || got.Messages[1].Text() != "tail" {
			t.Fatalf("the backend got a damaged request (%d messages)", len(got.Messages))
		}
	}
}
