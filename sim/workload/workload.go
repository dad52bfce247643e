// Package workload generates seeded, reproducible chat workloads for the
// simulated providers, and simulates the users who rate the answers.
//
// Generate writes N prompts over the router's categories (factual
// questions, math word problems, code tasks, creative writing, data
// extraction, small talk, summaries), each with the answer that counts as
// right and plausible wrong ones. Registered in a sim.Knowledge (Register,
// or the /_sim/knowledge endpoint with Entries), they make the simulated
// models answer right at their accuracy for the prompt's category, so a
// test can measure which model is good enough for what. The prompts are
// written in several forms per category, from tables of facts, names and
// numbers, so that the router's classifier puts them in their category
// (the package's tests hold it to at least 90% per category).
//
// Rater is the simulated user: it rates an answer up when it states the
// expected answer and down otherwise, with a configurable share of noisy
// ratings, and writes the body of POST /v1/feedback.
//
// The package imports no test code, so end-to-end tests and benchmarks
// can use it.
package workload

import (
	"math/rand/v2"

	"switchyard/llm"
	"switchyard/sim"
)

// Item is one request of a workload.
type Item struct {
	// Prompt is the user message to send.
	Prompt string
	// Category is the category the prompt was written for.
	Category llm.Category
	// Expected is the right answer: an answer is right when it states it
	// (sim.ContainsAnswer).
	Expected string
	// Wrong are plausible wrong answers, none of which states Expected.
	Wrong []string
}

// Entry returns the knowledge entry that makes the simulators answer it.
func (it *Item) Entry() sim.Entry {
	return sim.Entry{Prompt: it.Prompt, Answer: it.Expected, Category: string(it.Category), Wrong: it.Wrong}
}

// Options says what to generate.
type Options struct {
	// Seed makes the workload: the same options give the same items.
	Seed uint64
	// N is the number of items; zero means 100.
	N int
	// Categories are dealt round robin (item i is of Categories[i %
	// len]); a category listed twice gets twice the items. Nil means
	// llm.Categories. A category without a generator is skipped.
	Categories []llm.Category
}

// generators write one item of their category from r.
var generators = map[llm.Category]func(r *rand.Rand) Item{
	llm.CategoryFactual:       factual,
	llm.CategoryReasoning:     reasoning,
	llm.CategoryCode:          code,
	llm.CategoryCreative:      creative,
	llm.CategoryExtraction:    extraction,
	llm.CategoryChat:          chat,
	llm.CategorySummarization: summarization,
}

// maxTries bounds the attempts at a prompt not generated before; a
// category whose forms are exhausted repeats prompts after that.
const maxTries = 64

// Generate returns o.N items. Prompts differ (after sim.Normalize) as long
// as each category's forms allow, which is several hundred items per
// category at least. The first k items of a workload are the same for
// every N ≥ k.
func Generate(o Options) []Item {
	n := o.N
	if n == 0 {
		n = 100
	}
	var cats []llm.Category
	for _, c := range o.Categories {
		if generators[c] != nil {
			cats = append(cats, c)
		}
	}
	if o.Categories == nil {
		cats = llm.Categories
	}
	if len(cats) == 0 || n < 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	seen := make(map[string]bool, n)
	items := make([]Item, 0, n)
	for i := 0; i < n; i++ {
		gen := generators[cats[i%len(cats)]]
		var it Item
		for try := 0; try < maxTries; try++ {
			if it = gen(r); !seen[sim.Normalize(it.Prompt)] {
				break
			}
		}
		seen[sim.Normalize(it.Prompt)] = true
		items = append(items, it)
	}
	return items
}

// Entries returns the knowledge entries of items.
func Entries(items []Item) []sim.Entry {
	out := make([]sim.Entry, len(items))
	for i := range items {
		out[i] = items[i].Entry()
	}
	return out
}

// Register adds the items to k; see sim.Knowledge.Add for the errors.
func Register(k *sim.Knowledge, items []Item) error { return k.Add(Entries(items)...) }

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickOther returns an element of xs other than the one at index skip.
func pickOther[T any](r *rand.Rand, xs []T, skip int) T {
	i := r.IntN(len(xs) - 1)
	if i >= skip {
		i++
	}
	return xs[i]
}

// between returns a random integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }
