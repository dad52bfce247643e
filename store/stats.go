package store

import (
	"slices"
	"strings"
	"time"
)

// SignalFlags packs the boolean quality signals into the integer column
// stats read, so no back end parses JSON to aggregate.
type SignalFlags int64

// The bits of SignalFlags.
const (
	FlagRefusal SignalFlags = 1 << iota
	FlagContentFilter
	FlagTruncated
	FlagEmpty
	FlagFormatChecked
	FlagFormatFailed
	FlagInvalidToolCall
)

// Flags returns the signal bits of s.
func (s Signals) Flags() SignalFlags {
	var f SignalFlags
	set := func(b SignalFlags, on bool) {
		if on {
			f |= b
		}
	}
	set(FlagRefusal, s.Refusal)
	set(FlagContentFilter, s.ContentFilter)
	set(FlagTruncated, s.Truncated)
	set(FlagEmpty, s.Empty)
	set(FlagFormatChecked, s.FormatChecked)
	set(FlagFormatFailed, s.FormatChecked && !s.FormatOK)
	set(FlagInvalidToolCall, s.InvalidToolCalls > 0)
	return f
}

// StatRow is the part of a row Stats reads. Back ends scan it and feed an
// Aggregator, so both compute the same numbers the same way.
type StatRow struct {
	// Group holds the values of StatsQuery.By, in its order.
	Group         []string
	Failed        bool
	Fallback      bool
	Latency, TTFT time.Duration
	Tokens        Tokens
	CostUSD       float64
	Flags         SignalFlags
	ServedCostUSD float64
	CostUnknown   bool
}

// Aggregator accumulates StatRows into Stats. The zero value is not
// usable; use NewAggregator. It is not safe for concurrent use.
type Aggregator struct {
	by     []Dimension
	groups map[string]*group
}

type group struct {
	key       []string
	s         Stats
	lat, ttft []time.Duration
	flags     [8]int64
}

// NewAggregator returns an aggregator grouping by the dimensions of by.
func NewAggregator(by []Dimension) *Aggregator {
	return &Aggregator{by: by, groups: map[string]*group{}}
}

// Add accumulates one row.
func (a *Aggregator) Add(r StatRow) {
	k := strings.Join(r.Group, "\x00")
	g := a.groups[k]
	if g == nil {
		g = &group{key: slices.Clone(r.Group)}
		a.groups[k] = g
	}
	g.s.Count++
	if r.Failed {
		g.s.Errors++
	}
	if r.Fallback {
		g.s.Fallbacks++
	}
	g.lat = append(g.lat, r.Latency)
	if r.TTFT > 0 {
		g.ttft = append(g.ttft, r.TTFT)
	}
	g.s.Tokens.Add(r.Tokens)
	g.s.CostUSD += r.CostUSD
	g.s.ServedCostUSD += r.ServedCostUSD
	if r.CostUnknown {
		g.s.CostUnknown++
	}
	for i := range g.flags {
		if r.Flags&(1<<i) != 0 {
			g.flags[i]++
		}
	}
}

// Result returns the groups' Stats ordered by their values.
func (a *Aggregator) Result() []Stats {
	out := make([]Stats, 0, len(a.groups))
	keys := make([]string, 0, len(a.groups))
	for k := range a.groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		g := a.groups[k]
		s := g.s
		s.Group = make(map[Dimension]string, len(a.by))
		for i, d := range a.by {
			s.Group[d] = g.key[i]
		}
		s.FillRates(func(f SignalFlags) int64 { return g.flags[bit(f)] })
		s.Latency, s.TTFT = percentiles(g.lat), percentiles(g.ttft)
		out = append(out, s)
	}
	return out
}

// FillRates sets the rates of s from its Count, Errors and Fallbacks and
// from flagged, which returns how many of its rows have a signal flag.
func (s *Stats) FillRates(flagged func(SignalFlags) int64) {
	if s.Count == 0 {
		return
	}
	n := float64(s.Count)
	s.ErrorRate, s.FallbackRate = float64(s.Errors)/n, float64(s.Fallbacks)/n
	rate := func(f SignalFlags) float64 { return float64(flagged(f)) / n }
	s.RefusalRate, s.ContentFilterRate = rate(FlagRefusal), rate(FlagContentFilter)
	s.TruncatedRate, s.EmptyRate = rate(FlagTruncated), rate(FlagEmpty)
	s.InvalidToolCallRate = rate(FlagInvalidToolCall)
	if c := flagged(FlagFormatChecked); c > 0 {
		s.FormatFailedRate = float64(flagged(FlagFormatFailed)) / float64(c)
	}
}

// AllFlags lists the signal flags, lowest bit first.
var AllFlags = []SignalFlags{FlagRefusal, FlagContentFilter, FlagTruncated, FlagEmpty,
	FlagFormatChecked, FlagFormatFailed, FlagInvalidToolCall}

func bit(f SignalFlags) int {
	for i := range 8 {
		if f == 1<<i {
			return i
		}
	}
	return 0
}

// percentiles returns the nearest-rank 50th, 90th and 99th percentiles.
func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	at := func(p int) time.Duration {
		i := (p*len(d) + 99) / 100 // ceil(p/100 * n), 1-based
		return d[max(i, 1)-1]
	}
	return Percentiles{P50: at(50), P90: at(90), P99: at(99)}
}
