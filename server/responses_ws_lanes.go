package server

import (
	"sync"

	"switchyard/llm"
	wireresp "switchyard/wire/responses"
)

// lanes runs the turns of one Responses API WebSocket connection: the
// turns of a lane (a response.create's stream_id; "" for the default
// lane) one after the other, in the order added, and the lanes side by
// side, each on a goroutine of its own while it has turns. The default
// lane is always there; a named lane counts against max from its first
// turn until the connection ends, as openai-go keeps a stream_id
// reserved on its connection. Safe for concurrent use.
type lanes struct {
	// run runs one turn of lane; the lane's next waits for it.
	run func(lane string, body []byte)
	// max bounds the named lanes; queue bounds the turns a lane holds
	// while one of its turns runs.
	max, queue int
	// closing, once closed, starts no turn any more, as stop does, before
	// stop is called; nil means never.
	closing <-chan struct{}

	mu     sync.Mutex
	byName map[string]*lane
	named  int  // named lanes used
	shut   bool // no turn starts any more
	wg     sync.WaitGroup
}

// lane is the turns of one lane waiting to run, and whether a goroutine
// runs them.
type lane struct {
	waiting [][]byte
	running bool
}

// newLanes returns the lanes of a connection that runs its turns with
// run, at most max named lanes and queue waiting turns a lane, and starts
// none once closing is closed.
func newLanes(run func(lane string, body []byte), max, queue int, closing <-chan struct{}) *lanes {
	return &lanes{run: run, max: max, queue: queue, closing: closing, byName: map[string]*lane{}}
}

// add queues body on lane name, to run after the lane's earlier turns.
// It returns the error to send on the lane instead: a new named lane past
// max (websocket_stream_limit_reached), a lane holding queue turns
// already (too_many_queued_responses). After stop, or once closing is
// closed, add drops body: the connection is closing.
func (ls *lanes) add(name string, body []byte) *llm.Error {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.shut || closed(ls.closing) {
		return nil
	}
	l := ls.byName[name]
	if l == nil {
		if name != "" && ls.named >= ls.max {
			return wireresp.StreamLimitReached(ls.max)
		}
		if name != "" {
			ls.named++
		}
		l = &lane{}
		ls.byName[name] = l
	}
	if len(l.waiting) >= ls.queue {
		return tooManyQueued(ls.queue)
	}
	l.waiting = append(l.waiting, body)
	if !l.running {
		l.running = true
		ls.wg.Go(func() { ls.work(name, l) })
	}
	return nil
}

// first queues body on lane name before the lane's waiting turns, past
// the queue bound: the automatic successor of a steered response, which
// the client did not send. After stop, or once closing is closed, it
// drops body.
func (ls *lanes) first(name string, body []byte) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.shut || closed(ls.closing) {
		return
	}
	l := ls.byName[name]
	if l == nil {
		l = &lane{}
		ls.byName[name] = l
	}
	l.waiting = append([][]byte{body}, l.waiting...)
	if !l.running {
		l.running = true
		ls.wg.Go(func() { ls.work(name, l) })
	}
}

// work runs lane l's turns until none waits, or stop was called.
func (ls *lanes) work(name string, l *lane) {
	for {
		ls.mu.Lock()
		if ls.shut || len(l.waiting) == 0 || closed(ls.closing) {
			l.running, l.waiting = false, nil
			ls.mu.Unlock()
			return
		}
		body := l.waiting[0]
		l.waiting[0] = nil
		l.waiting = l.waiting[1:]
		ls.mu.Unlock()
		ls.run(name, body)
	}
}

// closed reports whether c is closed; a nil c never is.
func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// stop starts no turn any more (the waiting ones are dropped) and returns
// when the turns running have ended. It may be called more than once, and
// concurrently.
func (ls *lanes) stop() {
	ls.mu.Lock()
	ls.shut = true
	ls.mu.Unlock()
	ls.wg.Wait()
}
