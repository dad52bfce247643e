package server

import (
	"context"
	"encoding/json"

	"github.com/coder/websocket"

	wireresp "switchyard/wire/responses"
)

// This file serves WebSocket mode's response.steer (beta) on a
// connection: the steer goes to the response it names (apiopenai.Socket:
// accepted, queued and answered in that response's event sequence, or
// failed), and the steers a response leaves queued are committed by the
// response that comes next on its lane: an automatic successor, run
// before the lane's other response.create events, or the client's own
// continuation. A turn that carried steers and failed before its
// response.created returns them in response.steer.failed
// (successor_creation_failed). The steers no response committed because
// the connection ended first are logged as not delivered
// (logUndelivered): the client cannot be told on it any more.

// steer takes one response.steer of the connection.
func (c *socketConn) steer(ctx context.Context, st *wireresp.Steer) {
	if ev := c.state.Steer(st); ev != nil {
		c.send(ctx, ev)
	}
}

// successor queues, once a turn of lane with body ended, the automatic
// successor a steer of its response asked for, if any, before the lane's
// other turns.
func (c *socketConn) successor(ls *lanes, lane string, body []byte) {
	b := c.state.Successor(lane)
	if b == nil {
		return
	}
	ls.first(lane, wireresp.SuccessorBody(body, b.Parent, b.Steers))
}

// failCarried sends, for a turn that carried steers and was answered
// with an error before its response.created, response.steer.failed for
// each (successor_creation_failed) with the error's message; the error
// event too when the client sent the create (a continuation), not for an
// automatic successor, which the client did not ask for.
func (w *socketWriter) failCarried(status int, body []byte) {
	msg := "The response that was to commit the steering input could not be created: " + errorMessage(body)
	for _, st := range w.carried.Steers {
		w.conn.Write(w.ctx, websocket.MessageText, wireresp.AppendSteerFailed(nil, 0, w.lane, st, wireresp.SteerSuccessorFailed, msg))
	}
	if !w.carried.Auto {
		w.conn.Write(w.ctx, websocket.MessageText, wireresp.AppendSocketErrorBody(nil, w.lane, status, body))
	}
}

// errorMessage is the message of an error answer's body ({"error":
// {"message":…}}), or a generic one.
func errorMessage(body []byte) string {
	var b struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &b) != nil || b.Error.Message == "" {
		return "the router could not answer it."
	}
	return b.Error.Message
}

// logUndelivered logs, once the connection's turns are over, each batch
// of steers it accepted that no response committed: the response they
// steered, the lane, their ids and count, and why (the client left
// mid-response, the automatic successor never ran, the client never
// continued the response). Their input is not logged.
func (c *socketConn) logUndelivered() {
	for _, u := range c.state.Undelivered() {
		ids := make([]string, len(u.Steers))
		for i, st := range u.Steers {
			ids[i] = st.ID
		}
		c.s.log.Warn("responses websocket: steering input not delivered: the connection closed before a response committed it",
			"response_id", u.Parent, "lane", u.Lane, "steers", len(u.Steers), "steer_ids", ids, "reason", u.Why)
	}
}
