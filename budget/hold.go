package budget

import (
	"context"
	"errors"
	"time"

	"switchyard/state"
)

// Ceiling is the price ceiling a spent soft budget puts on a request's
// candidates, in USD per 1M tokens; zero fields mean none.
type Ceiling struct {
	MaxInputPricePerM, MaxOutputPricePerM float64
	// By names the budget (the tightest, when several are spent).
	By string
}

// IsZero reports whether c limits nothing.
func (c Ceiling) IsZero() bool { return c.MaxInputPricePerM == 0 && c.MaxOutputPricePerM == 0 }

// tighten lowers c to the ceiling of r where r's is lower.
func (c *Ceiling) tighten(r Ceiling) {
	tighter := false
	if p := r.MaxInputPricePerM; p > 0 && (c.MaxInputPricePerM == 0 || p < c.MaxInputPricePerM) {
		c.MaxInputPricePerM, tighter = p, true
	}
	if p := r.MaxOutputPricePerM; p > 0 && (c.MaxOutputPricePerM == 0 || p < c.MaxOutputPricePerM) {
		c.MaxOutputPricePerM, tighter = p, true
	}
	if tighter || c.By == "" {
		c.By = r.By
	}
}

// Hold is what one request holds against its budgets, from Begin to
// Settle. The zero value holds nothing (no budget applies), and its
// methods do nothing. A Hold belongs to one request: it is not safe for
// concurrent use.
type Hold struct {
	b       *Budgets
	matched []match
	ceiling Ceiling
	// noUnknownBy names the first matching budget that excludes
	// deployments of unknown cost; "" when none does.
	noUnknownBy string
}

// match is one budget that applies to the request.
type match struct {
	r        *rule
	instance string
	key      string
	// res is the reservation held; the zero Reservation (no Key) when
	// none is (a back end's always has its Key).
	res state.Reservation
}

// held reports whether m holds a reservation.
func (m *match) held() bool { return m.res.Key != "" }

// take returns the reservation m holds, which it no longer holds.
func (m *match) take() state.Reservation {
	r := m.res
	m.res = state.Reservation{}
	return r
}

// Begin matches who against the budgets and reads every soft one that
// applies (one state call each, which holds nothing but lets Settle
// charge it). The returned Hold's Ceiling is the price ceiling of the
// spent ones, to route under. Begin on a nil Budgets returns the zero
// Hold. It fails only when the state back end does not answer and
// state.on_error is deny (a 503); the Hold then holds nothing.
func (b *Budgets) Begin(ctx context.Context, who Who) (Hold, error) {
	if b == nil {
		return Hold{}, nil
	}
	h := Hold{b: b}
	rules := b.list()
	for _, r := range rules {
		inst, ok := r.instance(&who)
		if !ok {
			continue
		}
		if h.matched == nil {
			h.matched = make([]match, 0, len(rules))
		}
		h.matched = append(h.matched, match{r: r, instance: inst, key: r.stateKey(inst)})
		if r.noUnknown && h.noUnknownBy == "" {
			h.noUnknownBy = r.name
		}
		if !r.soft {
			continue
		}
		m := &h.matched[len(h.matched)-1]
		if err := h.readSoft(ctx, m); err != nil {
			h.release(ctx)
			return Hold{}, err
		}
	}
	return h, nil
}

// readSoft reserves nothing against the soft budget of m, with no limit:
// the answer says how much it has used.
func (h *Hold) readSoft(ctx context.Context, m *match) error {
	res, err := h.b.st.Reserve(ctx, state.BudgetRequest{Key: m.key, Amount: 0, Limit: state.MaxAmount, Period: m.r.period, TTL: h.b.ttl})
	if err != nil {
		return h.b.failure(m, err)
	}
	m.res = res
	switch {
	case res.Used >= m.r.limit:
		h.ceiling.tighten(m.r.ceiling)
		m.r.m.ceiling.Inc()
		h.b.alert(ctx, m, LevelExhausted, res.Used, res.Resets)
	case res.Used >= m.r.threshold:
		h.b.alert(ctx, m, LevelThreshold, res.Used, res.Resets)
	}
	return nil
}

// Ceiling returns the price ceiling of the spent soft budgets; the zero
// Ceiling when none is spent.
func (h *Hold) Ceiling() Ceiling { return h.ceiling }

// UnknownCostExcludedBy returns the name of a budget that applies to the
// request and counts USD with unknown_cost: exclude, or "" when none
// does: the request may then not go to a deployment whose price is
// unknown, since its cost there could not be charged.
func (h *Hold) UnknownCostExcludedBy() string { return h.noUnknownBy }

// Reserve reserves est against every hard budget Begin matched. If one
// refuses, it releases everything the Hold held and returns the 429
// *llm.Error (code budget_exceeded) that names the budget and when it
// resets. It returns a 503 *llm.Error when the state back end does not
// answer and state.on_error is deny, and a 500 on a bug.
func (h *Hold) Reserve(ctx context.Context, est Amount) error {
	return h.reserve(ctx, est, nil)
}

