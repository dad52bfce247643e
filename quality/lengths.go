package quality

import (
	"math"
	"sync"

	"switchyard/llm"
)

// Lengths tracks each (deployment, category)'s usual answer length: a
// running mean of log(characters), the plain mean over the first answers
// and then an exponentially weighted one (weight lengthAlpha), so that it
// follows a model that changes while one outlier moves it little (past the
// first MinLengthHistory answers, an answer counts as at most 8 times
// shorter or longer than the usual length). The usual length is exp of
// that mean, a geometric mean. It remembers at most maxLengthKeys pairs (a
// new pair past that is not tracked). The zero value is ready to use;
// Lengths is safe for concurrent use.
type Lengths struct {
	mu    sync.Mutex
	byKey map[lengthKey]*lengthStat
}

// Length tracking parameters.
const (
	// MinLengthHistory is how many answers a pair needs before Ratio
	// reports anything.
	MinLengthHistory = 20
	// lengthAlpha weighs a new answer once the pair has 1/lengthAlpha.
	lengthAlpha = 0.02
	// lengthClip bounds how far (in log) from the mean an answer counts,
	// once the pair has MinLengthHistory: ln 8.
	lengthClip = 2.0794415416798357
	// maxLengthKeys bounds the pairs tracked (deployments x categories
	// come from the config; the bound guards against anything else).
	maxLengthKeys = 4096
)

type lengthKey struct {
	deployment string
	category   llm.Category
}

type lengthStat struct {
	n       int
	logMean float64
}

// Observe notes an answer of chars characters from deployment for
// category. Answers of no characters are ignored: they say nothing of a
// usual length (and Empty counts them).
func (l *Lengths) Observe(deployment string, category llm.Category, chars int) {
	if chars <= 0 {
		return
	}
	k := lengthKey{deployment, category}
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.byKey[k]
	if st == nil {
		if len(l.byKey) >= maxLengthKeys {
			return
		}
		if l.byKey == nil {
			l.byKey = make(map[lengthKey]*lengthStat)
		}
		st = &lengthStat{}
		l.byKey[k] = st
	}
	x := math.Log(float64(chars))
	if st.n >= MinLengthHistory { // past the start, an outlier counts as at most 8x off
		x = min(max(x, st.logMean-lengthClip), st.logMean+lengthClip)
	}
	st.n++
	w := max(1/float64(st.n), lengthAlpha)
	st.logMean += w * (x - st.logMean)
}

// Usual returns the usual answer length of deployment for category, and
// whether it has at least MinLengthHistory answers to go on.
func (l *Lengths) Usual(deployment string, category llm.Category) (float64, bool) {
	l.mu.Lock()
	st := l.byKey[lengthKey{deployment, category}]
	var n int
	var m float64
	if st != nil {
		n, m = st.n, st.logMean
	}
	l.mu.Unlock()
	if n < MinLengthHistory {
		return 0, false
	}
	return math.Exp(m), true
}

// Ratio returns chars over the usual answer length of deployment for
// category; 0 while there is too little history, or when chars is 0.
func (l *Lengths) Ratio(deployment string, category llm.Category, chars int) float64 {
	usual, ok := l.Usual(deployment, category)
	if !ok || chars <= 0 {
		return 0
	}
	return float64(chars) / usual
}
