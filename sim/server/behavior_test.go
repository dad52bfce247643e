package server

import (
	"fmt"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/quality"
	"switchyard/sim"
)

var wires = []Wire{OpenAI, Azure, Anthropic, Gemini}

// normalFinish is each format's finish reason of an ordinary answer.
var normalFinish = map[Wire]string{OpenAI: "stop", Azure: "stop", Anthropic: "end_turn", Gemini: "STOP"}

func newBehaviorServer(t *testing.T) (*Server, string) {
	srv := New(DemoCatalogs(0), nil)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts.URL
}

// withinBinomial reports whether k of n is within z standard deviations
// of the rate p.
func withinBinomial(k, n int, p, z float64) bool {
	return math.Abs(float64(k)-float64(n)*p) <= z*math.Sqrt(float64(n)*p*(1-p))+1
}

// TestKnowledgeEveryWire: in every wire format, streamed and not, a
// knowledge entry is answered right at the model's accuracy for its
// category, wrong (with one of its wrong answers, never the right one)
// otherwise, with the format's ordinary finish reason.
func TestKnowledgeEveryWire(t *testing.T) {
	srv, url := newBehaviorServer(t)
	entry := sim.Entry{Prompt: "What is the capital of Australia?", Answer: "Canberra", Category: "factual", Wrong: []string{"Sydney", "Melbourne"}}
	if err := srv.Behavior.Knowledge.Add(entry); err != nil {
		t.Fatal(err)
	}
	const n, accuracy = 300, 0.7
	for _, w := range wires {
		srv.Behavior.SetAccuracy(wireModel[w], map[string]float64{"factual": accuracy})
		for _, stream := range []bool{false, true} {
			right := 0
			for i := 0; i < n; i++ {
				ans := askWire(t, url, w, stream, "what is the capital of australia")
				isRight := sim.ContainsAnswer(ans.text, "Canberra")
				isWrong := sim.ContainsAnswer(ans.text, "Sydney") || sim.ContainsAnswer(ans.text, "Melbourne")
				if isRight == isWrong || ans.finish != normalFinish[w] || ans.output < 3 {
					t.Fatalf("%s stream=%v: %+v", w, stream, ans)
				}
				if isRight {
					right++
				}
			}
			if !withinBinomial(right, n, accuracy, 4) {
				t.Errorf("%s stream=%v: %d of %d right, want about %.0f%%", w, stream, right, n, 100*accuracy)
			}
		}
	}
}

// TestDriftEveryWire: a verbosity of 1.3 makes answers about 30% longer
// in text and in the usage's output tokens, and a refusal rate of 0.15
// refuses about 15% of requests with the format's ordinary finish
// reason, in every wire format, streamed and not.
func TestDriftEveryWire(t *testing.T) {
	srv, url := newBehaviorServer(t)
	const n = 200
	measure := func(w Wire, stream bool) (chars, output, refused int) {
		for i := 0; i < n; i++ {
			ans := askWire(t, url, w, stream, fmt.Sprintf("Describe the harbour at dawn, take %d.", i))
			if ans.finish != normalFinish[w] {
				t.Fatalf("%s stream=%v: finish %q: %+v", w, stream, ans.finish, ans)
			}
			if quality.IsRefusal(ans.text) {
				refused++
				continue
			}
			chars += len(ans.text)
			output += ans.output
		}
		return chars, output, refused
	}
	for _, w := range wires {
		for _, stream := range []bool{false, true} {
			baseChars, baseOutput, refused := measure(w, stream)
			if refused != 0 {
				t.Fatalf("%s: %d refusals without drift", w, refused)
			}
			if err := srv.Behavior.SetDrift(sim.Drift{Model: wireModel[w], Verbosity: 1.3}); err != nil {
				t.Fatal(err)
			}
			chars, output, _ := measure(w, stream)
			rc, ro := float64(chars)/float64(baseChars), float64(output)/float64(baseOutput)
			if math.Abs(rc-1.3) > 0.05 || math.Abs(ro-1.3) > 0.05 {
				t.Errorf("%s stream=%v: verbosity 1.3 gave %.3f× the text, %.3f× the output tokens", w, stream, rc, ro)
			}
			srv.Behavior.SetDrift(sim.Drift{Model: wireModel[w], RefusalRate: 0.15})
			_, _, refused = measure(w, stream)
			if !withinBinomial(refused, n, 0.15, 4) {
				t.Errorf("%s stream=%v: %d of %d refused, want about 15%%", w, stream, refused, n)
			}
			srv.Behavior.ClearDrift("")
		}
	}
}

