package record

import (
	"math"
	"slices"
	"strconv"
	"time"

	"switchyard/guard"
	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
)

// RowWriter takes request-log rows without blocking and reports whether
// it took each; *store.Writer is one.
type RowWriter interface {
	Add(r *store.Request) bool
}

var _ RowWriter = (*store.Writer)(nil)

// StoreOptions tune StoreSink. The zero value keeps no bodies.
type StoreOptions struct {
	// Bodies keeps each chat request's prompt and answer in its row
	// (store.bodies: redacted), masked by Redactor first and bounded as
	// Bodies describes. False keeps none.
	Bodies bool
	// Redactor masks secrets and personal data in the bodies; nil means
	// the built-in kinds only. The router passes one that also knows the
	// configured provider and client keys.
	Redactor *guard.Redactor
	// CurrentRedactor, when set, replaces Redactor: it is called for each
	// record and returns the redactor of the configuration serving (whose
	// keys a change may have replaced). It must not block.
	CurrentRedactor func() *guard.Redactor
}

// StoreSink returns the sink that writes each record to the request log:
// it converts the record to a row (Row, plus Bodies when opts.Bodies) and
// hands it to w, which never blocks (a full writer drops and counts the
// row). Records without a request id — the embedding calls semantic
// routing makes on its own — are not requests and are not written.
func StoreSink(w RowWriter, opts StoreOptions) Sink {
	red := opts.Redactor
	if red == nil {
		red = &guard.Redactor{}
	}
	return SinkFunc(func(r *Record) {
		if r.RequestID == "" {
			return
		}
		row := Row(r)
		if opts.Bodies {
			cur := red
			if opts.CurrentRedactor != nil {
				cur = opts.CurrentRedactor()
			}
			row.Bodies = Bodies(r, cur)
		}
		w.Add(row)
	})
}

// Row converts r to its request-log row, without bodies. Tokens are the
// sum, by kind, over every billed attempt (r.Billed; r.Usage when none is
// listed), the tokens CostUSD is the price of; each attempt's own are in
// Attempts. Fallback reports that the deployment that served (or last
// failed) is not the first attempt's. The features and the explanation
// come from r.Plan, the attempts from r.Trail, the signals from
// r.Signals; each is empty when its source is nil.
func Row(r *Record) *store.Request {
	row := &store.Request{
		ID: r.RequestID, Time: r.Start.UTC(), Tenant: r.Tenant, KeyName: r.Caller, Endpoint: r.Endpoint,
		Route: r.Route, Pinned: r.Pinned, Deployment: r.Deployment, Category: r.Category, Confidence: r.Confidence,
		Status: r.Status, ErrorKind: r.ErrorKind, StreamFailed: r.StreamFailed, Stream: r.Stream,
		Fallback: fallback(r), ResumedFrom: r.ResumedFrom, Tokens: billedTokens(r),
		CostUSD: r.CostUSD, ServedCostUSD: r.ServedCostUSD, CostEstimated: r.UsageEstimated(),
		CostUnknown: r.CostUnknown || r.BilledCostUnknown(), Latency: r.Latency, TTFT: r.TTFT,
		Attempts: attempts(r), Propensity: 1,
	}
	if p := r.Plan; p != nil {
		if row.Pinned == "" {
			row.Pinned = p.Pinned
		}
		row.Features = features(&p.Explanation.Features)
		row.Explanation = explanation(p)
		row.Propensity = p.Propensity
		if p.Explanation.Features.Needs&route.NeedUSInference != 0 {
			row.Explanation.RequiredInferenceGeo = string(llm.GeoUS)
		}
		if p.Explanation.Features.Needs&route.NeedUserProfileBilling != 0 {
			row.Explanation.BillTo = llm.BillToUserProfile
		}
	}
	row.Explanation.InferenceGeo, row.Explanation.Speed = r.Usage.InferenceGeo, r.Usage.Speed
	row.Explanation.Batch, row.BatchID = r.Batch, r.BatchID
	row.Explanation.ServiceTier, row.Explanation.TierPrice = string(r.Usage.ServiceTier), r.TierPrice
	if r.Usage.CostReported {
		row.Explanation.CostSource = store.CostSourceProvider
	}
	row.Explanation.RealtimeResponses = r.Responses
	row.Explanation.SteersUndelivered = r.SteersUndelivered
	if r.Signals != nil {
		row.Signals = *r.Signals
	}
	if r.Guard != nil {
		g := *r.Guard
		row.Explanation.Guard = &g
	}
	return row
}

// billedTokens sums the tokens of every billed attempt.
func billedTokens(r *Record) store.Tokens {
	if len(r.Billed) == 0 {
		return store.TokensOf(r.Usage)
	}
	var t store.Tokens
	for i := range r.Billed {
		t.Add(store.TokensOf(r.Billed[i].Usage))
	}
	return t
}

