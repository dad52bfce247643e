package sim

import (
	"encoding/binary"
	"hash/fnv"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
)

// Behavior shapes what simulated models say, at run time: the knowledge
// base, each model's accuracy per category, and drift. One Behavior is
// shared by every wire server of a sim/server.Server (like Faults), so a
// model is addressed by its model id in any wire format.
//
// A request whose last user message matches a knowledge entry is answered
// right with probability equal to the model's accuracy for the entry's
// category (less its drift's drop), else with a plausible wrong answer;
// a drift's refusal rate and verbosity apply to every request of the model.
// The draws are deterministic: they are a hash of the seed, the model id,
// the normalized prompt and how many times this model was asked this
// prompt before (so a repeated question may be answered differently, as
// with sampling, and concurrent requests for different prompts do not
// disturb each other's draws). The counts are kept for up to 2^20
// model-prompt pairs, then start again from zero.
//
// It is safe for concurrent use. The zero value (and a nil *Behavior)
// knows nothing and changes no answer: Respond is Profile.Respond.
type Behavior struct {
	// Knowledge is the knowledge base every model answers from.
	Knowledge Knowledge
	// Priority holds the Anthropic Priority Tier commitments of the
	// simulated organization, per model (none: every request standard).
	Priority PriorityTier

	mu   sync.Mutex
	seed uint64
	// accuracy holds run-time accuracies: model ("" every model) →
	// category (AnyCategory every category) → accuracy.
	accuracy map[string]map[string]float64
	// drifts holds drift by model ("" every model); drifting reports
	// whether it has one, so requests skip the lock when none has.
	drifts   map[string]Drift
	drifting atomic.Bool
	// asked counts the requests per model and normalized prompt.
	asked map[uint64]uint32
}

// maxAsked bounds the model-prompt pairs whose requests are counted.
const maxAsked = 1 << 20

// SetSeed sets the seed of every draw and forgets how often each prompt
// was asked, so the answers that follow are those of a fresh simulator
// with this seed.
func (b *Behavior) SetSeed(seed uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seed, b.asked = seed, nil
}

// PriorityTier returns b's Priority Tier commitments; nil for a nil
// Behavior (none).
func (b *Behavior) PriorityTier() *PriorityTier {
	if b == nil {
		return nil
	}
	return &b.Priority
}

// Seed returns the seed of the draws (zero unless set).
func (b *Behavior) Seed() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seed
}

// SetAccuracy sets the accuracy of model ("" for every model without its
// own) per category (AnyCategory for every category without its own),
// each in [0,1]. The values are merged into those set before; they take
// precedence over the profile's Accuracy and Quality.
func (b *Behavior) SetAccuracy(model string, accuracy map[string]float64) error {
	if err := checkAccuracies(accuracy); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.accuracy == nil {
		b.accuracy = map[string]map[string]float64{}
	}
	if b.accuracy[model] == nil {
		b.accuracy[model] = map[string]float64{}
	}
	maps.Copy(b.accuracy[model], accuracy)
	return nil
}

// ClearAccuracy removes the run-time accuracies of model ("" removes
// every model's).
func (b *Behavior) ClearAccuracy(model string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if model == "" {
		b.accuracy = nil
		return
	}
	delete(b.accuracy, model)
}

// Accuracies returns a copy of the run-time accuracies by model ("" for
// every model) and category.
func (b *Behavior) Accuracies() map[string]map[string]float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[string]map[string]float64, len(b.accuracy))
	for m, acc := range b.accuracy {
		out[m] = maps.Clone(acc)
	}
	return out
}

// SetDrift installs d for d.Model, replacing its earlier drift; it
// returns d.Check's error and installs nothing then.
func (b *Behavior) SetDrift(d Drift) error {
	if err := d.Check(); err != nil {
		return err
	}
	d.AccuracyDrop = maps.Clone(d.AccuracyDrop)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drifts == nil {
		b.drifts = map[string]Drift{}
	}
	b.drifts[d.Model] = d
	b.drifting.Store(true)
	return nil
}

// ClearDrift removes the drift of model ("" removes every drift).
func (b *Behavior) ClearDrift(model string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if model != "" {
		delete(b.drifts, model)
	} else {
		b.drifts = nil
	}
	b.drifting.Store(len(b.drifts) > 0)
}

// Drifts returns a copy of the installed drifts, by model id.
func (b *Behavior) Drifts() []Drift {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Drift, 0, len(b.drifts))
	for _, m := range slices.Sorted(maps.Keys(b.drifts)) {
		d := b.drifts[m]
		d.AccuracyDrop = maps.Clone(d.AccuracyDrop)
		out = append(out, d)
	}
	return out
}

