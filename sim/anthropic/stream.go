package anthropic

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"

	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// cutAfter is how many content deltas a cut stream sends before it breaks.
const cutAfter = 2

// streamer writes one streamed answer and applies the faults that strike
// mid-stream: cut (the body stops after cutAfter deltas, or the fault's
// After, without message_stop), stall (a pause of Delay after the first
// delta, or the After-th), malformed (a garbage data line after
// message_start, which ends the stream), bad_event (one garbage event after
// the After-th delta, then the rest) and no_done (no message_stop).
type streamer struct {
	w      http.ResponseWriter
	r      *http.Request
	g      *generation
	ft     sim.Fault
	ew     *wire.EventWriter
	deltas int
	index  int
}

// errStop ends a stream early; the handler then returns.
type errStop struct{}

// Error implements error.
func (errStop) Error() string { return "stream stopped" }

func (s *server) stream(w http.ResponseWriter, r *http.Request, g *generation, ft sim.Fault) {
	if !sim.Sleep(r.Context(), g.p.FirstTokenDelay()) {
		return
	}
	flusher, _ := w.(http.Flusher)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("request-id", newID("req_"))
	w.WriteHeader(http.StatusOK)
	st := &streamer{w: w, r: r, g: g, ft: ft, ew: &wire.EventWriter{W: w, Flush: func() {
		if flusher != nil {
			flusher.Flush()
		}
	}}}
	st.run() // errors mean the client left or a fault ended the stream
}

