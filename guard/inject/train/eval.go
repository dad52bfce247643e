package train

import (
	"sort"
	"strings"
	"sync"

	"switchyard/guard/inject"
)

// Scored is one example's score from a model that never trained on it.
type Scored struct {
	Family, Source, Channel string
	Attack, Hard            bool
	Score                   float64
	Reasons                 inject.Reason
	Text                    string
}

// Measurement holds the held-out scores of every example measured:
//   - each attack family by a model trained without it (and without the
//     written attacks like it); BIPIA's in documents of the measured half;
//   - each attack source by a model trained without any of its families;
//   - each benign source by a model trained without it;
//   - the benign documents of the measured half and the written benign
//     holdout by the model trained on everything else.
type Measurement struct {
	Families []Scored
	Sources  []Scored
	Benign   []Scored
	Unseen   []Scored
}

// fold is one training of a measurement: what it leaves out, what it
// scores, and where the scores go.
type fold struct {
	exclude, measure func(*Example) bool
	into             *[]Scored
}

// Measure trains one model per held-out family and source (workers at a
// time) and scores what each did not see.
func Measure(ex []Example, o Options, workers int) (*Measurement, error) {
	c := featurize(ex, o.Bits)
	hasTest := map[string]bool{}
	for i := range ex {
		if ex[i].Attack && ex[i].Test {
			hasTest[ex[i].Family] = true
		}
	}
	measured := func(e *Example) bool { return e.Source != "written" && (e.Test || !hasTest[e.Family]) }
	m := &Measurement{}
	var folds []fold
	for _, f := range familyNames(ex, true) {
		folds = append(folds, fold{
			exclude: func(e *Example) bool { return e.Attack && e.Family == f },
			measure: func(e *Example) bool { return e.Attack && e.Family == f && measured(e) },
			into:    &m.Families,
		})
	}
	for _, s := range attackSources(ex) {
		folds = append(folds, fold{
			exclude: func(e *Example) bool { return e.Attack && familySource(e.Family) == s },
			measure: func(e *Example) bool { return e.Attack && e.Source == s && measured(e) },
			into:    &m.Sources,
		})
	}
	for _, b := range familyNames(ex, false) {
		if b == "documents/tool" || b == "documents/pasted" || b == "written-benign-holdout" || b == "written-benign-context" {
			continue
		}
		folds = append(folds, fold{
			exclude: func(e *Example) bool { return !e.Attack && e.Family == b },
			measure: func(e *Example) bool { return !e.Attack && e.Family == b && !e.Test },
			into:    &m.Benign,
		})
	}
	folds = append(folds, fold{
		exclude: func(*Example) bool { return false },
		measure: func(e *Example) bool { return !e.Attack && e.Test },
		into:    &m.Unseen,
	})
	return m, runFolds(c, ex, o, folds, workers)
}

// runFolds trains and scores the folds, workers at a time.
func runFolds(c *corpus, ex []Example, o Options, folds []fold, workers int) error {
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan fold)
	)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				got, err := runFold(c, ex, o, f)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				*f.into = append(*f.into, got...)
				mu.Unlock()
			}
		}()
	}
	for _, f := range folds {
		next <- f
	}
	close(next)
	wg.Wait()
	for _, f := range folds { // a fixed order whatever the workers' timing
		sort.SliceStable(*f.into, func(i, j int) bool { return (*f.into)[i].Family < (*f.into)[j].Family })
	}
	return first
}

func runFold(c *corpus, ex []Example, o Options, f fold) ([]Scored, error) {
	model, err := trainOn(c, ex, o, func(e *Example) bool { return !e.Test && !e.NoTrain && !f.exclude(e) })
	if err != nil {
		return nil, err
	}
	s := inject.New(model)
	var out []Scored
	for i := range ex {
		e := &ex[i]
		if !f.measure(e) {
			continue
		}
		v := s.Scan(e.Req)
		out = append(out, Scored{
			Family: e.Family, Source: e.Source, Channel: e.Channel, Attack: e.Attack, Hard: e.Hard,
			Score: v.Score, Reasons: v.Reasons, Text: e.Text(),
		})
	}
	return out, nil
}

// familyNames lists the families of attacks (or of benign examples), in
// order. Written attacks are their own families unless like a public one.
func familyNames(ex []Example, attack bool) []string {
	seen := map[string]bool{}
	for i := range ex {
		if ex[i].Attack == attack {
			seen[ex[i].Family] = true
		}
	}
	return sortedKeys(seen)
}

// attackSources lists the public attack sources.
func attackSources(ex []Example) []string {
	seen := map[string]bool{}
	for i := range ex {
		if ex[i].Attack && ex[i].Source != "written" {
			seen[ex[i].Source] = true
		}
	}
	return sortedKeys(seen)
}

// familySource is the source a family belongs to ("purplellama" for
// "purplellama/persuasion").
func familySource(family string) string {
	s, _, _ := strings.Cut(family, "/")
	return s
}
