package config

import (
	"fmt"
	"math"
	"time"
)

// This file holds a route's adaptive section: the learned scorer that
// shifts traffic among the route's acceptable deployments toward the
// best quality − λ·cost. See docs/adaptive.md.

// Defaults of a route's adaptive section.
const (
	DefaultAdaptiveLambda      = 0.5
	DefaultAdaptiveExplore     = 0.05
	DefaultAdaptiveMinOutcomes = 30
	DefaultAdaptiveHalfLife    = 24 * time.Hour
	DefaultAdaptivePriorWeight = 10.0
	DefaultAdaptivePool        = 10.0
	// MaxAdaptiveExplore bounds explore: past it the router explores
	// more than it exploits.
	MaxAdaptiveExplore = 0.5
	// MinAdaptiveHalfLife bounds half_life from below.
	MinAdaptiveHalfLife = time.Minute
)

// Adaptive configures a route's learned scorer. A route without an
// adaptive section (nil) ranks with its strategy alone.
type Adaptive struct {
	// Enabled turns the learned scorer on.
	Enabled bool
	// Lambda weighs the request's normalized cost (its estimated cost over
	// the costliest candidate's, in [0, 1]) against p(good).
	Lambda float64
	// Explore is the share of requests whose first candidate is a
	// Thompson draw instead of the best posterior mean: the cap on
	// exploration, from 0 to MaxAdaptiveExplore.
	Explore float64
	// MinOutcomes is how many outcomes (decayed) a deployment needs in a
	// request's category before its estimate may move it; until then it
	// keeps its place in the static order.
	MinOutcomes int
	// HalfLife is how fast outcomes are forgotten: an outcome counts half
	// as much after it.
	HalfLife time.Duration
	// PriorWeight is the pseudo-count of a deployment's configured quality
	// in its prior; Pool the most pseudo-counts a level of pooling lends
	// the next (global → category → context → tenant).
	PriorWeight, Pool float64
}

// DefaultAdaptive returns an enabled section with every default.
func DefaultAdaptive() *Adaptive {
	return &Adaptive{
		Enabled: true, Lambda: DefaultAdaptiveLambda, Explore: DefaultAdaptiveExplore,
		MinOutcomes: DefaultAdaptiveMinOutcomes, HalfLife: DefaultAdaptiveHalfLife,
		PriorWeight: DefaultAdaptivePriorWeight, Pool: DefaultAdaptivePool,
	}
}

// On reports whether a is set and enabled.
func (a *Adaptive) On() bool { return a != nil && a.Enabled }

// adaptive decodes a route's adaptive section over the defaults; an
// explicit enabled: false turns it off.
func (d *decoder) adaptive(e entry) *Adaptive {
	a := DefaultAdaptive()
	d.object(e.node, e.path, []field{
		{"enabled", func(e entry) {
			if b := d.boolean(e); b != nil {
				a.Enabled = *b
			}
		}},
		{"lambda", func(e entry) { d.number(e, &a.Lambda, "the weight of the normalized cost, e.g. 0.5") }},
		{"explore", func(e entry) { d.number(e, &a.Explore, "a share of requests, e.g. 0.05") }},
		{"min_outcomes", func(e entry) { d.intField(e, &a.MinOutcomes, "outcomes, e.g. 30") }},
		{"half_life", func(e entry) { d.duration(e, &a.HalfLife, true) }},
		{"prior_weight", func(e entry) { d.number(e, &a.PriorWeight, "pseudo-outcomes, e.g. 10") }},
		{"pool", func(e entry) { d.number(e, &a.Pool, "pseudo-outcomes, e.g. 10") }},
	})
	return a
}

func (a *Adaptive) applyDefaults() {
	if a.HalfLife == 0 {
		a.HalfLife = DefaultAdaptiveHalfLife
	}
	if a.PriorWeight == 0 {
		a.PriorWeight = DefaultAdaptivePriorWeight
	}
	if a.Pool == 0 {
		a.Pool = DefaultAdaptivePool
	}
}

// adaptive checks a route's adaptive section.
func (v *validator) adaptive(path string, a *Adaptive) {
	if a == nil {
		return
	}
	a.applyDefaults()
	if a.Lambda < 0 || math.IsNaN(a.Lambda) {
		v.add(path+".lambda", "must be >= 0, got "+ftoa(a.Lambda), "0 ignores cost; 1 trades all of p(good) for the whole cost range")
	}
	if a.Explore < 0 || a.Explore > MaxAdaptiveExplore || math.IsNaN(a.Explore) {
		v.add(path+".explore", fmt.Sprintf("must be between 0 and %s, got %s", ftoa(MaxAdaptiveExplore), ftoa(a.Explore)),
			"the share of requests that explore, e.g. 0.05 (5%)")
	}
	if a.MinOutcomes < 0 {
		v.add(path+".min_outcomes", fmt.Sprintf("must be >= 0, got %d", a.MinOutcomes), "e.g. 30; 0 trusts the estimates at once")
	}
	if a.HalfLife < MinAdaptiveHalfLife {
		v.add(path+".half_life", fmt.Sprintf("must be at least %s, got %s", MinAdaptiveHalfLife, a.HalfLife), `e.g. "24h"`)
	}
	for _, x := range []struct {
		name string
		v    float64
	}{{"prior_weight", a.PriorWeight}, {"pool", a.Pool}} {
		if x.v < 1 || math.IsNaN(x.v) || math.IsInf(x.v, 0) {
			v.add(path+"."+x.name, "must be at least 1, got "+ftoa(x.v), "pseudo-outcomes, e.g. 10")
		}
	}
}
