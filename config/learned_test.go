package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// learnedYAML is a route whose learned section's fields start on line 7,
// column 7; the route may choose d and e, and f is configured but not in
// the route.
func learnedYAML(body string) string {
	return okProvider + "deployments: {d: {provider: openai}, e: {provider: openai}, f: {provider: openai}}\nroutes:\n  r:\n    deployments: [d, e]\n    learned:\n" + body
}

const learnedOK = "      model: router.bin\n      deployments:\n        d: coder\n        e: quizzer\n"

func TestLearnedDecode(t *testing.T) {
	c := mustParse(t, []byte(learnedYAML(learnedOK+"      weight: 0.5\n")), nil)
	l := c.Routes["r"].Learned
	if l.Model != "router.bin" || l.Path != "router.bin" || l.Weight != 0.5 || len(l.Deployments) != 2 || l.Deployments["e"] != "quizzer" {
		t.Errorf("learned = %+v", *l)
	}
	if w := mustParse(t, []byte(learnedYAML(learnedOK)), nil).Routes["r"].Learned.Weight; w != 1 {
		t.Errorf("default weight = %v, want 1", w)
	}
}

func TestLearnedMistakes(t *testing.T) {
	tests := []struct {
		name, body, path string
		line, col        int
		problem, hint    string
	}{
		{"no model", "      deployments: {d: coder}\n", "routes.r.learned.model", 0, 0, "is required", "switchyard learn fit"},
		{"no deployments", "      model: m.bin\n", "routes.r.learned.deployments", 0, 0, "must map at least one deployment", "e.g. learned:"},
		{"weight above 1", learnedOK + "      weight: 1.5\n", "routes.r.learned.weight", 11, 15, "must be in (0, 1], got 1.5", "0.5 averages"},
		{"weight negative", learnedOK + "      weight: -1\n", "routes.r.learned.weight", 11, 15, "must be in (0, 1], got -1", ""},
		{"deployment outside the route", "      model: m.bin\n      deployments: {d: coder, f: quizzer}\n", "routes.r.learned.deployments.f", 8, 34,
			`deployment "f" is not one the route may choose`, "the route's deployments: d, e"},
		{"empty model name", "      model: m.bin\n      deployments: {d: \"\"}\n", "routes.r.learned.deployments.d", 8, 24, "names no model", "model column"},
		{"unknown field", learnedOK + "      wieght: 1\n", "routes.r.learned", 11, 7, `unknown field "wieght"`, `did you mean "weight"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(learnedYAML(tt.body)), nil)
			fe := findError(t, err, tt.path, tt.problem)
			if tt.line == 0 {
				tt.line, tt.col = 6, 5 // the learned key
			}
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tt.line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
		})
	}
}

// CheckLearned reports an unusable file at the model field and a model
// name the file lacks at its mapping, with the file Load read and a
// did-you-mean; Load resolves the model's path against the config's
// directory.
func TestCheckLearned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	yaml := learnedYAML("      model: router.bin\n      deployments:\n        d: coder\n        e: quizer\n")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "router.bin")
	if got := c.Routes["r"].Learned.Path; got != want {
		t.Fatalf("path = %q, want %q", got, want)
	}
	var read []string
	err = c.CheckLearned(func(p string) ([]string, error) {
		read = append(read, p)
		return []string{"coder", "quizzer"}, nil
	})
	fe := findError(t, err, "routes.r.learned.deployments.e", `model "quizer" is not in router.bin`)
	if fe.File != path || fe.Line != 10 || fe.Column != 12 || !strings.Contains(fe.Hint, `did you mean "quizzer"?`) {
		t.Errorf("error = %v (%s:%d:%d)", fe, fe.File, fe.Line, fe.Column)
	}
	if len(read) != 1 || read[0] != want {
		t.Errorf("read %v, want [%s]", read, want)
	}
	if errs := err.(Errors); len(errs) != 1 {
		t.Errorf("%d errors, want 1: %v", len(errs), err)
	}

	err = c.CheckLearned(func(string) ([]string, error) { return nil, errors.New("bad model file: checksum mismatch") })
	fe = findError(t, err, "routes.r.learned.model", "cannot use the model file: bad model file: checksum mismatch")
	if fe.Line != 7 || fe.Column != 14 || !strings.Contains(fe.Hint, "--out router.bin") {
		t.Errorf("error = %v (%d:%d)", fe, fe.Line, fe.Column)
	}
	if err := c.CheckLearned(func(string) ([]string, error) { return []string{"coder", "quizer"}, nil }); err != nil {
		t.Errorf("a file with every mapped model: %v", err)
	}
}
