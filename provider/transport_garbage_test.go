package provider

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
)

// rawUpstream answers every connection with raw, once read up to the
// request's blank line, and closes it; it returns its URL.
func rawUpstream(t *testing.T, raw string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				for got := ""; !strings.Contains(got, "\r\n\r\n"); {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					got += string(buf[:n])
				}
				io.WriteString(c, raw)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// TestTransportErrorMalformedHTTP: an upstream that answers bytes no HTTP
// client can read — not HTTP at all, a broken chunked body, a gzip body
// that is not gzip — is reached, and says something malformed: the
// error says so, not that it could not be reached.
func TestTransportErrorMalformedHTTP(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"not HTTP", "SSH-2.0-OpenSSH_9.6\r\n\x00\x01garbage\r\n\r\n"},
		{"bad chunk length", "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"},
		{"gzip that is not", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 25\r\n\r\n\x1f\x8b\x08\x00garbagegarbagegarbage"},
		{"gzip header garbage", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at "},
	}
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			resp, err := client.Post(rawUpstream(t, tt.raw), "application/json", strings.NewReader("{}"))
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if err == nil {
				t.Fatal("the client read it")
			}
			e := TransportError("up", ctx, err)
			if e.Message != "upstream up sent a malformed response" || !e.Retryable {
				t.Errorf("%v: got %q retryable=%v, want a malformed response", err, e.Message, e.Retryable)
			}
		})
	}
}

// TestTransportErrorTimeoutCause: a context ended by a deadline whose
// cause is the router's own timeout error (server.request_timeout's) is a
// timeout with that error's words and code, never a cancellation: a
// stream cut by the request's deadline is recorded as timed out, not as
// closed by its client.
func TestTransportErrorTimeoutCause(t *testing.T) {
	cause := llm.Errorf(llm.KindTimeout, "The request took longer than this router allows (server.request_timeout, 6s).")
	cause.Code = "request_timeout"
	ctx, cancel := context.WithDeadlineCause(context.Background(), time.Now().Add(-time.Second), cause)
	defer cancel()
	e := TransportError("up", ctx, ctx.Err())
	if e.Kind != llm.KindTimeout || e.Code != "request_timeout" || e.Message != cause.Message || e.Provider != "up" {
		t.Fatalf("got %s %q %q (provider %q), want the deadline's own timeout", e.Kind, e.Code, e.Message, e.Provider)
	}
	if !errors.Is(e, context.DeadlineExceeded) {
		t.Errorf("the cause %v is not wrapped", ctx.Err())
	}
}
