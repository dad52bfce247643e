package gateway

import (
	"maps"
	"slices"
	"sync"

	"switchyard/config"
	"switchyard/learn/offline"
	"switchyard/llm"
	"switchyard/route"
)

// This file computes, for a request on a route with a learned section,
// the route's learned prompt-level model's p(good) of each mapped
// deployment, before the policy plans (see docs/learning.md). The models
// are loaded once, when the gateway is built.

// LoadLearned reads the model file of every route's learned section (a
// file several routes name is read once) and checks that each mapped
// model is in its file. The error is a config.Errors positioned at the
// offending field, as the rest of the configuration's; the map holds the
// models by cfg's resolved path (config.Learned.Path).
func LoadLearned(cfg *config.Config) (map[string]*offline.Model, error) {
	models := map[string]*offline.Model{}
	err := cfg.CheckLearned(func(path string) ([]string, error) {
		if m := models[path]; m != nil {
			return m.Models, nil
		}
		m, err := offline.LoadFile(path)
		if err != nil {
			return nil, err
		}
		models[path] = m
		return m.Models, nil
	})
	if err != nil {
		return nil, err
	}
	return models, nil
}

// promptModel is one route's learned model with its mapping.
type promptModel struct {
	route string
	model *offline.Model
	// deps[i] is a mapped deployment's index (route.Deployment.Index) and
	// cols[i] the index of its model in the file.
	deps, cols []int
	// scratch holds *predictScratch, so that predicting allocates nothing
	// once warm.
	scratch sync.Pool
}

// predictScratch is one prediction's working memory.
type predictScratch struct {
	v   offline.Vector
	out []float64
}

// startLearned builds the prompt model of every route with a learned
// section from the loaded models.
func (g *Gateway) startLearned(cfg *config.Config, models map[string]*offline.Model) {
	for _, name := range cfg.RouteNames() {
		l := cfg.Routes[name].Learned
		if l == nil || models[l.Path] == nil {
			continue
		}
		m := models[l.Path]
		pm := &promptModel{route: name, model: m}
		pm.scratch.New = func() any { return &predictScratch{out: make([]float64, len(m.Models))} }
		for _, dep := range slices.Sorted(maps.Keys(l.Deployments)) {
			d, col := g.policy.Deployment(dep), m.Index(l.Deployments[dep])
			if d == nil || col < 0 {
				continue // config.CheckLearned has reported it
			}
			pm.deps, pm.cols = append(pm.deps, d.Index), append(pm.cols, col)
		}
		if g.prompt == nil {
			g.prompt = map[string]*promptModel{}
		}
		g.prompt[name] = pm
	}
}

// predict writes the model's p(good) of each mapped deployment for req
// into out. A request without user text gets none (every deployment
// keeps its configured quality).
func (pm *promptModel) predict(req *llm.Request, out *route.Predictions) {
	text := promptText(req)
	if text == "" {
		return
	}
	s := pm.scratch.Get().(*predictScratch)
	kind := pm.model.Vectorize(text, &s.v)
	pm.model.Predict(&s.v, kind, s.out)
	out.Route = pm.route
	for i, dep := range pm.deps {
		out.Add(dep, s.out[pm.cols[i]])
	}
	if cap(s.v.Idx) > maxKeptFeatures { // one huge prompt does not pin its memory in the pool
		s.v = offline.Vector{}
	}
	pm.scratch.Put(s)
}

// maxKeptFeatures bounds the feature buffer a pooled scratch keeps.
const maxKeptFeatures = 1 << 16

// promptText is the text the learned model reads: the last user message,
// as the training data's prompts are single prompts. It allocates only
// when that message has several text parts.
func promptText(req *llm.Request) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if m := &req.Messages[i]; m.Role == llm.RoleUser {
			return m.Text()
		}
	}
	return ""
}
