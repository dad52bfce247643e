package server

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
)

// A client that sends its whole request before it reads the answer (as
// many HTTP clients do) reads the 413 or 401 of a body refused before it
// was read — not a reset connection, which SDKs report as a connection
// error and retry, sending the whole body again.
func TestRefusedBodyAnswerReachesAClientStillSending(t *testing.T) {
	s := newServer(&backend{}, Options{Keys: []config.Key{{Key: "k"}}, Limits: Limits{ReadTimeout: 5 * time.Second, WriteTimeout: time.Second},
		API: &apiopenai.Handler{MaxBodyBytes: 1000}})
	addr := runServer(t, s)
	const size = 16 << 20 // past what loopback socket buffers hold
	tests := []struct {
		name    string
		header  string
		chunked bool
		status  int
	}{
		{"declared too large", "Authorization: Bearer k\r\n", false, http.StatusRequestEntityTooLarge},
		{"too large, chunked", "Authorization: Bearer k\r\n", true, http.StatusRequestEntityTooLarge},
		{"no key", "", false, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr)
			c.SetDeadline(time.Now().Add(15 * time.Second))
			framing := fmt.Sprintf("Content-Length: %d\r\n", size)
			if tt.chunked {
				framing = "Transfer-Encoding: chunked\r\n"
			}
			fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s%s\r\n", tt.header, framing)
			if err := sendAll(c, size, tt.chunked); err != nil {
				t.Fatalf("sending the body: %v (the router cut the connection before the client read its answer)", err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no response after sending the body: %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			errorCode(t, resp)
			if !resp.Close {
				t.Error("the response does not say Connection: close")
			}
		})
	}
}

// sendAll writes a body of size bytes, chunked or not, in 64 KiB writes.
func sendAll(c net.Conn, size int, chunked bool) error {
	block := bytes.Repeat([]byte("x"), 64<<10)
	for sent := 0; sent < size; sent += len(block) {
		var err error
		if chunked {
			_, err = fmt.Fprintf(c, "%x\r\n%s\r\n", len(block), block)
		} else {
			_, err = c.Write(block)
		}
		if err != nil {
			return err
		}
	}
	if chunked {
		_, err := c.Write([]byte("0\r\n\r\n"))
		return err
	}
	return nil
}
