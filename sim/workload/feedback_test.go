package workload

import (
	"math"
	"testing"
)

func withinBinomial(k, n int, p, z float64) bool {
	return math.Abs(float64(k)-float64(n)*p) <= z*math.Sqrt(float64(n)*p*(1-p))+1
}

// TestRaterNoise: with noise 0.1 about a tenth of right answers are rated
// down and of wrong ones up; without noise never.
func TestRaterNoise(t *testing.T) {
	for _, noise := range []float64{0, 0.1, 0.3} {
		rt, err := NewRater(7, noise)
		if err != nil {
			t.Fatal(err)
		}
		const n = 5000
		down, up := 0, 0
		for i := 0; i < n; i++ {
			if g := rt.Rate("The answer is Canberra.", "canberra"); g.Thumbs == ThumbsDown {
				down++
				if !g.Right || !g.Noisy {
					t.Fatalf("%+v", g)
				}
			}
			if g := rt.Rate("I'm sorry, but I can't help with that.", "Canberra"); g.Thumbs == ThumbsUp {
				up++
				if g.Right || !g.Noisy {
					t.Fatalf("%+v", g)
				}
			}
		}
		if !withinBinomial(down, n, noise, 4) || !withinBinomial(up, n, noise, 4) {
			t.Errorf("noise %v: %d right answers rated down, %d wrong rated up, of %d", noise, down, up, n)
		}
	}
	for _, bad := range []float64{-0.1, 0.6, math.NaN()} {
		if _, err := NewRater(1, bad); err == nil {
			t.Errorf("noise %v accepted", bad)
		}
	}
}

func TestRaterDeterministic(t *testing.T) {
	a, _ := NewRater(3, 0.2)
	b, _ := NewRater(3, 0.2)
	c, _ := NewRater(4, 0.2)
	same, other := true, false
	for i := 0; i < 200; i++ {
		x, y, z := a.Rate("It is 12.", "12"), b.Rate("It is 12.", "12"), c.Rate("It is 12.", "12")
		same = same && x == y
		other = other || x != z
	}
	if !same || !other {
		t.Fatalf("same seed alike: %v; another seed differs: %v", same, other)
	}
}

func TestRatingBody(t *testing.T) {
	tests := []struct {
		g    Rating
		want string
	}{
		{Rating{Thumbs: ThumbsUp, Right: true}, `{"request_id":"req_1","thumbs":"up"}`},
		{Rating{Thumbs: ThumbsDown}, `{"request_id":"req_1","thumbs":"down","tags":["wrong_answer"]}`},
	}
	for _, tt := range tests {
		if got := string(tt.g.Body("req_1")); got != tt.want {
			t.Errorf("Body = %s, want %s", got, tt.want)
		}
	}
}
