package e2e

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/server"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
)

// tcpProxy forwards TCP connections to a target. Cut closes every
// connection and refuses new ones (accepted and closed at once) until
// Restore: a database that stopped, as its clients see it. Stall keeps
// every connection open and accepts new ones but forwards no byte until
// Restore: a database behind a network that stopped answering.
type tcpProxy struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup

	mu      sync.Mutex
	flowing *sync.Cond // signalled when stalled or down changes
	down    bool
	stalled bool
	conns   map[net.Conn]bool
}

// proxiedPostgres opens a fresh PostgreSQL schema twice: for the router,
// through a proxy the test can cut or stall, and for the test, directly.
func proxiedPostgres(t *testing.T) (routerStore, direct store.Store, proxy *tcpProxy) {
	t.Helper()
	sc := pgtest.NewSchema(t)
	u, err := url.Parse(sc.DSN)
	if err != nil {
		t.Fatal(err)
	}
	proxy = startProxy(t, u.Host)
	u.Host = proxy.Addr()
	st, err := postgres.Open(context.Background(), u.String())
	routerStore = closing(t, st, err)
	st, err = postgres.Open(context.Background(), sc.DSN)
	return routerStore, closing(t, st, err), proxy
}

// startProxy listens on loopback and forwards to target until the test
// ends.
func startProxy(t *testing.T, target string) *tcpProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.flowing = sync.NewCond(&p.mu)
	p.wg.Go(p.accept)
	t.Cleanup(func() {
		ln.Close()
		p.Cut()
		p.wg.Wait()
	})
	return p
}

func (p *tcpProxy) Addr() string { return p.ln.Addr().String() }

func (p *tcpProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Go(func() { p.forward(c) })
	}
}

// forward pipes c to a new connection to the target, both ways.
func (p *tcpProxy) forward(c net.Conn) {
	defer c.Close()
	if !p.track(c) {
		return
	}
	defer p.untrack(c)
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	if !p.track(up) {
		return
	}
	defer p.untrack(up)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		p.copy(dst, src)
		dst.Close()
		src.Close()
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	<-done
}

// copy forwards src to dst until either fails, holding what it read
// while the proxy is stalled.
func (p *tcpProxy) copy(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.waitFlowing() {
				return
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// waitFlowing waits while the proxy is stalled and reports whether it is
// still up.
func (p *tcpProxy) waitFlowing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.stalled && !p.down {
		p.flowing.Wait()
	}
	return !p.down
}

// track notes c as open and reports whether the proxy is up.
func (p *tcpProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	p.conns[c] = true
	return true
}

func (p *tcpProxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
}

// Cut closes every connection and refuses new ones.
func (p *tcpProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	p.flowing.Broadcast()
	for c := range p.conns {
		c.Close()
	}
}

// Stall stops forwarding, keeping every connection open.
func (p *tcpProxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = true
}

// Restore forwards again: new connections after a Cut, and the held
// bytes after a Stall.
func (p *tcpProxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down, p.stalled = false, false
	p.flowing.Broadcast()
}

// droppedMetric reads switchyard_store_dropped_total from the router's
// registry.
func droppedMetric(t *testing.T, r *server.Router) float64 {
	t.Helper()
	mfs, err := r.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "switchyard_store_dropped_total" {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatal("switchyard_store_dropped_total is not exported")
	return 0
}

// TestDatabaseOutageCostsNoRequest: PostgreSQL, behind a proxy the test
// cuts mid-run, stops answering. Every request still succeeds at once;
// exactly the rows past the writer's queue and buffer are dropped and
// counted, however loaded the machine; a rating is a 503; when the
// database is back, the held rows are written, writing resumes, and every
// other row is written.
func TestDatabaseOutageCostsNoRequest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	routerStore, direct, proxy := proxiedPostgres(t)
	const queue = 50 // the writer holds 4 × 50 rows in an outage, and 50 more wait in its queue
	e := storeEnv(t, routerStore, func(c *config.Config) { c.Store.QueueSize, c.Store.BatchSize = queue, 10 })
	w := e.Router.Writer
	ask := func(n int) (ids []string, slowest time.Duration) {
		for range n {
			s := sendAs(t, e, "complete", "/v1/chat/completions", chatBody("plain", "hello", false), nil)
			if s.status != 200 {
				t.Fatalf("a request failed: %d", s.status)
			}
			ids = append(ids, s.id)
			slowest = max(slowest, s.end.Sub(s.start))
		}
		return ids, slowest
	}
	// settled waits until every one of n rows is written or dropped: after
	// an outage the writer's next try may be a whole backoff away (it
	// doubles up to store.DefaultBackoffMax, 30 s, and a try in flight
	// when the database came back waits out its write timeout), which a
	// slow outage on a busy machine reaches.
	settled := func(n int64) {
		t.Helper()
		wait := store.DefaultBackoffMax + store.DefaultWriteTimeout + 10*time.Second
		for deadline := time.Now().Add(wait); w.Written()+w.Dropped() < n; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after %v, %d rows written and %d dropped of %d", wait, w.Written(), w.Dropped(), n)
			}
		}
	}

	before, _ := ask(20)
	settled(20)
	proxy.Cut()
	// The 400 rows come far faster than the writer takes them: the
	// recorder hands it up to 100 ms of records in one burst, and a busy
	// machine may not run the writer's goroutine meanwhile. Exactly the
	// rows past the queue and the buffer are dropped all the same.
	during, slowest := ask(400)
	if slowest >= store.DefaultWriteTimeout/2 { // a write in the request's way would wait for its timeout
		t.Errorf("a request took %v while the database was down", slowest)
	}
	wait := store.DefaultWriteTimeout + 20*time.Second // the last records reach the writer within 100 ms, on a busy machine later
	for deadline := time.Now().Add(wait); droppedMetric(t, e.Router) < 400-5*queue; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%v drops counted with the database down, want %d", droppedMetric(t, e.Router), 400-5*queue)
		}
	}
	// A rating is written before its 204: with the database down it is
	// refused, never accepted and lost.
	if status, body := rateWaiting(t, e.URL, before[0], time.Minute); status != http.StatusServiceUnavailable ||
		!strings.Contains(string(body), `"code":"feedback_unavailable"`) {
		t.Errorf("a rating with the database down: %d %s; want 503 feedback_unavailable", status, body)
	}
	proxy.Restore()
	settled(420) // the held rows are written
	after, _ := ask(20)
	settled(440)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := e.Router.Close(cctx); err != nil {
		t.Fatalf("Router.Close: %v", err)
	}

	stored := map[string]bool{}
	for _, id := range append(append(append([]string(nil), before...), during...), after...) {
		if _, err := direct.Get(ctx, store.AllTenants(), id); err == nil {
			stored[id] = true
		}
	}
	for _, id := range append(before, after...) {
		if !stored[id] {
			t.Errorf("request %s, sent while the database was up, has no row", id)
		}
	}
	dropped := droppedMetric(t, e.Router)
	if len(stored)+int(dropped) != 440 || dropped != 400-5*queue {
		t.Errorf("%d rows written and %v dropped of 440; want the %d past the buffer dropped, every other written",
			len(stored), dropped, 400-5*queue)
	}
}
