package pool

import "time"

// acquire picks the member for one call and counts the call in flight on
// it; the caller must release it exactly once. Only members that can make
// the call (want) are eligible; the caller has checked there is one.
//
// Members not cooling down are picked by the pool's strategy. When every
// eligible member is cooling, the one whose cooldown ends first is used
// (see the package comment for why the pool does not fail locally).
func (p *Pool) acquire(want need) *member {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	var m *member
	if p.strategy == StrategyWeighted {
		m = p.pickWeighted(want, now)
	} else {
		m = p.pickLeastInFlight(want, now)
	}
	if m == nil {
		m = p.pickEarliest(want)
	}
	m.inFlight++
	return m
}

// need is what a call needs of a member.
type need uint8

// The calls a member may or may not take.
const (
	needChat need = iota
	needEmbed
	needModerate
	needImages
	needSpeech
	needTranscribe
	needImageEdits
	needStreamImages
	needStreamTranscription
)

// eligible reports whether m may take a call of the kind asked for.
func (m *member) eligible(want need) bool {
	switch want {
	case needEmbed:
		return m.embedder != nil
	case needModerate:
		return m.moderator != nil
	case needImages:
		return m.imager != nil
	case needSpeech:
		return m.speaker != nil
	case needTranscribe:
		return m.transcriber != nil
	case needImageEdits:
		return m.editor != nil
	case needStreamImages:
		return m.streamer != nil && m.imager != nil
	case needStreamTranscription:
		return m.streamer != nil && m.transcriber != nil
	}
	return true
}

// ready reports whether m is eligible and not cooling down at now.
func (m *member) ready(want need, now time.Time) bool {
	return m.eligible(want) && !m.coolingUntil.After(now)
}

// pickLeastInFlight returns the ready member with the fewest calls in
// flight, or nil if none is ready. The scan starts at the round-robin
// cursor and keeps the first minimum it meets, so ties rotate; the cursor
// then moves past the member picked. p.mu must be held.
func (p *Pool) pickLeastInFlight(want need, now time.Time) *member {
	n := len(p.members)
	best := -1
	for k := range n {
		i := (p.cursor + k) % n
		m := p.members[i]
		if m.ready(want, now) && (best < 0 || m.inFlight < p.members[best].inFlight) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	p.cursor = (best + 1) % n
	return p.members[best]
}

// pickWeighted returns a ready member at random, with probability
// proportional to its weight, or nil if none is ready. p.mu must be held.
func (p *Pool) pickWeighted(want need, now time.Time) *member {
	var total uint64
	for _, m := range p.members {
		if m.ready(want, now) {
			total += m.weight
		}
	}
	if total == 0 {
		return nil
	}
	r := p.rand() % total // the modulo bias is < total/2^64: negligible
	for _, m := range p.members {
		if !m.ready(want, now) {
			continue
		}
		if r < m.weight {
			return m
		}
		r -= m.weight
	}
	panic("unreachable: weighted pick ran past the total")
}

// pickEarliest returns the eligible member whose cooldown ends first; on a
// tie, the one with fewer calls in flight, then the first. p.mu must be
// held and some member must be eligible.
func (p *Pool) pickEarliest(want need) *member {
	var best *member
	for _, m := range p.members {
		if !m.eligible(want) {
			continue
		}
		if best == nil || m.coolingUntil.Before(best.coolingUntil) ||
			(m.coolingUntil.Equal(best.coolingUntil) && m.inFlight < best.inFlight) {
			best = m
		}
	}
	return best
}
