package pool

import (
	"context"
	"fmt"

	"switchyard/llm"
)

// Moderates reports whether some member moderates (is a
// provider.Moderator whose Moderates is true).
func (p *Pool) Moderates() bool { return p.moderates }

// Moderate sends req to one member that moderates and returns its answer
// or error unchanged; a 429 cools the member as for Stream. It fails with
// a KindInvalidRequest *llm.Error if no member moderates.
func (p *Pool) Moderate(ctx context.Context, req *llm.ModerationRequest) (resp *llm.ModerationResponse, err error) {
	if !p.moderates {
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Provider: p.name,
			Message: fmt.Sprintf("provider %q does not serve moderations", p.name)}
	}
	m := p.acquire(needModerate)
	defer func() { err = p.retryNow(p.release(m, err), err) }()
	return m.moderator.Moderate(ctx, req)
}
