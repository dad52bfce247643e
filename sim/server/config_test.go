package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/sim"
	"switchyard/sim/workload"
)

const configYAML = `seed: 42
knowledge: [kb/facts.jsonl]
workload: {seed: 1, n: 70}
models:
  "*":
    drift: {refusal_rate: 0.02}
  gpt-4o-mini:
    accuracy: {"*": 0.75, reasoning: 0.55}
    drift: {verbosity: 1.3, refusal_rate: 0.15, accuracy_drop: {reasoning: 0.15}}
  claude-haiku-4-5:
    priority_tier: {input_tokens_per_minute: 200000, output_tokens_per_minute: 40000}
`

func TestLoadAndApplyConfig(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "kb"), 0o755)
	os.WriteFile(filepath.Join(dir, "kb", "facts.jsonl"), []byte(`{"prompt":"Who wrote Hamlet?","answer":"Shakespeare","category":"factual"}`), 0o600)
	path := filepath.Join(dir, "sim.yaml")
	os.WriteFile(path, []byte(configYAML), 0o600)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := New(DemoCatalogs(0), nil)
	if err := srv.Apply(c); err != nil {
		t.Fatal(err)
	}
	b := srv.Behavior
	if b.Seed() != 42 || b.Knowledge.Len() != 71 {
		t.Fatalf("seed %d, %d entries; want 42 and 71", b.Seed(), b.Knowledge.Len())
	}
	if _, ok := b.Knowledge.Lookup(workload.Generate(workload.Options{Seed: 1, N: 70})[69].Prompt); !ok {
		t.Fatal("the workload's last item is not known")
	}
	mini := &sim.Profile{Model: "gpt-4o-mini", Quality: 0.9}
	if got := b.Accuracy(mini, "reasoning"); got < 0.3999 || got > 0.4001 {
		t.Errorf("gpt-4o-mini reasoning accuracy %v, want 0.55 - 0.15", got)
	}
	if got := b.Accuracy(mini, "code"); got != 0.75 {
		t.Errorf("gpt-4o-mini code accuracy %v, want 0.75", got)
	}
	drifts := b.Drifts()
	if len(drifts) != 2 || drifts[0].Model != "" || drifts[0].RefusalRate != 0.02 || drifts[1].Model != "gpt-4o-mini" || drifts[1].Verbosity != 1.3 {
		t.Errorf("drifts %+v", drifts)
	}
	if p := b.Priority.List(); len(p) != 1 || p[0] != (sim.PriorityCapacity{Model: "claude-haiku-4-5", InputTokensPerMinute: 200000, OutputTokensPerMinute: 40000}) {
		t.Errorf("priority tier %+v", p)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"seed: 1\nunknown: 2\n", "unknown"},
		{"workload: {n: 0}\n", "workload.n: 0 is not in"},
		{"workload: {n: 5, categories: [poetry]}\n", `unknown category "poetry"`},
		{"models: {m: {accuracy: {code: 1.5}}}\n", "models.m.accuracy[code] 1.5 is not in [0,1]"},
		{"models: {m: {drift: {verbosity: 20}}}\n", "models.m.drift: verbosity 20"},
		{"models: {m: {drift: {refusal_rate: -1}}}\n", "models.m.drift: refusal_rate"},
		{"models: {m: {drift: {accuracy_drop: {\"a b\": 0.1}}}}\n", "models.m.drift: accuracy_drop: category"},
		{"seed: [1]\n", "seed"},
		{"models: {\"*\": {priority_tier: {input_tokens_per_minute: 5, output_tokens_per_minute: 5}}}\n", "models.*.priority_tier: a Priority Tier commitment is for one model"},
		{"models: {m: {priority_tier: {input_tokens_per_minute: 5}}}\n", "models.m.priority_tier: input_tokens_per_minute and output_tokens_per_minute must be at least 1"},
	}
	for _, tt := range tests {
		if _, err := ParseConfig([]byte(tt.yaml)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err %v, want %q in it", tt.yaml, err, tt.want)
		}
	}
	srv := New(DemoCatalogs(0), nil)
	for _, tt := range []struct{ yaml, want string }{
		{"models: {gpt-5: {accuracy: {\"*\": 0.5}}}\n", "models.gpt-5: no simulated model has this id (known: claude-haiku-4-5, "},
		{"knowledge: [missing.jsonl]\nseed: 3\n", "knowledge: open missing.jsonl"},
	} {
		c, err := ParseConfig([]byte(tt.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Apply(c); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: Apply err %v, want %q in it", tt.yaml, err, tt.want)
		}
	}
	if srv.Behavior.Seed() != 0 || len(srv.Behavior.Accuracies()) != 0 {
		t.Fatal("a failed Apply changed the Behavior")
	}
}

// FuzzParseConfig: any bytes are a config Apply accepts (when its models
// exist and it names no knowledge file) or an error.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(configYAML))
	f.Add([]byte("models: {\"*\": {accuracy: {\"*\": 0.5}, drift: {verbosity: 0.1}}}\nworkload: {n: 3}\n"))
	f.Add([]byte("seed: 18446744073709551615\n"))
	f.Add([]byte("models: {m: {priority_tier: {input_tokens_per_minute: 1, output_tokens_per_minute: 2}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data)
		if err != nil || len(c.Knowledge) > 0 || (c.Workload != nil && c.Workload.N > 1000) {
			return
		}
		srv := New(Catalogs{OpenAI: {{Model: "m"}}}, nil)
		for name := range c.Models {
			if name != AnyModel {
				srv.Catalogs[OpenAI] = append(srv.Catalogs[OpenAI], sim.Profile{Model: name})
			}
		}
		if err := srv.Apply(c); err != nil {
			t.Fatalf("a parsed config fails Apply: %v", err)
		}
	})
}
