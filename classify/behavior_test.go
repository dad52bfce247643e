package classify

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"switchyard/llm"
)

// The shipped model's behavior on requests written for these tests (never
// trained on): agent traffic, typos and casing, and every detected
// language.

// codingHarness is a long agent system prompt, the kind coding agents send.
var codingHarness = strings.Repeat("You are a coding agent working in the user's repository. Use the tools "+
	"read_file, edit_file and run_tests. Make minimal changes, run the tests after each edit, and never "+
	"push without asking. Explain briefly what you changed and why. ", 8)

// pastedLog is a long tool output or pasted log.
var pastedLog = strings.Repeat("2026-03-14T10:22:31Z INFO  worker 3 picked job 88123 from queue billing\n"+
	"2026-03-14T10:22:32Z WARN  retrying upstream call (attempt 2/5): connection reset by peer\n", 20)

// article is a long pasted document.
var article = strings.Repeat("The regional council voted on Thursday to turn the old freight yard into a park "+
	"with sports fields, a community garden and a small concert stage. Construction is planned to start next "+
	"spring and will cost about 14 million euros, shared by the region and the city. ", 6)

func TestAgentTrafficIsClassifiedByTheInstruction(t *testing.T) {
	tool := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: pastedLog}}}
	toolOnlyUser := llm.Message{Role: llm.RoleUser, Content: []llm.Part{llm.OtherPart([]byte(`{"type":"tool_result","content":"ok"}`))}}
	tests := []struct {
		name string
		msgs []llm.Message
		want llm.Category
	}{
		{"creative under a coding harness", []llm.Message{systemMsg(codingHarness), userMsg("Write a short poem about Monday mornings.")}, llm.CategoryCreative},
		{"factual under a coding harness", []llm.Message{systemMsg(codingHarness), userMsg("Who was the first person to walk on the moon?")}, llm.CategoryFactual},
		{"question after a pasted log", []llm.Message{userMsg(pastedLog + "\nWhy does my worker keep failing, and how do I fix the code?")}, llm.CategoryCode},
		{"summary of a pasted article", []llm.Message{userMsg("Summarize this article in three bullet points:\n\n" + article)}, llm.CategorySummarization},
		{"summary asked after the article", []llm.Message{userMsg(article + "\n\nCan you give me a short summary of this?")}, llm.CategorySummarization},
		{"extraction from a pasted article", []llm.Message{userMsg(article + "\n\nExtract the date, the amount and the places mentioned as JSON.")}, llm.CategoryExtraction},
		{"tool results after the question", []llm.Message{systemMsg(codingHarness), userMsg("What's the capital of Canada?"), assistantMsg("Let me check."), tool}, llm.CategoryFactual},
		{"a user turn of tool results only", []llm.Message{userMsg("Write a bedtime story about a brave little turtle."), assistantMsg("Calling the tool."), toolOnlyUser}, llm.CategoryCreative},
	}
	c := Default()
	for _, tt := range tests {
		f := c.Classify(&llm.Request{Messages: tt.msgs})
		if f.Category != tt.want {
			t.Errorf("%s: %s at %.2f, want %s (scores %v)", tt.name, f.Category, f.Confidence, tt.want, f.Scores)
		}
	}
}

// typo swaps two adjacent letters in the middle of the longest word.
func typo(s string) string {
	words := strings.Fields(s)
	best := 0
	for i, w := range words {
		if len(w) > len(words[best]) {
			best = i
		}
	}
	w := []byte(words[best])
	if len(w) >= 4 {
		m := len(w) / 2
		w[m], w[m+1] = w[m+1], w[m]
	}
	words[best] = string(w)
	return strings.Join(words, " ")
}

