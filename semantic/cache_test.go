package semantic

import (
	"errors"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestCacheBoundAndRecency(t *testing.T) {
	c := NewCache(2)
	put := func(text string) key {
		k := c.key("emb", "", text)
		_, f, leader := c.lookup(k)
		if !leader {
			t.Fatalf("%q: not a miss", text)
		}
		c.finish(k, f, []float32{1}, nil)
		return k
	}
	hit := func(k key) bool {
		vec, f, _ := c.lookup(k)
		if f != nil {
			c.finish(k, f, nil, errors.New("not cached")) // release the flight
		}
		return vec != nil
	}
	a, b := put("a"), put("b")
	if !hit(a) { // a is now the most recent
		t.Fatal("a missing")
	}
	cc := put("c") // evicts b, the least recent
	if c.Len() != 2 || hit(b) || !hit(a) || !hit(cc) {
		t.Errorf("len %d, b cached %v", c.Len(), hit(b))
	}
	if c.key("emb", "", "a") == c.key("other", "", "a") || c.key("emb", "", "a") == c.key("emb", "t", "a") || c.key("emb", "", "a") != a {
		t.Error("the key must depend on deployment and text, and only on them")
	}
	// A failed call caches nothing.
	k := c.key("emb", "", "d")
	_, f, _ := c.lookup(k)
	c.finish(k, f, nil, errors.New("boom"))
	if <-f.done; f.err == nil || hit(k) {
		t.Error("a failure was cached")
	}
	if NewCache(0).size != DefaultCacheSize {
		t.Error("default size")
	}
}

func TestText(t *testing.T) {
	long := strings.Repeat("é", MaxTextBytes) // two bytes each
	tests := []struct {
		name string
		msgs []llm.Message
		want string
	}{
		{"last user message", []llm.Message{
			llm.TextMessage(llm.RoleSystem, "be nice"), llm.TextMessage(llm.RoleUser, "first"),
			llm.TextMessage(llm.RoleAssistant, "answer"), llm.TextMessage(llm.RoleUser, "  refund please "),
			llm.TextMessage(llm.RoleTool, "tool output"),
		}, "refund please"},
		{"text parts joined", []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
			{Type: llm.PartText, Text: "what is "}, llm.ImagePart("https://x/y.png", ""), {Type: llm.PartText, Text: "this"},
		}}}, "what is this"},
		{"no user message", []llm.Message{llm.TextMessage(llm.RoleSystem, "hi")}, ""},
		{"cut at a character", []llm.Message{llm.TextMessage(llm.RoleUser, long)}, long[:MaxTextBytes]},
	}
	for _, tt := range tests {
		if got := Text(&llm.Request{Messages: tt.msgs}); got != tt.want {
			t.Errorf("%s: Text = %.40q…, want %.40q…", tt.name, got, tt.want)
		}
	}
	odd := "a" + long // cutting at MaxTextBytes would split a character
	if got := clip(odd); len(got) != MaxTextBytes-1 || !strings.HasPrefix(odd, got) {
		t.Errorf("clip kept %d bytes", len(got))
	}
}
