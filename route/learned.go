package route

import (
	"fmt"

	"switchyard/config"
)

// This file applies a route's learned prompt-level model (config
// Route.Learned, docs/learning.md): the gateway predicts each mapped
// deployment's p(good) from the prompt's text and hands the predictions to
// Plan in Input.Predicted; Plan blends each with the deployment's
// configured quality by the route's weight and uses the result as the
// deployment's quality for the request, in the static scorer and as the
// adaptive scorer's prior mean.

// MaxPredicted bounds the deployments one request's Predictions cover.
const MaxPredicted = config.MaxLearnedDeployments

// Predictions are a route's learned model's p(good) for one request, per
// deployment. The zero value holds none. They live in a fixed array so
// that computing them allocates nothing.
type Predictions struct {
	// Route is the route whose model predicted; Plan applies them only
	// when it plans with that route's policy.
	Route string
	// N is how many entries of Deployment and P are set.
	N int
	// Deployment holds deployment indexes (Deployment.Index); P[i] is the
	// predicted p(good) of Deployment[i], in [0, 1].
	Deployment [MaxPredicted]int32
	P          [MaxPredicted]float32
}

// Add appends dep's prediction; it reports false, adding nothing, when
// the predictions are full.
func (p *Predictions) Add(dep int, pGood float64) bool {
	if p.N == MaxPredicted {
		return false
	}
	p.Deployment[p.N], p.P[p.N] = int32(dep), float32(pGood)
	p.N++
	return true
}

// lookup returns dep's prediction.
func (p *Predictions) lookup(dep int) (float64, bool) {
	for i := range p.N {
		if int(p.Deployment[i]) == dep {
			return float64(p.P[i]), true
		}
	}
	return 0, false
}

// learnedConf is a route's compiled learned section.
type learnedConf struct {
	model  string
	weight float64
}

func compileLearned(l *config.Learned) *learnedConf {
	if l == nil {
		return nil
	}
	return &learnedConf{model: l.Model, weight: l.Weight}
}

// PromptModel names the learned model whose predictions a plan used; the
// zero value means none did.
type PromptModel struct {
	// Model is the model file as the route's config names it; Weight the
	// prediction's share of each quality.
	Model  string  `json:"model"`
	Weight float64 `json:"weight"`
}

// Predicted is the learned model's prediction for one candidate; the
// zero value means none (the configured quality applied).
type Predicted struct {
	// Set reports a prediction.
	Set bool
	// P is the model's p(good) for the prompt; Quality the quality the
	// plan used: Weight·P + (1 − Weight)·Configured.
	P, Quality, Configured float64
}

// Text says the prediction in words: "learned model: p(good)=0.83", with
// the blend when the weight is below 1.
func (p *Predicted) Text() string {
	s := fmt.Sprintf("learned model: p(good)=%.2f", p.P)
	if p.Quality != p.P {
		s += fmt.Sprintf(" → quality %.2f (blended with the configured %.2f)", p.Quality, p.Configured)
	}
	return s
}

// usePredictions notes the input's predictions for the plan when they are
// the chosen route's.
func (d *decision) usePredictions() {
	pr := &d.in.Predicted
	if d.r == nil || d.r.learned == nil || pr.N == 0 || pr.Route != d.r.name {
		return
	}
	d.predicted = pr
	d.plan.Explanation.PromptModel = PromptModel{Model: d.r.learned.model, Weight: d.r.learned.weight}
}

// quality returns dep's quality for this request: its prediction blended
// with its configured quality, or the configured quality alone.
func (d *decision) quality(dep *Deployment) Predicted {
	if d.predicted == nil {
		return Predicted{Quality: dep.Quality, Configured: dep.Quality}
	}
	p, ok := d.predicted.lookup(dep.Index)
	if !ok {
		return Predicted{Quality: dep.Quality, Configured: dep.Quality}
	}
	w := d.r.learned.weight
	return Predicted{Set: true, P: p, Quality: w*p + (1-w)*dep.Quality, Configured: dep.Quality}
}
