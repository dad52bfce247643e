package adaptive

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"switchyard/learn/bandit"
	"switchyard/state"
)

// This file merges the statistics of several router processes through
// the shared state (state.Store.AddFloats, atomic in Redis).
//
// Decay is made consistent across processes by never decaying what is
// stored: an outcome at time t is added to the float map of its route's
// epoch e (epochs are epochHalfLives half-lives long, counted from the
// Unix epoch) inflated by 2^((t − start of e)/h). Any process reads the
// counts at time now as the sum over the last keptEpochs epochs of
// stored × 2^(−(now − start of e)/h): additions commute, so every
// process that reads the same maps at the same time gets the same
// counts, whatever order the deltas arrived in. Stored values stay below
// 2^epochHalfLives per outcome; a map expires keptEpochs epochs after it
// was created, when what it holds has decayed to 2^-16 of its weight.

const (
	epochHalfLives = 8
	keptEpochs     = 3
	fieldGood      = "\x1eg"
	fieldBad       = "\x1eb"
	sharedPrefix   = "adaptive:v1:"
	seededKey      = sharedPrefix + "seeded"
)

// shared holds the deltas not yet merged, by route, epoch and field.
// Owned by the run goroutine.
type shared struct {
	st       state.Store
	halfLife map[string]time.Duration
	pending  map[string]map[int64]map[string]float64
	// sent holds, by route and epoch, the deltas of a merge that failed.
	// Its reply may have been lost after Redis added them (a timeout, a
	// cut connection), so they are sent again as they were, with the same
	// sequence number (state.Store.AddFloatsOnce), which adds them once;
	// the deltas noted since wait in pending for the next number.
	sent map[string]map[int64]batch
	// writer names this process's additions; seq numbers them.
	writer string
	seq    int64
}

// batch is one addition of deltas to a map, with its sequence number.
type batch struct {
	seq    int64
	fields map[string]float64
}

func newShared(st state.Store, halfLife map[string]time.Duration) *shared {
	return &shared{
		st: st, halfLife: halfLife, pending: map[string]map[int64]map[string]float64{},
		sent: map[string]map[int64]batch{}, writer: state.NewID(),
	}
}

func epochLen(h time.Duration) time.Duration { return epochHalfLives * h }

// epochOf returns the epoch holding t and its start.
func epochOf(t time.Time, h time.Duration) (int64, time.Time) {
	e := t.UnixNano() / int64(epochLen(h))
	return e, time.Unix(0, e*int64(epochLen(h)))
}

// note remembers d, added at at to k, for the next merge.
func (s *shared) note(k bandit.Key, d bandit.Counts, at time.Time) {
	h := s.halfLife[k.Route]
	if h <= 0 {
		return
	}
	e, start := epochOf(at, h)
	f := math.Exp2(float64(at.Sub(start)) / float64(h))
	byEpoch := s.pending[k.Route]
	if byEpoch == nil {
		byEpoch = map[int64]map[string]float64{}
		s.pending[k.Route] = byEpoch
	}
	fields := byEpoch[e]
	if fields == nil {
		fields = map[string]float64{}
		byEpoch[e] = fields
	}
	name := k.String()
	fields[name+fieldGood] += d.Good * f
	fields[name+fieldBad] += d.Bad * f
}

func mapKey(route string, e int64) string {
	return sharedPrefix + route + ":" + strconv.FormatInt(e, 10)
}

// merge pushes route's pending deltas and reads the merged counts at now.
// On an error the deltas not pushed stay pending.
func (s *shared) merge(ctx context.Context, route string, now time.Time) (map[bandit.Key]bandit.Counts, error) {
	h := s.halfLife[route]
	cur, _ := epochOf(now, h)
	for e := range s.pending[route] {
		if e <= cur-keptEpochs { // decayed to nothing before it was pushed
			delete(s.pending[route], e)
		}
	}
	for e := range s.sent[route] {
		if e <= cur-keptEpochs {
			delete(s.sent[route], e)
		}
	}
	out := map[bandit.Key]bandit.Counts{}
	ttl := (keptEpochs + 1) * epochLen(h)
	for e := cur - keptEpochs + 1; e <= cur; e++ {
		got, err := s.push(ctx, route, e, ttl)
		if err != nil {
			return nil, fmt.Errorf("adaptive: merge %s epoch %d: %w", route, e, err)
		}
		start := time.Unix(0, e*int64(epochLen(h)))
		f := math.Exp2(-float64(now.Sub(start)) / float64(h))
		for field, v := range got {
			add(out, field, v*f)
		}
	}
	return out, nil
}

// push adds route's deltas of epoch e to its map, the batch of a failed
// merge first, and returns the map; with no deltas it only reads it.
func (s *shared) push(ctx context.Context, route string, e int64, ttl time.Duration) (map[string]float64, error) {
	key := mapKey(route, e)
	for {
		b, ok := s.sent[route][e]
		if !ok {
			fields := s.pending[route][e]
			if len(fields) == 0 {
				return s.st.AddFloats(ctx, key, nil, ttl)
			}
			s.seq++
			b = batch{seq: s.seq, fields: fields}
			delete(s.pending[route], e)
			if s.sent[route] == nil {
				s.sent[route] = map[int64]batch{}
			}
			s.sent[route][e] = b
		}
		got, err := s.st.AddFloatsOnce(ctx, key, state.Once{Writer: s.writer, Seq: b.seq}, b.fields, ttl)
		if err != nil {
			return nil, err
		}
		delete(s.sent[route], e)
		if len(s.pending[route][e]) == 0 {
			return got, nil
		}
	}
}

// add adds v to the count a field names ("<key>\x1eg" or "<key>\x1eb");
// it ignores fields it cannot read (written by another version).
func add(out map[bandit.Key]bandit.Counts, field string, v float64) {
	name, good := strings.CutSuffix(field, fieldGood)
	bad := false
	if !good {
		name, bad = strings.CutSuffix(field, fieldBad)
	}
	k, ok := bandit.ParseKey(name)
	if !ok || !good && !bad {
		return
	}
	c := out[k]
	if good {
		c.Good += v
	} else {
		c.Bad += v
	}
	out[k] = c
}

// syncTimeout bounds one merge of every route: while Redis does not
// answer, the learner's goroutine waits at most this long per SyncEvery.
const syncTimeout = time.Second

// sync merges every route with the shared state and replaces the
// table's counts by the merged ones. At the first failure it stops: the
// routes not merged keep their local counts (and their pending deltas,
// for the next merge).
func (l *Learner) sync() error {
	ctx, cancel := context.WithTimeout(context.Background(), syncTimeout)
	defer cancel()
	now := l.now()
	for route := range l.opts.HalfLife {
		merged, err := l.shared.merge(ctx, route, now)
		if err != nil {
			l.m.syncErrors.Inc()
			l.log.Warn("adaptive: merging with the shared state failed; learning locally until it answers", "err", err)
			return err
		}
		l.tab.ReplaceRoute(route, merged, now)
		l.dirty = true
	}
	return nil
}
