package bench

import (
	"fmt"
	"time"
)

// Target is where a phase's requests go.
type Target string

// The targets a run compares: Router against Direct by default, RecordOff
// against RecordOn for RunCompare, Router against Other for RunAgainst.
const (
	// Router sends requests through the router's OpenAI-compatible API.
	Router Target = "router"
	// Direct sends the same requests straight to the simulated upstream.
	Direct Target = "direct"
	// RecordOff is a router without a request log (store driver none).
	RecordOff Target = "record-off"
	// RecordOn is a router that writes every request to an SQLite
	// request log (bodies none).
	RecordOn Target = "record-on"
	// Other is the program RunAgainst compares the router with.
	Other Target = "other"
)

// Phase is one stretch of the arrival schedule during which every request
// goes to one target. Start and End are offsets from the schedule's origin.
type Phase struct {
	Target Target
	// Warmup phases are run but excluded from the statistics.
	Warmup     bool
	Start, End time.Duration
}

// Len returns the phase's length.
func (p Phase) Len() time.Duration { return p.End - p.Start }

// Slot is one scheduled request: when it is due, as an offset from the
// schedule's origin, and the index of its phase.
type Slot struct {
	At    time.Duration
	Phase int
}

// Schedule is an open-loop arrival schedule: requests due at a constant
// interval, whatever happens to earlier ones, in alternating phases for
// two targets. A request's latency is measured from its slot's At, so a
// stall (in the router, the machine or the generator) shows up in the
// latency of every request it delayed instead of lowering the send rate.
type Schedule struct {
	Phases []Phase
	Slots  []Slot
}

// NewSchedule plans warmup then measure of load per target at one request
// every interval, cut into phases of at most phase each. The phases come
// in counterbalanced pairs — router, direct, direct, router, router,
// direct, … — so that noise and drift on a shared machine fall on both
// targets alike. Warm-up phases all come first.
func NewSchedule(interval, phase, warmup, measure time.Duration) (*Schedule, error) {
	return NewPairSchedule([2]Target{Router, Direct}, interval, phase, warmup, measure)
}

// NewPairSchedule is NewSchedule for any two targets, pair[0] taking the
// place of Router and pair[1] that of Direct.
func NewPairSchedule(pair [2]Target, interval, phase, warmup, measure time.Duration) (*Schedule, error) {
	if interval <= 0 || phase <= 0 || warmup < 0 || measure <= 0 {
		return nil, fmt.Errorf("bench: schedule needs interval, phase and measure > 0 and warmup >= 0 (got %v, %v, %v, %v)",
			interval, phase, warmup, measure)
	}
	s := &Schedule{}
	var clock time.Duration
	n := 0
	for _, stage := range []struct {
		total  time.Duration
		warmup bool
	}{{warmup, true}, {measure, false}} {
		for done := time.Duration(0); done < stage.total; done += phase {
			length := min(phase, stage.total-done)
			order := pair
			if n%2 == 1 {
				order = [2]Target{pair[1], pair[0]}
			}
			n++
			for _, t := range order {
				s.Phases = append(s.Phases, Phase{Target: t, Warmup: stage.warmup, Start: clock, End: clock + length})
				clock += length
			}
		}
	}
	s.Slots = make([]Slot, 0, int(clock/interval)+1)
	p := 0
	for at := time.Duration(0); at < clock; at += interval {
		for at >= s.Phases[p].End {
			p++
		}
		s.Slots = append(s.Slots, Slot{At: at, Phase: p})
	}
	return s, nil
}

// Length returns the schedule's total length.
func (s *Schedule) Length() time.Duration {
	if len(s.Phases) == 0 {
		return 0
	}
	return s.Phases[len(s.Phases)-1].End
}

// Sent returns how many slots, warm-up included, go to the target.
func (s *Schedule) Sent(t Target) int {
	n := 0
	for _, sl := range s.Slots {
		if s.Phases[sl.Phase].Target == t {
			n++
		}
	}
	return n
}

// Measured returns the total length of the target's measured phases.
func (s *Schedule) Measured(t Target) time.Duration {
	var d time.Duration
	for _, p := range s.Phases {
		if p.Target == t && !p.Warmup {
			d += p.Len()
		}
	}
	return d
}
