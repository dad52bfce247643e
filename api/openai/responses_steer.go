package openai

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"

	wireresp "switchyard/wire/responses"
)

// This file serves WebSocket mode's response.steer (beta) for the
// responses a connection streams. A steer names a response of the
// connection (previous_response_id). While that response streams, the
// steer is accepted (response.steer.accepted, in the response's event
// sequence) and queued, at most MaxPendingSteers a response; the
// response then stops at its next safe boundary: at once when it has
// opened no call (a message's text ends between two of the upstream's
// deltas), else never: a response that has begun a call runs to its end,
// so a call's arguments are never cut and the client owes its result
// anyway. A response stopped so ends response.incomplete with
// incomplete_details.reason "steered", its output so far and its usage
// (the router's estimate where the upstream had sent none), billed and
// recorded as a stream closed before its end; it is kept as its lane's
// last response (and stored when store is true). Then an automatic
// successor runs first on the lane: the same settings, previous_response_id
// the steered response, input the queued steers in submission order
// (Socket.Successor, Socket.Carry). A response that ends before a
// boundary is followed by the successor the same way, unless it waits
// for the client's results of its calls: then the steers stay queued,
// response.steer.pending follows response.completed, and the client's
// next response.create on that lane continuing that response gets them
// before its own input.

// MaxPendingSteers bounds the steers queued for one response: more are
// refused with too_many_pending_steers.
const MaxPendingSteers = 8

// socketEnded bounds the ended responses a connection remembers, to
// tell a steer that comes too late (response_already_completed,
// response_not_active) from one naming a response it never had.
const socketEnded = 64

// socketPending bounds the steer batches a connection keeps waiting for
// the client's continuation; past it the oldest is dropped.
const socketPending = 64

// errSteered is the cause of a response's context cancelled to stop it
// for a steer.
var errSteered = errors.New("the response was steered")

// SteerBatch is the steers carried to a response that commits them.
type SteerBatch struct {
	// Parent is the response they steered; Lane its lane.
	Parent, Lane string
	// Steers are the accepted steers, in submission order.
	Steers []*wireresp.Steer
	// Auto reports an automatic successor, run at once; else the batch
	// waits for the client's response.create continuing Parent.
	Auto bool
}

// endedResp is a response of the connection that ended, and the code a
// late steer of it fails with.
type endedResp struct {
	id, lane, code string
}

// steering is the steering state of one streamed response of a
// connection. Its mutex orders the response's events: the stream's and
// those a steer sends between them.
type steering struct {
	sock        *Socket
	id, lane    string
	unsupported bool // bound to a conversation
	cancel      context.CancelCauseFunc

	mu       sync.Mutex
	st       *wireresp.Streamer
	ew       *eventWriter
	steers   []*wireresp.Steer
	cuttable bool // no call opened: the response may stop now
	stop     bool // a steer stops the response at this boundary
	closed   bool // the response ended: no steer is taken
}

// newSteering returns the steering state of a response streamed on a
// WebSocket connection of ctx, and the context to stream it under (the
// steer cancels it to stop a stalled upstream); nil and ctx off a
// connection.
func newSteering(ctx context.Context, rr *wireresp.Request, meta *wireresp.Meta) (*steering, context.Context) {
	s, lane := socketOf(ctx)
	if s == nil {
		return nil, ctx
	}
	ctx, cancel := context.WithCancelCause(ctx)
	return &steering{sock: s, id: meta.IDs.Response(), lane: lane, unsupported: rr.Conversation != "", cancel: cancel, cuttable: true}, ctx
}

// open makes the response steerable once its response.created went out.
func (sv *steering) open(st *wireresp.Streamer, ew *eventWriter) {
	if sv == nil {
		return
	}
	sv.st, sv.ew = st, ew
	sv.sock.mu.Lock()
	if sv.sock.live == nil {
		sv.sock.live = map[string]*steering{}
	}
	sv.sock.live[sv.id] = sv
	sv.sock.mu.Unlock()
}

// begin takes the response's lock before a chunk (or the stream's end)
// is handled, or reports that a steer stopped the response: the chunk is
// not shown. A nil sv takes no lock.
func (sv *steering) begin() (stopped bool) {
	if sv == nil {
		return false
	}
	sv.mu.Lock()
	if sv.stop {
		sv.mu.Unlock()
		return true
	}
	return false
}

