package traffic

import (
	"math"
	"reflect"
	"testing"

	"switchyard/llm"
	"switchyard/sim/workload"
)

var testItems = workload.Generate(workload.Options{Seed: 1, N: 140})

// visits returns the first n visits of seed over testItems with m.
func visits(t *testing.T, seed uint64, m Mix, n int) []Visit {
	t.Helper()
	p, err := NewPlanner(seed, testItems, m)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]Visit, n)
	for i := range out {
		out[i] = p.Next()
	}
	return out
}

// The visits are a function of the seed: the same seed deals the same
// visits (questions, routes, streams, ratings, follow-ups, retries), and
// another seed others.
func TestPlannerDeterministicBySeed(t *testing.T) {
	a, b := visits(t, 7, DemoMix(), 500), visits(t, 7, DemoMix(), 500)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two planners of seed 7 dealt different visits")
	}
	other := visits(t, 8, DemoMix(), 500)
	same := 0
	for i := range a {
		if a[i].Item == other[i].Item && a[i].Model == other[i].Model {
			same++
		}
	}
	if same > 50 {
		t.Errorf("seeds 7 and 8 share the question and route of %d visits of 500", same)
	}
	// A visit's question does not depend on the mix's shares.
	streamAll := DemoMix()
	streamAll.Stream = 1
	for i, v := range visits(t, 7, streamAll, 500) {
		if v.Item != a[i].Item || v.Stream == v.Embed {
			t.Fatalf("visit %d: %q (stream %v) with every visit streamed, %q without", i, v.Item.Prompt, v.Stream, a[i].Item.Prompt)
		}
	}
}

// Over many visits, each share of the mix is what it says, every
// category is asked, and a visit's parts fit together.
func TestPlannerShares(t *testing.T) {
	const n = 20000
	m := DemoMix()
	vs := visits(t, 3, m, n)
	models, cats := map[string]int{}, map[llm.Category]int{}
	var embeds, streams, rated, follow, retry, again, chats int
	users := map[string]bool{}
	for i, v := range vs {
		if v.N != i || users[v.User] {
			t.Fatalf("visit %d: number %d, user %q (seen before: %v)", i, v.N, v.User, users[v.User])
		}
		users[v.User] = true
		models[v.Model]++
		cats[v.Item.Category]++
		if v.Embed {
			embeds++
			if v.Model != m.Embed || v.Stream || v.Rate || v.FollowUp != nil || v.Retry {
				t.Fatalf("embeddings visit %+v", v)
			}
			continue
		}
		chats++
		streams += b2i(v.Stream)
		rated += b2i(v.Rate)
		retry += b2i(v.Retry)
		again += b2i(v.AskAgain)
		if v.AskAgain && !v.Retry {
			t.Fatalf("visit %d asks again without retrying", i)
		}
		if v.FollowUp != nil {
			follow++
			if v.FollowUp.Category != v.Item.Category || v.FollowUp == v.Item {
				t.Fatalf("visit %d follows %q with %q", i, v.Item.Prompt, v.FollowUp.Prompt)
			}
		}
	}
	near := func(what string, got int, of int, want float64) {
		t.Helper()
		if share := float64(got) / float64(of); math.Abs(share-want) > 0.02 {
			t.Errorf("%s: %.3f, want %.3f", what, share, want)
		}
	}
	near("embeddings", embeds, n, m.EmbedShare)
	total := 0.0
	for _, r := range m.Routes {
		total += r.Weight
	}
	for _, r := range m.Routes {
		near(r.Model, models[r.Model], chats, r.Weight/total)
	}
	near("streamed", streams, chats, m.Stream)
	near("rated", rated, chats, m.Rate)
	near("followed up", follow, chats, m.FollowUp)
	near("retried", retry, chats, m.Retry)
	near("asked again", again, chats, m.Retry/2)
	for _, c := range llm.Categories {
		near(string(c), cats[c], n, 1.0/float64(len(llm.Categories)))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestMixCheck(t *testing.T) {
	bad := map[string]func(*Mix){
		"no route":       func(m *Mix) { m.Routes = nil },
		"zero weight":    func(m *Mix) { m.Routes[0].Weight = 0 },
		"no name":        func(m *Mix) { m.Routes[0].Model = "" },
		"share over 1":   func(m *Mix) { m.Rate = 1.5 },
		"negative share": func(m *Mix) { m.Stream = -0.1 },
		"NaN share":      func(m *Mix) { m.Retry = math.NaN() },
	}
	for name, edit := range bad {
		m := DemoMix()
		edit(&m)
		if _, err := NewPlanner(1, testItems, m); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewPlanner(1, nil, DemoMix()); err == nil {
		t.Error("no items: accepted")
	}
}
