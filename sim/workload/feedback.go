package workload

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"switchyard/sim"
)

// Thumbs are the ratings a simulated user gives.
const (
	ThumbsUp   = "up"
	ThumbsDown = "down"
)

// Right reports whether answer states the expected answer
// (sim.ContainsAnswer): what a careful user checks.
func Right(answer, expected string) bool { return sim.ContainsAnswer(answer, expected) }

// Rater simulates users rating answers: thumbs up for a right answer,
// down for a wrong one or a refusal, except that a share Noise of ratings
// is the other way (users misread, or rate the tone, or click the wrong
// button). It is safe for concurrent use; its ratings are deterministic
// for a seed and an order of calls.
type Rater struct {
	noise float64
	mu    sync.Mutex
	r     *rand.Rand
}

// NewRater returns a rater whose ratings are wrong with probability
// noise, in [0, 0.5]; it fails for another noise.
func NewRater(seed uint64, noise float64) (*Rater, error) {
	if !(noise >= 0 && noise <= 0.5) || math.IsNaN(noise) {
		return nil, fmt.Errorf("workload: noise %v is not in [0, 0.5]", noise)
	}
	return &Rater{noise: noise, r: rand.New(rand.NewPCG(seed, 0xfeedbac))}, nil
}

// Rating is one simulated user's judgment of an answer.
type Rating struct {
	// Thumbs is ThumbsUp or ThumbsDown.
	Thumbs string
	// Right reports whether the answer was right; Noisy whether Thumbs
	// says the opposite.
	Right, Noisy bool
}

// Rate judges answer against the expected answer.
func (rt *Rater) Rate(answer, expected string) Rating {
	rt.mu.Lock()
	noisy := rt.r.Float64() < rt.noise
	rt.mu.Unlock()
	g := Rating{Right: Right(answer, expected), Noisy: noisy}
	if g.Right != noisy {
		g.Thumbs = ThumbsUp
	} else {
		g.Thumbs = ThumbsDown
	}
	return g
}

// Body returns the JSON body of POST /v1/feedback rating the request
// requestID (its x-switchyard-request-id): {"request_id", "thumbs"}, with
// the tag "wrong_answer" on a thumbs down.
func (g Rating) Body(requestID string) []byte {
	body := struct {
		RequestID string   `json:"request_id"`
		Thumbs    string   `json:"thumbs"`
		Tags      []string `json:"tags,omitempty"`
	}{RequestID: requestID, Thumbs: g.Thumbs}
	if g.Thumbs == ThumbsDown {
		body.Tags = []string{"wrong_answer"}
	}
	b, _ := json.Marshal(body)
	return b
}