// chunked notes what the chunk just shown opened, and releases the lock
// begin took.
func (sv *steering) chunked() {
	if sv == nil {
		return
	}
	sv.cuttable = !sv.st.HasCall()
	sv.mu.Unlock()
}

// release releases the lock begin took.
func (sv *steering) release() {
	if sv != nil {
		sv.mu.Unlock()
	}
}

// close takes no steer any more: the response is ending. It returns
// the steers queued.
func (sv *steering) close() []*wireresp.Steer {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.closed = true
	return sv.steers
}

// end forgets the live response, which ended with out (nil: the client
// left), remembering its end for late steers, and hands the steers
// queued on: to the automatic successor, or, when out waits for the
// client's results of its calls, to the client's continuation after
// response.steer.pending. A failed response returns them in
// response.steer.failed; a response the client left keeps them as
// undelivered (Socket.Undelivered), and end returns how many. It writes
// after the response's last event.
func (sv *steering) end(out *wireresp.Output, steered bool) (lost int) {
	if sv == nil {
		return 0
	}
	steers := sv.close()
	defer sv.cancel(nil)
	code := wireresp.SteerAlreadyCompleted
	if steered || out == nil || out.Status == wireresp.StatusFailed {
		code = wireresp.SteerNotActive
	}
	sv.sock.ended(sv.id, sv.lane, code)
	if len(steers) == 0 {
		return 0
	}
	b := &SteerBatch{Parent: sv.id, Lane: sv.lane, Steers: steers}
	if out == nil {
		sv.sock.lose(b) // the client left: no event can tell it
		return len(steers)
	}
	switch {
	case out.Status == wireresp.StatusFailed:
		for _, st := range steers {
			sv.ew.write(sv.st.SteerFailed(*sv.ew.buf, st, wireresp.SteerNotActive, "The response failed before the steering input could be applied; send it in a new response.create."), true)
		}
	case !steered && wireresp.AwaitsClient(out):
		for _, st := range steers {
			sv.ew.write(sv.st.SteerPending(*sv.ew.buf, st, out), true)
		}
		sv.sock.keep(b)
	default:
		b.Auto = true
		sv.sock.keep(b)
	}
	return 0
}

// steer takes st for the live response: it fails (response.steer.failed
// in the response's sequence), or is accepted and queued, stopping the
// response when it may stop now. Once the response ended it returns the
// failure event to send instead.
func (sv *steering) steer(st *wireresp.Steer) []byte {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.closed {
		code := wireresp.SteerAlreadyCompleted
		if sv.stop {
			code = wireresp.SteerNotActive
		}
		return wireresp.AppendSteerFailed(nil, 0, sv.lane, st, code, lateMessage(code))
	}
	code, msg := sv.refusal(st)
	if code != "" {
		sv.ew.write(sv.st.SteerFailed(*sv.ew.buf, st, code, msg), true)
		return nil
	}
	st.ID = newSteerID()
	sv.steers = append(sv.steers, st)
	sv.ew.write(sv.st.SteerAccepted(*sv.ew.buf, st), true)
	if sv.cuttable && !sv.stop {
		sv.stop = true
		sv.cancel(errSteered)
	}
	return nil
}

// refusal is why the live response refuses st, or "".
func (sv *steering) refusal(st *wireresp.Steer) (code, msg string) {
	switch {
	case st.Invalid != "":
		return wireresp.SteerInvalidInput, st.Invalid
	case sv.unsupported:
		return wireresp.SteerNotSupported, "Steering is not supported for a response bound to a conversation: send the input in the next response.create of the conversation."
	case len(sv.steers) >= MaxPendingSteers:
		return wireresp.SteerTooMany, "Too much steering input is pending for this response (at most 8 steers): wait for the successor's response.created before steering again."
	}
	return "", ""
}

// lateMessage is the message of a steer failing with code because its
// response ended.
func lateMessage(code string) string {
	if code == wireresp.SteerNotActive {
		return "The response is no longer accepting steering input: it has stopped or failed. Send the input in a response.create with previous_response_id."
	}
	return "The response has completed and is no longer accepting steering input. Send the input in a response.create with previous_response_id."
}

// newSteerID returns a new steering submission id.
func newSteerID() string {
	var b [12]byte
	rand.Read(b[:])
	return "steer_" + hex.EncodeToString(b[:])
}
