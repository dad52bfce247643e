package batch

import (
	"regexp"
	"strconv"
	"testing"
)

// A new key's custom ids carry it, fit Anthropic's pattern and read
// back; a legacy key's are "line-<index>"; ids of another key, of
// the other scheme, or not an index of ours read as none.
func TestForwardCustomIDs(t *testing.T) {
	anthropicID := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	key := NewForwardKey()
	if !CarriesKey(key) || CarriesKey("swfwd_AbC") || CarriesKey("") {
		t.Fatalf("CarriesKey wrong for %q or a legacy key", key)
	}
	for _, i := range []int{0, 7, 49999, 9999999} {
		id := ForwardCustomID(key, i)
		if !anthropicID.MatchString(id) || id != key+"-"+strconv.Itoa(i) {
			t.Errorf("custom id %q of line %d", id, i)
		}
		if got, ok := ForwardLineIndex(key, id); !ok || got != i {
			t.Errorf("ForwardLineIndex(%q) = %d, %v", id, got, ok)
		}
		if legacy := ForwardCustomID("swfwd_old", i); legacy != "line-"+strconv.Itoa(i) {
			t.Errorf("legacy custom id %q", legacy)
		}
		if got, ok := ForwardLineIndex("swfwd_old", "line-"+strconv.Itoa(i)); !ok || got != i {
			t.Errorf("a legacy custom id reads %d, %v", got, ok)
		}
	}
	for _, id := range []string{"line-3", NewForwardKey() + "-3", key + "-", key + "-03", key + "-+3", key + "-3x", key, key + "-99999999999999999999"} {
		if got, ok := ForwardLineIndex(key, id); ok {
			t.Errorf("ForwardLineIndex(%q) = %d, want none", id, got)
		}
	}
	if _, ok := ForwardLineIndex("", key+"-3"); ok {
		t.Error("a keyed custom id read as a legacy batch's line")
	}
}

// FuzzForwardLineIndex: a provider's custom id reads as a line index
// only when it is exactly that index's custom id.
func FuzzForwardLineIndex(f *testing.F) {
	f.Add("swfk_abc", "swfk_abc-12")
	f.Add("swfk_abc", "swfk_abd-12")
	f.Add("swfwd_x", "line-0")
	f.Add("", "line-007")
	f.Fuzz(func(t *testing.T, key, id string) {
		i, ok := ForwardLineIndex(key, id)
		if ok && (i < 0 || ForwardCustomID(key, i) != id) {
			t.Fatalf("ForwardLineIndex(%q, %q) = %d", key, id, i)
		}
	})
}
