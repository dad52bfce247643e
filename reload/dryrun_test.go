package reload

import (
	"testing"

	"switchyard/llm"
	"switchyard/store"
)

// A dry run reprices a logged request from its stored tokens: the
// one-hour cache writes keep their share, so they are priced at the
// one-hour rate and not as five-minute writes.
func TestUsageOfKeepsOneHourCacheWrites(t *testing.T) {
	tok := store.Tokens{Prompt: 2000, CacheWrite: 1500, CacheWrite1h: 1000, Completion: 10}
	row := &store.Request{Tokens: tok, Attempts: []store.Attempt{
		{Outcome: store.OutcomeOK, Tokens: tok},
	}}
	u := usageOf(row)
	if u.CacheWriteTokens != 1500 || u.CacheWrite1hTokens != 1000 {
		t.Fatalf("usage %+v: the cache writes and their one-hour share must both be kept", u)
	}
	d := llm.Deployment{InputPricePerM: 3, OutputPricePerM: 15, CacheWritePricePerM: 3.75, CacheWrite1hPricePerM: 6}
	want := (500*3 + 500*3.75 + 1000*6 + 10*15) / 1e6
	if got := d.Cost(u); got != want {
		t.Errorf("repriced at %v, want %v", got, want)
	}
}
