package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// This file holds a route's learned section: a prompt-level model fitted
// offline (`switchyard learn fit`, docs/learning.md) whose per-prompt
// predictions replace the configured quality of the deployments it maps.

// MaxLearnedDeployments bounds the deployments one learned section maps:
// the predictions of one request live in a fixed array on its stack.
const MaxLearnedDeployments = 16

// Learned loads a learned prompt-level model for a route. For each request
// on the route, the gateway predicts from the prompt's text each mapped
// deployment's p(good); that prediction, blended with the deployment's
// configured quality by Weight, is the deployment's quality for that
// request: in the static scorer and as the adaptive scorer's prior mean.
type Learned struct {
	// Model is the model file's path as written (`switchyard learn fit
	// --out`). Required.
	Model string
	// Path is Model resolved against the configuration file's directory
	// by Load; for Parse and a Config built in Go, it is Model.
	Path string
	// Deployments maps a deployment of the route to the name of a model in
	// the file; unmapped deployments keep their configured quality. At
	// least one, at most MaxLearnedDeployments.
	Deployments map[string]string
	// Weight is the prediction's share of the quality: Weight·p(good) +
	// (1 − Weight)·quality, in (0, 1]; zero means 1 (the prediction
	// replaces the configured quality).
	Weight float64
}

// learned decodes a route's learned section.
func (d *decoder) learned(e entry) *Learned {
	l := &Learned{}
	d.object(e.node, e.path, []field{
		{"model", func(e entry) { d.str(e, &l.Model) }},
		{"deployments", func(e entry) { l.Deployments = d.strMap(e) }},
		{"weight", func(e entry) { d.number(e, &l.Weight, "the prediction's share of the quality, from 0 to 1, e.g. 1") }},
	})
	return l
}

const learnedExample = "e.g. learned: {model: router.bin, deployments: {gpt-4o: gpt-4-1106-preview}}"

// learned checks a route's learned section without opening the model
// file; CheckLearned does that.
func (v *validator) learned(path string, r *Route) {
	l := r.Learned
	if l.Weight == 0 {
		l.Weight = 1
	}
	if l.Path == "" {
		l.Path = l.Model
	}
	if l.Model == "" {
		v.add(path+".model", "is required", "the path of a model file written by `switchyard learn fit --out`")
	}
	if w := l.Weight; !(w > 0 && w <= 1) {
		v.add(path+".weight", "must be in (0, 1], got "+ftoa(w), "1 replaces the configured quality with the prediction; 0.5 averages them")
	}
	switch n := len(l.Deployments); {
	case n == 0:
		v.add(path+".deployments", "must map at least one deployment to a model in the file", learnedExample)
	case n > MaxLearnedDeployments:
		v.add(path+".deployments", fmt.Sprintf("maps %d deployments, more than %d", n, MaxLearnedDeployments), "map the ones the route chooses among")
	}
	union := acceptableUnion(r)
	for _, dep := range sortedKeys(l.Deployments) {
		p := path + ".deployments." + dep
		switch {
		case !slices.Contains(union, dep):
			v.add(p, fmt.Sprintf("deployment %q is not one the route may choose", dep), choices(dep, "the route's deployments", union))
		case l.Deployments[dep] == "":
			v.add(p, "names no model", "the name of a model in the file, as in its training data's model column")
		}
	}
}

// LearnedModelReader reads a learned model file and returns the names of
// the models it predicts for; its error says why the file cannot be used.
type LearnedModelReader func(path string) (models []string, err error)

// CheckLearned reads, with read, the model file of every route's learned
// section, and checks that every deployment it maps names a model of the
// file. It returns nil or Errors positioned as Parse's (with the file Load
// read). Parse and Load do not call it, since the configuration does not
// know the model format: the gateway does at start, and `switchyard config
// check` reports it.
func (c *Config) CheckLearned(read LearnedModelReader) error {
	var errs Errors
	add := func(path, problem, hint string) {
		p := c.locate(path)
		errs = append(errs, &FieldError{File: c.file, Path: path, Line: p.line, Column: p.col, Problem: problem, Hint: hint})
	}
	for _, name := range c.RouteNames() {
		l := c.Routes[name].Learned
		if l == nil || l.Path == "" {
			continue
		}
		path := "routes." + name + ".learned"
		models, err := read(l.Path)
		if err != nil {
			add(path+".model", fmt.Sprintf("cannot use the model file: %v", err), "write it with `switchyard learn fit --data FILE.csv.gz --out "+l.Model+"`")
			continue
		}
		for _, dep := range sortedKeys(l.Deployments) {
			if m := l.Deployments[dep]; !slices.Contains(models, m) {
				add(path+".deployments."+dep, fmt.Sprintf("model %q is not in %s", m, l.Model), choices(m, "its models", models))
			}
		}
	}
	return errs.orNil()
}

// locate returns the position Parse recorded for path, or for its
// nearest recorded parent; zero for a Config built in Go.
func (c *Config) locate(path string) position {
	for path != "" {
		if p, ok := c.pos[path]; ok {
			return p
		}
		path = path[:max(0, strings.LastIndexAny(path, ".["))]
	}
	return position{}
}

// resolveLearned makes relative model paths relative to dir, the
// configuration file's directory.
func (c *Config) resolveLearned(dir string) {
	for _, r := range c.Routes {
		if r == nil || r.Learned == nil || r.Learned.Model == "" {
			continue
		}
		r.Learned.Path = r.Learned.Model
		if !filepath.IsAbs(r.Learned.Model) {
			r.Learned.Path = filepath.Join(dir, r.Learned.Model)
		}
	}
}
