package llm

import (
	"math"
	"strconv"
	"testing"
)

// A text part takes a breakpoint without sharing Extra with its copies,
// and drops Extra again when the breakpoint is removed; an image part
// keeps its fields either way.
func TestPartSetCache(t *testing.T) {
	text := Part{Type: PartText, Text: "hi"}
	copied := text
	text.SetCache(Cache1h)
	if text.Cache() != Cache1h || copied.Cache() != NoCache || copied.Extra != nil {
		t.Fatalf("set: part %v, copy %v", text.Cache(), copied.Cache())
	}
	before := text
	text.SetCache(NoCache)
	if text.Extra != nil || before.Cache() != Cache1h {
		t.Errorf("unset: Extra %+v, earlier copy %v", text.Extra, before.Cache())
	}
	img := ImagePart("https://x/y.png", "low")
	shared := img
	img.SetCache(Cache5m)
	img.SetCache(NoCache)
	if img.ImageURL() != "https://x/y.png" || img.ImageDetail() != "low" || img.Extra == nil || shared.Cache() != NoCache {
		t.Errorf("image: %+v", img.Extra)
	}
}

func TestCacheBreakpoints(t *testing.T) {
	sys := TextMessage(RoleSystem, "rules")
	sys.Content[0].SetCache(Cache1h)
	asst := Message{Role: RoleAssistant}
	asst.SetToolCalls([]ToolCall{{ID: "c1", Name: "f", Cache: Cache5m}, {ID: "c2", Name: "g"}})
	tool := TextMessage(RoleTool, "result")
	tool.Content[0].SetCache(Cache5m)
	req := &Request{
		Tools:    []Tool{{Name: "f"}, {Name: "g", Cache: Cache1h}},
		Messages: []Message{sys, TextMessage(RoleUser, "q"), asst, tool},
	}
	if got := req.CacheBreakpoints(); got != 4 {
		t.Errorf("CacheBreakpoints = %d, want 4", got)
	}
	if got := (&Request{Messages: []Message{TextMessage(RoleUser, "q")}}).CacheBreakpoints(); got != 0 {
		t.Errorf("no breakpoints: %d", got)
	}
}

// One-hour writes are priced at their own rate, five-minute writes at the
// cache write rate, and each falls back as documented when unpriced.
func TestCostOfCacheWrites(t *testing.T) {
	u := Usage{PromptTokens: 10000, CachedPromptTokens: 4000, CacheWriteTokens: 5000, CacheWrite1hTokens: 2000, CompletionTokens: 100}
	for _, tc := range []struct {
		name string
		d    Deployment
		want float64
	}{
		{"all prices", Deployment{InputPricePerM: 3, OutputPricePerM: 15, CachedInputPricePerM: 0.3, CacheWritePricePerM: 3.75, CacheWrite1hPricePerM: 6},
			(1000*3 + 4000*0.3 + 3000*3.75 + 2000*6 + 100*15) / 1e6},
		{"no 1h price: the write price", Deployment{InputPricePerM: 3, OutputPricePerM: 15, CachedInputPricePerM: 0.3, CacheWritePricePerM: 3.75},
			(1000*3 + 4000*0.3 + 5000*3.75 + 100*15) / 1e6},
		{"no cache prices: the input price", Deployment{InputPricePerM: 3, OutputPricePerM: 15},
			(10000*3 + 100*15) / 1e6},
	} {
		if got := tc.d.Cost(u); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s: Cost = %g, want %g", tc.name, got, tc.want)
		}
	}
	// One-hour writes above the writes reported are capped at them.
	d := Deployment{InputPricePerM: 1, CacheWritePricePerM: 1.25, CacheWrite1hPricePerM: 2}
	if got, want := d.Cost(Usage{PromptTokens: 100, CacheWriteTokens: 100, CacheWrite1hTokens: 500}), 100*2/1e6; math.Abs(got-want) > 1e-15 {
		t.Errorf("capped: Cost = %g, want %g", got, want)
	}
}

// Marking no breakpoint on a text part allocates nothing: the inbound
// decoders call SetCache for every block.
func TestSetNoCacheAllocatesNothing(t *testing.T) {
	p := Part{Type: PartText, Text: "hi"}
	if n := testing.AllocsPerRun(100, func() { p.SetCache(NoCache) }); n != 0 {
		t.Errorf("SetCache(NoCache) allocates %v times", n)
	}
}

// A cost reads as its decimal value, without float noise: 4 prompt and
// 480 completion tokens at $0.30 and $2.50 per million sum to
// 0.0012012000000000001 in float arithmetic, which the request log, the
// admin API and `requests list` showed as such.
func TestCostHasNoFloatNoise(t *testing.T) {
	d := &Deployment{InputPricePerM: 0.30, OutputPricePerM: 2.50}
	in, out := 4.0, 480.0 // variables: constants would be summed exactly at compile time
	raw := (in*d.InputPricePerM + out*d.OutputPricePerM) / 1e6
	if got := strconv.FormatFloat(raw, 'f', -1, 64); got == "0.0012012" {
		t.Fatalf("the example no longer shows float noise (%s): pick another", got)
	}
	if got := strconv.FormatFloat(d.Cost(Usage{PromptTokens: 4, CompletionTokens: 480}), 'f', -1, 64); got != "0.0012012" {
		t.Errorf("cost = %s, want 0.0012012", got)
	}
	if got := RoundUSD(0.1 + 0.2); got != 0.3 {
		t.Errorf("RoundUSD(0.1+0.2) = %v", got)
	}
	if got := RoundUSD(1.5e-13); got != 0 {
		t.Errorf("RoundUSD(1.5e-13) = %v, want 0 (below the 1e-12 $ grain)", got)
	}
}
