package server

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	apiopenai "switchyard/api/openai"
	wireresp "switchyard/wire/responses"
)

// This file serves the Responses API's WebSocket mode: GET /v1/responses
// upgraded to a WebSocket, on which the client sends response.create
// events and receives each response's stream events, one a message. Each
// response.create is a streamed POST /v1/responses run through the same
// chain as one sent over HTTP (s.turns: its own request id and record,
// the key checked again, admission, the request deadline, then the API
// handler), answered by a socketWriter that sends each server-sent event's
// JSON as a text message and an error answer as an error event. The
// responses of a connection run one after the other, in the order sent
// (a response.create sent while one runs waits its turn); the connection
// keeps its last response, which the next continues with
// previous_response_id even when it was not stored (apiopenai.Socket).
//
// The handshake is authenticated as any API request, and counts in
// flight (the drain waits for it) but takes no admission slot: its turns
// do. On shutdown a connection ends its response in flight, then closes
// with 1001 (going away); a client that leaves cancels its response in
// flight, recorded as a stream the client left is.

// socketQueue bounds the response.create events a connection holds while
// one of its responses runs.
const socketQueue = 16

// socketMaxMessage bounds a client message when server.realtime's
// max_message_bytes is unset.
const socketMaxMessage = 16 << 20

// isResponsesSocket reports whether r is the handshake of a Responses API
// WebSocket connection.
func isResponsesSocket(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/v1/responses" && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// responsesSockets serves the Responses API's WebSocket handshakes, and
// passes every other request to next.
func (s *Server) responsesSockets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isResponsesSocket(r) {
			next.ServeHTTP(w, r)
			return
		}
		// The server vetted the origin (keylessAPI), as for the Realtime API.
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return // Accept answered the failed handshake
		}
		limit := socketMaxMessage
		if s.opts.API != nil && s.opts.API.Realtime.MaxMessage > 0 {
			limit = int(s.opts.API.Realtime.MaxMessage)
		}
		conn.SetReadLimit(int64(limit))
		sc := &socketConn{s: s, conn: conn, hs: r, state: &apiopenai.Socket{}}
		sc.serve(r.Context())
	})
}

// socketConn is one Responses API WebSocket connection.
type socketConn struct {
	s     *Server
	conn  *websocket.Conn
	hs    *http.Request // the handshake
	state *apiopenai.Socket
}

// serve reads the client's events until it leaves or the connection is
// closed, running its responses one after the other (work).
func (c *socketConn) serve(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	turns := make(chan []byte, socketQueue)
	var wg sync.WaitGroup
	wg.Go(func() { c.work(ctx, turns) })
	if every := c.keepalive(); every > 0 {
		wg.Go(func() { c.ping(ctx, every) })
	}
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			break // the client left, or work closed the connection
		}
		body, e := wireresp.DecodeClientEvent(data)
		if e != nil {
			c.send(ctx, wireresp.AppendSocketError(nil, e))
			continue
		}
		select {
		case turns <- body:
		default:
			c.send(ctx, wireresp.AppendSocketError(nil, tooManyQueued()))
		}
	}
	cancel() // cancels the response in flight: the client is gone
	close(turns)
	wg.Wait()
	c.conn.CloseNow()
}

// work runs the responses of turns in order until turns is closed or the
// server shuts down, then closes the connection with 1001.
func (c *socketConn) work(ctx context.Context, turns <-chan []byte) {
	for {
		select {
		case <-c.s.socketsShut: // before a queued turn
		default:
			select {
			case body, ok := <-turns:
				if !ok {
					return
				}
				if ctx.Err() == nil {
					c.turn(ctx, body)
				}
				continue
			case <-c.s.socketsShut:
			}
		}
		c.conn.Close(websocket.StatusGoingAway, "the router is shutting down")
		return
	}
}

// turn runs one response.create as a streamed POST /v1/responses with
// body, sending its events on the connection.
func (c *socketConn) turn(ctx context.Context, body []byte) {
	r, _ := http.NewRequestWithContext(apiopenai.WithSocket(ctx, c.state), http.MethodPost, "/v1/responses", bytes.NewReader(body))
	r.Header = turnHeader(c.hs.Header)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	r.RemoteAddr, r.Host = c.hs.RemoteAddr, c.hs.Host
	w := &socketWriter{ctx: ctx, conn: c.conn, hdr: http.Header{}}
	c.s.turns.ServeHTTP(w, r)
	w.finish()
}

// turnHeader is the header of a connection's turns: the handshake's (the
// key, the routing overrides, trace and session), without those of the
// upgrade.
func turnHeader(h http.Header) http.Header {
	t := h.Clone()
	for k := range t {
		if strings.HasPrefix(k, "Sec-Websocket-") {
			delete(t, k)
		}
	}
	for _, k := range []string{"Upgrade", "Connection", "Content-Encoding", "Content-Length", "Transfer-Encoding"} {
		t.Del(k)
	}
	return t
}

// send sends one event; a failure is the connection's end, which the
// reader sees.
func (c *socketConn) send(ctx context.Context, ev []byte) {
	c.conn.Write(ctx, websocket.MessageText, ev)
}

// keepalive is how often the client is pinged: server.realtime.keepalive.
func (c *socketConn) keepalive() time.Duration {
	if c.s.opts.API == nil {
		return 0
	}
	return c.s.opts.API.Realtime.Keepalive
}

// ping pings the client every every until ctx ends; a ping unanswered
// within every closes the connection.
func (c *socketConn) ping(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, every)
		err := c.conn.Ping(pctx)
		cancel()
		if err != nil {
			c.conn.CloseNow()
			return
		}
	}
}

// shutSockets tells the WebSocket connections that the server shuts
// down: each ends its response in flight, then closes.
func (s *Server) shutSockets() { s.socketsOnce.Do(func() { close(s.socketsShut) }) }
