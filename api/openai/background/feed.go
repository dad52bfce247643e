package background

import (
	"sync"
	"time"

	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// Flush policy of a Feed: its events go to the store once the oldest
// waiting is FlushAge old, or FlushBytes or FlushEvents of them wait.
const (
	FlushAge    = 100 * time.Millisecond
	FlushBytes  = 32 << 10
	FlushEvents = 256
)

// unstoredMax is more than the events a router can have sent from a
// Feed without storing them: it stores them once FlushEvents wait, and
// one Append adds the events of one chunk, or of a stream's end (a few
// per output item). The events that end a stream whose router stopped
// are numbered past it (Sweep), so that a client that got events the
// store never did still gets them.
const unstoredMax = 1024

// Feed is the event stream of a streamed background job as this router
// holds it: the events not yet stored, which its readers here follow
// without asking the store, and a signal when more come. The job appends
// events (Append), stores them when Due (Pending, then Flushed), and ends
// it (End); readers follow it with After, reading from the store what
// left the feed before they got to it. Safe for concurrent use.
type Feed struct {
	mu   sync.Mutex
	base int64  // the sequence number of the first event held
	data []byte // the events held, one after another
	ends []int  // where each event held ends in data
	// since is when the oldest event held was appended.
	since time.Time
	ended bool
	wake  chan struct{} // closed, and replaced, at each change
}

// NewFeed returns an empty feed whose first event will be number 0.
func NewFeed() *Feed { return &Feed{wake: make(chan struct{})} }

// signal wakes the readers; the caller holds f.mu.
func (f *Feed) signal() {
	close(f.wake)
	f.wake = make(chan struct{})
}

// Append adds events, whole server-sent events numbered on from the last
// one appended.
func (f *Feed) Append(events []byte) {
	if len(events) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.ends) == 0 {
		f.since = time.Now()
	}
	for _, ev := range wireresp.SplitEvents(events) {
		f.data = append(f.data, ev...)
		f.ends = append(f.ends, len(f.data))
	}
	f.signal()
}

// Due reports whether the events held should be stored now.
func (f *Feed) Due() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.ends) > 0 && (len(f.data) >= FlushBytes || len(f.ends) >= FlushEvents || time.Since(f.since) >= FlushAge)
}

// Pending returns a copy of the events held, as a batch to store, and
// false when none is held.
func (f *Feed) Pending() (store.EventBatch, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.ends) == 0 {
		return store.EventBatch{}, false
	}
	return store.EventBatch{First: f.base, Last: f.base + int64(len(f.ends)) - 1, Data: append([]byte(nil), f.data...)}, true
}

// Flushed drops the events held up to the number last, now stored.
func (f *Feed) Flushed(last int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := int(last - f.base + 1)
	if n <= 0 {
		return
	}
	n = min(n, len(f.ends))
	cut := f.ends[n-1]
	f.data = append(f.data[:0], f.data[cut:]...)
	f.ends = f.ends[n:]
	for i := range f.ends {
		f.ends[i] -= cut
	}
	f.base += int64(n)
	f.since = time.Now()
}

// End says no event will be appended any more.
func (f *Feed) End() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.ended {
		f.ended = true
		f.signal()
	}
}

// After returns a copy of the events held numbered after the number
// after, and the number of the last of them (after when none); gap
// reports that events after it left the feed for the store (read them
// there first, then come back), ended that no more will come, and wake
// is closed at the feed's next change.
func (f *Feed) After(after int64) (data []byte, last int64, gap, ended bool, wake <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	wake, ended, last = f.wake, f.ended, after
	if after+1 < f.base {
		return nil, after, true, ended, wake
	}
	i := int(after + 1 - f.base)
	if i >= len(f.ends) {
		return nil, after, false, ended, wake
	}
	start := 0
	if i > 0 {
		start = f.ends[i-1]
	}
	return append([]byte(nil), f.data[start:]...), f.base + int64(len(f.ends)) - 1, false, ended, wake
}
