package reload

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"switchyard/internal/textdiff"
	"switchyard/learn/bandit"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
)

// Bounds of a dry run's replay.
const (
	DefaultReplay = 1000
	MaxReplay     = 10000
	// maxMoves bounds the moves and refusals a report lists; maxExamples
	// the request ids each names.
	maxMoves    = 50
	maxExamples = 5
)

// DryRun is what a configuration would change, without applying it: its
// diff, and the recent requests replayed through both policies.
type DryRun struct {
	// Version is the running version the change was compared with.
	Version int64  `json:"version"`
	Diff    string `json:"diff"`
	Added   int    `json:"lines_added"`
	Removed int    `json:"lines_removed"`
	// Replay is the replay of the request log; nil without one.
	Replay *Replay `json:"replay"`
}

// Replay compares, on the newest requests of the log, where the running
// policy and the new one would send each (purely: every deployment
// healthy, the adaptive statistics as they are now), and what that would
// cost.
type Replay struct {
	// Requests were replayed; Skipped were not (not a chat request).
	Requests int `json:"requests"`
	Skipped  int `json:"skipped"`
	// Since and Until bound the times of the requests replayed.
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Moved are the requests whose first choice changes; Refused those the
	// new policy refuses and the running one serves; Served the reverse.
	Moved   int `json:"moved"`
	Refused int `json:"refused"`
	Served  int `json:"served"`
	// DiffersFromLog counts the requests whose first choice by the running
	// policy's replay is not the one the log recorded (health, semantic
	// matching or a learned model decided otherwise then): the replay's
	// own error.
	DiffersFromLog int `json:"differs_from_log"`
	// Cost is the requests' estimated cost under each policy.
	Cost CostChange `json:"cost"`
	// Moves group the moved requests by route and deployments, most first.
	Moves []Move `json:"moves"`
	// Refusals group the requests the new policy refuses, by route and
	// error code.
	Refusals []Refusal `json:"refusals"`
}

// CostChange is the cost of the requests replayed: each one's answering
// tokens (prompt, cached, completion, reasoning) priced at the first
// choice of each policy. Requests a policy refuses, or whose first
// choice has no known price, count in neither sum.
type CostChange struct {
	BeforeUSD float64 `json:"before_usd"`
	AfterUSD  float64 `json:"after_usd"`
	ChangeUSD float64 `json:"change_usd"`
	// Unknown counts the requests left out of the sums.
	Unknown int `json:"unknown"`
}

// Move is a group of requests that would go elsewhere.
type Move struct {
	Route    string   `json:"route"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Requests int      `json:"requests"`
	Examples []string `json:"examples"`
	// CostChangeUSD is their estimated cost change (priced requests only).
	CostChangeUSD float64 `json:"cost_change_usd"`
}

// Refusal is a group of requests the new policy would refuse.
type Refusal struct {
	Route    string   `json:"route"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Requests int      `json:"requests"`
	Examples []string `json:"examples"`
}

// DryRun validates c.Text as Apply would (c.Base included; c's other
// fields are not used) and, with a request log, replays its last requests
// (last; zero means DefaultReplay, at most MaxReplay) through the running
// policy and the new one. Nothing is applied, stored or audited. It
// returns *Conflict and *Invalid as Apply does.
func (m *Manager) DryRun(ctx context.Context, c Change, last int) (DryRun, error) {
	cur := m.cur.Load()
	if err := conflict(cur, c); err != nil {
		return DryRun{}, err
	}
	ch, err := m.validate(cur, Change{Text: c.Text, Source: store.SourceAPI}, fromAPI)
	cfg, masked := ch.cfg, ch.masked
	if err != nil {
		return DryRun{}, err
	}
	out := DryRun{Version: cur.version, Diff: textdiff.Unified(versionName(cur.version), "this version", string(cur.text), string(masked))}
	out.Added, out.Removed = textdiff.Stat(diff(string(cur.text), string(masked)))
	if m.opts.Requests == nil {
		return out, nil
	}
	if last <= 0 {
		last = DefaultReplay
	}
	rctx, cancel := context.WithTimeout(ctx, m.opts.StoreTimeouts.AggregateOr())
	rows, err := recent(rctx, m.opts.Requests, min(last, MaxReplay))
	cancel()
	if err != nil {
		return out, fmt.Errorf("reload: read the request log: %w", err)
	}
	var learned *bandit.Snapshot
	if m.opts.Learned != nil {
		learned = m.opts.Learned()
	}
	out.Replay = replay(rows, route.New(cur.cfg, route.Options{}), route.New(cfg, route.Options{}), learned)
	return out, nil
}

