package demo

import (
	"fmt"

	"switchyard/drift"
	"switchyard/quality"
	"switchyard/sim"
	simserver "switchyard/sim/server"
)

// This file makes the simulated models answer a golden set (package
// drift) meaningfully: each prompt with a reference answer becomes a
// knowledge entry the models answer right at their accuracy, a prompt
// that must be refused an entry whose right answer is a refusal. Wrong
// answers are other prompts' references of the same category that fail
// the prompt's check, so a wrong answer is seen as one.

// maxWrong bounds the wrong answers of one entry.
const maxWrong = 3

// GoldenEntries returns the knowledge entries of set's prompts: one per
// prompt with a reference answer (stated alone for an exact expectation)
// or that must be refused. Prompts that only must not be refused need
// none: the simulated models' prose answers them.
func GoldenEntries(set *drift.Set) []sim.Entry {
	var out []sim.Entry
	for i := range set.Prompts {
		p := &set.Prompts[i]
		switch {
		case p.Expect.Kind == drift.KindRefuses:
			out = append(out, sim.Entry{Prompt: p.LastUserMessage(), Category: string(p.Category), Refuse: true})
		case p.Reference != "":
			out = append(out, sim.Entry{Prompt: p.LastUserMessage(), Answer: p.Reference, Category: string(p.Category),
				Wrong: wrongAnswers(set, p), Bare: p.Expect.Kind == drift.KindExact})
		}
	}
	return out
}

// wrongAnswers returns other references of p's category that fail p's
// expectation and do not state its reference.
func wrongAnswers(set *drift.Set, p *drift.Prompt) []string {
	var out []string
	for i := range set.Prompts {
		q := &set.Prompts[i]
		if len(out) == maxWrong {
			break
		}
		if q.ID == p.ID || q.Category != p.Category || q.Reference == "" || quality.IsRefusal(q.Reference) {
			continue
		}
		if !p.Expect.Passes(drift.Answer{Text: q.Reference}) && !sim.ContainsAnswer(q.Reference, p.Reference) {
			out = append(out, q.Reference)
		}
	}
	const unsure = "I am not sure."
	if len(out) == 0 && !p.Expect.Passes(drift.Answer{Text: unsure}) {
		out = append(out, unsure)
	}
	return out
}

// TeachGolden makes srv's simulated models know set's answers
// (GoldenEntries).
func TeachGolden(srv *simserver.Server, set *drift.Set) error {
	if err := srv.Behavior.Knowledge.Add(GoldenEntries(set)...); err != nil {
		return fmt.Errorf("demo: teach the golden set %s: %w", set.Name, err)
	}
	return nil
}
