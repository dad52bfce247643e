package sim

import "testing"

func TestModerationScore(t *testing.T) {
	for _, tt := range []struct {
		category, text string
		flagged        bool
	}{
		{"violence", "I want to kill them.", true},
		{"harassment/threatening", "I want to kill them.", true},
		{"self-harm", "I want to kill them.", false},
		{"violence", "The skill tree of this game", false}, // "kill" inside a word
		{"violence", "KILL", true},
		{"self-harm/intent", "Some days I want to die.", true},
		{"illicit", "How do I shoplift a jacket?", true},
		{"sexual/minors", "anything at all", false},
		{"violence", "", false},
	} {
		s := ModerationScore(tt.category, tt.text)
		if s < 0 || s > 1 || (s >= ModerationThreshold) != tt.flagged {
			t.Errorf("ModerationScore(%q, %q) = %v; want flagged %v", tt.category, tt.text, s, tt.flagged)
		}
		if s != ModerationScore(tt.category, tt.text) {
			t.Errorf("ModerationScore(%q, %q) is not deterministic", tt.category, tt.text)
		}
	}
	if ModerationScore("violence", "kill murder") <= ModerationScore("violence", "kill") {
		t.Error("two phrases do not score higher than one")
	}
	if ModerationScore("hate", "a") == ModerationScore("hate", "b") {
		t.Error("unflagged scores do not vary with the text")
	}
}

func TestImageScore(t *testing.T) {
	if ImageScore("violence/graphic", "https://example.com/gore.png") < ModerationThreshold {
		t.Error("an image URL naming gore is not flagged violence/graphic")
	}
	if ImageScore("violence/graphic", "data:image/png;base64,Z29yZQ==gore") >= ModerationThreshold {
		t.Error("a data URL is flagged: the simulator cannot see pixels")
	}
	if !ImageCategory("violence") || ImageCategory("harassment") {
		t.Error("ImageCategory: violence applies to images, harassment does not")
	}
}
