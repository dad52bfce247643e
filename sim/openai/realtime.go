package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"switchyard/sim"
)

// This file serves the Realtime API's WebSocket (GET
// /v1/realtime?model=…), per the GA event shapes of OpenAI's OpenAPI spec
// (RealtimeClientEvent*, RealtimeServerEvent*, their x-oaiMeta examples):
// session.created on connect; session.update → session.updated;
// conversation.item.create → conversation.item.added and
// conversation.item.done; input_audio_buffer.append/commit/clear;
// response.create → the response's events (realtime_response.go); an
// error event for a client event it cannot take. The key is checked as
// OpenAI checks it (Authorization: Bearer, or a browser's
// openai-insecure-api-key.KEY subprotocol). Faults: those that strike
// before an answer refuse the handshake (429, 500, 503, a reset, a
// hang); cut (a rule, or "[[sim:cut]]" in a conversation item's text)
// drops the connection, with no close frame, after After pieces of the
// next response (default 3). Guessed where the spec is silent: the
// token counts of audio (10 per second of input, 20 per second of
// output speech at 15 characters a second) and the error messages of
// invalid events. Azure's realtime routes (NewAzure) serve the same
// sessions.

// realtimeMaxMessage bounds a client event (OpenAI takes audio appends
// of up to 15 MiB).
const realtimeMaxMessage = 16 << 20

// realtime serves OpenAI's GET /v1/realtime?model=….
func (s *server) realtime(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, start: time.Now()}
	if s.realtimeKey(c) {
		s.realtimeSession(c, r.URL.Query().Get("model"), "model")
	}
}

// azureRealtime serves Azure's realtime routes: GET
// /openai/realtime?api-version=…&deployment=… (preview) and GET
// /openai/v1/realtime?model=… (GA), with the key in api-key.
func (s *server) azureRealtime(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, start: time.Now()}
	param := "model"
	if !strings.HasPrefix(r.URL.Path, "/openai/v1/") {
		param = "deployment"
		if r.URL.Query().Get("api-version") == "" {
			c.azureFail(http.StatusNotFound, "404", "Resource not found")
			return
		}
	}
	if s.azureKey(c) {
		s.realtimeSession(c, r.URL.Query().Get(param), param)
	}
}

// realtimeSession checks model (named by the query parameter param),
// applies the faults that refuse a handshake, and runs the session.
func (s *server) realtimeSession(c *call, model, param string) {
	if model == "" {
		c.fail(http.StatusBadRequest, apiError{Message: fmt.Sprintf("Missing required parameter: '%s'.", param), Type: "invalid_request_error", Param: param, Code: "missing_required_parameter"})
		return
	}
	p, ok := s.mediaProfile(c, model, func(p *sim.Profile) bool { return p.Realtime })
	if !ok {
		return
	}
	ft := s.faults.Pick(model, "")
	if s.failEarly(c, ft, p) {
		return
	}
	conn, err := websocket.Accept(c.w, c.r, &websocket.AcceptOptions{Subprotocols: []string{"realtime"}, InsecureSkipVerify: true})
	if err != nil {
		return
	}
	defer conn.CloseNow()
	conn.SetReadLimit(realtimeMaxMessage)
	rs := newRealtimeSession(conn, p, ft)
	rs.run(c.r.Context())
}

// realtimeKey checks the key: Authorization: Bearer, or the subprotocol
// a browser sends it as.
func (s *server) realtimeKey(c *call) bool {
	for _, v := range c.r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(v, ",") {
			if k, ok := strings.CutPrefix(strings.TrimSpace(p), "openai-insecure-api-key."); ok && k != "" {
				return true
			}
		}
	}
	return s.bearer(c)
}

// realtimeSession is one simulated session; one goroutine runs it.
type realtimeSession struct {
	conn  *websocket.Conn
	p     *sim.Profile
	fault sim.Fault
	sess  realtimeSessionObject
	conv  string
	items []realtimeItem
	// audio is the input audio buffer's bytes (base64-decoded size).
	audio int
	// inputAudioTokens counts the audio committed to the conversation.
	inputAudioTokens int
}

func newRealtimeSession(conn *websocket.Conn, p *sim.Profile, ft sim.Fault) *realtimeSession {
	return &realtimeSession{conn: conn, p: p, fault: ft, conv: "conv_" + randID(), sess: newSessionObject(p.Model)}
}

