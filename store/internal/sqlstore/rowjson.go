package sqlstore

import (
	"slices"
	"sync"

	"switchyard/internal/jsonw"
	"switchyard/llm"
	"switchyard/store"
)

// The request row's JSON columns (features, explanation, attempts,
// signals), written by hand: byte for byte what json.Marshal writes for
// them (field order, omitempty, HTML escaping, sorted map keys), at a
// fraction of its CPU; the writer encodes every row it stores. Tests hold
// the encoders to json.Marshal on every field (TestRowJSONMatchesMarshal,
// FuzzRowJSON), so a field added to one of these types without its line
// here fails them. One difference: a NaN or infinite number, which
// json.Marshal refuses (failing the whole batch's write, again at every
// retry), is written as 0.

// key appends a member's name: ,"name": — or "name": after {.
func key(b []byte, name string) []byte { return jsonw.Key(b, name) }

func str(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return jsonw.HTMLString(key(b, name), s)
}

func num(b []byte, name string, n int64) []byte {
	if n == 0 {
		return b
	}
	return jsonw.Int(key(b, name), int(n))
}

func flt(b []byte, name string, f float64) []byte {
	if f == 0 {
		return b
	}
	return jsonw.Float(key(b, name), f, 64)
}

func flag(b []byte, name string, v bool) []byte {
	if !v {
		return b
	}
	return append(key(b, name), "true"...)
}

func strs(b []byte, name string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	b = append(key(b, name), '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.HTMLString(b, s)
	}
	return append(b, ']')
}

