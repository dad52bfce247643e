package provider

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// ctxSpy is a RoundTripper that keeps the context each call ran under.
type ctxSpy struct {
	base http.RoundTripper
	ctx  context.Context
}

func (s *ctxSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	s.ctx = req.Context()
	return s.base.RoundTrip(req)
}

// An upgrade (101, a WebSocket's handshake) answered within the
// provider's timeout releases the call's timer and context at once,
// rather than when the caller's context ends, and the upgraded
// connection outlives that release: it reads and writes as before.
func TestCallTimeoutUpgradeReleases(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		rw.Flush()
		io.Copy(conn, rw) // echo until the client closes
	}))
	t.Cleanup(s.Close)
	spy := &ctxSpy{base: NewTransport()}
	hc := WithCallTimeout(&http.Client{Transport: spy}, 100*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := hc.Do(req)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("%v, %v", resp, err)
	}
	conn := resp.Body.(io.ReadWriteCloser)
	defer conn.Close()
	select {
	case <-spy.ctx.Done():
	default:
		t.Error("the call's context lives on after the upgrade, until the caller's ends")
	}
	time.Sleep(200 * time.Millisecond) // past the timeout: nothing fires
	br := bufio.NewReader(conn)
	for _, msg := range []string{"hello\n", "again\n"} {
		if _, err := io.WriteString(conn, msg); err != nil {
			t.Fatalf("write on the upgraded connection: %v", err)
		}
		if got, err := br.ReadString('\n'); err != nil || got != msg {
			t.Fatalf("read on the upgraded connection: %q, %v", got, err)
		}
	}
}