// run sends session.created, then answers client events until the
// client leaves.
func (rs *realtimeSession) run(ctx context.Context) {
	if rs.send(ctx, sessionEvent{Type: "session.created", EventID: eventID(), Session: &rs.sess}) != nil {
		return
	}
	for {
		typ, msg, err := rs.conn.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			rs.fail(ctx, "", "invalid_request_error", "invalid_event", "", "Binary messages are not supported; send JSON text events.")
			continue
		}
		if !rs.handle(ctx, msg) {
			return
		}
	}
}

// clientEvent is what every client event carries, and the fields of the
// ones the simulator answers.
type clientEvent struct {
	Type     string          `json:"type"`
	EventID  string          `json:"event_id"`
	Session  json.RawMessage `json:"session"`
	Item     *realtimeItem   `json:"item"`
	Audio    string          `json:"audio"`
	Response json.RawMessage `json:"response"`
}

// handle answers one client event; it reports whether the session goes
// on (false: the connection was cut or failed).
func (rs *realtimeSession) handle(ctx context.Context, msg []byte) bool {
	var ev clientEvent
	if err := json.Unmarshal(msg, &ev); err != nil {
		return rs.fail(ctx, "", "invalid_request_error", "invalid_json", "", "The event is not valid JSON: "+err.Error()) == nil
	}
	var err error
	switch ev.Type {
	case "":
		err = rs.fail(ctx, ev.EventID, "invalid_request_error", "invalid_event", "type", "The 'type' field is missing.")
	case "session.update":
		err = rs.update(ctx, &ev)
	case "conversation.item.create":
		err = rs.createItem(ctx, &ev)
	case "input_audio_buffer.append":
		rs.audio += len(ev.Audio) * 3 / 4
	case "input_audio_buffer.clear":
		rs.audio = 0
		err = rs.send(ctx, sessionEvent{Type: "input_audio_buffer.cleared", EventID: eventID()})
	case "input_audio_buffer.commit":
		err = rs.commit(ctx, &ev)
	case "response.create":
		return rs.respond(ctx, &ev)
	case "response.cancel":
		err = rs.fail(ctx, ev.EventID, "invalid_request_error", "response_cancel_not_active", "", "Cancellation failed: no active response found.")
	case "conversation.item.delete", "conversation.item.retrieve", "conversation.item.truncate", "output_audio_buffer.clear":
	default:
		err = rs.fail(ctx, ev.EventID, "invalid_request_error", "invalid_value", "type", fmt.Sprintf("Invalid value: '%s'. Supported values are: 'session.update', 'input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear', 'conversation.item.create', 'conversation.item.truncate', 'conversation.item.delete', 'conversation.item.retrieve', 'response.create', 'response.cancel' and 'output_audio_buffer.clear'.", ev.Type))
	}
	return err == nil
}

// update applies session.update's output_modalities, instructions and
// voice, and answers session.updated with the whole session.
func (rs *realtimeSession) update(ctx context.Context, ev *clientEvent) error {
	var u struct {
		Type             *string  `json:"type"`
		Instructions     *string  `json:"instructions"`
		OutputModalities []string `json:"output_modalities"`
		Audio            *struct {
			Output *struct {
				Voice string `json:"voice"`
			} `json:"output"`
		} `json:"audio"`
	}
	if len(ev.Session) == 0 || json.Unmarshal(ev.Session, &u) != nil {
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "missing_required_parameter", "session", "Missing required parameter: 'session'.")
	}
	if u.Type == nil || *u.Type != "realtime" {
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "missing_required_parameter", "session.type", "Missing required parameter: 'session.type'.")
	}
	if !validModalities(u.OutputModalities) {
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "invalid_value", "session.output_modalities", "Invalid modalities: only ['text'] or ['audio'] are supported.")
	}
	if u.Instructions != nil {
		rs.sess.Instructions = *u.Instructions
	}
	if len(u.OutputModalities) > 0 {
		rs.sess.OutputModalities = u.OutputModalities
	}
	if u.Audio != nil && u.Audio.Output != nil && u.Audio.Output.Voice != "" {
		rs.sess.Audio.Output.Voice = u.Audio.Output.Voice
	}
	return rs.send(ctx, sessionEvent{Type: "session.updated", EventID: eventID(), Session: &rs.sess})
}

