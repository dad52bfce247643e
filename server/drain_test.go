package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// slowBackend holds each chat until released.
type slowBackend struct {
	backend
	entered chan struct{}
	release chan struct{}
}

func newSlowBackend() *slowBackend {
	b := &slowBackend{entered: make(chan struct{}, 10), release: make(chan struct{})}
	b.ChatFunc = func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
		b.entered <- struct{}{}
		<-b.release
		return answer("finished"), nil
	}
	return b
}

func post(c *http.Client, url string) (int, string, error) {
	resp, err := c.Post(url+"/v1/chat/completions", "application/json", strings.NewReader(chatBody))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// listen returns a loopback listener and a client of its own.
func listen(t *testing.T) (net.Listener, *http.Client, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return ln, &http.Client{Transport: tr}, "http://" + ln.Addr().String()
}

type result struct {
	code int
	body string
	err  error
}

func receive[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func TestRunDrains(t *testing.T) {
	b := newSlowBackend()
	s := newServer(&b.backend, Options{})
	ln, c, url := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- s.Run(ctx, ln, 10*time.Second) }()

	resp, err := c.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("readyz before the drain = %d", resp.StatusCode)
	}

	res := make(chan result, 1)
	go func() {
		code, body, err := post(c, url)
		res <- result{code, body, err}
	}()
	receive(t, "the request to reach the backend", b.entered)
	cancel()

	llmtest.WaitFor(t, "readyz to report draining", func() bool { return do(s, "GET", "/readyz", "", nil).Code == 503 })
	if w := do(s, "GET", "/readyz", "", nil); w.Body.String() != `{"status":"draining"}` || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("readyz while draining: %s %q", w.Body, w.Header().Get("Content-Type"))
	}
	if w := do(s, "GET", "/healthz", "", nil); w.Code != 200 {
		t.Fatalf("healthz while draining = %d, want 200 (alive, just not ready)", w.Code)
	}
	llmtest.WaitFor(t, "the listener to close", func() bool {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err == nil {
			conn.Close()
		}
		return err != nil
	})
	select {
	case err := <-runErr:
		t.Fatalf("Run returned %v with a request in flight", err)
	default:
	}

	close(b.release)
	r := receive(t, "the in-flight response", res)
	if r.err != nil || r.code != 200 || !strings.Contains(r.body, "finished") {
		t.Fatalf("in-flight request: %d %q %v", r.code, r.body, r.err)
	}
	if err := receive(t, "Run to return", runErr); err != nil {
		t.Fatalf("Run = %v, want nil after a clean drain", err)
	}
}

// A backend that ignores the shutdown signal (only the gateway heeds it)
// is cut when its connection closes, after a grace period.
func TestRunDrainTimeout(t *testing.T) {
	b := newSlowBackend()
	defer close(b.release) // let the abandoned handler end
	s := newServer(&b.backend, Options{})
	s.grace = 10 * time.Millisecond
	ln, c, url := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- s.Run(ctx, ln, 20*time.Millisecond) }()

	res := make(chan result, 1)
	go func() {
		code, body, err := post(c, url)
		res <- result{code, body, err}
	}()
	receive(t, "the request to reach the backend", b.entered)
	cancel()
	if err := receive(t, "Run to return", runErr); !errors.Is(err, ErrDrainTimeout) {
		t.Fatalf("Run = %v, want ErrDrainTimeout after closing what was left", err)
	}
	if r := receive(t, "the cut response", res); r.err == nil {
		t.Fatalf("the request still in flight after the drain got %d %q", r.code, r.body)
	}
}

func TestRunListenerError(t *testing.T) {
	ln, _, _ := listen(t)
	ln.Close()
	s := newServer(&backend{}, Options{})
	if err := s.Run(context.Background(), ln, time.Second); err == nil {
		t.Fatal("Run on a closed listener returned nil")
	}
}

// The admin listener stays open while the API listener drains, so
// /readyz there reads 503 draining (and /metrics can be scraped) until the
// drain ends; then it closes too.
func TestAdminListenerOutlivesTheDrain(t *testing.T) {
	b := newSlowBackend()
	s := newServer(&b.backend, Options{SeparateOps: true})
	apiLn, c, apiURL := listen(t)
	adminLn, _, adminURL := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- s.Serve(ctx, Listeners{API: apiLn, Admin: adminLn}, 10*time.Second) }()

	res := make(chan result, 1)
	go func() {
		code, body, err := post(c, apiURL)
		res <- result{code, body, err}
	}()
	receive(t, "the request to reach the backend", b.entered)
	cancel()
	readyz := func() int {
		resp, err := c.Get(adminURL + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	llmtest.WaitFor(t, "/readyz on the admin listener to read 503", func() bool { return readyz() == 503 })
	if status, _ := get(t, c, adminURL+"/metrics", ""); status != 200 {
		t.Errorf("/metrics on the admin listener during the drain = %d, want 200 (loopback)", status)
	}
	close(b.release)
	if r := receive(t, "the in-flight response", res); r.err != nil || r.code != 200 {
		t.Fatalf("in-flight request: %d %v", r.code, r.err)
	}
	if err := receive(t, "Serve to return", runErr); err != nil {
		t.Fatalf("Serve = %v", err)
	}
	if readyz() != 0 {
		t.Error("the admin listener still answers after the drain")
	}
}

// With a shutdown delay, the router goes on accepting and serving after
// the signal, /readyz answering 503 draining, so that a load balancer
// (a Kubernetes Service) stops sending before the listener closes: a
// request on a new connection meanwhile is served. Then it drains as
// without one.
func TestShutdownDelayKeepsServing(t *testing.T) {
	s := newServer(&backend{}, Options{ShutdownDelay: 3 * time.Second})
	ln, _, url := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- s.Run(ctx, ln, 10*time.Second) }()
	cancel()
	llmtest.WaitFor(t, "readyz to report draining", func() bool { return do(s, "GET", "/readyz", "", nil).Code == 503 })
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := fresh.Get(url + "/readyz")
	if err != nil {
		t.Fatalf("a new connection during the delay: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("readyz on the API listener during the delay = %d, want 503", resp.StatusCode)
	}
	if code, body, err := post(fresh, url); err != nil || code != 200 {
		t.Errorf("a request during the delay: %d %s %v", code, body, err)
	}
	if err := receive(t, "Run to return", runErr); err != nil {
		t.Fatalf("Run = %v, want nil after a clean drain", err)
	}
	if _, err := fresh.Get(url + "/readyz"); err == nil {
		t.Error("the listener still accepts after the drain")
	}
}
