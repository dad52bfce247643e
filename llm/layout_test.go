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
		{"Part", unsafe.Sizeof(Part{}), 40},        // image and raw fields behind Extra
	} {
		if tt.got > tt.want {
			t.Errorf("%s is %d bytes; want at most %d", tt.name, tt.got, tt.want)
		}
	}
}

// TestPartAccessors checks that a part's rarely set fields read as empty
// when Extra is nil (every text part) and as set by the constructors.
func TestPartAccessors(t *testing.T) {
	for _, tt := range []struct {
		name             string
		p                Part
		url, detail, raw string
		wantType         PartType
	}{
		{"text", Part{Type: PartText, Text: "hi"}, "", "", "", PartText},
		{"image", ImagePart("https://x/y.png", "low"), "https://x/y.png", "low", "", PartImage},
		{"other", OtherPart([]byte(`{"type":"file"}`)), "", "", `{"type":"file"}`, PartOther},
	} {
		p := tt.p
		if p.Type != tt.wantType || p.ImageURL() != tt.url || p.ImageDetail() != tt.detail || string(p.Raw()) != tt.raw {
			t.Errorf("%s: got type %q url %q detail %q raw %q", tt.name, p.Type, p.ImageURL(), p.ImageDetail(), p.Raw())
		}
	}
}
