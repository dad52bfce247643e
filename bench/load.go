package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// endpoint is one target's URL, credentials and connection pool.
type endpoint struct {
	url    string
	auth   string // the Authorization header value
	client *http.Client
}

func newEndpoint(url, key string, conns int) *endpoint {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &endpoint{url: url, auth: "Bearer " + key, client: &http.Client{Transport: tr, Timeout: time.Minute}}
}

func (e *endpoint) close() { e.client.CloseIdleConnections() }

// sample is the outcome of one scheduled request. Durations are measured
// from the slot's scheduled time, not from when the request was sent.
type sample struct {
	// lag is how late the request was sent.
	lag time.Duration
	// ttft is the time to the first content chunk (streaming only).
	ttft time.Duration
	// total is the time to the end of the response body.
	total  time.Duration
	failed bool
}

// loadRun drives one Schedule against the two endpoints.
type loadRun struct {
	sched   *Schedule
	targets map[Target]*endpoint
	body    []byte
	stream  bool
	origin  time.Time
	next    atomic.Int64
	samples []sample

	mu        sync.Mutex
	firstErrs map[Target]string
}

// run sends every slot of the schedule with up to workers requests in
// flight and returns one sample per slot. Each free worker claims the next
// slot in order and waits for its time, so requests go out on schedule as
// long as a worker is free, and late (with the lateness counted in their
// latency) when none is.
func (r *loadRun) run(ctx context.Context, workers int) []sample {
	r.samples = make([]sample, len(r.sched.Slots))
	r.firstErrs = make(map[Target]string)
	r.origin = time.Now().Add(20 * time.Millisecond)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { r.work(ctx) })
	}
	wg.Wait()
	return r.samples
}

func (r *loadRun) work(ctx context.Context) {
	br := bufio.NewReaderSize(nil, 16<<10)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		i := int(r.next.Add(1) - 1)
		if i >= len(r.sched.Slots) {
			return
		}
		slot := r.sched.Slots[i]
		due := r.origin.Add(slot.At)
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		target := r.sched.Phases[slot.Phase].Target
		s, err := r.send(ctx, r.targets[target], due, br)
		if err != nil {
			s.failed = true
			r.noteError(target, err)
		}
		r.samples[i] = s
	}
}

// send makes one request and reads its whole response.
func (r *loadRun) send(ctx context.Context, e *endpoint, due time.Time, br *bufio.Reader) (sample, error) {
	start := time.Now()
	s := sample{lag: start.Sub(due)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(r.body))
	if err != nil {
		return s, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", e.auth)
	resp, err := e.client.Do(req)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return s, fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	if !r.stream {
		_, err = io.Copy(io.Discard, resp.Body)
		s.total = time.Since(due)
		return s, err
	}
	br.Reset(resp.Body)
	s.ttft, err = readStream(br, due)
	s.total = time.Since(due)
	br.Reset(nil)
	return s, err
}

// readStream reads a server-sent event stream to its end and returns the
// time from due to the first data line carrying content. It parses no
// JSON: a line counts when it has a non-empty "content" string.
func readStream(br *bufio.Reader, due time.Time) (time.Duration, error) {
	var ttft time.Duration
	partial := false // the current line began in an earlier read
	for {
		line, err := br.ReadSlice('\n')
		if ttft == 0 && !partial && hasContent(line) {
			ttft = time.Since(due)
		}
		partial = errors.Is(err, bufio.ErrBufferFull)
		if partial {
			continue
		}
		if errors.Is(err, io.EOF) {
			if ttft == 0 {
				return 0, errors.New("stream ended without a content chunk")
			}
			return ttft, nil
		}
		if err != nil {
			return ttft, err
		}
	}
}

var (
	dataPrefix    = []byte("data:")
	contentPrefix = []byte(`"content":"`)
)

// hasContent reports whether an SSE line is a data line with a non-empty
// "content" string (the first such line is the first token).
func hasContent(line []byte) bool {
	if !bytes.HasPrefix(line, dataPrefix) {
		return false
	}
	i := bytes.Index(line, contentPrefix)
	if i < 0 {
		return false
	}
	rest := line[i+len(contentPrefix):]
	return len(rest) > 0 && rest[0] != '"'
}

// noteError keeps the first error message of each target.
func (r *loadRun) noteError(t Target, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.firstErrs[t]; !ok {
		r.firstErrs[t] = err.Error()
	}
}
