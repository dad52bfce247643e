package route

import (
	"math"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// Scorer ranks the candidates that passed every check, for the balanced,
// cheapest and best strategies: higher is better. Implementations must be
// pure and safe for concurrent use; the learning issue adds an adaptive
// one next to Static.
type Scorer interface {
	// Name identifies the scorer in explanations.
	Name() string
	// Score rates one candidate for one request.
	Score(in ScoreInput) float64
}

// ScoreInput is what a Scorer may read about one candidate.
type ScoreInput struct {
	Deployment *Deployment
	Features   *Features
	Strategy   config.Strategy
	// OutputTokens is the output expected (max_tokens, else the policy's
	// or the category's default).
	OutputTokens int
	// EstCostUSD is the estimated cost of the request on the deployment;
	// zero, and meaningless, when CostUnknown.
	EstCostUSD float64
	// CostUnknown reports a deployment without a known price.
	CostUnknown bool
	// Quality is the deployment's quality for this request, from 0 to 1:
	// its configured quality, or, when Predicted, the route's learned
	// model's prediction for the prompt (blended by the route's weight).
	Quality   float64
	Predicted bool
}

// Static scores from configuration alone: the quality (plus, for a
// configured quality, a small bonus when the deployment declares the
// strength the request needs; a learned prediction needs none), the
// blended price at the request's expected input/output ratio, and the
// expected latency. Unknown latency counts as DefaultTTFT and
// DefaultTokensPerSecond.
type Static struct{}

// Assumptions of the static scorer for deployments without a latency.
const (
	DefaultTTFT            = time.Second
	DefaultTokensPerSecond = 50.0
)

// Name implements Scorer.
func (Static) Name() string { return "static" }

// staticWeights are the weights of quality, cheapness and speed.
func staticWeights(s config.Strategy) [3]float64 {
	switch s {
	case config.StrategyCheapest:
		return [3]float64{0.1, 0.85, 0.05}
	case config.StrategyBest:
		return [3]float64{0.85, 0.05, 0.1}
	}
	return [3]float64{0.5, 0.3, 0.2}
}

// Score implements Scorer. Each part is in [0, 1]: quality as configured,
// cheapness 1 - log10(1 + blended $/1M)/2 (so $0 → 1, $9 → 0.5, $99 → 0;
// an unknown price scores 0, as the dearest; a prompt over the
// deployment's long-prompt threshold blends the band's prices; a request
// asking for web search adds one search's price over its tokens), speed 1/(1 + expected
// seconds/10).
func (Static) Score(in ScoreInput) float64 {
	d, f := in.Deployment, in.Features
	q := in.Quality
	if !in.Predicted {
		q = min(1, q+affinity(d, f))
	}
	prompt, out := float64(f.PromptTokens), float64(in.OutputTokens)
	inPrice, outPrice := d.ListPrices(f.PromptTokens) // the long-prompt band's over its threshold
	blended := (inPrice + outPrice) / 2
	if prompt+out > 0 {
		blended = (prompt*inPrice + out*outPrice) / (prompt + out)
		if f.WebSearch { // one search's price spread over the tokens, as the estimate counts it
			blended += d.SearchUSD() * 1e6 / (prompt + out)
		}
	}
	cheap := 1 - math.Log10(1+blended)/2
	cheap = max(0, min(1, cheap))
	if in.CostUnknown {
		cheap = 0
	}
	ttft, tps := d.TTFT, d.TokensPerSecond
	if ttft == 0 {
		ttft = DefaultTTFT
	}
	if tps == 0 {
		tps = DefaultTokensPerSecond
	}
	secs := ttft.Seconds() + out/tps
	speed := 1 / (1 + secs/10)
	w := staticWeights(in.Strategy)
	return w[0]*q + w[1]*cheap + w[2]*speed
}

// affinity is a small quality bonus for a declared strength that matches
// what the request needs, and for a model that can think when the request
// asks for reasoning (reasoning_effort, thinking).
func affinity(d *Deployment, f *Features) float64 {
	bonus := 0.0
	if d.reasons && asksReasoning(f) {
		bonus += 0.05
	}
	switch f.Category {
	case llm.CategoryReasoning:
		if d.caps&(capBit(llm.CapMath)|capBit(llm.CapReasoning)) != 0 {
			bonus += 0.05
		}
	case llm.CategoryCode:
		if d.caps&capBit(llm.CapCode) != 0 {
			bonus += 0.05
		}
	}
	if f.Language != "" && f.Language != "en" && d.caps&capBit(llm.CapMultilingual) != 0 {
		bonus += 0.05
	}
	return bonus
}
