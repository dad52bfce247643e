package openai

import (
	"context"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// argFragment is the size of the tool-argument fragments a stream sends.
const argFragment = 12

// stream answers a streamed request: a first chunk with the role, the
// content pieces (or tool call deltas: id and name first, then argument
// fragments), the finish chunk, the usage chunk when stream_options asks
// for it, and "data: [DONE]". Every event is flushed as it is written;
// pieces are paced by the profile; faults cut, stall or corrupt the stream.
func (s *server) stream(c *call, t *turn, ans sim.Answer) {
	ctx := c.r.Context()
	if !sim.Sleep(ctx, t.p.FirstTokenDelay()) {
		return
	}
	events, finishAt := t.chunks(ans)
	s.okRateHeaders(c)
	c.w.Header().Set("Cache-Control", "no-cache")
	c.header(http.StatusOK, "text/event-stream; charset=utf-8")
	sw := &sseWriter{w: c.w, rc: http.NewResponseController(c.w), nullUsage: t.req.IncludeUsage,
		host: usageHostOf(c, t.p.Model), model: t.p.Model}
	var az *azureStream
	if s.azure {
		if !sw.raw([]byte(azureStreamPreamble)) {
			return
		}
		az = newAzureStream(t)
	}
	for i, ch := range events {
		if i > 0 && i < finishAt && !sw.pause(ctx, t.p.PieceDelay(1)) {
			return
		}
		if az != nil {
			if !az.write(sw, ch) {
				return
			}
		} else if !sw.chunk(ch) {
			return
		}
		if !s.afterChunk(c, sw, t.fault, ch.ID, i, finishAt) {
			return
		}
	}
	if t.fault.Kind == sim.FaultNoDone {
		sw.flush()
		return
	}
	if sw.raw([]byte("[DONE]")) {
		sw.flush()
	}
}

// streamServerError is the data of the error an OpenAI stream ends with
// when the server fails mid-answer (FaultErrorEvent), the error body of
// a 500.
const streamServerError = `{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}`

// afterChunk applies the faults that strike after event i of the stream
// (event 0 holds the role, events 1 to finishAt-1 the content pieces); it
// reports whether the stream goes on.
func (s *server) afterChunk(c *call, sw *sseWriter, ft sim.Fault, id string, i, finishAt int) bool {
	switch ft.Kind {
	case sim.FaultStall:
		if i == ft.After {
			return sw.pause(c.r.Context(), faultDelay(ft))
		}
	case sim.FaultMalformed:
		if i == 0 {
			sw.raw([]byte(`{"id":"` + id + `","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tru`))
			return false
		}
	case sim.FaultBadEvent:
		if i == max(ft.After, 1) {
			return sw.raw([]byte(`{"id":"` + id + `","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tru`))
		}
	case sim.FaultErrorEvent:
		if i == max(ft.After, 1) {
			sw.raw([]byte(streamServerError))
			sw.flush()
			return false
		}
	case sim.FaultFinishEvery:
		if i == max(ft.After, 1) {
			return sw.pause(c.r.Context(), faultDelay(ft))
		}
	case sim.FaultCut:
		cutAt := 3
		if ft.After > 0 {
			cutAt = ft.After
		}
		if i == min(cutAt, finishAt-1) {
			sw.flush()
			sim.Cut()
		}
	}
	return true
}

// chunks lays out the events of the stream for every choice, interleaved
// as the real API sends them, and returns the index of the first finish
// chunk.
func (t *turn) chunks(ans sim.Answer) ([]*llm.Chunk, int) {
	deltas := answerDeltas(ans)
	if t.wholeCalls && len(ans.ToolCalls) > 0 {
		deltas = wholeCallDeltas(ans)
	}
	deltas = outputDeltas(t.req, ans, deltas)
	if t.signs {
		signDeltas(deltas, ans.ToolCalls)
	}
	lps := t.deltaLogprobs(ans, len(deltas))
	if t.reasoning != nil {
		deltas, lps = withReasoningDeltas(deltas, lps, t.reasoning)
	}
	if t.details != nil {
		deltas, lps = withDetailsDeltas(deltas, lps, t.details)
	}
	base := llm.Chunk{ID: newID("chatcmpl-"), Model: t.p.Model, Created: time.Now().Unix(), SystemFingerprint: fingerprint(t.p.Model),
		ServiceTier: t.usage.ServiceTier}
	var out []*llm.Chunk
	for k, d := range deltas {
		for i := 0; i < t.n; i++ {
			ch := base
			ch.Choices = []llm.ChunkChoice{{Index: i, Delta: choiceDelta(d, i), Logprobs: lps[k]}}
			out = append(out, &ch)
		}
	}
	finishAt := len(out)
	switch t.fault.Kind {
	case sim.FaultFinishEvery:
		for _, ch := range out {
			ch.Choices[0].FinishReason = llm.FinishReason(ans.Finish)
		}
	case sim.FaultNoFinish:
		return t.withUsage(out, base), finishAt
	}
	for i := 0; i < t.n; i++ {
		ch := base
		ch.Choices = []llm.ChunkChoice{{Index: i, FinishReason: llm.FinishReason(ans.Finish)}}
		out = append(out, &ch)
	}
	return t.withUsage(out, base), finishAt
}

// choiceDelta is delta d as choice i sends it: the calls it starts with
// ids of that choice's own (choiceCalls).
func choiceDelta(d llm.Delta, i int) llm.Delta {
	if i == 0 || len(d.ToolCalls) == 0 {
		return d
	}
	d.ToolCalls = slices.Clone(d.ToolCalls)
	for k := range d.ToolCalls {
		d.ToolCalls[k].ID = choiceCallID(d.ToolCalls[k].ID, i)
	}
	return d
}

// withUsage adds the stream's usage to out: on its last chunk for
// Mistral's API, which sends it unasked, as a chunk of its own when
// stream_options asks for it.
func (t *turn) withUsage(out []*llm.Chunk, base llm.Chunk) []*llm.Chunk {
	u := t.usage
	switch {
	case t.mistral:
		out[len(out)-1].Usage = &u // Mistral's last chunk carries it, unasked
	case t.req.IncludeUsage:
		ch := base
		ch.Choices = []llm.ChunkChoice{}
		ch.Usage = &u
		out = append(out, &ch)
	}
	return out
}

// deltaLogprobs are the logprobs of each of the n deltas of a text answer
// (answerDeltas), as OpenAI streams them: an empty content list with the
// role, then each piece's token; all nil when the request did not ask for
// logprobs or the answer is tool calls.
func (t *turn) deltaLogprobs(ans sim.Answer, n int) []*llm.Logprobs {
	out := make([]*llm.Logprobs, n)
	toks := t.tokenLogprobs(ans)
	if toks == nil || len(ans.ToolCalls) > 0 {
		return out
	}
	out[0] = &llm.Logprobs{Content: []llm.TokenLogprob{}}
	for i := range toks {
		out[i+1] = &llm.Logprobs{Content: toks[i : i+1 : i+1]}
	}
	return out
}

// answerDeltas cuts one choice's answer into deltas, the first with the
// role.
func answerDeltas(ans sim.Answer) []llm.Delta {
	if len(ans.ToolCalls) == 0 {
		out := []llm.Delta{{Role: llm.RoleAssistant}}
		for _, p := range ans.Pieces {
			out = append(out, llm.Delta{Content: p})
		}
		return out
	}
	var out []llm.Delta
	for i, tc := range ans.ToolCalls {
		typ := callType(tc)
		head := llm.Delta{ToolCalls: []llm.ToolCallDelta{{Index: i, ID: tc.ID, Type: typ, Name: tc.Name}}}
		if i == 0 {
			head.Role = llm.RoleAssistant
		}
		out = append(out, head)
		for _, frag := range fragments(tc.Arguments, argFragment) {
			d := llm.ToolCallDelta{Index: i, Arguments: frag}
			if tc.Custom { // every fragment of a custom call says so (its "custom" object)
				d.Type = typ
			}
			out = append(out, llm.Delta{ToolCalls: []llm.ToolCallDelta{d}})
		}
	}
	return out
}

// fragments cuts s into pieces of about n bytes, never inside a UTF-8
// sequence.
func fragments(s string, n int) []string {
	var out []string
	for len(s) > n {
		i := n
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		if i == 0 {
			i = n
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// sseWriter writes "data:" events and flushes each one.
type sseWriter struct {
	w         http.ResponseWriter
	rc        *http.ResponseController
	buf       []byte
	nullUsage bool // write "usage":null on chunks without usage
	// host is whose usage shape the usage chunk takes, of model's
	// answer (host_usage.go).
	host  usageHost
	model string
}

// chunk writes one chat.completion.chunk; it reports whether the client
// is still there.
func (sw *sseWriter) chunk(ch *llm.Chunk) bool {
	return sw.raw(sw.render(ch))
}

// render encodes ch into the writer's buffer and returns it.
func (sw *sseWriter) render(ch *llm.Chunk) []byte {
	if sw.nullUsage {
		sw.buf = wire.AppendChunkIncludeUsage(sw.buf[:0], ch)
	} else {
		sw.buf = wire.AppendChunk(sw.buf[:0], ch)
	}
	if ch.Usage != nil && sw.host != hostOpenAI {
		sw.buf = withHostUsage(sw.buf, sw.host, sw.model, ch.Usage)
	}
	return sw.buf
}

// raw writes one event with data as its payload.
func (sw *sseWriter) raw(data []byte) bool {
	if _, err := sw.w.Write([]byte("data: ")); err != nil {
		return false
	}
	if _, err := sw.w.Write(data); err != nil {
		return false
	}
	if _, err := sw.w.Write([]byte("\n\n")); err != nil {
		return false
	}
	return true
}

// pause sends what is written, then waits d (or until ctx is done); it
// reports whether the stream goes on. Events written with no pause
// between them (an instant profile) travel together, as a server that
// has several pieces ready at once sends them.
func (sw *sseWriter) pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	return sw.flush() && sim.Sleep(ctx, d)
}

// flush sends what is written; it reports whether the client is still there.
func (sw *sseWriter) flush() bool {
	return sw.rc.Flush() == nil
}
