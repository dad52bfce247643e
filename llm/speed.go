package llm

// Speed is the output speed a request asks for: Anthropic's speed, whose
// fast mode serves the same model with faster output at premium prices.
// The empty value means unset, as SpeedStandard.
type Speed string

// The speeds, in Anthropic's words (the request's speed and the answer's
// usage.speed).
const (
	// SpeedStandard is the default speed at the standard prices.
	SpeedStandard Speed = "standard"
	// SpeedFast is fast mode: up to 2.5x the output tokens per second,
	// priced at a per-model multiple of the standard prices.
	SpeedFast Speed = "fast"
)

// WantsFast reports whether r asks for fast output: Anthropic's speed
// "fast", or an OpenAI client's service_tier "fast", which a Claude
// deployment whose model has fast mode serves as speed "fast".
func (r *Request) WantsFast() bool {
	return r.Speed == SpeedFast || r.ServiceTier == TierFast
}

// SpeedFactor is what d's token prices are multiplied by for an answer
// served at speed s (Usage.Speed): FastFactor for "fast" when d has one,
// else 1.
func (d *Deployment) SpeedFactor(s string) float64 {
	if s == string(SpeedFast) && d.FastFactor > 0 {
		return d.FastFactor
	}
	return 1
}

// AtStandardSpeed returns r when it asks for no fast output, else a copy
// of r that does not: Speed standard, and an OpenAI client's service_tier
// "fast" (which asks a Claude model for fast mode) priority, what it
// stands for on OpenAI's side. The dispatcher sends it after fast mode's
// own rate limit refused the request (CodeFastRateLimited).
func (r *Request) AtStandardSpeed() *Request {
	if !r.WantsFast() {
		return r
	}
	c := *r
	c.Speed = SpeedStandard
	if c.ServiceTier == TierFast {
		c.ServiceTier = TierPriority
	}
	return &c
}
