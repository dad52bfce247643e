package budget

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"switchyard/llm"
	"switchyard/state"
)

// CodeBudgetExceeded is the code of the 429 a hard budget answers with.
const CodeBudgetExceeded = "budget_exceeded"

// CodeBudgetUnavailable is the code of the 503 a request meets when its
// budgets cannot be checked (the state back end does not answer and
// state.on_error is deny).
const CodeBudgetUnavailable = "budget_unavailable"

// refusal turns the error of reserving against m into the client's: a
// 429 naming the budget for a refusal, else what failure says.
func (b *Budgets) refusal(ctx context.Context, m *match, err error) error {
	var ex *state.BudgetExceededError
	if !errors.As(err, &ex) {
		return b.failure(m, err)
	}
	m.r.m.rejections.Inc()
	if ex.Amount > ex.Limit {
		return m.r.tooLarge(m.instance, ex, err)
	}
	used := fmt.Sprintf("used %s (spent or held by requests and batch lines in flight)", m.r.format(ex.Used))
	u, uerr := b.st.Usage(ctx, m.key, m.r.period)
	if uerr == nil {
		// A refusal is rare: one more call to say exactly what is spent.
		used = "spent " + m.r.format(u.Spent)
		if u.Reserved > 0 {
			used += " and " + m.r.format(u.Reserved) + " held by requests and batch lines in flight"
		}
	}
	what := fmt.Sprintf("limit %s per %s, %s; this request needs an estimated %s", m.r.format(ex.Limit), periodNoun(m.r.period), used, m.r.format(ex.Amount))
	if uerr == nil && u.Reserved > 0 && u.Spent+ex.Amount <= ex.Limit {
		return m.r.heldInFlight(m.instance, what, err)
	}
	b.alert(ctx, m, LevelExhausted, ex.Used, ex.Resets)
	msg := fmt.Sprintf("Budget %q (%s) is exhausted: %s. It resets at %s.",
		m.r.name, m.r.describe(m.instance), what, ex.Resets.UTC().Format(time.RFC3339))
	wait := ex.Resets.Sub(b.now())
	if wait < time.Second {
		wait = time.Second
	}
	return &llm.Error{Kind: llm.KindRateLimit, Message: msg, Code: CodeBudgetExceeded, RetryAfter: wait, Err: err}
}

// heldInFlight is the 429 of a request refused only for the room that
// requests (and batch lines) in flight hold: what is spent plus its
// estimate fits the limit, so it may pass once they settle at their real
// cost, usually within seconds. It is retryable after a second, as a
// concurrency limit's refusal is (when a hold settles is unknown), and
// raises no alert: the budget is not spent.
func (r *rule) heldInFlight(instance, what string, err error) error {
	msg := fmt.Sprintf("Budget %q (%s) is held by requests in flight: %s, which fits once they settle at their real cost. Retry after 1s.",
		r.name, r.describe(instance), what)
	return &llm.Error{Kind: llm.KindRateLimit, Message: msg, Code: CodeBudgetExceeded, RetryAfter: time.Second, Retryable: true, Err: err}
}

// tooLarge is the 429 of a request whose estimate alone is more than
// r's whole limit: no reset lets it through, so it has no Retry-After,
// and it raises no alert (the budget may be nearly unused).
func (r *rule) tooLarge(instance string, ex *state.BudgetExceededError, err error) error {
	advice := "Lower max_tokens, or ask for a cheaper model (the estimate is the most expensive candidate's)."
	if r.unit == Tokens {
		advice = "Lower max_tokens, or shorten the prompt."
	}
	msg := fmt.Sprintf("Budget %q (%s) cannot hold this request: its estimate, %s, is more than the budget's whole limit of %s per %s, so it is refused however little was spent. %s",
		r.name, r.describe(instance), r.format(ex.Amount), r.format(ex.Limit), periodNoun(r.period), advice)
	return &llm.Error{Kind: llm.KindRateLimit, Message: msg, Code: CodeBudgetExceeded, Err: err}
}

// failure turns a back end's failure into the client's error: a 503
// when it does not answer (reaching here only with on_error deny), else
// a 500 (a bug: bad arguments).
func (b *Budgets) failure(m *match, err error) error {
	if errors.Is(err, state.ErrUnavailable) {
		e := llm.Wrap(llm.KindUnavailable, err, "Budgets cannot be checked right now (the shared state back end does not answer); try again shortly.")
		e.Code, e.RetryAfter = CodeBudgetUnavailable, time.Second
		return e
	}
	return llm.Wrap(llm.KindInternal, fmt.Errorf("budget %s: %w", m.r.name, err), "internal error checking a budget")
}

// describe says what the budget applies to: "tenant acme, daily".
func (r *rule) describe(instance string) string {
	p := "daily"
	if r.period == state.Month {
		p = "monthly"
	}
	return r.scope + " " + instance + ", " + p
}

func periodNoun(p state.Period) string {
	if p == state.Month {
		return "month"
	}
	return "day"
}

// format writes an amount of r's unit for people: "$12.5" or "1200 tokens".
func (r *rule) format(v int64) string {
	if r.unit == Tokens {
		return strconv.FormatInt(v, 10) + " tokens"
	}
	return "$" + strconv.FormatFloat(float64(v)/1e6, 'f', -1, 64)
}