// reserve is Reserve, of named reservations (Keep) when named is not
// nil: its ID, Force and TTL.
func (h *Hold) reserve(ctx context.Context, est Amount, named *state.BudgetRequest) error {
	for i := range h.matched {
		m := &h.matched[i]
		if m.r.soft {
			continue
		}
		req := state.BudgetRequest{Key: m.key, Amount: est.in(m.r.unit, true), Limit: m.r.limit, Period: m.r.period, TTL: h.b.holdTTL(ctx)}
		if named != nil {
			req.ID, req.Force, req.TTL = named.ID, named.Force, named.TTL
		}
		res, err := h.b.st.Reserve(ctx, req)
		if named != nil && errors.Is(err, state.ErrSettled) {
			continue // its result was charged already
		}
		if err != nil {
			h.release(ctx)
			return h.b.refusal(ctx, m, err)
		}
		m.res = res
		if res.Used >= m.r.threshold {
			h.b.alert(ctx, m, LevelThreshold, res.Used, res.Resets)
		}
	}
	return nil
}

// holdTTL is how long a request's reservation is held should neither
// Settle nor Release come (its process died): Options.TTL, or longer for
// a request whose deadline is further away (a background response's
// run, bounded by responses.background.timeout, not by
// server.request_timeout) — until that deadline plus a minute, so that
// no reservation lapses while its request still runs.
func (b *Budgets) holdTTL(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		if left := time.Until(d) + time.Minute; left > b.ttl {
			return left
		}
	}
	return b.ttl
}

// Settle ends the Hold: with dispatched, each reservation is replaced by
// actual (which may exceed the estimate: it was spent); without, each is
// released, for a request that never reached an upstream. It returns the
// names of the budgets charged, for the request's record (nil when none).
//
// It never fails the request: a back end that does not answer, or a
// reservation that expired meanwhile, is logged. With Options.Async the
// calls run on a goroutine of their own (Budgets.Wait waits for them),
// so a remote back end's round trip is not on the request's path; the
// reservations count until then, so no budget is overshot meanwhile.
func (h *Hold) Settle(ctx context.Context, dispatched bool, actual Amount) []string {
	var names []string
	for i := range h.matched {
		// An unchecked reservation (the back end was down, on_error
		// allow) charges nothing.
		if m := &h.matched[i]; m.held() && dispatched && !m.res.Unchecked() {
			names = append(names, m.r.name)
		}
	}
	if h.b == nil || !h.b.async || h.holds() == 0 {
		h.settle(ctx, dispatched, actual)
		return names
	}
	later := *h
	h.matched = nil // settled once: the copy owns the reservations
	h.b.pending.Add(1)
	go func() {
		defer h.b.pending.Done()
		later.settle(context.WithoutCancel(ctx), dispatched, actual)
	}()
	return names
}

// holds counts the reservations held.
func (h *Hold) holds() int {
	n := 0
	for i := range h.matched {
		if h.matched[i].held() {
			n++
		}
	}
	return n
}

// settle charges (or releases) every reservation held.
func (h *Hold) settle(ctx context.Context, dispatched bool, actual Amount) {
	if !dispatched {
		h.release(ctx)
		return
	}
	for i := range h.matched {
		m := &h.matched[i]
		if !m.held() {
			continue
		}
		res := m.take()
		if res.Unchecked() {
			continue
		}
		amount := actual.in(m.r.unit, false)
		switch err := h.b.st.Settle(ctx, res, amount); {
		case errors.Is(err, state.ErrSettled):
			// A durable hold settled already (a settle repeated after a
			// crash): charged once, then.
			continue
		case errors.Is(err, state.ErrNotHeld) && m.r.soft && res.Named:
			// A soft budget of a durable hold (Resume): nothing was held.
		case errors.Is(err, state.ErrNotHeld):
			// Settle counted it; the reservation had expired (a request
			// longer than the reservation TTL) or its period ended.
			h.b.log.Info("budget charged after its reservation expired", "budget", m.r.name, "match", m.instance)
		case err != nil:
			h.b.log.Warn("budget not charged", "budget", m.r.name, "match", m.instance, "amount", amount, "unit", m.r.unit, "err", err)
			continue
		}
		m.r.m.charge(amount)
	}
}

// release drops every reservation the Hold still holds.
func (h *Hold) release(ctx context.Context) {
	for i := range h.matched {
		m := &h.matched[i]
		if !m.held() {
			continue
		}
		if err := h.b.st.Release(ctx, m.take()); err != nil && !errors.Is(err, state.ErrNotHeld) {
			h.b.log.Warn("budget reservation not released", "budget", m.r.name, "match", m.instance, "err", err)
		}
	}
}
