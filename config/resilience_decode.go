package config

// This file decodes the resilience section, a route's hedge and a
// provider's key pool; resilience_validate.go and pool_validate.go check
// them.
//
// A field whose zero value means "the default" cannot be checked for an
// explicit zero after defaults are applied, so the decoders here reject
// an explicit 0 themselves; validation reports the other out-of-range
// values (for a Config built in Go too).

func (d *decoder) resilience(e entry, r *Resilience) {
	d.object(e.node, e.path, []field{
		{"retries", func(e entry) { r.Retries = d.optInt(e, "retries per deployment, e.g. 1; 0 disables them") }},
		{"backoff", func(e entry) {
			d.object(e.node, e.path, []field{
				{"base", func(e entry) { d.duration(e, &r.Backoff, true) }},
				{"max", func(e entry) { d.duration(e, &r.BackoffMax, true) }},
			})
		}},
		{"stall_timeout", func(e entry) { d.duration(e, &r.StallTimeout, true) }},
		{"health", func(e entry) { d.health(e, &r.Health) }},
	})
}

func (d *decoder) health(e entry, h *Health) {
	d.object(e.node, e.path, []field{
		{"window", func(e entry) { d.duration(e, &h.Window, true) }},
		{"breaker", func(e entry) {
			d.object(e.node, e.path, []field{
				{"min_requests", func(e entry) { d.count(e, &h.MinRequests, "attempts in the window, e.g. 10") }},
				{"failure_ratio", func(e entry) {
					d.nonZero(e, &h.FailureRatio, checkFailureRatio, "the failed share of attempts that opens the breaker, e.g. 0.5")
				}},
				{"consecutive_failures", func(e entry) { d.count(e, &h.ConsecutiveFailures, "failures in a row, e.g. 5") }},
				{"open_for", func(e entry) { d.duration(e, &h.OpenFor, true) }},
				{"probes", func(e entry) { d.count(e, &h.Probes, "probes in flight at once, e.g. 1") }},
				{"probe_successes", func(e entry) { d.count(e, &h.ProbeSuccesses, "successful probes in a row, e.g. 2") }},
			})
		}},
		{"latency", func(e entry) {
			d.object(e.node, e.path, []field{
				{"spike_factor", func(e entry) {
					d.nonZero(e, &h.SpikeFactor, checkSpikeFactor, "times the baseline time to first token, e.g. 3")
				}},
				{"spike_count", func(e entry) { d.count(e, &h.SpikeCount, "spikes within spike_window, e.g. 3") }},
				{"spike_window", func(e entry) { d.duration(e, &h.SpikeWindow, true) }},
				{"probe_interval", func(e entry) { d.duration(e, &h.ProbeInterval, true) }},
				{"recover_probes", func(e entry) { d.count(e, &h.RecoverProbes, "good probes in a row, e.g. 3") }},
			})
		}},
	})
}

// hedge decodes a route's hedge. An empty mapping is an error: it looks
// like hedging is on while it is not.
func (d *decoder) hedge(e entry, h *Hedge) {
	before := len(d.errs)
	d.object(e.node, e.path, []field{
		{"after", func(e entry) { d.duration(e, &h.After, true) }},
		{"quantile", func(e entry) {
			d.nonZero(e, &h.Quantile, checkQuantile, "a quantile of recent times to first token, e.g. 0.9")
		}},
	})
	if !isNull(e.node) && !h.Enabled() && len(d.errs) == before {
		d.fail(e.path, e.node, "sets neither after nor quantile, so it does not hedge",
			"e.g. hedge: {after: 400ms} or {quantile: 0.9}; remove it to not hedge")
	}
}

// endpoints decodes a provider's list of other endpoints.
func (d *decoder) endpoints(e entry) []Endpoint {
	els := d.list(e, "[{base_url: https://eu.example.com/v1, api_key: ${EU_API_KEY}}]")
	if len(els) == 0 {
		return nil
	}
	out := make([]Endpoint, len(els))
	for i, el := range els {
		ep := &out[i]
		d.object(el.node, el.path, []field{
			{"base_url", func(e entry) { d.str(e, &ep.BaseURL) }},
			{"api_key", func(e entry) { d.secretStr(e, d.identity(el.node, "api_key"), &ep.APIKey) }},
			{"weight", func(e entry) { d.count(e, &ep.Weight, "a whole-number share of requests, e.g. 2") }},
		})
	}
	return out
}

// optInt decodes an integer whose absence matters; nil when unset or wrong.
func (d *decoder) optInt(e entry, hint string) *int {
	var v int
	d.intField(e, &v, hint)
	if isNull(e.node) || d.covered(e.path) {
		return nil
	}
	return &v
}

// count decodes a count whose zero value means the default, so an
// explicit 0 is an error.
func (d *decoder) count(e entry, dst *int, hint string) {
	var v int
	d.intField(e, &v, hint)
	if d.covered(e.path) {
		return
	}
	if v == 0 && !isNull(e.node) {
		d.fail(e.path, e.node, checkCount(0), hint+"; omit it for the default")
		return
	}
	*dst = v
}

// nonZero decodes a number whose zero value means the default, so an
// explicit 0 is an error; check gives the problem with it.
func (d *decoder) nonZero(e entry, dst *float64, check func(float64) string, hint string) {
	var v float64
	d.number(e, &v, hint)
	if d.covered(e.path) {
		return
	}
	if v == 0 && !isNull(e.node) {
		d.fail(e.path, e.node, check(0), hint+"; omit it for the default")
		return
	}
	*dst = v
}
