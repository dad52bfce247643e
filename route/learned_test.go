package route

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// learnedFixture: on every route, dear's configured quality puts it
// first (best); the learned sections map both deployments.
const learnedFixture = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  dear:  {provider: p, price: {input: 2.5, output: 10}, quality: 0.9}
  cheap: {provider: p, price: {input: 0.15, output: 0.6}, quality: 0.6}
routes:
  full:
    deployments: [dear, cheap]
    strategy: best
    learned: {model: router.bin, deployments: {dear: big, cheap: small}}
  half:
    deployments: [dear, cheap]
    strategy: best
    learned: {model: router.bin, deployments: {dear: big, cheap: small}, weight: 0.5}
  adapt:
    deployments: [dear, cheap]
    strategy: best
    adaptive: {enabled: true, lambda: 0, explore: 0.05, min_outcomes: 10, prior_weight: 10}
    learned: {model: router.bin, deployments: {dear: big, cheap: small}}
  plain: {deployments: [dear, cheap], strategy: best}
`

func learnedPolicy(t testing.TB) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(learnedFixture), nil)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return New(cfg, Options{})
}

// predict returns predictions of route for dear and cheap.
func predict(p *Policy, route string, dear, cheap float64) Predictions {
	var pr Predictions
	pr.Route = route
	pr.Add(p.Deployment("dear").Index, dear)
	pr.Add(p.Deployment("cheap").Index, cheap)
	return pr
}

func learnedInput(model string, pr Predictions) *Input {
	return &Input{Model: model, Features: Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 100}, Predicted: pr}
}

func candidate(plan *Plan, dep string) *Candidate {
	for i := range plan.Tiers {
		for j := range plan.Tiers[i].Candidates {
			if c := &plan.Tiers[i].Candidates[j]; c.Deployment.Name == dep {
				return c
			}
		}
	}
	return nil
}

// The predictions replace the configured quality in the static scorer:
// a prompt the model thinks cheap answers well goes to cheap first, one
// it thinks only dear answers to dear; predictions made for another
// route, or none, leave the configured order.
func TestPredictionsSteerTheStaticScorer(t *testing.T) {
	p := learnedPolicy(t)
	tests := []struct {
		name, model string
		pr          Predictions
		want        string
	}{
		{"cheap predicted better", "full", predict(p, "full", 0.3, 0.95), "cheap,dear"},
		{"dear predicted better", "full", predict(p, "full", 0.95, 0.3), "dear,cheap"},
		{"no predictions", "full", Predictions{}, "dear,cheap"},
		{"another route's", "full", predict(p, "half", 0.3, 0.95), "dear,cheap"},
		{"route without a model", "plain", predict(p, "plain", 0.3, 0.95), "dear,cheap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := p.Plan(learnedInput(tt.model, tt.pr))
			if err != nil {
				t.Fatal(err)
			}
			if got := order(plan); got != tt.want {
				t.Errorf("order %s, want %s", got, tt.want)
			}
			applied := plan.Explanation.PromptModel.Model != ""
			if c := candidate(plan, "cheap"); c.Predicted.Set != applied {
				t.Errorf("cheap predicted %+v, prompt model %+v", c.Predicted, plan.Explanation.PromptModel)
			}
		})
	}
}

// With weight 0.5 the quality is the mean of the prediction and the
// configured quality: cheap's (0.9+0.6)/2 = 0.75 beats dear's
// (0.3+0.9)/2 = 0.6, so cheap goes first, and the explanation says both
// numbers.
func TestPredictionsBlendByWeight(t *testing.T) {
	p := learnedPolicy(t)
	plan, err := p.Plan(learnedInput("half", predict(p, "half", 0.3, 0.9)))
	if err != nil {
		t.Fatal(err)
	}
	if got := order(plan); got != "cheap,dear" {
		t.Errorf("order %s", got)
	}
	c := candidate(plan, "cheap").Predicted
	if math.Abs(c.Quality-0.75) > 1e-6 || math.Abs(c.P-0.9) > 1e-6 || c.Configured != 0.6 {
		t.Errorf("cheap: %+v", c)
	}
	if want := "learned model: p(good)=0.90 → quality 0.75 (blended with the configured 0.60)"; c.Text() != want {
		t.Errorf("text %q, want %q", c.Text(), want)
	}
	if m := plan.Explanation.PromptModel; m.Model != "router.bin" || m.Weight != 0.5 {
		t.Errorf("prompt model %+v", m)
	}
}

// The prediction is the adaptive scorer's prior mean, with the route's
// prior_weight as its pseudo-outcomes: before any outcome, each
// estimate is the predicted quality, not the configured one.
func TestPredictionsAreTheAdaptivePrior(t *testing.T) {
	p := learnedPolicy(t)
	in := learnedInput("adapt", predict(p, "adapt", 0.3, 0.8))
	plan := greedyPlan(t, p, in)
	if plan.Explanation.Scorer != ScorerAdaptive {
		t.Fatalf("scorer %q", plan.Explanation.Scorer)
	}
	for dep, want := range map[string]float64{"dear": 0.3, "cheap": 0.8} {
		c := candidate(plan, dep)
		// Beta(q·10, (1−q)·10): mean q, half-width 1.96·sqrt(q(1−q)/11).
		half := 1.96 * math.Sqrt(want*(1-want)/11)
		if !c.Learned.Set || math.Abs(c.Learned.P-want) > 1e-6 || math.Abs(c.Learned.Half-half) > 1e-3 {
			t.Errorf("%s: learned %+v, want p %v ± %.3f", dep, c.Learned, want, half)
		}
	}
	// Without predictions the prior is the configured quality.
	in.Predicted = Predictions{}
	plan = greedyPlan(t, p, in)
	if c := candidate(plan, "dear"); math.Abs(c.Learned.P-0.9) > 1e-6 {
		t.Errorf("dear without a prediction: %+v", c.Learned)
	}
}

// The explanation shows each candidate's prediction, in JSON and text.
func TestPredictionsExplained(t *testing.T) {
	p := learnedPolicy(t)
	plan, err := p.Plan(learnedInput("full", predict(p, "full", 0.3, 0.83)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	for _, want := range []string{
		`"predicted":{"p_good":0.83,"quality":0.83,"configured_quality":0.6,"text":"learned model: p(good)=0.83"}`,
		`"prompt_model":{"model":"router.bin","weight":1}`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks %s:\n%s", want, js)
		}
	}
	var text bytes.Buffer
	if err := plan.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"learned:   model router.bin, weight 1:",
		"cheap  score",
		"        learned model: p(good)=0.83\n",
		"        learned model: p(good)=0.30\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}

func TestPredictionsAdd(t *testing.T) {
	var pr Predictions
	for i := range MaxPredicted {
		if !pr.Add(i, 0.5) {
			t.Fatalf("add %d refused", i)
		}
	}
	if pr.Add(MaxPredicted, 0.5) || pr.N != MaxPredicted {
		t.Errorf("a full set took one more: N = %d", pr.N)
	}
	if p, ok := pr.lookup(3); !ok || p != 0.5 {
		t.Errorf("lookup(3) = %v, %v", p, ok)
	}
	if _, ok := pr.lookup(MaxPredicted); ok {
		t.Error("lookup of a deployment never added")
	}
}
