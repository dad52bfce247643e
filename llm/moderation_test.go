package llm

import (
	"slices"
	"testing"
)

func TestServesChat(t *testing.T) {
	for _, tt := range []struct {
		caps []Capability
		want bool
	}{
		{nil, true},
		{[]Capability{CapTools, CapVision}, true},
		{[]Capability{CapEmbeddings}, false},
		{[]Capability{CapModeration}, false},
		{[]Capability{CapModeration, CapVision}, false}, // an omni-moderation model takes images, and still no chat
		{[]Capability{CapEmbeddings, CapMultilingual}, true},
	} {
		if got := ServesChat(tt.caps); got != tt.want {
			t.Errorf("ServesChat(%v) = %v, want %v", tt.caps, got, tt.want)
		}
	}
}

func TestModerationRequestInputs(t *testing.T) {
	texts := &ModerationRequest{Texts: []string{"a", "b"}}
	parts := &ModerationRequest{Parts: []ModerationPart{{Text: "a"}, {ImageURL: "https://x/y.png"}, {Text: "c"}}}
	if texts.Inputs() != 2 || parts.Inputs() != 1 {
		t.Errorf("Inputs: texts %d, parts %d; want 2 and 1 (parts are classified together)", texts.Inputs(), parts.Inputs())
	}
	if texts.HasImages() || !parts.HasImages() {
		t.Errorf("HasImages: texts %v, parts %v", texts.HasImages(), parts.HasImages())
	}
	if got := parts.AllTexts(); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("AllTexts of parts = %q", got)
	}
	if got := texts.AllTexts(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("AllTexts of texts = %q", got)
	}
}

func TestModerationResponseFlagged(t *testing.T) {
	r := &ModerationResponse{Results: []ModerationResult{{Flagged: true}, {}, {Flagged: true}}}
	if r.Flagged() != 2 {
		t.Errorf("Flagged() = %d, want 2", r.Flagged())
	}
}
