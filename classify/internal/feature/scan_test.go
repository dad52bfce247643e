package feature

import "testing"

// tokens returns the word hashes of s and whether each is an ideograph.
func tokens(s string) (hs []uint32, ideo []bool) {
	var st textStats
	ws := wordScanner{s: s, end: len(s), stats: &st}
	for {
		h, id, ok := ws.next(0)
		if !ok {
			return hs, ideo
		}
		hs, ideo = append(hs, h), append(ideo, id)
	}
}

func TestThaiIsTokenizedByCharacter(t *testing.T) {
	const s = "แต่งกลอน" // "compose a poem", written without spaces
	hs, ideo := tokens(s)
	if len(hs) != len([]rune(s)) {
		t.Errorf("%d tokens, want one per character (%d)", len(hs), len([]rune(s)))
	}
	for i, id := range ideo {
		if !id {
			t.Errorf("token %d is not a character token", i)
		}
	}
}

func TestGreekIsCaseFolded(t *testing.T) {
	a, _ := tokens("ΠΟΙΗΜΑ")
	b, _ := tokens("ποιημα")
	if len(a) != 1 || len(b) != 1 || a[0] != b[0] {
		t.Errorf("ΠΟΙΗΜΑ hashes %v, ποιημα %v: want one equal token", a, b)
	}
}

func TestLetterBagKeepsSwappedLetters(t *testing.T) {
	var st textStats
	bag := func(s string) uint32 {
		ws := wordScanner{s: s, end: len(s), stats: &st}
		ws.next(0)
		return ws.bag
	}
	if bag("summarize") == 0 || bag("summarize") != bag("Summraize") {
		t.Error("summarize and Summraize have different letter bags")
	}
	if bag("summarize") == bag("summarise") {
		t.Error("different letters, same bag")
	}
	for _, short := range []string{"poem", "x2abc", "naïve"} {
		if bag(short) != 0 {
			t.Errorf("%q has a letter bag; only ASCII letter words of %d or more letters do", short, bagWordMin)
		}
	}
}
