package learn

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"switchyard/store"
)

// Report defaults: the outcomes each side of a comparison needs, and the
// prompt size that splits small prompts from large ones.
const (
	DefaultMinOutcomes = 30
	DefaultLargePrompt = 2000
	// minSplitOutcomes is what each side of a prompt-size comparison
	// needs before a bucket can show the cheaper deployment worse.
	minSplitOutcomes = 10
)

// ReportQuery asks for the report of the chat requests with Since <=
// Time < Until (a zero Until means no upper bound).
type ReportQuery struct {
	Since, Until time.Time
	// MinOutcomes is what each deployment of a comparison needs for a
	// recommendation; zero means DefaultMinOutcomes.
	MinOutcomes int64
	// LargePrompt is the prompt size (tokens) above which a prompt is
	// large; zero means DefaultLargePrompt.
	LargePrompt int64
	// Policy prices the savings (Report.Savings); nil leaves them out.
	Policy *SavingsPolicy
	// References override the routes' references for this report: a
	// route's name to a deployment's, the key "" for every route not
	// named; nil overrides none.
	References map[string]string
	// RefusalWeight weighs the refusals passed over, as
	// ScoreQuery.RefusalWeight does.
	RefusalWeight *float64
}

// Report is the weekly report: per route, category and deployment the
// volume, cost and satisfaction, and what the numbers recommend.
type Report struct {
	Query ReportQuery
	// Rows are ordered by route, category, then volume (largest first).
	Rows []ReportRow
	// Recommendations are the changes the numbers support.
	Recommendations []Recommendation
	// Notes say where a comparison had too few outcomes to recommend.
	Notes []string
	// Savings are what routing saved against each route's reference;
	// nil when the query had no Policy.
	Savings *Savings
	// Batches are the batch lines in the range per deployment (a
	// breakdown: their chat lines are in Rows too); nil when the store
	// keeps no batches.
	Batches []BatchRow
}

// ReportRow is one deployment's account within a route's category.
type ReportRow struct {
	Route, Category, Deployment string
	// Share is the row's part of its category's requests.
	Share float64
	Score
}

// Recommendation prefers a cheaper deployment in a route's category.
type Recommendation struct {
	Route, Category string
	// Incumbent is the deployment that answered most of the category;
	// Cheaper the one the numbers say answers as well for less.
	Incumbent, Cheaper string
	// Share is the part of the two deployments' requests Cheaper can
	// take: all of them, or the small prompts when it is worse on large
	// ones.
	Share float64
	// CheaperScore and IncumbentScore are the accounts compared (the small
	// prompts' when LargeWorse).
	CheaperScore, IncumbentScore Score
	// CostRatio is Cheaper's cost per request over Incumbent's.
	CostRatio float64
	// LargeWorse reports that on prompts over LargePrompt tokens Cheaper
	// is worse; LargeCheaper and LargeIncumbent are those accounts.
	LargeWorse                   bool
	LargePrompt                  int64
	LargeCheaper, LargeIncumbent Score
	// Text says it in a sentence, with the numbers.
	Text string
	// Changes are the config edits that apply it.
	Changes []ConfigChange
}

// ConfigChange is one edit of the config: set Path (YAML keys from the
// top) to Value, or, with Append, add Value to the list at Path.
type ConfigChange struct {
	Path   []string
	Value  any
	Append bool
}

// String renders the change as a YAML path and value.
func (c ConfigChange) String() string {
	op := ":"
	if c.Append {
		op = " +="
	}
	return fmt.Sprintf("%s%s %s", strings.Join(c.Path, "."), op, flowYAML(c.Value))
}

// cell accumulates one (route, category, deployment): all its requests,
// and its small and large prompts apart.
type cell struct {
	route, category, deployment string
	all, small, large           Score
}

