package server

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"switchyard/llm"
	"switchyard/sim"
	"switchyard/sim/workload"
)

// Config is the simulators' behavior file (`switchyard sim --config
// FILE`): the seed of the draws, the knowledge the models answer from,
// and per model its accuracy and drift. A zero Config changes nothing.
//
//	seed: 42
//	knowledge: [facts.jsonl]      # paths relative to this file
//	workload: {seed: 1, n: 700}   # a generated workload, known too
//	models:
//	  "*": {drift: {refusal_rate: 0.02}}
//	  gpt-4o-mini:
//	    accuracy: {"*": 0.75, reasoning: 0.55}
//	    drift: {verbosity: 1.3, refusal_rate: 0.15, accuracy_drop: {reasoning: 0.15}}
//	  claude-haiku-4-5:
//	    priority_tier: {input_tokens_per_minute: 200000, output_tokens_per_minute: 40000}
type Config struct {
	// Seed seeds the draws (see sim.Behavior).
	Seed uint64 `yaml:"seed"`
	// Knowledge lists knowledge files (sim.LoadKnowledge), relative to
	// the config file's directory.
	Knowledge []string `yaml:"knowledge"`
	// Workload, when set, adds a generated workload's answers to the
	// knowledge (sim/workload).
	Workload *WorkloadConfig `yaml:"workload"`
	// Models holds per model id ("*" for every model without its own)
	// its accuracy and drift.
	Models map[string]ModelConfig `yaml:"models"`

	// dir is the directory knowledge paths are relative to.
	dir string
}

// WorkloadConfig is the workload.Options of a generated workload.
type WorkloadConfig struct {
	Seed uint64 `yaml:"seed"`
	// N is the number of items, 1 to MaxWorkloadItems.
	N int `yaml:"n"`
	// Categories are dealt round robin; empty means all seven.
	Categories []llm.Category `yaml:"categories"`
}

// MaxWorkloadItems bounds a configured workload.
const MaxWorkloadItems = 100000

// ModelConfig is one model's accuracy and drift.
type ModelConfig struct {
	// Accuracy per category ("*" for every category without its own).
	Accuracy map[string]float64 `yaml:"accuracy"`
	// Drift, when set, is the model's drift from the start.
	Drift *DriftConfig `yaml:"drift"`
	// PriorityTier, when set, is the simulated organization's Anthropic
	// Priority Tier commitment for the model (sim.PriorityTier); not for
	// "*": a commitment is for one model.
	PriorityTier *PriorityTierConfig `yaml:"priority_tier"`
}

// PriorityTierConfig is a sim.PriorityCapacity without its model.
type PriorityTierConfig struct {
	InputTokensPerMinute  int `yaml:"input_tokens_per_minute"`
	OutputTokensPerMinute int `yaml:"output_tokens_per_minute"`
}

func (p *PriorityTierConfig) capacity(model string) sim.PriorityCapacity {
	return sim.PriorityCapacity{Model: model, InputTokensPerMinute: p.InputTokensPerMinute, OutputTokensPerMinute: p.OutputTokensPerMinute}
}

// DriftConfig is a sim.Drift without its model (the key of Models).
type DriftConfig struct {
	Verbosity    float64            `yaml:"verbosity"`
	RefusalRate  float64            `yaml:"refusal_rate"`
	AccuracyDrop map[string]float64 `yaml:"accuracy_drop"`
}

// AnyModel is the key of Config.Models for every model.
const AnyModel = "*"

// LoadConfig reads and checks a config file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.dir = filepath.Dir(path)
	return c, nil
}

// ParseConfig decodes and checks a config (YAML; unknown fields are an
// error). Knowledge paths are relative to the working directory.
func ParseConfig(data []byte) (c *Config, err error) {
	defer func() { // the YAML library panics on some malformed input
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("invalid YAML: parser failed: %v", r)
		}
	}()
	c = new(Config)
	if err := yaml.UnmarshalWithOptions(data, c, yaml.Strict()); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) check() error {
	if w := c.Workload; w != nil {
		if w.N < 1 || w.N > MaxWorkloadItems {
			return fmt.Errorf("workload.n: %d is not in [1, %d]", w.N, MaxWorkloadItems)
		}
		for _, cat := range w.Categories {
			if !cat.Valid() {
				return fmt.Errorf("workload.categories: unknown category %q (known: %v)", cat, llm.Categories)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Models)) {
		m := c.Models[name]
		var b sim.Behavior
		if err := b.SetAccuracy(name, m.Accuracy); err != nil {
			return fmt.Errorf("models.%s.%w", name, err)
		}
		if d := m.Drift; d != nil {
			if err := b.SetDrift(sim.Drift{Verbosity: d.Verbosity, RefusalRate: d.RefusalRate, AccuracyDrop: d.AccuracyDrop}); err != nil {
				return fmt.Errorf("models.%s.drift: %w", name, err)
			}
		}
		if p := m.PriorityTier; p != nil {
			if name == AnyModel {
				return fmt.Errorf("models.%s.priority_tier: a Priority Tier commitment is for one model, not every model", name)
			}
			if err := p.capacity(name).Check(); err != nil {
				return fmt.Errorf("models.%s.%w", name, err)
			}
		}
	}
	return nil
}

// Apply loads c's knowledge and workload into s.Behavior and sets the
// seed, accuracies and drifts. It fails, changing nothing, for a config
// ParseConfig would refuse, a model no catalog has or a knowledge file
// that does not load.
func (s *Server) Apply(c *Config) error {
	if err := c.check(); err != nil {
		return err
	}
	known := s.modelIDs()
	for name := range c.Models {
		if name != AnyModel && !known[name] {
			return fmt.Errorf("models.%s: no simulated model has this id (known: %s)", name, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	var entries []sim.Entry
	for _, p := range c.Knowledge {
		if !filepath.IsAbs(p) {
			p = filepath.Join(c.dir, p)
		}
		es, err := sim.LoadKnowledge(p)
		if err != nil {
			return fmt.Errorf("knowledge: %w", err)
		}
		entries = append(entries, es...)
	}
	if w := c.Workload; w != nil {
		o := workload.Options{Seed: w.Seed, N: w.N}
		if len(w.Categories) > 0 {
			o.Categories = w.Categories
		}
		entries = append(entries, workload.Entries(workload.Generate(o))...)
	}
	if err := s.Behavior.Knowledge.Add(entries...); err != nil {
		return fmt.Errorf("knowledge: %w", err)
	}
	s.Behavior.SetSeed(c.Seed)
	for name, m := range c.Models { // checked above: these cannot fail
		if name == AnyModel {
			name = ""
		}
		if len(m.Accuracy) > 0 {
			s.Behavior.SetAccuracy(name, m.Accuracy)
		}
		if d := m.Drift; d != nil {
			s.Behavior.SetDrift(sim.Drift{Model: name, Verbosity: d.Verbosity, RefusalRate: d.RefusalRate, AccuracyDrop: d.AccuracyDrop})
		}
		if p := m.PriorityTier; p != nil {
			s.Behavior.Priority.Set(p.capacity(name))
		}
	}
	return nil
}

// modelIDs returns the ids of every simulated model.
func (s *Server) modelIDs() map[string]bool {
	ids := map[string]bool{}
	for _, ps := range s.Catalogs {
		for _, p := range ps {
			ids[p.Model] = true
		}
	}
	return ids
}