func (st *streamer) run() error {
	g := st.g
	start := g.usage
	start.OutputTokens, start.FallbackCredit = 1, nil       // the credit's outcome comes with the final usage
	start.OutputTokensDetails = &wire.OutputTokensDetails{} // nothing thought yet
	start.Iterations = nil                                  // the advisor's and a compaction's counts too: they are not made yet
	if err := st.ew.MessageStart(&wire.MessagesResponse{ID: g.id, Model: g.p.Model, Usage: start, Container: json.RawMessage("null")}); err != nil {
		return err
	}
	if st.ft.Kind == sim.FaultMalformed {
		io.WriteString(st.w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_d\n\n")
		st.ew.Flush()
		return errStop{}
	}
	for _, b := range g.content() {
		if err := st.block(b); err != nil {
			return err
		}
	}
	if st.ft.Kind == sim.FaultCut {
		sim.Cut() // an answer too short to cut mid-block still loses its end
	}
	u := wire.DeltaUsage{InputTokens: &g.usage.InputTokens, CacheCreationInputTokens: &g.usage.CacheCreationInputTokens,
		CacheReadInputTokens: &g.usage.CacheReadInputTokens, OutputTokens: g.usage.OutputTokens, OutputTokensDetails: g.usage.OutputTokensDetails, ServerToolUse: g.usage.ServerToolUse,
		FallbackCredit: g.usage.FallbackCredit, Iterations: g.usage.Iterations}
	if err := st.ew.MessageDelta(g.stopReason, g.stopSeq, g.details, g.containerMember(), u, g.managed); err != nil {
		return err
	}
	if st.ft.Kind == sim.FaultNoDone {
		st.ew.Flush()
		return nil
	}
	return st.ew.MessageStop()
}

// block streams one content block: its empty start, its deltas, its stop.
func (st *streamer) block(b wire.ContentBlock) error {
	i := st.index
	st.index++
	var deltas []func() error
	start := wire.ContentBlock{Type: b.Type, ID: b.ID, Name: b.Name, Data: b.Data} // a redacted_thinking block comes whole
	switch b.Type {
	case wire.BlockThinking:
		for _, piece := range sim.Split(b.Thinking) {
			deltas = append(deltas, func() error { return st.ew.ThinkingDelta(i, piece) })
		}
		deltas = append(deltas, func() error { return st.ew.SignatureDelta(i, b.Signature) })
	case wire.BlockText:
		pieces := st.g.pieces
		if b.Citations != nil { // a cited block: its own text
			pieces = sim.Split(b.Text)
		}
		for _, piece := range pieces {
			deltas = append(deltas, func() error { return st.ew.TextDelta(i, piece) })
		}
		var cites []json.RawMessage
		json.Unmarshal(b.Citations, &cites)
		for _, c := range cites {
			deltas = append(deltas, func() error { return st.ew.CitationsDelta(i, c) })
		}
	case wire.BlockToolUse:
		for _, piece := range append([]string{""}, chunks(string(b.Input), 16)...) {
			deltas = append(deltas, func() error { return st.ew.InputJSONDelta(i, piece) })
		}
	case wire.BlockCompaction: // opened empty, then one compaction_delta with it whole
		var content, encrypted string
		start, content, encrypted = compactionStart(b)
		deltas = append(deltas, func() error { return st.ew.CompactionDelta(i, content, encrypted) })
	case "server_tool_use": // its input streams, as a tool_use's
		var input json.RawMessage
		start, input = serverToolUseStart(b)
		for _, piece := range chunks(string(input), 16) {
			deltas = append(deltas, func() error { return st.ew.InputJSONDelta(i, piece) })
		}
	default:
		if b.Raw != nil { // a server tool's result comes whole
			start = b
		}
	}
	if err := st.ew.ContentBlockStart(i, start); err != nil {
		return err
	}
	if i == 0 {
		if err := st.ew.Ping(); err != nil {
			return err
		}
	}
	for _, d := range deltas {
		if err := d(); err != nil {
			return err
		}
		if err := st.afterDelta(); err != nil {
			return err
		}
	}
	return st.ew.ContentBlockStop(i)
}

// afterDelta paces the stream and applies cut and stall faults.
func (st *streamer) afterDelta() error {
	st.deltas++
	switch {
	case st.ft.Kind == sim.FaultCut && st.deltas == cmp.Or(st.ft.After, cutAfter):
		sim.Cut()
	case st.ft.Kind == sim.FaultStall && st.deltas == max(st.ft.After, 1):
		st.ew.Flush()
		if !sim.Sleep(st.r.Context(), st.ft.Delay) {
			return errStop{}
		}
	case st.ft.Kind == sim.FaultErrorEvent && st.deltas == max(st.ft.After, 1):
		// As Anthropic's streaming docs show an error mid-stream.
		io.WriteString(st.w, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
		st.ew.Flush()
		return errStop{}
	case st.ft.Kind == sim.FaultBadEvent && st.deltas == max(st.ft.After, 1):
		io.WriteString(st.w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_d\n\n")
		st.ew.Flush()
	}
	if !sim.Sleep(st.r.Context(), st.g.pieceDelay(1)) {
		return errStop{}
	}
	return nil
}

// compactionStart is a compaction block as its stream starts it (content
// and encrypted_content empty, its signature) and its content and
// encrypted_content, which one compaction_delta carries.
func compactionStart(b wire.ContentBlock) (start wire.ContentBlock, content, encrypted string) {
	var c struct {
		Type             string `json:"type"`
		Content          string `json:"content"`
		EncryptedContent string `json:"encrypted_content"`
		Signature        string `json:"signature"`
	}
	json.Unmarshal(b.Raw, &c)
	content, encrypted = c.Content, c.EncryptedContent
	c.Content, c.EncryptedContent = "", ""
	raw, _ := json.Marshal(c)
	return wire.ContentBlock{Type: b.Type, Raw: raw}, content, encrypted
}

// serverToolUseStart is a server_tool_use block as its stream starts it
// (input {}) and its input.
func serverToolUseStart(b wire.ContentBlock) (wire.ContentBlock, json.RawMessage) {
	var u struct {
		ID    string          `json:"id"`
		Name  string          `json:"name"`
		Input json.RawMessage `json:"input"`
	}
	json.Unmarshal(b.Raw, &u)
	start := rawBlock(map[string]any{"type": b.Type, "id": u.ID, "name": u.Name, "input": json.RawMessage("{}")})
	return start, u.Input
}

// chunks cuts s into pieces of at most n bytes, not inside a UTF-8
// sequence.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		k := n
		for k > 0 && s[k]&0xC0 == 0x80 {
			k--
		}
		if k == 0 {
			k = n
		}
		out = append(out, s[:k])
		s = s[k:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
