package openai

import (
	"testing"
	"unsafe"
)

// DecodeChatRequestOwned's strings point into the body it was handed (no
// copy of a large body); DecodeChatRequest's never do, as its caller may
// reuse the buffer.
func TestDecodeChatRequestOwnedAliasesTheBody(t *testing.T) {
	body := []byte(`{"model":"m","messages":[{"role":"user","content":"a message long enough to notice"}]}`)
	inside := func(s string, b []byte) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		return p >= start && p < start+uintptr(len(b))
	}
	copied, err := DecodeChatRequest(body)
	if err != nil {
		t.Fatal(err)
	}
	if inside(copied.Messages[0].Text(), body) {
		t.Error("DecodeChatRequest's text points into the caller's buffer")
	}
	owned, err := DecodeChatRequestOwned(body)
	if err != nil {
		t.Fatal(err)
	}
	if !inside(owned.Messages[0].Text(), body) {
		t.Error("DecodeChatRequestOwned copied the body")
	}
	if owned.Messages[0].Text() != copied.Messages[0].Text() || owned.Model != "m" {
		t.Errorf("owned decode %+v", owned)
	}
}