// fallback reports that a deployment other than the first attempt's
// served or last failed. Without a trail, the first attempt is taken to
// be the plan's first candidate.
func fallback(r *Record) bool {
	switch {
	case r.Deployment == "":
		return false
	case len(r.Trail) > 0:
		return r.Trail[0].Deployment != r.Deployment
	case r.Plan != nil && len(r.Plan.Tiers) > 0 && len(r.Plan.Tiers[0].Candidates) > 0:
		return r.Plan.First() != r.Deployment
	}
	return false
}

// attempts converts the trail. A resumed attempt names the attempt it
// continued: the last one cut before it (else the one just before).
func attempts(r *Record) []store.Attempt {
	if len(r.Trail) == 0 {
		return nil
	}
	out := make([]store.Attempt, len(r.Trail))
	lastCut := -1
	for i := range r.Trail {
		a := &r.Trail[i]
		out[i] = store.Attempt{
			Deployment: a.Deployment, Tier: a.Tier, Outcome: a.Outcome, ErrorKind: a.ErrorKind, ErrorCode: a.ErrorCode,
			TTFT: a.TTFT, Latency: a.Latency, Tokens: store.TokensOf(a.Usage), CostUSD: a.CostUSD, CostUnknown: a.CostUnknown,
			Hedge: a.Hedge,
		}
		if a.Resumed {
			from := i - 1
			if lastCut >= 0 {
				from = lastCut
			}
			if from >= 0 {
				out[i].ResumedFrom = r.RequestID + "#" + strconv.Itoa(from)
			}
		}
		if a.Outcome == store.OutcomeCut {
			lastCut = i
		}
	}
	return out
}

// features converts what the classifier saw; Scores is nil when the
// request was not classified (every score zero).
func features(f *route.Features) store.Features {
	out := store.Features{
		PromptTokens: f.PromptTokens, Turn: f.Turn, Language: f.Language,
		HasTools: f.HasTools, WantsJSON: f.WantsJSON, HasCode: f.HasCode, HasImages: f.HasImages,
	}
	for i, p := range f.Scores {
		if p > 0 {
			if out.Scores == nil {
				out.Scores = make(map[llm.Category]float64, len(f.Scores))
			}
			out.Scores[llm.Categories[i]] = math.Round(float64(p)*1e4) / 1e4
		}
	}
	return out
}

// explanation converts the plan's account of itself: every kept candidate
// with its 1-based tier, in plan order, then every rejected one with why.
func explanation(p *route.Plan) store.Explanation {
	e := &p.Explanation
	out := store.Explanation{
		CategorySource: e.CategorySource, Policy: e.Policy, Strategy: string(e.Strategy), Scorer: e.Scorer,
		Rules: slices.Clone(e.Rules), Split: e.Split, NoFallback: e.NoFallback,
	}
	if a := &e.Adaptive; a.Arms > 0 {
		out.Adaptive = &store.Adaptive{Context: a.Context.String(), Lambda: a.Lambda, Explore: a.Explore, Greedy: a.Greedy, Explored: a.Explored}
	}
	n := p.Len() + len(e.Rejected)
	if n > 0 {
		out.Candidates = make([]store.Candidate, 0, n)
	}
	for ti := range p.Tiers {
		for _, c := range p.Tiers[ti].Candidates {
			sc := store.Candidate{
				Deployment: c.Deployment.Name, Tier: ti + 1, Kept: true, CostUnknown: c.CostUnknown,
				Pinned: c.Pinned, Preferred: c.Preferred, Split: c.Split, Demoted: c.Demoted,
				QualityDemoted: c.QualityDemoted, QualityProbe: c.QualityProbe, Fallback: p.Tiers[ti].Fallback,
			}
			if !c.FlexUnavailableUntil.IsZero() {
				sc.FlexUnavailableUntil = c.FlexUnavailableUntil.UTC().Format(time.RFC3339Nano)
			}
			if !c.FastUnavailableUntil.IsZero() {
				sc.FastUnavailableUntil = c.FastUnavailableUntil.UTC().Format(time.RFC3339Nano)
			}
			if !c.RateLimitedUntil.IsZero() {
				sc.RateLimitedUntil = c.RateLimitedUntil.UTC().Format(time.RFC3339Nano)
			}
			if l := &c.Learned; l.Set {
				sc.PGood, sc.Outcomes = math.Round(l.P*1e4)/1e4, math.Round(l.Outcomes*10)/10
				sc.CI95, sc.Cost = math.Round(l.Half*1e6)/1e6, math.Round(l.Cost*1e6)/1e6
				sc.Static, sc.Rank = l.Static, l.Rank
			}
			if pr := &c.Predicted; pr.Set {
				p := math.Round(pr.P*1e4) / 1e4
				sc.Predicted, sc.Quality = &p, math.Round(pr.Quality*1e4)/1e4
			}
			out.Candidates = append(out.Candidates, sc)
		}
	}
	for i := range e.Rejected {
		rj := &e.Rejected[i]
		out.Candidates = append(out.Candidates, store.Candidate{
			Deployment: rj.Deployment, Reason: string(rj.Reason), By: rj.By, Detail: rj.Detail(),
		})
	}
	return out
}
