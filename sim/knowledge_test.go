package sim

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"What is the capital of France?", "what is the capital of france"},
		{"  WHAT   is\tthe capital\nof FRANCE ?? ", "what is the capital of france"},
		{"Don't stop", "dont stop"},
		{"¿Dónde está Zürich?", "dónde está zürich"},
		{"$18 + 2", "$18 + 2"},
		{"1,000.50", "100050"},
		{"...", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContainsAnswer(t *testing.T) {
	tests := []struct {
		text, answer string
		want         bool
	}{
		{"It is Paris.", "Paris", true},
		{"It is paris", "PARIS.", true},
		{"The answer is 120.", "12", false},
		{"The answer is 12, not 120.", "12", true},
		{"Parisian food", "Paris", false},
		{"It is Paris, Texas.", "Paris, Texas", true},
		{"It is Paris Texas", "Texas Paris", false},
		{"anything", "", false},
		{"anything", "?!", false},
		{"a a b", "a b", true},
		{"return x ** 5", "return x * 5", false},
		{"return x * 5", "return x * 5.", true},
		{"return x * 5", "return x - 5", false},
		{"Write to natalia.reyes@acme.com.", "Natalia.Reyes@acme.com", true},
		{"Write to support@acme.com.", "reyes@acme.com", false},
		{`{"name":"Ada"}`, `{"name": "Ada"}`, true},
		{"It costs $1,000.", "$1,000", true},
		{"It costs $1,000.", "1000", false},
		{"Zürich, Señor", "ZÜRICH", true},
	}
	for _, tt := range tests {
		if got := ContainsAnswer(tt.text, tt.answer); got != tt.want {
			t.Errorf("ContainsAnswer(%q, %q) = %v, want %v", tt.text, tt.answer, got, tt.want)
		}
	}
}

func TestKnowledgeAddLookup(t *testing.T) {
	var k Knowledge
	if _, ok := k.Lookup("anything"); ok || k.Len() != 0 {
		t.Fatal("the zero Knowledge knows something")
	}
	err := k.Add(
		Entry{Prompt: "What is the capital of France?", Answer: "Paris", Category: "factual", Wrong: []string{"Lyon"}},
		Entry{Prompt: "What is 2+2?", Answer: "4", Category: "reasoning"},
	)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := k.Lookup("  what IS the capital of france ")
	if !ok || e.Answer != "Paris" || e.Category != "factual" || len(e.Wrong) != 1 {
		t.Fatalf("Lookup = %+v, %v", e, ok)
	}
	if _, ok := k.Lookup("What is the capital of Spain?"); ok {
		t.Fatal("an unknown prompt was found")
	}
	// A prompt known again replaces the entry, category included.
	if err := k.Add(Entry{Prompt: "what is 2 + 2", Answer: "four", Category: "factual"}, Entry{Prompt: "What is 2+2", Answer: "4", Category: "chat"}); err != nil {
		t.Fatal(err)
	}
	if e, _ := k.Lookup("What is 2+2?"); e.Answer != "4" || e.Category != "chat" || k.Len() != 3 {
		t.Fatalf("after replacing: %+v, %d entries", e, k.Len())
	}
	var cats []string
	for _, e := range k.Entries() {
		cats = append(cats, e.Category)
	}
	if got := strings.Join(cats, ","); got != "chat,factual,factual" {
		t.Fatalf("Entries categories %s, want chat,factual,factual", got)
	}
	k.Clear()
	if k.Len() != 0 || len(k.Entries()) != 0 {
		t.Fatal("Clear left entries")
	}
}

func TestKnowledgeAddChecks(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
		want string
	}{
		{"empty prompt", Entry{Prompt: " ?! ", Answer: "a"}, "prompt is empty"},
		{"empty answer", Entry{Prompt: "q", Answer: "."}, "answer is empty"},
		{"wrong contains right", Entry{Prompt: "q", Answer: "Paris", Wrong: []string{"Paris, Texas"}}, "contains the right answer"},
		{"empty wrong", Entry{Prompt: "q", Answer: "a", Wrong: []string{""}}, "wrong[0] is empty"},
		{"bad category", Entry{Prompt: "q", Answer: "a", Category: "two words"}, "category"},
		{"any category", Entry{Prompt: "q", Answer: "a", Category: "*"}, "category"},
		{"too many wrong", Entry{Prompt: "q", Answer: "a", Wrong: strings.Split(strings.Repeat("b,", 17), ",")[:17]}, "wrong answers"},
		{"long prompt", Entry{Prompt: strings.Repeat("q", maxPromptBytes+1), Answer: "a"}, "prompt is"},
	}
	for _, tt := range tests {
		var k Knowledge
		err := k.Add(Entry{Prompt: "fine", Answer: "yes"}, tt.e)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "entry 1: ") {
			t.Errorf("%s: err %v, want entry 1: …%s…", tt.name, err, tt.want)
		}
		if k.Len() != 0 {
			t.Errorf("%s: a failed Add added %d entries", tt.name, k.Len())
		}
	}
}

func TestNearbyNumbers(t *testing.T) {
	tests := []struct {
		answer string
		want   []string
	}{
		{"18", []string{"19", "36", "9", "28", "17"}},
		{"$18 in total", []string{"$19 in total", "$36 in total", "$9 in total", "$28 in total", "$17 in total"}},
		{"0", []string{"1", "10"}},
		{"1,000", []string{"1001", "2000", "500", "1010", "999"}},
		{"2.50", []string{"2.51", "5.00", "1.25", "2.60", "2.49"}},
		{"from 3 to 7", []string{"from 3 to 8", "from 3 to 14", "from 3 to 4", "from 3 to 17", "from 3 to 6"}},
		{"Paris", nil},
	}
	for _, tt := range tests {
		got := nearbyNumbers(tt.answer)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("nearbyNumbers(%q) = %q, want %q", tt.answer, got, tt.want)
		}
		for _, w := range got {
			if ContainsAnswer(w, tt.answer) {
				t.Errorf("nearbyNumbers(%q): %q contains the answer", tt.answer, w)
			}
		}
	}
}
