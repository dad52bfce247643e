package sim

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var knowledgeWant = []Entry{
	{Prompt: "What is the capital of France?", Answer: "Paris", Category: "factual", Wrong: []string{"Lyon"}},
	{Prompt: "What is 6 times 7?", Answer: "42"},
}

func TestReadKnowledge(t *testing.T) {
	tests := []struct {
		name   string
		format KnowledgeFormat
		in     string
	}{
		{"jsonl", KnowledgeJSON, `{"prompt":"What is the capital of France?","answer":"Paris","category":"factual","wrong":["Lyon"]}` + "\n\n" +
			`{"prompt":"What is 6 times 7?","answer":"42"}` + "\n"},
		{"json array, sniffed", KnowledgeAuto, ` [{"prompt":"What is the capital of France?","answer":"Paris","category":"factual","wrong":["Lyon"]},
			{"prompt":"What is 6 times 7?","answer":"42"}]`},
		{"jsonl, sniffed", KnowledgeAuto, `{"prompt":"What is the capital of France?","answer":"Paris","category":"factual","wrong":["Lyon"]}` + "\r\n" +
			`{"prompt":"What is 6 times 7?","answer":"42"}`},
		{"yaml", KnowledgeYAML, "- prompt: What is the capital of France?\n  answer: Paris\n  category: factual\n  wrong: [Lyon]\n- prompt: What is 6 times 7?\n  answer: \"42\"\n"},
		{"yaml, sniffed", KnowledgeAuto, "# facts\n- prompt: What is the capital of France?\n  answer: Paris\n  category: factual\n  wrong:\n    - Lyon\n- {prompt: What is 6 times 7?, answer: \"42\"}\n"},
	}
	for _, tt := range tests {
		got, err := ReadKnowledge(strings.NewReader(tt.in), tt.format)
		if err != nil || !reflect.DeepEqual(got, knowledgeWant) {
			t.Errorf("%s: %+v, %v", tt.name, got, err)
		}
	}
}

func TestReadKnowledgeErrors(t *testing.T) {
	tests := []struct {
		name   string
		format KnowledgeFormat
		in     string
		want   string
	}{
		{"unknown field", KnowledgeJSON, `{"prompt":"q","answer":"a"}` + "\n" + `{"prompt":"q","answer":"a","answers":["b"]}`, "knowledge line 2: json: unknown field"},
		{"bad entry", KnowledgeJSON, `{"prompt":"q","answer":"a","wrong":["A!"]}`, "knowledge line 1: wrong[0]"},
		{"two values a line", KnowledgeJSON, `{"prompt":"q","answer":"a"} {"prompt":"r","answer":"b"}`, "knowledge line 1: data after"},
		{"array entry", KnowledgeJSON, `[{"prompt":"q","answer":"a"},{"prompt":"","answer":"b"}]`, "knowledge entry 1: prompt is empty"},
		{"not json", KnowledgeJSON, `{"prompt":`, "knowledge line 1"},
		{"empty", KnowledgeAuto, " \n", "no knowledge entry"},
		{"yaml unknown field", KnowledgeYAML, "- prompt: q\n  answer: a\n  note: x\n", "knowledge:"},
		{"yaml not a list", KnowledgeYAML, "prompt: q\nanswer: a\n", "knowledge:"},
		{"yaml bad entry", KnowledgeYAML, "- prompt: q\n  answer: a\n- prompt: r\n", "knowledge entry 1: answer is empty"},
		{"format", "xml", "<x/>", "unknown knowledge format"},
	}
	for _, tt := range tests {
		_, err := ReadKnowledge(strings.NewReader(tt.in), tt.format)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q in it", tt.name, err, tt.want)
		}
	}
}

func TestLoadKnowledge(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"kb.jsonl":  `{"prompt":"What is the capital of France?","answer":"Paris","category":"factual","wrong":["Lyon"]}` + "\n" + `{"prompt":"What is 6 times 7?","answer":"42"}`,
		"kb.yml":    "- prompt: What is the capital of France?\n  answer: Paris\n  category: factual\n  wrong: [Lyon]\n- prompt: What is 6 times 7?\n  answer: \"42\"\n",
		"kb.txt":    "- prompt: What is the capital of France?\n  answer: Paris\n  category: factual\n  wrong: [Lyon]\n- prompt: What is 6 times 7?\n  answer: \"42\"\n",
		"bad.json":  "- prompt: q\n  answer: a\n",
		"bad2.yaml": "- prompt: q\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"kb.jsonl", "kb.yml", "kb.txt"} {
		if got, err := LoadKnowledge(filepath.Join(dir, name)); err != nil || !reflect.DeepEqual(got, knowledgeWant) {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
	for _, name := range []string{"bad.json", "bad2.yaml", "missing.jsonl"} {
		if _, err := LoadKnowledge(filepath.Join(dir, name)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err %v, want one naming the file", name, err)
		}
	}
}

// FuzzReadKnowledge: any bytes decode to checked entries a Knowledge
// accepts, or to an error; never a panic.
func FuzzReadKnowledge(f *testing.F) {
	f.Add([]byte(`{"prompt":"What is the capital of France?","answer":"Paris","category":"factual","wrong":["Lyon"]}`), byte(0))
	f.Add([]byte(`[{"prompt":"q","answer":"a"}]`), byte(1))
	f.Add([]byte("- prompt: q\n  answer: a\n  wrong: [b, c]\n"), byte(2))
	f.Add([]byte("- {prompt: q, answer: &x a, wrong: [*x]}\n"), byte(2))
	f.Add([]byte("\ufeff{\"prompt\":\"q\",\"answer\":\"a\"}\n{"), byte(0))
	formats := []KnowledgeFormat{KnowledgeAuto, KnowledgeJSON, KnowledgeYAML}
	f.Fuzz(func(t *testing.T, data []byte, format byte) {
		entries, err := ReadKnowledge(strings.NewReader(string(data)), formats[int(format)%len(formats)])
		if err != nil {
			return
		}
		var k Knowledge
		if err := k.Add(entries...); err != nil {
			t.Fatalf("decoded entries %+v fail Add: %v", entries, err)
		}
		for _, e := range entries {
			if _, ok := k.Lookup(e.Prompt); !ok {
				t.Fatalf("entry %+v not found", e)
			}
		}
	})
}