// recent returns the newest n rows of the log, newest first.
func recent(ctx context.Context, s store.Store, n int) ([]*store.Request, error) {
	var rows []*store.Request
	f := store.Filter{Limit: min(n, store.MaxLimit)}
	for len(rows) < n {
		page, err := s.List(ctx, store.AllTenants(), f)
		if err != nil {
			return nil, err
		}
		rows = append(rows, page.Requests...)
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	return rows[:min(len(rows), n)], nil
}

// replay plans every chat row with both policies and sums the
// differences.
func replay(rows []*store.Request, before, after *route.Policy, learned *bandit.Snapshot) *Replay {
	r := &Replay{Moves: []Move{}, Refusals: []Refusal{}}
	moves := map[[3]string]*Move{}
	refusals := map[[2]string]*Refusal{}
	for _, row := range rows {
		if row.Endpoint != "chat" && row.Endpoint != "route" {
			r.Skipped++
			continue
		}
		r.Requests++
		if r.Since.IsZero() || row.Time.Before(r.Since) {
			r.Since = row.Time
		}
		if row.Time.After(r.Until) {
			r.Until = row.Time
		}
		in := inputOf(row, learned)
		in2 := in
		was, wasErr := before.Plan(&in)
		is, isErr := after.Plan(&in2)
		if wasErr == nil && was.First() != recordedFirst(row) {
			r.DiffersFromLog++
		}
		switch {
		case wasErr != nil && isErr == nil:
			r.Served++
		case isErr != nil:
			if wasErr == nil {
				r.Refused++
				refusal(refusals, row, isErr)
			}
			continue
		}
		if wasErr != nil {
			continue
		}
		u := usageOf(row)
		old, neu := before.Deployment(was.First()), after.Deployment(is.First())
		change := 0.0
		if old.PriceUnknown || neu.PriceUnknown {
			r.Cost.Unknown++
		} else {
			r.Cost.BeforeUSD += old.Cost(u)
			r.Cost.AfterUSD += neu.Cost(u)
			change = neu.Cost(u) - old.Cost(u)
		}
		if old.Name != neu.Name {
			r.Moved++
			k := [3]string{cmp.Or(is.Route, row.Route), old.Name, neu.Name}
			mv := moves[k]
			if mv == nil {
				mv = &Move{Route: k[0], From: k[1], To: k[2], Examples: []string{}}
				moves[k] = mv
			}
			mv.Requests++
			mv.CostChangeUSD += change
			if len(mv.Examples) < maxExamples {
				mv.Examples = append(mv.Examples, row.ID)
			}
		}
	}
	r.Cost.ChangeUSD = r.Cost.AfterUSD - r.Cost.BeforeUSD
	for _, mv := range moves {
		r.Moves = append(r.Moves, *mv)
	}
	slices.SortFunc(r.Moves, func(a, b Move) int {
		return cmp.Or(b.Requests-a.Requests, cmp.Compare(a.Route, b.Route), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	r.Moves = r.Moves[:min(len(r.Moves), maxMoves)]
	for _, rf := range refusals {
		r.Refusals = append(r.Refusals, *rf)
	}
	slices.SortFunc(r.Refusals, func(a, b Refusal) int {
		return cmp.Or(b.Requests-a.Requests, cmp.Compare(a.Route, b.Route), cmp.Compare(a.Code, b.Code))
	})
	r.Refusals = r.Refusals[:min(len(r.Refusals), maxMoves)]
	return r
}

// refusal counts row in the group of err.
func refusal(groups map[[2]string]*Refusal, row *store.Request, err error) {
	var e *llm.Error
	code, msg := "error", err.Error()
	if errors.As(err, &e) {
		code, msg = cmp.Or(e.Code, string(e.Kind)), e.Message
	}
	k := [2]string{row.Route, code}
	g := groups[k]
	if g == nil {
		g = &Refusal{Route: row.Route, Code: code, Message: msg, Examples: []string{}}
		groups[k] = g
	}
	g.Requests++
	if len(g.Examples) < maxExamples {
		g.Examples = append(g.Examples, row.ID)
	}
}

// inputOf rebuilds the policy's input of a logged request from what the
// log keeps: the features (the structural needs from the tools, JSON and
// images seen), the route or pinned deployment, the category and where it
// came from, the tenant, and the seed the gateway derived from its id.
func inputOf(row *store.Request, learned *bandit.Snapshot) route.Input {
	f := route.Features{
		Category: row.Category, Confidence: row.Confidence, PromptTokens: row.Features.PromptTokens, Turn: row.Features.Turn,
		Language: row.Features.Language, HasCode: row.Features.HasCode, HasTools: row.Features.HasTools,
		WantsJSON: row.Features.WantsJSON, HasImages: row.Features.HasImages,
	}
	for i, c := range llm.Categories {
		f.Scores[i] = float32(row.Features.Scores[c])
	}
	if f.HasTools {
		f.Needs |= route.NeedTools
	}
	if f.WantsJSON {
		f.Needs |= route.NeedJSONMode
	}
	if f.HasImages {
		f.Needs |= route.NeedVision
	}
	in := route.Input{Model: row.Route, Features: f, Seed: seed(row.ID), Tenant: row.Tenant, Learned: learned}
	in.Overrides.Allowed = route.AllowAll
	if row.Pinned != "" {
		in.Overrides.Model = row.Pinned
		in.Model = cmp.Or(in.Model, row.Pinned)
	}
	switch row.Explanation.CategorySource {
	case "hint":
		in.Overrides.Category = row.Category
	case "semantic":
		in.Semantic = route.Semantic{Outcome: route.SemanticMatched, Category: string(row.Category), Score: 1}
	}
	return in
}

// recordedFirst is the first choice of the logged plan: its first kept
// candidate, else the deployment that answered.
func recordedFirst(row *store.Request) string {
	for _, c := range row.Explanation.Candidates {
		if c.Kept {
			return c.Deployment
		}
	}
	return row.Deployment
}

// usageOf is the tokens of the attempt that answered, else all of them.
func usageOf(row *store.Request) llm.Usage {
	t := row.Tokens
	for _, a := range row.Attempts {
		if a.Outcome == store.OutcomeOK {
			t = a.Tokens
		}
	}
	return t.Usage()
}

// seed is the gateway's plan seed of a request id (FNV-1a), so a replay
// makes a split's roll and the adaptive draws as the request did.
func seed(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return h
}
