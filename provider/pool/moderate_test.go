package pool

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// moderateFake is a fake that serves moderations when on is set (an
// Azure client is a Moderator that does not moderate).
type moderateFake struct {
	*fake
	on bool
}

func (f moderateFake) Moderates() bool { return f.on }

func (f moderateFake) Moderate(_ context.Context, _ *llm.ModerationRequest) (*llm.ModerationResponse, error) {
	f.embeds.Add(1)
	if err := f.call(); err != nil {
		return nil, err
	}
	return &llm.ModerationResponse{Model: f.name}, nil
}

var _ provider.Moderator = moderateFake{}

var modReq = &llm.ModerationRequest{Model: "m", Texts: []string{"x"}}

// Only members that moderate are picked for Moderate; a pool with none
// says so and calls nobody.
func TestModerate(t *testing.T) {
	fs := fakes(4)
	ms := members(fs)
	ms[1].Provider, ms[2].Provider, ms[3].Provider = moderateFake{fs[1], true}, moderateFake{fs[2], false}, moderateFake{fs[3], true}
	p := newPool(t, ms, Options{})
	if !p.Moderates() {
		t.Fatal("a pool with moderating members does not moderate")
	}
	for range 20 {
		resp, err := p.Moderate(context.Background(), modReq)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Model != "b" && resp.Model != "d" {
			t.Fatalf("moderation went to %s, which does not moderate", resp.Model)
		}
	}
	if got := calls(fs); !slices.Equal(got, []int64{0, 10, 0, 10}) {
		t.Errorf("calls = %v, want an even split between b and d", got)
	}

	none := newPool(t, []Member{{Name: "azure", Provider: moderateFake{newFake("azure"), false}}}, Options{})
	_, err := none.Moderate(context.Background(), modReq)
	var le *llm.Error
	if none.Moderates() || !errors.As(err, &le) || le.Kind != llm.KindInvalidRequest {
		t.Errorf("a pool without a moderating member: Moderates %v, err %v", none.Moderates(), err)
	}
}

// A 429 from a moderation cools its member, and the pool's error lets
// the dispatcher retry at once when another member is free.
func TestModerateRateLimit(t *testing.T) {
	c := newClock()
	fs := fakes(2)
	fs[0].fail = func() error { return rateLimit(30 * time.Second) }
	p := newPool(t, []Member{{Name: "a", Provider: moderateFake{fs[0], true}}, {Name: "b", Provider: moderateFake{fs[1], true}}}, c.opts(Options{}))
	_, err := p.Moderate(context.Background(), modReq)
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindRateLimit || le.RetryAfter != 0 || !le.Retryable {
		t.Fatalf("err = %#v, want a retryable 429 without Retry-After", err)
	}
	if st := p.Status(); st[0].CoolingUntil.IsZero() || inFlight(p)[0] != 0 {
		t.Errorf("status = %+v, want a cooling, idle member a", st)
	}
	resp, err := p.Moderate(context.Background(), modReq)
	if err != nil || resp.Model != "b" {
		t.Errorf("after the 429: %+v, %v; want member b", resp, err)
	}
}