// BuildReport reads the outcomes in scope and q's range and returns the
// report, with the range's batch lines per deployment when st also keeps
// batches (store.BatchLog). It returns the store's errors, and
// store.ErrBadQuery for a malformed q.
func BuildReport(ctx context.Context, st store.FeedbackLog, scope store.Scope, q ReportQuery) (*Report, error) {
	if q.MinOutcomes <= 0 {
		q.MinOutcomes = DefaultMinOutcomes
	}
	if q.LargePrompt <= 0 {
		q.LargePrompt = DefaultLargePrompt
	}
	if err := (&store.StatsQuery{Since: q.Since, Until: q.Until}).Check(); err != nil {
		return nil, err
	}
	if err := checkReferences(q.Policy, q.References); err != nil {
		return nil, err
	}
	var sb *savingsBuilder
	if q.Policy != nil {
		sb = &savingsBuilder{policy: q.Policy, references: q.References, routes: map[string]*savingsRoute{}}
	}
	cells := map[[3]string]*cell{}
	reward, counts := refusal(q.RefusalWeight)
	err := st.Outcomes(ctx, scope, store.OutcomeQuery{Since: q.Since, Until: q.Until}, func(o *store.Outcome) error {
		large := int64(o.Tokens.Prompt) > q.LargePrompt
		served := cellOf(cells, o, o.Deployment)
		add(&served.all, o)
		add(served.part(large), o)
		for _, rc := range o.Refused {
			c := cellOf(cells, o, rc.Deployment)
			addRefused(&c.all, rc, reward, counts, c != served)
			addRefused(c.part(large), rc, reward, counts, c != served)
		}
		if sb != nil {
			sb.add(o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep := &Report{Query: q}
	for _, cat := range categoriesOf(cells) {
		rep.addCategory(cat)
	}
	if sb != nil {
		rep.Savings = sb.finish(q.MinOutcomes)
	}
	if rep.Batches, err = batchRows(ctx, st, scope, q); err != nil {
		return nil, err
	}
	return rep, nil
}

// cellOf returns the cell of o's route and category and deployment dep,
// creating it.
func cellOf(cells map[[3]string]*cell, o *store.Outcome, dep string) *cell {
	k := [3]string{o.Route, o.Category, dep}
	c := cells[k]
	if c == nil {
		c = &cell{route: o.Route, category: o.Category, deployment: dep}
		cells[k] = c
	}
	return c
}

// part returns the account of c's large prompts, or of its small ones.
func (c *cell) part(large bool) *Score {
	if large {
		return &c.large
	}
	return &c.small
}

// categoriesOf groups the cells by route and category, each group
// ordered by volume (largest first; of equal volumes the dearer first,
// the incumbent a cheaper one is compared to), the groups by route and
// category.
func categoriesOf(cells map[[3]string]*cell) [][]*cell {
	byCat := map[[2]string][]*cell{}
	for _, c := range cells {
		for _, s := range []*Score{&c.all, &c.small, &c.large} {
			s.finish(0)
		}
		k := [2]string{c.route, c.category}
		byCat[k] = append(byCat[k], c)
	}
	keys := make([][2]string, 0, len(byCat))
	for k := range byCat {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
	out := make([][]*cell, len(keys))
	for i, k := range keys {
		cs := byCat[k]
		slices.SortFunc(cs, func(a, b *cell) int {
			if a.all.Requests != b.all.Requests {
				return int(b.all.Requests - a.all.Requests)
			}
			if a.all.CostPerRequest != b.all.CostPerRequest {
				return cmp.Compare(b.all.CostPerRequest, a.all.CostPerRequest)
			}
			return strings.Compare(a.deployment, b.deployment)
		})
		out[i] = cs
	}
	return out
}

// addCategory adds the rows of one route's category and, when the
// numbers support it, a recommendation.
func (rep *Report) addCategory(cs []*cell) {
	var total int64
	for _, c := range cs {
		total += c.all.Requests
	}
	for _, c := range cs {
		rep.Rows = append(rep.Rows, ReportRow{Route: c.route, Category: c.category, Deployment: c.deployment,
			Share: float64(c.all.Requests) / float64(total), Score: c.all})
	}
	// Requests refused before any deployment was tried (a bad request, a
	// budget) have a row of their own but are no deployment to compare.
	served := slices.DeleteFunc(slices.Clone(cs), func(c *cell) bool { return c.deployment == "" })
	if len(served) < 2 {
		return
	}
	inc := served[0]
	var best *Recommendation
	for _, c := range served[1:] {
		r := rep.compare(inc, c)
		if r != nil && (best == nil || r.CheaperScore.CostPerRequest < best.CheaperScore.CostPerRequest) {
			best = r
		}
	}
	if best != nil {
		best.Text = best.sentence()
		best.Changes = best.changes()
		rep.Recommendations = append(rep.Recommendations, *best)
	}
}

// compare returns the recommendation to prefer c over the incumbent inc,
// or nil (with a note when it had too few outcomes to tell).
func (rep *Report) compare(inc, c *cell) *Recommendation {
	if c.all.CostPerRequest >= inc.all.CostPerRequest {
		return nil
	}
	min := rep.Query.MinOutcomes
	if c.all.Outcomes < min || inc.all.Outcomes < min {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s/%s: %s is cheaper than %s but has too few outcomes to compare (%d and %d; %d each needed)",
			c.route, c.category, c.deployment, inc.deployment, c.all.Outcomes, inc.all.Outcomes, min))
		return nil
	}
	r := &Recommendation{Route: c.route, Category: c.category, Incumbent: inc.deployment, Cheaper: c.deployment,
		Share: 1, CheaperScore: c.all, IncumbentScore: inc.all, LargePrompt: rep.Query.LargePrompt}
	if worse(&c.large, &inc.large, minSplitOutcomes) {
		r.LargeWorse, r.LargeCheaper, r.LargeIncumbent = true, c.large, inc.large
		r.CheaperScore, r.IncumbentScore = c.small, inc.small
		r.Share = float64(c.small.Requests+inc.small.Requests) / float64(c.all.Requests+inc.all.Requests)
		if c.small.Outcomes < min || inc.small.Outcomes < min {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s/%s: %s is worse than %s on prompts over %d tokens, and the small prompts have too few outcomes to compare (%d and %d; %d each needed)",
				c.route, c.category, c.deployment, inc.deployment, rep.Query.LargePrompt, c.small.Outcomes, inc.small.Outcomes, min))
			return nil
		}
	}
	if r.CheaperScore.High < r.IncumbentScore.Satisfaction || r.IncumbentScore.CostPerRequest <= 0 {
		return nil
	}
	r.CostRatio = r.CheaperScore.CostPerRequest / r.IncumbentScore.CostPerRequest
	return r
}

// worse reports that a is worse than b with enough outcomes to tell: a's
// interval lies wholly below b's satisfaction.
func worse(a, b *Score, min int64) bool {
	return a.Outcomes >= min && b.Outcomes >= min && a.High < b.Satisfaction
}

// sentence states the recommendation with its numbers.
func (r *Recommendation) sentence() string {
	c, i := &r.CheaperScore, &r.IncumbentScore
	s := fmt.Sprintf("%s/%s: %s handles %.0f%% of %s requests as well as %s (satisfaction %.2f [%.2f, %.2f] over %d outcomes vs %.2f [%.2f, %.2f] over %d) at %s of the cost (%s vs %s per request)",
		r.Route, r.Category, r.Cheaper, 100*r.Share, r.Category, r.Incumbent, c.Satisfaction, c.Low, c.High, c.Outcomes,
		i.Satisfaction, i.Low, i.High, i.Outcomes, ratio(r.CostRatio), dollars(c.CostPerRequest), dollars(i.CostPerRequest))
	if r.LargeWorse {
		lc, li := &r.LargeCheaper, &r.LargeIncumbent
		s += fmt.Sprintf("; the other %.0f%% (prompts over %d tokens) need %s (satisfaction %.2f [%.2f, %.2f] vs %.2f [%.2f, %.2f])",
			100*(1-r.Share), r.LargePrompt, r.Incumbent, lc.Satisfaction, lc.Low, lc.High, li.Satisfaction, li.Low, li.High)
	}
	return s
}

// ratio renders a cost ratio: "one fifth" style for simple fractions,
// else a percentage.
func ratio(x float64) string {
	for n := 2; n <= 10; n++ {
		if d := x*float64(n) - 1; d > -0.02 && d < 0.02 {
			return fmt.Sprintf("1/%d", n)
		}
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

// changes are the config edits that apply the recommendation: prefer the
// cheaper deployment in the category, and, when it is worse on large
// prompts, a rule sending those to the incumbent.
func (r *Recommendation) changes() []ConfigChange {
	out := []ConfigChange{{Path: []string{"routes", r.Route, "categories", r.Category, "prefer"}, Value: []string{r.Cheaper}}}
	if r.LargeWorse {
		rule := map[string]any{
			"name":   fmt.Sprintf("large-%s-to-%s", r.Category, r.Incumbent),
			"when":   map[string]any{"category": r.Category, "min_prompt_tokens": r.LargePrompt + 1},
			"prefer": []string{r.Incumbent},
		}
		out = append(out, ConfigChange{Path: []string{"routes", r.Route, "rules"}, Value: rule, Append: true})
	}
	return out
}

// flowYAML renders v as one line of flow-style YAML.
func flowYAML(v any) string {
	b, err := yaml.MarshalWithOptions(v, yaml.Flow(true))
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(string(b))
}
