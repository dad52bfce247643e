package offline

// Summary compares a router's curve with the best single model (the
// reference). Shares are of the reference's quality or cost; a nil share
// is one the curve never reaches (or, with a free reference, has no
// meaning).
type Summary struct {
	// Reference is the model with the best quality on the test prompts
	// (the cheaper on a tie); ReferenceQuality and ReferenceCostPerQuery
	// are what it achieves.
	Reference             string  `json:"reference"`
	ReferenceQuality      float64 `json:"reference_quality"`
	ReferenceCostPerQuery float64 `json:"reference_cost_per_query"`
	// QualityAt25PctCost and QualityAt50PctCost are the best quality the
	// router reaches spending at most 25% (50%) of the reference's cost,
	// as a share of the reference's quality.
	QualityAt25PctCost *float64 `json:"quality_at_25pct_cost"`
	QualityAt50PctCost *float64 `json:"quality_at_50pct_cost"`
	// CostShareAt95PctQuality and CostShareAt100PctQuality are the least
	// cost, as a share of the reference's, at which the router reaches 95%
	// (100%) of the reference's quality.
	CostShareAt95PctQuality  *float64 `json:"cost_share_at_95pct_quality"`
	CostShareAt100PctQuality *float64 `json:"cost_share_at_100pct_quality"`
}

// Reference returns the best single model of base: the highest quality,
// the cheaper on a tie, then the first name.
func Reference(base map[string]Outcome) (string, Outcome) {
	var name string
	var best Outcome
	for n, o := range base {
		switch {
		case name == "",
			o.Quality > best.Quality,
			o.Quality == best.Quality && o.CostPerQuery < best.CostPerQuery,
			o.Quality == best.Quality && o.CostPerQuery == best.CostPerQuery && n < name:
			name, best = n, o
		}
	}
	return name, best
}

// Summarize compares the router's points with the reference of base.
func Summarize(points []Point, base map[string]Outcome) Summary {
	name, ref := Reference(base)
	s := Summary{Reference: name, ReferenceQuality: ref.Quality, ReferenceCostPerQuery: ref.CostPerQuery}
	front := Frontier(points)
	if ref.Quality > 0 && ref.CostPerQuery > 0 {
		if q, ok := QualityAt(front, 0.25*ref.CostPerQuery); ok {
			s.QualityAt25PctCost = ptr(q / ref.Quality)
		}
		if q, ok := QualityAt(front, 0.5*ref.CostPerQuery); ok {
			s.QualityAt50PctCost = ptr(q / ref.Quality)
		}
	}
	if ref.CostPerQuery > 0 {
		if c, ok := CostAt(front, 0.95*ref.Quality); ok {
			s.CostShareAt95PctQuality = ptr(c / ref.CostPerQuery)
		}
		if c, ok := CostAt(front, ref.Quality); ok {
			s.CostShareAt100PctQuality = ptr(c / ref.CostPerQuery)
		}
	}
	return s
}

func ptr(v float64) *float64 { return &v }