// appendFeatures appends f as json.Marshal does.
func appendFeatures(b []byte, f *store.Features) []byte {
	b = append(b, '{')
	if len(f.Scores) > 0 {
		b = append(key(b, "scores"), '{')
		cats := make([]llm.Category, 0, len(f.Scores))
		for c := range f.Scores {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for i, c := range cats {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(jsonw.HTMLString(b, string(c)), ':')
			b = jsonw.Float(b, f.Scores[c], 64)
		}
		b = append(b, '}')
	}
	b = num(b, "prompt_tokens", int64(f.PromptTokens))
	b = num(b, "turn", int64(f.Turn))
	b = str(b, "language", f.Language)
	b = flag(b, "has_tools", f.HasTools)
	b = flag(b, "wants_json", f.WantsJSON)
	b = flag(b, "has_code", f.HasCode)
	b = flag(b, "has_images", f.HasImages)
	return append(b, '}')
}

// appendExplanation appends e as json.Marshal does.
func appendExplanation(b []byte, e *store.Explanation) []byte {
	b = append(b, '{')
	b = str(b, "category_source", e.CategorySource)
	b = str(b, "policy", e.Policy)
	b = str(b, "strategy", e.Strategy)
	b = str(b, "scorer", e.Scorer)
	b = strs(b, "rules", e.Rules)
	if len(e.Candidates) > 0 {
		b = append(key(b, "candidates"), '[')
		for i := range e.Candidates {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCandidate(b, &e.Candidates[i])
		}
		b = append(b, ']')
	}
	if a := e.Adaptive; a != nil {
		b = append(key(b, "adaptive"), '{')
		b = jsonw.HTMLString(key(b, "context"), a.Context)
		b = jsonw.Float(key(b, "lambda"), a.Lambda, 64)
		b = jsonw.Float(key(b, "explore"), a.Explore, 64)
		b = jsonw.HTMLString(key(b, "greedy"), a.Greedy)
		b = flag(b, "explored", a.Explored)
		b = append(b, '}')
	}
	if e.Guard != nil {
		b = appendGuard(key(b, "guard"), e.Guard)
	}
	b = str(b, "batch", e.Batch)
	b = str(b, "split", e.Split)
	b = flag(b, "no_fallback", e.NoFallback)
	b = str(b, "service_tier", e.ServiceTier)
	b = str(b, "tier_price", e.TierPrice)
	b = str(b, "cost_source", e.CostSource)
	b = str(b, "required_inference_geo", e.RequiredInferenceGeo)
	b = str(b, "inference_geo", e.InferenceGeo)
	b = str(b, "speed", e.Speed)
	b = str(b, "bill_to", e.BillTo)
	b = num(b, "realtime_responses", int64(e.RealtimeResponses))
	b = num(b, "steers_undelivered", int64(e.SteersUndelivered))
	return append(b, '}')
}

func appendCandidate(b []byte, c *store.Candidate) []byte {
	b = append(b, '{')
	b = jsonw.HTMLString(key(b, "deployment"), c.Deployment)
	b = num(b, "tier", int64(c.Tier))
	b = jsonw.Bool(key(b, "kept"), c.Kept)
	b = flag(b, "cost_unknown", c.CostUnknown)
	b = flag(b, "pinned", c.Pinned)
	b = flag(b, "preferred", c.Preferred)
	b = flag(b, "split", c.Split)
	b = flag(b, "demoted", c.Demoted)
	b = str(b, "quality_demoted", c.QualityDemoted)
	b = flag(b, "quality_probe", c.QualityProbe)
	b = str(b, "flex_unavailable_until", c.FlexUnavailableUntil)
	b = str(b, "fast_unavailable_until", c.FastUnavailableUntil)
	b = str(b, "rate_limited_until", c.RateLimitedUntil)
	b = num(b, "fallback", int64(c.Fallback))
	b = str(b, "reason", c.Reason)
	b = str(b, "by", c.By)
	b = str(b, "detail", c.Detail)
	b = flt(b, "p_good", c.PGood)
	b = flt(b, "outcomes", c.Outcomes)
	b = flt(b, "ci95", c.CI95)
	b = flt(b, "cost", c.Cost)
	b = flag(b, "static", c.Static)
	b = num(b, "rank", int64(c.Rank))
	if c.Predicted != nil {
		b = jsonw.Float(key(b, "predicted_p_good"), *c.Predicted, 64)
	}
	b = flt(b, "predicted_quality", c.Quality)
	return append(b, '}')
}

func appendGuard(b []byte, g *llm.Guard) []byte {
	b = append(b, '{')
	b = flag(b, "scanned", g.Scanned)
	b = jsonw.Float(key(b, "score"), g.Score, 64)
	b = strs(b, "reasons", g.Reasons)
	b = flt(b, "threshold", g.Threshold)
	b = str(b, "action", g.Action)
	b = flag(b, "acted", g.Acted)
	b = str(b, "rerouted_to", g.ReroutedTo)
	b = num(b, "links_removed", int64(g.LinksRemoved))
	b = num(b, "images_removed", int64(g.ImagesRemoved))
	b = flag(b, "system_prompt_leak", g.Leak)
	b = flag(b, "leak_cut", g.LeakCut)
	return append(b, '}')
}

// appendAttempts appends as as json.Marshal does: null when nil.
func appendAttempts(b []byte, as []store.Attempt) []byte {
	if as == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range as {
		if i > 0 {
			b = append(b, ',')
		}
		a := &as[i]
		b = append(b, '{')
		b = jsonw.HTMLString(key(b, "deployment"), a.Deployment)
		b = num(b, "tier", int64(a.Tier))
		b = jsonw.HTMLString(key(b, "outcome"), a.Outcome)
		b = str(b, "error_kind", string(a.ErrorKind))
		b = str(b, "error_code", a.ErrorCode)
		b = num(b, "ttft", int64(a.TTFT))
		b = num(b, "latency", int64(a.Latency))
		b = appendTokens(key(b, "tokens"), &a.Tokens)
		b = flt(b, "cost_usd", a.CostUSD)
		b = flag(b, "cost_unknown", a.CostUnknown)
		b = flag(b, "hedge", a.Hedge)
		b = str(b, "resumed_from", a.ResumedFrom)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendTokens(b []byte, t *store.Tokens) []byte {
	b = append(b, '{')
	b = num(b, "prompt", int64(t.Prompt))
	b = num(b, "cached_read", int64(t.CachedRead))
	b = num(b, "cache_write", int64(t.CacheWrite))
	b = num(b, "cache_write_1h", int64(t.CacheWrite1h))
	b = num(b, "completion", int64(t.Completion))
	b = num(b, "reasoning", int64(t.Reasoning))
	return append(b, '}')
}

// appendSignals appends s as json.Marshal does.
func appendSignals(b []byte, s *store.Signals) []byte {
	b = append(b, '{')
	b = flag(b, "format_checked", s.FormatChecked)
	b = flag(b, "format_ok", s.FormatOK)
	b = num(b, "invalid_tool_calls", int64(s.InvalidToolCalls))
	b = flag(b, "refusal", s.Refusal)
	b = flag(b, "content_filter", s.ContentFilter)
	b = flag(b, "truncated", s.Truncated)
	b = flag(b, "empty", s.Empty)
	b = num(b, "answer_chars", int64(s.AnswerChars))
	b = flt(b, "length_ratio", s.LengthRatio)
	return append(b, '}')
}

// rowBuffers are the buffers jsonColumns writes in.
var rowBuffers = sync.Pool{New: func() any { return new([]byte) }}

// jsonColumns returns the row's four JSON columns, in the order of
// Columns, as substrings of one string.
func jsonColumns(r *store.Request) [4]string {
	var ends [4]int
	buf := rowBuffers.Get().(*[]byte)
	defer rowBuffers.Put(buf)
	b := (*buf)[:0]
	b = appendFeatures(b, &r.Features)
	ends[0] = len(b)
	b = appendExplanation(b, &r.Explanation)
	ends[1] = len(b)
	b = appendAttempts(b, r.Attempts)
	ends[2] = len(b)
	b = appendSignals(b, &r.Signals)
	ends[3] = len(b)
	all := string(b)
	*buf = b
	return [4]string{all[:ends[0]], all[ends[0]:ends[1]], all[ends[1]:ends[2]], all[ends[2]:ends[3]]}
}
