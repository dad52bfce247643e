package bench

import (
	"context"
	"os"
	"time"
)

// pairRun is one mode's load over a two-target schedule.
type pairRun struct {
	sched *Schedule
	stats map[Target]TargetStats
	// cpu is the CPU time per request sent of each target that is a
	// process of its own (a router); harnessCPU the harness's per request
	// sent to either target. Zero when unknown.
	cpu        map[Target]time.Duration
	harnessCPU time.Duration
	// maxRSS is the largest resident set sampled of each process target.
	maxRSS map[Target]int64
	// failed counts each target's failed requests, warm-up included.
	failed map[Target]int
}

// measurePair sends mode m's load to the two targets of pair in
// alternating phases and summarizes it. pids holds the process of each
// target that has one, whose CPU time and memory are measured. The CPU
// time is read settle after the last response, so that work a process
// defers (batched writes) is counted with the requests that caused it.
func measurePair(ctx context.Context, opts Options, m Mode, pair [2]Target, eps map[Target]*endpoint, pids map[Target]int, settle time.Duration) (*pairRun, error) {
	interval := time.Duration(float64(time.Second) / opts.Rate)
	sched, err := NewPairSchedule(pair, interval, opts.Phase, opts.Warmup, opts.Duration)
	if err != nil {
		return nil, err
	}
	progress(opts, "%s: %d requests at %g/s over %v (%v warm-up + %v measured per target, %v phases, %s and %s)",
		m, len(sched.Slots), opts.Rate, sched.Length().Round(time.Millisecond), opts.Warmup, opts.Duration, opts.Phase, pair[0], pair[1])
	lr := &loadRun{sched: sched, targets: eps, body: requestBody(m == Stream, opts.PromptTokens), stream: m == Stream}
	mems := make(map[Target]*memorySampler, len(pids))
	for t, pid := range pids {
		mems[t] = sampleMemory(pid, 100*time.Millisecond)
	}
	cpu := startCPU(pids)
	samples := lr.run(ctx, opts.Workers)
	if settle > 0 {
		select {
		case <-time.After(settle):
		case <-ctx.Done():
		}
	}
	pr := &pairRun{sched: sched, stats: make(map[Target]TargetStats, 2), maxRSS: make(map[Target]int64, len(pids)),
		failed: make(map[Target]int, 2)}
	pr.cpu, pr.harnessCPU = cpu.perRequest(sched)
	for t, s := range mems {
		pr.maxRSS[t] = s.Stop()
	}
	for i, sm := range samples {
		if sm.failed {
			pr.failed[sched.Phases[sched.Slots[i].Phase].Target]++
		}
	}
	for _, t := range pair {
		st := summarizeTarget(sched, samples, t, m == Stream)
		st.FirstError = lr.firstErrs[t]
		pr.stats[t] = st
	}
	return pr, nil
}

// difference returns a's latency minus b's at each quantile, to the end of
// the response and (when both streamed, else nil) to the first token.
func difference(a, b TargetStats) (total Quantiles, ttft *Quantiles) {
	total = a.Total.Sub(b.Total)
	if a.TTFT != nil && b.TTFT != nil {
		d := a.TTFT.Sub(*b.TTFT)
		ttft = &d
	}
	return total, ttft
}

// cpuMeter measures the CPU time some processes and the harness use.
type cpuMeter struct {
	pids    map[Target]int
	start   map[Target]time.Duration
	self    int
	harness time.Duration
}

func startCPU(pids map[Target]int) cpuMeter {
	c := cpuMeter{pids: pids, start: make(map[Target]time.Duration, len(pids)), self: os.Getpid()}
	for t, pid := range pids {
		c.start[t], _ = ReadCPU(pid)
	}
	c.harness, _ = ReadCPU(c.self)
	return c
}

// perRequest returns each process's CPU time since startCPU per request
// its target was sent, and the harness's per request sent, warm-up
// included; a figure it cannot read is left out (per target) or zero.
func (c cpuMeter) perRequest(s *Schedule) (procs map[Target]time.Duration, harness time.Duration) {
	procs = make(map[Target]time.Duration, len(c.pids))
	for t, pid := range c.pids {
		used, err := ReadCPU(pid)
		if n := s.Sent(t); err == nil && n > 0 {
			procs[t] = perRequest(used-c.start[t], n)
		}
	}
	if h, err := ReadCPU(c.self); err == nil {
		harness = perRequest(h-c.harness, len(s.Slots))
	}
	return procs, harness
}

// perRequest divides a CPU time over n requests; zero for none.
func perRequest(used time.Duration, n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return used / time.Duration(n)
}

// summarizeTarget computes one target's statistics over its measured
// phases. The achieved rate divides the successful requests by the time
// from each phase's start to the later of its end and its last response.
func summarizeTarget(s *Schedule, samples []sample, t Target, stream bool) TargetStats {
	var st TargetStats
	var total, ttft, lag []time.Duration
	ends := make([]time.Duration, len(s.Phases))
	for i, slot := range s.Slots {
		p := s.Phases[slot.Phase]
		if p.Target != t || p.Warmup {
			continue
		}
		sm := samples[i]
		st.Requests++
		if sm.failed {
			st.Errors++
			continue
		}
		total, lag = append(total, sm.total), append(lag, sm.lag)
		if stream {
			ttft = append(ttft, sm.ttft)
		}
		ends[slot.Phase] = max(ends[slot.Phase], slot.At+sm.total)
	}
	var span time.Duration
	for i, p := range s.Phases {
		if p.Target == t && !p.Warmup {
			span += max(p.End, ends[i]) - p.Start
		}
	}
	if span > 0 {
		st.Rate = float64(len(total)) / span.Seconds()
	}
	st.Total, st.Lag = Summarize(total), Summarize(lag)
	if stream {
		q := Summarize(ttft)
		st.TTFT = &q
	}
	return st
}
