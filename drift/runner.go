package drift

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/quality"
	"switchyard/store"
)

// VerdictCapped is the verdict of a run the daily spending cap stopped
// before every prompt was asked; it is neither tested nor a baseline.
const VerdictCapped = "capped"

// DefaultConcurrency is how many prompts a Runner asks at once.
const DefaultConcurrency = 4

// Runner asks golden prompts and checks the answers.
type Runner struct {
	// Asker sends the prompts.
	Asker Asker
	// Budget, when not nil, reserves each prompt's most possible cost
	// before it is sent; a prompt that does not fit is not sent, and the
	// run's verdict is VerdictCapped. Deployments of unknown price are
	// then not asked at all.
	Budget *Budget
	// Concurrency bounds the prompts in flight; zero means
	// DefaultConcurrency.
	Concurrency int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Progress, when not nil, is called after each answer with how many
	// of the run's prompts are done (from several goroutines, one call
	// at a time).
	Progress func(done, total int)
}

// RunSpec is what to run.
type RunSpec struct {
	Set         *Set
	Deployments []string
	// Prompts is how many prompts to ask each deployment, sampled in
	// proportion to the set's categories; zero or more than the set has
	// means all.
	Prompts int
	// Seed picks the sample (every deployment gets the same one).
	Seed uint64
}

// ErrNoDeployments is returned for a spec without deployments.
var ErrNoDeployments = errors.New("drift: no deployment to run against")

// Run asks each deployment the spec's prompts and returns one run per
// deployment, in the spec's order, with its results (in the sample's
// order), counts and cost; the verdict is left for the comparison
// (Monitor), except VerdictCapped. A cancelled ctx stops sending and
// returns ctx's error with the runs as far as they got.
func (r *Runner) Run(ctx context.Context, spec RunSpec) ([]*store.DriftRun, error) {
	if len(spec.Deployments) == 0 {
		return nil, ErrNoDeployments
	}
	now := r.now()
	prompts := Sample(spec.Set, spec.Prompts, spec.Seed)
	runs := make([]*store.DriftRun, len(spec.Deployments))
	asked := make([][]bool, len(runs))
	for i, dep := range spec.Deployments {
		runs[i] = &store.DriftRun{ID: NewRunID(now), Set: spec.Set.Name, Deployment: dep, Started: now,
			Results: make([]store.DriftResult, len(prompts))}
		asked[i] = make([]bool, len(prompts))
	}
	type job struct{ run, prompt int }
	jobs := make(chan job)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		done     int
		capped   = make([]bool, len(runs))
		total    = len(runs) * len(prompts)
		finished = make([]time.Time, len(runs))
	)
	for range r.concurrency() {
		wg.Go(func() {
			for j := range jobs {
				res, ok := r.ask(ctx, spec.Deployments[j.run], &prompts[j.prompt])
				mu.Lock()
				runs[j.run].Results[j.prompt], asked[j.run][j.prompt] = res, ok
				capped[j.run] = capped[j.run] || !ok && ctx.Err() == nil
				finished[j.run] = r.now()
				done++
				if r.Progress != nil {
					r.Progress(done, total)
				}
				mu.Unlock()
			}
		})
	}
	// Deployments take turns, so each gets answers from the start.
send:
	for p := range prompts {
		for i := range runs {
			select {
			case jobs <- job{i, p}:
			case <-ctx.Done():
				break send
			}
		}
	}
	close(jobs)
	wg.Wait()
	for i, run := range runs {
		run.Finished = finished[i]
		if run.Finished.Before(run.Started) {
			run.Finished = run.Started
		}
		run.Results = keep(run.Results, asked[i])
		tally(run)
		if capped[i] {
			run.Verdict = VerdictCapped
		}
	}
	return runs, ctx.Err()
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) concurrency() int {
	if r.Concurrency > 0 {
		return r.Concurrency
	}
	return DefaultConcurrency
}

// ask sends one prompt and checks the answer; ok is false when it was not
// sent (the budget, or ctx).
func (r *Runner) ask(ctx context.Context, dep string, p *Prompt) (store.DriftResult, bool) {
	res := store.DriftResult{PromptID: p.ID, Category: p.Category, Expect: string(p.Expect.Kind)}
	if ctx.Err() != nil {
		return res, false
	}
	req := p.Request()
	var reserved float64
	if r.Budget != nil && r.Budget.Cap() > 0 {
		est, known := r.Asker.Estimate(dep, req)
		if !known || !r.Budget.Reserve(est) {
			return res, false
		}
		reserved = est
	}
	rep, err := r.Asker.Ask(ctx, dep, req)
	if r.Budget != nil {
		r.Budget.Settle(reserved, rep.CostUSD)
	}
	res.Latency, res.CostUSD = rep.Latency, rep.CostUSD
	if err != nil {
		res.ErrorKind = llm.AsError(err).Kind
		return res, ctx.Err() == nil
	}
	ans := answerOf(rep.Response)
	res.Pass, res.Refusal = p.Expect.Passes(ans), ans.Refusal
	res.AnswerChars = utf8.RuneCountInString(ans.Text)
	return res, true
}

// answerOf reads the first choice of resp as an expectation does.
func answerOf(resp *llm.Response) Answer {
	if resp == nil || len(resp.Choices) == 0 {
		return Answer{}
	}
	ch := &resp.Choices[0]
	text := ch.Message.Text()
	refused := strings.TrimSpace(ch.Message.Refusal()) != "" || ch.FinishReason == llm.FinishContentFilter || quality.IsRefusal(text)
	return Answer{Text: text, Refusal: refused}
}

func keep(rs []store.DriftResult, asked []bool) []store.DriftResult {
	out := rs[:0]
	for i := range rs {
		if asked[i] {
			out = append(out, rs[i])
		}
	}
	return out
}

// tally sets a run's counts and cost from its results.
func tally(run *store.DriftRun) {
	run.Prompts, run.Passed, run.Refused, run.Errors, run.CostUSD = len(run.Results), 0, 0, 0, 0
	for i := range run.Results {
		res := &run.Results[i]
		switch {
		case res.ErrorKind != "":
			run.Errors++
		case res.Pass:
			run.Passed++
		}
		if res.Refusal {
			run.Refused++
		}
		run.CostUSD += res.CostUSD
	}
}

// Sample returns n of the set's prompts (all when n is zero or at least
// their number), chosen by seed in proportion to the categories: each
// category's prompts are shuffled and the sample takes them in turn by
// their share, so a sample of 20 from a set with a tenth of code prompts
// has two. The result is a new slice in the sample's order.
func Sample(s *Set, n int, seed uint64) []Prompt {
	if n <= 0 || n >= len(s.Prompts) {
		return slices.Clone(s.Prompts)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0xd1f7))
	order := rng.Perm(len(s.Prompts))
	size := map[llm.Category]int{}
	for i := range s.Prompts {
		size[s.Prompts[i].Category]++
	}
	type keyed struct {
		key float64
		i   int
	}
	rank := map[llm.Category]int{}
	ks := make([]keyed, 0, len(order))
	for _, i := range order {
		c := s.Prompts[i].Category
		ks = append(ks, keyed{(float64(rank[c]) + rng.Float64()) / float64(size[c]), i})
		rank[c]++
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	out := make([]Prompt, n)
	for j := range out {
		out[j] = s.Prompts[ks[j].i]
	}
	return out
}

// NewRunID returns "drift_" and 24 hex digits: the Unix time in seconds
// then 8 random bytes, so ids sort by start to the second.
func NewRunID(now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(now.Unix()))
	crand.Read(b[4:])
	return "drift_" + hex.EncodeToString(b[:])
}
