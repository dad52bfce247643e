package openai

import (
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// plainRequest is a chat request naming no file: text, an image by URL
// and a PDF by its bytes.
func plainRequest(t testing.TB) *llm.Request {
	req, err := wire.DecodeChatRequest([]byte(`{"model":"auto","messages":[{"role":"system","content":"Be brief."},
		{"role":"user","content":[{"type":"text","text":"What is in these?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
		{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]},
		{"role":"assistant","content":"A picture and a PDF."},{"role":"user","content":"Say more."}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// A request naming no file by id is looked at once, allocating nothing.
func TestNamedFilesNoneAllocatesNothing(t *testing.T) {
	req := plainRequest(t)
	if got := namedFiles(req); got != nil {
		t.Fatalf("named %+v", got)
	}
	if n := testing.AllocsPerRun(100, func() { namedFiles(req) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// The cost inlineFiles adds to a request naming no file.
func BenchmarkInlineFilesNone(b *testing.B) {
	req := plainRequest(b)
	h := &Handler{}
	b.ReportAllocs()
	for b.Loop() {
		if err := h.inlineFiles(b.Context(), req, 400); err != nil {
			b.Fatal(err)
		}
	}
}
