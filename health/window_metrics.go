package health

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// WindowCollector exports every deployment's rate limit, flex and fast
// windows (rate_limited_until, flex_unavailable_until and
// fast_unavailable_until of GET /admin/health)
// as Prometheus gauges. It reads the tracker when scraped, so the request
// path pays nothing and a window that ended reads 0 without a transition
// to lower it.
type WindowCollector struct {
	tracker              *Tracker
	limited, limitedLeft *prometheus.Desc
	flexOff, flexOffLeft *prometheus.Desc
	fastOff, fastOffLeft *prometheus.Desc
}

// NewWindowCollector returns a collector of t's windows; register it
// once, beside the Reporter's metrics.
func NewWindowCollector(t *Tracker) *WindowCollector {
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{"deployment"}, nil)
	}
	return &WindowCollector{
		tracker: t,
		limited: desc("switchyard_deployment_rate_limited",
			"1 while a deployment is in a rate limit window (a 429's Retry-After): requests skip it while another candidate can answer."),
		limitedLeft: desc("switchyard_deployment_rate_limit_remaining_seconds",
			"Seconds until a deployment's rate limit window ends (0 when none is open)."),
		flexOff: desc("switchyard_deployment_flex_unavailable",
			"1 while a deployment is in a flex window (a flex capacity shortage's Retry-After): flex requests skip it while another candidate can answer."),
		flexOffLeft: desc("switchyard_deployment_flex_unavailable_remaining_seconds",
			"Seconds until a deployment's flex window ends (0 when none is open)."),
		fastOff: desc("switchyard_deployment_fast_unavailable",
			"1 while a deployment is in a fast window (a fast-mode 429's Retry-After): requests for Claude's fast mode are sent to it at standard speed."),
		fastOffLeft: desc("switchyard_deployment_fast_unavailable_remaining_seconds",
			"Seconds until a deployment's fast window ends (0 when none is open)."),
	}
}

// Describe sends the six gauges' descriptions.
func (c *WindowCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.limited
	ch <- c.limitedLeft
	ch <- c.flexOff
	ch <- c.flexOffLeft
	ch <- c.fastOff
	ch <- c.fastOffLeft
}

// Collect sends each deployment's windows as of the tracker's clock.
func (c *WindowCollector) Collect(ch chan<- prometheus.Metric) {
	for _, w := range c.tracker.windows() {
		c.send(ch, c.limited, c.limitedLeft, w.deployment, w.limited)
		c.send(ch, c.flexOff, c.flexOffLeft, w.deployment, w.flexOff)
		c.send(ch, c.fastOff, c.fastOffLeft, w.deployment, w.fastOff)
	}
}

func (c *WindowCollector) send(ch chan<- prometheus.Metric, open, left *prometheus.Desc, dep string, remaining time.Duration) {
	on := 0.0
	if remaining > 0 {
		on = 1
	}
	ch <- prometheus.MustNewConstMetric(open, prometheus.GaugeValue, on, dep)
	ch <- prometheus.MustNewConstMetric(left, prometheus.GaugeValue, remaining.Seconds(), dep)
}

// depWindows is how long one deployment's windows last from now (0:
// none open).
type depWindows struct {
	deployment                string
	limited, flexOff, fastOff time.Duration
}

// windows returns every known deployment's windows, in no order.
func (t *Tracker) windows() []depWindows {
	now := t.now()
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]depWindows, 0, len(t.states))
	for name, s := range t.states {
		w := depWindows{deployment: name}
		s.mu.Lock()
		if now.Before(s.limitedUntil) {
			w.limited = s.limitedUntil.Sub(now)
		}
		if now.Before(s.flexUntil) {
			w.flexOff = s.flexUntil.Sub(now)
		}
		if now.Before(s.fastUntil) {
			w.fastOff = s.fastUntil.Sub(now)
		}
		s.mu.Unlock()
		out = append(out, w)
	}
	return out
}