// validModalities reports whether ms is none, ["text"] or ["audio"].
func validModalities(ms []string) bool {
	return len(ms) == 0 || len(ms) == 1 && (ms[0] == "text" || ms[0] == "audio")
}

// createItem adds a message to the conversation: conversation.item.added
// then conversation.item.done.
func (rs *realtimeSession) createItem(ctx context.Context, ev *clientEvent) error {
	it := ev.Item
	if it == nil {
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "missing_required_parameter", "item", "Missing required parameter: 'item'.")
	}
	if it.Type != "message" && it.Type != "function_call_output" {
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "invalid_value", "item.type", fmt.Sprintf("Invalid value: '%s'. Supported values are: 'message', 'function_call' and 'function_call_output'.", it.Type))
	}
	if it.Type == "message" && it.Role != "user" && it.Role != "system" && it.Role != "assistant" {
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "invalid_value", "item.role", fmt.Sprintf("Invalid value: '%s'. Supported values are: 'user', 'system' and 'assistant'.", it.Role))
	}
	if it.ID == "" {
		it.ID = "item_" + randID()
	}
	it.Object, it.Status = "", "completed"
	return rs.addItem(ctx, *it)
}

// commit turns the input audio buffer into a user message.
func (rs *realtimeSession) commit(ctx context.Context, ev *clientEvent) error {
	if rs.audio < 4800 { // 100 ms of 24 kHz 16-bit PCM
		return rs.fail(ctx, ev.EventID, "invalid_request_error", "input_audio_buffer_commit_empty", "", fmt.Sprintf("Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has %.2fms of audio.", float64(rs.audio)/48))
	}
	it := realtimeItem{ID: "item_" + randID(), Type: "message", Status: "completed", Role: "user",
		Content: []realtimeContent{{Type: "input_audio", Transcript: new(string)}}}
	var prev any
	if n := len(rs.items); n > 0 {
		prev = rs.items[n-1].ID
	}
	rs.inputAudioTokens += rs.audio * 10 / 48000
	rs.audio = 0
	if err := rs.send(ctx, committedEvent{Type: "input_audio_buffer.committed", EventID: eventID(), PreviousItemID: prev, ItemID: it.ID}); err != nil {
		return err
	}
	return rs.addItem(ctx, it)
}

// addItem appends it and announces it.
func (rs *realtimeSession) addItem(ctx context.Context, it realtimeItem) error {
	var prev any
	if n := len(rs.items); n > 0 {
		prev = rs.items[n-1].ID
	}
	rs.items = append(rs.items, it)
	for _, typ := range []string{"conversation.item.added", "conversation.item.done"} {
		if err := rs.send(ctx, itemEvent{Type: typ, EventID: eventID(), PreviousItemID: prev, Item: it}); err != nil {
			return err
		}
	}
	return nil
}

// fail sends an error event.
func (rs *realtimeSession) fail(ctx context.Context, clientEventID, typ, code, param, msg string) error {
	ev := errorEvent{Type: "error", EventID: eventID()}
	ev.Error.Type, ev.Error.Code, ev.Error.Message, ev.Error.Param, ev.Error.EventID = typ, code, msg, nullable(param), nullable(clientEventID)
	return rs.send(ctx, ev)
}

// The events of this file, their fields in the spec examples' order.
type (
	sessionEvent struct {
		Type    string                 `json:"type"`
		EventID string                 `json:"event_id"`
		Session *realtimeSessionObject `json:"session,omitempty"`
	}
	committedEvent struct {
		Type           string `json:"type"`
		EventID        string `json:"event_id"`
		PreviousItemID any    `json:"previous_item_id"`
		ItemID         string `json:"item_id"`
	}
	errorEvent struct {
		Type    string `json:"type"`
		EventID string `json:"event_id"`
		Error   struct {
			Type    string `json:"type"`
			Code    string `json:"code"`
			Message string `json:"message"`
			Param   any    `json:"param"`
			EventID any    `json:"event_id"`
		} `json:"error"`
	}
)

// send writes one server event.
func (rs *realtimeSession) send(ctx context.Context, ev any) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return rs.conn.Write(ctx, websocket.MessageText, b)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// eventID returns a server event id, as OpenAI's: "event_" and 21
// characters.
func eventID() string { return "event_" + randID() }

// randID returns 21 random characters for an object id.
func randID() string { return randHex(21) }
