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
// responses of a lane (a response.create's stream_id, or none: the
// default lane) run one after the other, in the order sent (a
// response.create sent while one runs waits its turn); the lanes run side
// by side (lanes), and the events of a named lane's responses carry its
// stream_id. The connection keeps each lane's last response, which any
// lane continues with previous_response_id even when it was not stored
// (apiopenai.Socket).
//
// The handshake is authenticated as any API request, and counts in
// flight (the drain waits for it) but takes no admission slot: its turns
// do. On shutdown a connection ends its responses in flight, then closes
// with 1001 (going away); a client that leaves cancels its responses in
// flight, recorded as a stream the client left is.

// socketQueue bounds the response.create events a lane holds while one
// of its responses runs.
const socketQueue = 16

// socketMaxStreams bounds a connection's named lanes when
// server.realtime's max_streams is unset.
const socketMaxStreams = 64

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
		if e := apiopenai.HandshakeError(w, r); e != nil {
			apiopenai.WriteError(w, e)
			return
		}
		// The server vetted the origin (keylessAPI), as for the Realtime API.
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		if err != nil {
			return // Accept answered the failed handshake (one HandshakeError missed)
		}
		limit := socketMaxMessage
		if s.opts.API != nil && s.opts.API.Realtime.MaxMessage > 0 {
			limit = int(s.opts.API.Realtime.MaxMessage)
		}
		conn.SetReadLimit(int64(limit))
		sc := &socketConn{s: s, conn: conn, hs: r, state: &apiopenai.Socket{}}
		s.sockets.Add(1)
		defer s.sockets.Add(-1)
		sc.serve(r.Context())
	})
}

// OpenSockets returns how many Responses API WebSocket connections the
// server is serving now: each counts from its handshake until its
// responses have ended and its goroutines returned.
func (s *Server) OpenSockets() int { return int(s.sockets.Load()) }

// socketConn is one Responses API WebSocket connection.
type socketConn struct {
	s     *Server
	conn  *websocket.Conn
	hs    *http.Request // the handshake
	state *apiopenai.Socket
}

// serve reads the client's events until it leaves or the connection is
// closed, running its responses on their lanes.
func (c *socketConn) serve(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ls *lanes
	ls = newLanes(func(lane string, body []byte) { c.turn(ctx, ls, lane, body) }, c.maxStreams(), socketQueue, c.s.socketsShut)
	var wg sync.WaitGroup
	wg.Go(func() { c.drain(ctx, ls) })
	if every := c.keepalive(); every > 0 {
		wg.Go(func() { c.ping(ctx, every) })
	}
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			break // the client left, or drain closed the connection
		}
		ev, e := wireresp.DecodeClientEvent(data)
		switch {
		case e != nil:
		case ev.Steer != nil:
			c.steer(ctx, ev.Steer)
			continue
		default:
			e = ls.add(ev.Lane, ev.Body)
		}
		if e != nil {
			c.send(ctx, wireresp.AppendSocketError(nil, ev.Lane, e))
		}
	}
	cancel() // cancels the responses in flight: the client is gone
	ls.stop()
	wg.Wait()
	c.conn.CloseNow()
	c.logUndelivered()
}

// drain waits for the server to shut down (or the connection to end
// first), then lets the responses in flight end, starts no other, and
// closes the connection with 1001.
func (c *socketConn) drain(ctx context.Context, ls *lanes) {
	select {
	case <-ctx.Done():
		return
	case <-c.s.socketsShut:
	}
	ls.stop()
	c.conn.Close(websocket.StatusGoingAway, "the router is shutting down")
}

// turn runs one response.create of lane as a streamed POST /v1/responses
// with body, sending its events on the connection. The steers it commits
// go in before its input (responses_ws_steer.go); an automatic successor
// of the response, if a steer asks for one, runs next on the lane.
func (c *socketConn) turn(ctx context.Context, ls *lanes, lane string, body []byte) {
	if ctx.Err() != nil {
		return // the client left: the steers it would commit stay undelivered, logged
	}
	body, carried := c.state.Carry(lane, body)
	r, _ := http.NewRequestWithContext(apiopenai.WithSocket(ctx, c.state, lane), http.MethodPost, "/v1/responses", bytes.NewReader(body))
	r.Header = turnHeader(c.hs.Header)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))
	r.RemoteAddr, r.Host = c.hs.RemoteAddr, c.hs.Host
	w := &socketWriter{ctx: ctx, conn: c.conn, hdr: http.Header{}, lane: lane, carried: carried}
	c.s.turns.ServeHTTP(w, r)
	w.finish()
	c.successor(ls, lane, body)
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

// maxStreams is how many named lanes the connection may use:
// server.realtime.max_streams.
func (c *socketConn) maxStreams() int {
	if c.s.opts.API == nil || c.s.opts.API.Realtime.MaxStreams <= 0 {
		return socketMaxStreams
	}
	return c.s.opts.API.Realtime.MaxStreams
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
