package health

import (
	"fmt"
	"time"
)

// updateLatency folds an attempt's time to first token into dep's
// baseline or, while demoted, counts a latency probe toward recovery; s is
// locked.
func (t *Tracker) updateLatency(s *state, o Outcome, now time.Time) {
	ttft := float64(o.TTFT)
	if s.demoted {
		if !o.LatencyProbe {
			return
		}
		// Under the spike floor a latency cannot be a spike, whatever
		// the (possibly tiny, noisy) baseline says.
		if ttft <= t.conf().RecoverFactor*s.baseline || o.TTFT < t.conf().MinSpike {
			s.recoverOK++
		} else {
			s.recoverOK = 0
		}
		if s.recoverOK >= t.conf().RecoverProbes {
			reason := fmt.Sprintf("%d attempts in a row within %.1fx the %s baseline", s.recoverOK, t.conf().RecoverFactor, time.Duration(s.baseline).Round(10*time.Microsecond))
			s.emit(o.Deployment, "latency", "demoted", "healthy", reason, now)
			s.demoted, s.demoteReason, s.recoverOK, s.spikes = false, "", 0, s.spikes[:0]
		}
		return
	}
	switch {
	case s.baselineN == 0:
		s.baseline = ttft
	case s.baselineN >= t.conf().BaselineMinSamples && ttft > t.conf().SpikeFactor*s.baseline:
		return // an outlier must not drag the baseline up
	default:
		s.baseline += t.conf().BaselineAlpha * (ttft - s.baseline)
	}
	s.baselineN++
}

// spikeTest checks a finished bucket against the baseline.
func (t *Tracker) spikeTest(s *state, dep string, b *bucket, now time.Time) {
	b.evaluated = true
	if s.demoted || s.baselineN < t.conf().BaselineMinSamples || len(b.ttfts) < t.conf().SpikeMinSamples {
		return
	}
	m := median(b.ttfts)
	if float64(m) <= t.conf().SpikeFactor*s.baseline || m < t.conf().MinSpike {
		return
	}
	cutoff := now.Add(-t.conf().SpikeWindow)
	kept := s.spikes[:0]
	for _, at := range s.spikes {
		if at.After(cutoff) {
			kept = append(kept, at)
		}
	}
	s.spikes = append(kept, b.start)
	if len(s.spikes) >= t.conf().SpikeCount {
		reason := fmt.Sprintf("%d latency spikes within %s (last: median time to first token %s vs baseline %s)",
			len(s.spikes), t.conf().SpikeWindow, m.Round(10*time.Microsecond), time.Duration(s.baseline).Round(10*time.Microsecond))
		s.emit(dep, "latency", "healthy", "demoted", reason, now)
		s.demoted, s.demoteReason, s.demotedSince, s.lastProbe, s.recoverOK = true, reason, now, now, 0
	}
}
