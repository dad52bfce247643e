package traffic

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"switchyard/llm"
	"switchyard/sim/workload"
)

// Route is a model name the traffic asks for (a route, or a deployment)
// and its share of the chat visits.
type Route struct {
	Model  string
	Weight float64
}

// Mix says what the simulated users do. Shares are probabilities in
// [0, 1].
type Mix struct {
	// Routes are the chat models asked for, by weight; at least one.
	Routes []Route
	// Embed is the embeddings model asked for on a share EmbedShare of
	// visits; "" sends no embeddings.
	Embed      string
	EmbedShare float64
	// Stream is the share of chat visits whose requests stream.
	Stream float64
	// Rate is the share of chat visits whose user rates every answer
	// (POST /v1/feedback).
	Rate float64
	// FollowUp is the share of right answers the user follows with
	// another question in the same conversation (the router sees the
	// answer continued).
	FollowUp float64
	// Retry is the share of wrong answers the user asks again: half of
	// them the same conversation again (a regeneration), half the
	// question again after the answer (a retry in the conversation).
	Retry float64
}

// DemoMix is the demo's traffic: most chats to auto and learned, some to
// auto-cheap and auto-best, a few embeddings; a quarter streamed; most
// answers rated; some conversations continued and wrong answers retried.
func DemoMix() Mix {
	return Mix{
		Routes: []Route{
			{Model: "auto", Weight: 40}, {Model: "learned", Weight: 40},
			{Model: "auto-cheap", Weight: 10}, {Model: "auto-best", Weight: 10},
		},
		Embed: "embed", EmbedShare: 0.05,
		Stream: 0.25, Rate: 0.7, FollowUp: 0.15, Retry: 0.5,
	}
}

// Check reports why m cannot drive traffic: no route, a weight that is
// not positive, or a share outside [0, 1].
func (m *Mix) Check() error {
	if len(m.Routes) == 0 {
		return fmt.Errorf("traffic: no route to send chats to")
	}
	for _, r := range m.Routes {
		if r.Model == "" || !(r.Weight > 0) {
			return fmt.Errorf("traffic: route %q has weight %v; want a name and a positive weight", r.Model, r.Weight)
		}
	}
	for name, s := range map[string]float64{"embed": m.EmbedShare, "stream": m.Stream, "rate": m.Rate, "follow-up": m.FollowUp, "retry": m.Retry} {
		if !(s >= 0 && s <= 1) {
			return fmt.Errorf("traffic: %s share %v is not in [0, 1]", name, s)
		}
	}
	return nil
}

// Visit is what one simulated user does: one embeddings request, or a
// chat of one question, perhaps followed by another turn.
type Visit struct {
	// N numbers the visits from 0.
	N int
	// User is the visit's end user (the requests' user field), its own,
	// so that only its own requests are taken for its retries.
	User string
	// Model is the route or deployment asked.
	Model string
	// Embed makes the visit one embeddings request of Item's prompt.
	Embed bool
	// Item is the question asked.
	Item *workload.Item
	// Stream, Rate: the visit's requests stream; its answers are rated.
	Stream, Rate bool
	// FollowUp, when set, is asked after a right answer, in the same
	// conversation.
	FollowUp *workload.Item
	// Retry asks again after a wrong answer: AskAgain says how (the
	// question again after the answer; else the same conversation again).
	Retry, AskAgain bool
}

// Planner deals visits from a seed: the same seed, items and mix give the
// same visits. It is not safe for concurrent use.
type Planner struct {
	mix        Mix
	total      float64
	items      []workload.Item
	byCategory map[llm.Category][]int
	r          *rand.Rand
	seed       uint64
	n          int
}

// NewPlanner returns a planner of visits over items (at least one) with
// the mix m; it fails when m does not Check.
func NewPlanner(seed uint64, items []workload.Item, m Mix) (*Planner, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("traffic: no workload items")
	}
	p := &Planner{mix: m, items: items, byCategory: map[llm.Category][]int{}, r: rand.New(rand.NewPCG(seed, 0x7aff1c)), seed: seed}
	for _, r := range m.Routes {
		p.total += r.Weight
	}
	for i := range items {
		p.byCategory[items[i].Category] = append(p.byCategory[items[i].Category], i)
	}
	return p, nil
}

// Next returns the next visit. Every draw is made whatever the earlier
// ones were, so that visit n is the same for a seed whatever the mix's
// shares.
func (p *Planner) Next() Visit {
	v := Visit{N: p.n, User: "sim-user-" + strconv.FormatUint(p.seed, 10) + "-" + strconv.Itoa(p.n)}
	p.n++
	v.Item = &p.items[p.r.IntN(len(p.items))]
	embed, route := p.r.Float64(), p.r.Float64()*p.total
	stream, rate, follow, retry, again := p.r.Float64(), p.r.Float64(), p.r.Float64(), p.r.Float64(), p.r.IntN(2) == 0
	next := p.byCategory[v.Item.Category]
	followUp := &p.items[next[p.r.IntN(len(next))]]
	if p.mix.Embed != "" && embed < p.mix.EmbedShare {
		v.Embed, v.Model = true, p.mix.Embed
		return v
	}
	for _, r := range p.mix.Routes {
		if v.Model = r.Model; route < r.Weight {
			break
		}
		route -= r.Weight
	}
	v.Stream, v.Rate = stream < p.mix.Stream, rate < p.mix.Rate
	if follow < p.mix.FollowUp && followUp != v.Item {
		v.FollowUp = followUp
	}
	v.Retry = retry < p.mix.Retry
	v.AskAgain = v.Retry && again
	return v
}