// Accuracy returns the probability that p answers a knowledge entry of
// category right now: the first of the run-time accuracy of p's model for
// category or AnyCategory, the run-time accuracy of every model for
// category or AnyCategory, p.Accuracy for category or AnyCategory, and
// p.Quality (1 when Quality is zero), less the drift's drop, at least 0.
func (b *Behavior) Accuracy(p *Profile, category string) float64 {
	if b == nil {
		return p.accuracy(category)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	d := b.driftLocked(p.Model)
	return max(b.accuracyLocked(p, category)-d.drop(category), 0)
}

func (b *Behavior) accuracyLocked(p *Profile, category string) float64 {
	for _, m := range [...]string{p.Model, ""} {
		if v, ok := lookupAccuracy(b.accuracy[m], category); ok {
			return v
		}
	}
	return p.accuracy(category)
}

// accuracy is the profile's own accuracy for category.
func (p *Profile) accuracy(category string) float64 {
	if v, ok := lookupAccuracy(p.Accuracy, category); ok {
		return v
	}
	if p.Quality > 0 {
		return p.Quality
	}
	return 1
}

func lookupAccuracy(acc map[string]float64, category string) (float64, bool) {
	if v, ok := acc[category]; ok && category != "" {
		return v, true
	}
	v, ok := acc[AnyCategory]
	return v, ok
}

func (b *Behavior) driftLocked(model string) Drift {
	if d, ok := b.drifts[model]; ok {
		return d
	}
	return b.drifts[""]
}

// Respond is p.Respond(a) as this Behavior shapes it: with the knowledge
// base's answer (right or wrong) when a.Prompt matches an entry, and the
// model's drift. See the type's documentation for the draws.
func (b *Behavior) Respond(p *Profile, a Ask) Answer {
	if b == nil {
		return p.Respond(a)
	}
	entry, known := b.Knowledge.Lookup(a.Prompt)
	if !known && !b.drifting.Load() {
		return p.Respond(a)
	}
	b.mu.Lock()
	d := b.driftLocked(p.Model)
	if !known && !d.changesAnswers() {
		b.mu.Unlock()
		return p.Respond(a)
	}
	r := b.drawLocked(p.Model, a.Prompt)
	acc := max(b.accuracyLocked(p, entry.Category)-d.drop(entry.Category), 0)
	b.mu.Unlock()

	refuse, right, pick := r.next(), r.next(), r.next()
	sh := shape{verbosity: d.factor(), refuse: a.Prefill == "" && refuse < d.RefusalRate}
	switch {
	case known && entry.Refuse:
		// Refusing is right: the drift's refusals come on top.
		sh.refuse = sh.refuse || a.Prefill == "" && right < acc
		sh.core = entry.Answer
	case known:
		wrong := b.wrongAnswers(&entry, pick)
		sh.right = entry.Answer
		sh.core = wrong[min(int(pick*float64(len(wrong))), len(wrong)-1)]
		if right < acc {
			sh.core = entry.Answer
		}
		sh.candidates = append([]string{entry.Answer}, wrong...)
		sh.bare = entry.Bare
	}
	return p.respond(a, sh)
}

// drawLocked returns the draws of the next request of model for prompt
// and counts it.
func (b *Behavior) drawLocked(model, prompt string) draws {
	var buf [256]byte
	key := append(AppendNormalized(append(append(buf[:0], model...), 0), prompt), 0)
	h := fnv.New64a()
	h.Write(key)
	pair := h.Sum64()
	if b.asked == nil || len(b.asked) >= maxAsked {
		b.asked = map[uint64]uint32{}
	}
	n := b.asked[pair]
	b.asked[pair] = n + 1
	var tail [12]byte
	binary.LittleEndian.PutUint64(tail[:8], b.seed)
	binary.LittleEndian.PutUint32(tail[8:], n)
	h.Write(tail[:])
	return draws{state: h.Sum64()}
}

// draws is a splitmix64 stream of uniform numbers in [0,1).
type draws struct{ state uint64 }

func (d *draws) next() float64 {
	d.state += 0x9e3779b97f4a7c15
	z := d.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// wrongAnswers returns e's wrong answers, or made-up ones: nearby numbers
// when the answer holds a number, else other answers of its category
// (from a position chosen by u), else a non-answer. None contains the
// right answer.
func (b *Behavior) wrongAnswers(e *Entry, u float64) []string {
	if len(e.Wrong) > 0 {
		return e.Wrong
	}
	if ws := nearbyNumbers(e.Answer); len(ws) > 0 {
		return ws
	}
	var out []string
	n := b.Knowledge.categorySize(e.Category)
	for _, w := range b.Knowledge.peers(e, int(u*float64(n)), 3) {
		if !ContainsAnswer(w, e.Answer) && !ContainsAnswer(e.Answer, w) {
			out = append(out, w)
		}
	}
	for _, w := range nonAnswers {
		if len(out) == 0 && !ContainsAnswer(w, e.Answer) {
			out = append(out, w)
		}
	}
	return out
}

// nonAnswers are the wrong answers of last resort: one that does not
// contain the right answer is always there, since an answer cannot be
// in both (they share no word).
var nonAnswers = []string{
	"I am not sure; I could not find a definite answer to that.",
	"Unknown.",
}