// TestBehaviorEndpointsEveryPrefix: the control API answers at the root
// and under each wire format's prefix, a drift set there changes the
// answers of every format, and DELETE restores them.
func TestBehaviorEndpointsEveryPrefix(t *testing.T) {
	_, url := newBehaviorServer(t)
	prompt := "Tell me about lighthouses."
	before := map[Wire]string{}
	for _, w := range wires {
		before[w] = askWire(t, url, w, false, prompt).text
	}
	for _, prefix := range []string{"", "/openai", "/azure", "/anthropic", "/gemini"} {
		st, body := post(t, url+prefix+"/_sim/drift", `{"refusal_rate":1}`)
		if st != 204 {
			t.Fatalf("%s: POST drift: %d %s", prefix, st, body)
		}
		for _, w := range wires {
			if ans := askWire(t, url, w, true, prompt); !quality.IsRefusal(ans.text) {
				t.Errorf("%s: %s did not refuse: %q", prefix, w, ans.text)
			}
		}
		if st := del(t, url+prefix+"/_sim/drift"); st != 204 {
			t.Fatalf("%s: DELETE drift: %d", prefix, st)
		}
		for _, w := range wires {
			if got := askWire(t, url, w, false, prompt).text; got != before[w] {
				t.Errorf("%s: %s after DELETE: %q, want %q", prefix, w, got, before[w])
			}
		}
	}
	st, body := post(t, url+"/anthropic/_sim/knowledge", `{"prompt":"Tell me about lighthouses.","answer":"They guide ships."}`)
	if st != 200 || !strings.Contains(body, `"entries":1`) {
		t.Fatalf("POST knowledge: %d %s", st, body)
	}
	if st, body := post(t, url+"/gemini/_sim/accuracy", `{"model":"","accuracy":{"*":1}}`); st != 204 {
		t.Fatalf("POST accuracy: %d %s", st, body)
	}
	for _, w := range wires {
		if ans := askWire(t, url, w, false, prompt); !sim.ContainsAnswer(ans.text, "They guide ships.") {
			t.Errorf("a knowledge entry posted under /anthropic is not known to %s: %q", w, ans.text)
		}
	}
}

// TestSeedDeterminesAnswers: two servers with the same seed, asked the
// same questions in the same order, answer alike; another seed does not.
func TestSeedDeterminesAnswers(t *testing.T) {
	run := func(seed uint64) string {
		srv, url := newBehaviorServer(t)
		srv.Behavior.SetSeed(seed)
		srv.Behavior.Knowledge.Add(sim.Entry{Prompt: "How many legs do 7 spiders have?", Answer: "56", Category: "reasoning"})
		srv.Behavior.SetDrift(sim.Drift{RefusalRate: 0.3, Verbosity: 1.1})
		var b strings.Builder
		for i := 0; i < 20; i++ {
			for _, w := range wires {
				b.WriteString(askWire(t, url, w, i%2 == 0, "How many legs do 7 spiders have?").text + "\n")
				b.WriteString(askWire(t, url, w, i%2 == 1, fmt.Sprint("Say something about ", i)).text + "\n")
			}
		}
		return b.String()
	}
	a, b, c := run(3), run(3), run(4)
	if a != b {
		t.Fatal("two servers with seed 3 answered differently")
	}
	if a == c {
		t.Fatal("seeds 3 and 4 answered alike")
	}
}
