package admin

import (
	"slices"
	"strings"

	"switchyard/config"
	"switchyard/learn"
	"switchyard/llm"
	"switchyard/route"
)

// This file is the savings section of GET /admin/report: what routing
// saved against each route's reference deployment, and the quality
// evidence beside it (docs/report.md#savings-what-routing-saved).

// SavingsPolicyOf returns what the report's savings read of a
// configuration: its routes (built-in ones included) with the
// deployments each may choose and its configured reference, and its
// deployments as p prices them (the cost package's prices).
func SavingsPolicyOf(p *route.Policy, cfg *config.Config) *learn.SavingsPolicy {
	out := &learn.SavingsPolicy{Routes: map[string]learn.SavingsRoute{}, Deployments: map[string]*llm.Deployment{}}
	for _, d := range p.Deployments() {
		out.Deployments[d.Name] = &d.Deployment
	}
	for _, m := range p.Models() {
		var sr learn.SavingsRoute
		var first []string // the route's own list, in its order; then its categories' others, by name
		if r := cfg.Routes[m.Name]; r != nil {
			sr.Reference, first = r.Reference, r.Deployments
		}
		for _, d := range p.RouteDeployments(m.Name) {
			sr.Deployments = append(sr.Deployments, d.Name)
		}
		slices.SortStableFunc(sr.Deployments, func(a, b string) int {
			ia, ib := slices.Index(first, a), slices.Index(first, b)
			switch {
			case ia >= 0 && ib >= 0:
				return ia - ib
			case ia >= 0 || ib >= 0:
				return ib - ia // the listed one (index >= 0) first
			}
			return strings.Compare(a, b)
		})
		out.Routes[m.Name] = sr
	}
	return out
}

// references parses the reference parameter: comma-separated
// entries, each a deployment (for every route) or route=deployment (for
// that route). Names are checked against the configuration later.
func (p *params) references(name string) map[string]string {
	s := p.str(name)
	if s == "" {
		return nil
	}
	out := map[string]string{}
	for _, entry := range strings.Split(s, ",") {
		route, dep, named := strings.Cut(strings.TrimSpace(entry), "=")
		if !named {
			route, dep = "", route
		}
		route, dep = strings.TrimSpace(route), strings.TrimSpace(dep)
		_, twice := out[route]
		switch {
		case dep == "" || named && route == "":
			p.fail(name, "%q is not a deployment nor route=deployment", llm.Clip(entry))
		case twice && route == "":
			p.fail(name, "names two deployments for every route; give one, and route=deployment for the others")
		case twice:
			p.fail(name, "names route %s twice", route)
		}
		out[route] = dep
	}
	return out
}

// SavingsView is the savings section of the report.
type SavingsView struct {
	// Estimate says what the reference figures are: an estimate.
	Estimate string `json:"estimate"`
	// Total sums the routes whose reference has a known price.
	Total SavingsAccountView `json:"total"`
	// NoReference counts the requests of the routes left out of Total.
	NoReference int64 `json:"no_reference_requests"`
	// NoRoute counts the requests that went through no route (pinned to
	// a deployment, or refused before routing): in no account.
	NoRoute int64              `json:"no_route_requests"`
	Routes  []RouteSavingsView `json:"routes"`
}

// SavingsAccountView is the cost of a set of requests as served and at
// the reference (learn.SavingsAccount).
type SavingsAccountView struct {
	Requests int64 `json:"requests"`
	// Counted are the requests priced both ways; Excluded those left out,
	// by why.
	Counted  int64           `json:"counted"`
	Excluded SavingsExcluded `json:"excluded"`
	// EstimatedTokens counts the counted requests with estimated tokens.
	EstimatedTokens int64   `json:"estimated_tokens"`
	ActualUSD       float64 `json:"actual_usd"`
	// ReferenceUSD and SavedUSD are null without a priced reference;
	// SavedPercent is null too when ReferenceUSD is 0.
	ReferenceUSD *float64 `json:"reference_usd"`
	SavedUSD     *float64 `json:"saved_usd"`
	SavedPercent *float64 `json:"saved_percent"`
}

// SavingsExcluded counts the requests left out of the sums, by why.
type SavingsExcluded struct {
	Pinned      int64 `json:"pinned"`
	CostUnknown int64 `json:"cost_unknown"`
	NoTokens    int64 `json:"no_tokens"`
}

// RouteSavingsView is one route's savings and quality evidence.
type RouteSavingsView struct {
	Route string `json:"route"`
	// Reference is null when the route has none; ReferenceWhy says why,
	// or which it is and why.
	Reference       *string `json:"reference"`
	ReferenceSource string  `json:"reference_source"`
	ReferencePriced bool    `json:"reference_price_known"`
	ReferenceWhy    string  `json:"reference_why"`
	SavingsAccountView
	// Quality is null without a reference.
	Quality *SavingsQualityView `json:"quality"`
}

// SavingsQualityView compares the satisfaction of the requests the
// reference answered with the others'.
type SavingsQualityView struct {
	// Verdict is insufficient_data, no_drop_detected, possible_drop,
	// lower or higher (learn's Quality* constants); Text says it with the
	// numbers.
	Verdict   string      `json:"verdict"`
	Text      string      `json:"text"`
	Reference ReportStats `json:"reference"`
	Others    ReportStats `json:"others"`
}

// savingsOf returns the view of the savings; nil for nil.
func savingsOf(s *learn.Savings) *SavingsView {
	if s == nil {
		return nil
	}
	out := &SavingsView{Estimate: learn.SavingsEstimate, NoReference: s.NoReference, NoRoute: s.NoRoute, Routes: make([]RouteSavingsView, len(s.Routes))}
	anyPriced := false
	for i := range s.Routes {
		r := &s.Routes[i]
		v := RouteSavingsView{Route: r.Route, ReferenceSource: r.ReferenceSource, ReferencePriced: r.Priced, ReferenceWhy: r.Why,
			SavingsAccountView: accountOf(&r.SavingsAccount, r.Priced)}
		if r.Reference != "" {
			v.Reference = new(r.Reference)
			v.Quality = &SavingsQualityView{Verdict: r.Quality, Text: r.QualityText,
				Reference: statsOf(&r.ReferenceScore), Others: statsOf(&r.OthersScore)}
		}
		out.Routes[i] = v
		anyPriced = anyPriced || r.Priced
	}
	out.Total = accountOf(&s.Total, anyPriced)
	return out
}

// accountOf returns the view of an account; priced says whether its
// reference figures mean anything.
func accountOf(a *learn.SavingsAccount, priced bool) SavingsAccountView {
	v := SavingsAccountView{Requests: a.Requests, Counted: a.Counted, EstimatedTokens: a.Estimated, ActualUSD: a.ActualUSD,
		Excluded: SavingsExcluded{Pinned: a.Pinned, CostUnknown: a.CostUnknown, NoTokens: a.NoTokens}}
	if priced {
		v.ReferenceUSD, v.SavedUSD = new(a.ReferenceUSD), new(a.SavedUSD)
		if a.ReferenceUSD > 0 {
			v.SavedPercent = new(100 * a.SavedShare)
		}
	}
	return v
}
