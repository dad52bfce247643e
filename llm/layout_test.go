package llm

import (
	"testing"
	"unsafe"
)

// TestMessageLayout guards the size of the types a long conversation holds
// one of per turn (a 100,000-message request holds 100,000 of each): a
// field added or moved carelessly grows every request's memory. Sizes are
// for 64-bit platforms.
func TestMessageLayout(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	for _, tt := range []struct {
		name      string
		got, want uintptr
	}{
		{"Message", unsafe.Sizeof(Message{}), 120}, // the two bools share one word
		{"Part", unsafe.Sizeof(Part{}), 88},
	} {
		if tt.got > tt.want {
			t.Errorf("%s is %d bytes; want at most %d", tt.name, tt.got, tt.want)
		}
	}
}
