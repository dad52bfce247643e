package health

import "time"

// OutputLimitMemory is how long a deployment's learned output limit is
// remembered after the refusal that stated it: long enough to spare the
// wasted call of every request asking for more, short enough that an
// upstream that raises its limit is tried again within the hour.
const OutputLimitMemory = time.Hour

// OutputLimit is the most output tokens a deployment's refusals said its
// model writes: the smallest such limit stated since it was first
// learned, remembered for OutputLimitMemory after the last refusal.
type OutputLimit struct {
	// Tokens is the limit; zero when none is remembered.
	Tokens int
	// Model is the model the refusing request named (the deployment's,
	// then): a reload that changes the deployment's model makes the
	// limit moot (the gateway ignores it then).
	Model string
	// At is when the refusal that stated Tokens came.
	At time.Time
	// last is when the latest refusal came, which the memory counts from.
	last time.Time
}

// Until is when the limit is forgotten.
func (l OutputLimit) Until() time.Time { return l.last.Add(OutputLimitMemory) }

// at returns l as remembered at now: zero once forgotten.
func (l OutputLimit) at(now time.Time) OutputLimit {
	if l.Tokens == 0 || !now.Before(l.Until()) {
		return OutputLimit{}
	}
	return l
}

// learnOutputLimit remembers the output limit o's refusal stated on s
// (locked): the smaller of it and the one remembered for the same model.
func (t *Tracker) learnOutputLimit(s *state, o Outcome, now time.Time) {
	cur := s.learned.at(now)
	if cur.Tokens == 0 || cur.Model != o.Model || o.OutputLimit < cur.Tokens {
		cur = OutputLimit{Tokens: o.OutputLimit, Model: o.Model, At: now}
	}
	cur.last = now
	s.learned = cur
	raise(&t.learnedUntil, cur.Until())
}

// OutputLimited reports whether any deployment may have a learned output
// limit: an atomic load, and a clock read while one may be remembered.
func (t *Tracker) OutputLimited() bool {
	u := t.learnedUntil.Load()
	return u != 0 && t.now().UnixNano() < u
}