func TestTyposAndCasingDoNotFlipTheCategory(t *testing.T) {
	prompts := []string{
		"Write a poem about the ocean at night",
		"What is the population of Brazil?",
		"Solve for x: 3x + 7 = 22, showing each step",
		"Write a Python function that merges two sorted lists",
		"Summarize the following paragraph in one sentence: the company reported record profits this quarter",
		"Extract all email addresses from this text: contact anna@example.com or bob@example.org",
		"hey how are you doing today",
		"Explain why the sky is blue",
		"Generate a catchy slogan for a coffee shop",
		"How many minutes are there in three and a half days?",
	}
	c := Default()
	for _, p := range prompts {
		want := c.ClassifyText(p).Category
		for _, v := range []string{strings.ToUpper(p), strings.ToLower(p), typo(p), typo(typo(strings.ToLower(p)))} {
			if got := c.ClassifyText(v); got.Category != want {
				t.Errorf("%q is %s but %q is %s (%.2f)", p, want, v, got.Category, got.Confidence)
			}
		}
	}
}

// probe is one line of testdata/probe/languages.jsonl.
type probe struct {
	Text, Label, Source string
}

func TestEveryLanguageEveryCategory(t *testing.T) {
	f, err := os.Open("testdata/probe/languages.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	right, total := map[string]int{}, map[string]int{}
	detected, n := 0, 0
	c := Default()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p probe
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		lang := strings.TrimPrefix(p.Source, "written-here:probe:")
		got := c.ClassifyText(p.Text)
		total[lang]++
		if string(got.Category) == p.Label {
			right[lang]++
		} else {
			t.Logf("%s: %q is %s (%.2f), labeled %s", lang, p.Text, got.Category, got.Confidence, p.Label)
		}
		n++
		if got.Language == lang {
			detected++
		} else {
			t.Logf("%q: language %q, want %q", p.Text, got.Language, lang)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if detected < n*9/10 {
		t.Errorf("language detected for %d of %d probe prompts, want >= 90%%", detected, n)
	}
	if len(total) != 9 {
		t.Fatalf("%d languages in the probe set, want 9", len(total))
	}
	for lang, n := range total {
		acc := float64(right[lang]) / float64(n)
		t.Logf("%s: %d/%d", lang, right[lang], n)
		if acc < minProbeAccuracy {
			t.Errorf("%s: %d of %d probe prompts right (%.2f), want >= %.2f", lang, right[lang], n, acc, minProbeAccuracy)
		}
	}
}

// minProbeAccuracy is the floor per language of the probe set.
const minProbeAccuracy = 0.7

// TestLanguagesNotDetected checks requests in eleven languages the
// detector does not name (testdata/probe/more_languages.jsonl: Italian,
// Korean, Vietnamese, Greek, Thai, Hindi, Turkish, Polish, Indonesian,
// Dutch, Ukrainian; one prompt per category each, written for this test and
// never trained on): an unfamiliar language must not make a request small
// talk.
func TestLanguagesNotDetected(t *testing.T) {
	perClass := scoreProbes(t, "testdata/probe/more_languages.jsonl")
	right, n := 0, 0
	for _, pc := range perClass {
		right, n = right+pc[0], n+pc[1]
	}
	if n != 77 {
		t.Fatalf("%d probe prompts, want 77", n)
	}
	t.Logf("%d of %d right; per class %v", right, n, perClass)
	if float64(right) < minProbeAccuracy*float64(n) {
		t.Errorf("%d of %d probe prompts in undetected languages right, want >= %.0f%%", right, n, 100*minProbeAccuracy)
	}
	for class, pc := range perClass {
		if pc[0]*2 < pc[1] {
			t.Errorf("%s: %d of %d right, want at least half", class, pc[0], pc[1])
		}
	}
}

// scoreProbes classifies every prompt of a probe file with the shipped
// model, logs each miss, and returns per label how many were right and
// how many there were.
func scoreProbes(t *testing.T, path string) map[string][2]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := Default()
	perClass := map[string][2]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p probe
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		got := c.ClassifyText(p.Text)
		pc := perClass[p.Label]
		pc[1]++
		if string(got.Category) == p.Label {
			pc[0]++
		} else {
			t.Logf("%s: %q is %s (%.2f), labeled %s", p.Source, p.Text, got.Category, got.Confidence, p.Label)
		}
		perClass[p.Label] = pc
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return perClass
}
