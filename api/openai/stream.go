package openai

import (
	"io"
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	"switchyard/route"
	wire "switchyard/wire/openai"
)

// stream relays a streamed chat as server-sent events, flushing each chunk
// as it arrives. Until the first chunk the request can still fail with a
// proper HTTP error; after it, a failure ends the stream with an error
// event and no [DONE], so no client mistakes a cut stream for a whole one.
//
// The served cost is known only once the stream is over and billed (by
// Close). It is sent as the HTTP trailer x-switchyard-cost-usd, which
// clients that do not read trailers ignore, and, when the client asked
// for stream_options.include_usage, as "cost" in the final usage chunk:
// that chunk is held until the upstream's stream ends, the stream is
// closed (billed), and it goes out with the cost, just before [DONE].
//
// With keep, the answer is saved (store true) once the stream ended
// cleanly, before [DONE].
func (h *Handler) stream(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides, keep *chatKeeper) {
	h.relayStream(w, r, req, ov, nil, keep)
}

// chunkEncoder writes a stream's chunks in another shape than chat's (the
// legacy completions' text_completion objects).
type chunkEncoder interface {
	// AppendChunk appends c's object and reports whether c had one.
	AppendChunk(dst []byte, c *llm.Chunk) ([]byte, bool)
	// AppendUsage appends the last object, with the usage and its cost.
	AppendUsage(dst []byte, u *llm.Usage, cost string) []byte
}

// relayStream is stream with the chunks written by enc (nil writes chat
// chunks) and, with keep, the answer saved once the stream ended cleanly.
func (h *Handler) relayStream(w http.ResponseWriter, r *http.Request, req *llm.Request, ov *route.Overrides, enc chunkEncoder, keep *chatKeeper) {
	var served llm.Served
	s, err := h.Backend.Stream(r.Context(), req, ov, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	var kept *keptStream
	if keep != nil {
		kept = keep.stream(r, s)
		s = kept
	}
	defer inbound.EndStream(w, s, &served) // bills the stream: the served cost is known from then
	inbound.BeginStream(w)
	sw := streamWriter{w: w, rc: http.NewResponseController(w), buf: getBuf(), includeUsage: req.IncludeUsage, enc: enc}
	defer putBuf(sw.buf)
	for {
		c, err := s.Next()
		if err == io.EOF {
			sw.appendRole()
			if sw.held || kept != nil {
				s.Close() // bill it now, to write the cost into the usage chunk and the kept completion
			}
			if sw.held {
				sw.appendUsage(usageCost(&served))
			}
			if kept != nil {
				kept.save(usageCost(&served))
			}
			sw.write(append(*sw.buf, "data: [DONE]\n\n"...), true)
			return
		}
		if err != nil {
			if e := streamEndError(r.Context(), err); e != nil {
				sw.appendRole()
				sw.appendUsage("") // the usage that came, without a cost: the stream is cut
				*sw.buf = append(*sw.buf, "data: "...)
				*sw.buf = wire.AppendError(*sw.buf, e)
				sw.write(append(*sw.buf, "\n\n"...), true)
			}
			return
		}
		if sw.relay(c, llm.Ready(s)) != nil {
			return // the client went away; Close cancels the upstream
		}
	}
}

// streamWriter writes a stream's events, holding back the usage chunk.
type streamWriter struct {
	w            http.ResponseWriter
	rc           *http.ResponseController
	buf          *[]byte // events not yet written
	includeUsage bool
	// held reports a usage chunk (usage, no choices) held back until the
	// stream's end to carry the cost: chunk, with its usage copied in usage.
	held  bool
	chunk llm.Chunk
	usage llm.Usage
	// unflushed reports events written but not yet flushed.
	unflushed bool
	// pieces is the chunk being written cut into OpenAI's pieces
	// (splitPieces), reused from chunk to chunk.
	pieces []llm.Chunk
	// enc writes the chunks; nil writes chat's.
	enc chunkEncoder
	// role is a chat chunk that carried the role alone (an Anthropic
	// message_start, a Responses API response.created), held until the
	// next chunk says what follows (stream_role.go); nil when none is.
	role *llm.Chunk
	// merged is the tool call chunk given the held role, made at the
	// first such chunk.
	merged *mergedChunk
}

// relay writes c (with the usage chunk held back), flushing unless more
// is ready to go in the same write.
func (sw *streamWriter) relay(c *llm.Chunk, more bool) error {
	sw.appendUsage("") // a usage chunk followed by more: it was not the last
	switch {
	case !sw.includeUsage && c.Usage != nil:
		if len(c.Choices) == 0 {
			return nil
		}
		cc := *c
		cc.Usage = nil
		c = &cc
	case sw.includeUsage && c.Usage != nil && len(c.Choices) == 0:
		sw.chunk, sw.usage, sw.held = *c, *c.Usage, true
		if sw.unflushed { // what came before must not wait for the stream's end
			sw.unflushed = false
			return sw.rc.Flush()
		}
		return nil
	}
	if sw.enc == nil && (sw.role != nil || roleAlone(c)) {
		if c = sw.takeRole(c); c == nil {
			return sw.write(*sw.buf, !more) // the headers (and what came before) go now, as before
		}
	}
	if sw.enc != nil {
		if !sw.appendEncoded(c) && len(*sw.buf) == 0 && !sw.unflushed {
			return nil
		}
	} else if sw.pieces = splitPieces(sw.pieces[:0], c); len(sw.pieces) == 0 {
		sw.appendChunk(c)
	} else {
		for i := range sw.pieces {
			sw.appendChunk(&sw.pieces[i])
		}
		clear(sw.pieces)
	}
	// When the next chunk is already here it goes out in the same write
	// (a flush never waits on the upstream).
	return sw.write(*sw.buf, !more)
}

// appendEncoded appends c's event as sw.enc writes it, and reports
// whether it wrote one. A usage that comes with choices is held, as a
// usage chunk of its own, to go last with the cost: the encoded shapes
// carry the usage in a last object without choices.
func (sw *streamWriter) appendEncoded(c *llm.Chunk) bool {
	mark := len(*sw.buf)
	b, wrote := sw.enc.AppendChunk(append(*sw.buf, "data: "...), c)
	if wrote {
		*sw.buf = append(b, "\n\n"...)
	} else {
		*sw.buf = b[:mark]
	}
	if c.Usage != nil { // includeUsage: relay strips it otherwise
		sw.chunk, sw.usage, sw.held = llm.Chunk{ID: c.ID, Model: c.Model, Created: c.Created, SystemFingerprint: c.SystemFingerprint, ServiceTier: c.ServiceTier}, *c.Usage, true
	}
	return wrote
}

// appendChunk appends c as one event to the events not yet written.
func (sw *streamWriter) appendChunk(c *llm.Chunk) {
	*sw.buf = append(*sw.buf, "data: "...)
	if sw.includeUsage {
		*sw.buf = wire.AppendChunkIncludeUsage(*sw.buf, c) // "usage":null until the last, as OpenAI sends
	} else {
		*sw.buf = wire.AppendChunk(*sw.buf, c)
	}
	*sw.buf = append(*sw.buf, "\n\n"...)
}

// appendUsage appends the held usage chunk, if any, with cost ("" for
// none) to the events not yet written.
func (sw *streamWriter) appendUsage(cost string) {
	if !sw.held {
		return
	}
	c, u := sw.chunk, sw.usage
	c.Usage = &u
	*sw.buf = append(*sw.buf, "data: "...)
	if sw.enc != nil {
		*sw.buf = sw.enc.AppendUsage(*sw.buf, &u, cost)
	} else {
		*sw.buf = wire.AppendChunkCost(*sw.buf, &c, cost)
	}
	*sw.buf = append(*sw.buf, "\n\n"...)
	sw.held = false
}

// write writes b (the events in sw.buf) and flushes when flush is set;
// sw.buf is empty after.
func (sw *streamWriter) write(b []byte, flush bool) error {
	*sw.buf = b[:0]
	if _, err := sw.w.Write(b); err != nil {
		return err
	}
	if sw.unflushed = !flush; flush {
		return sw.rc.Flush()
	}
	return nil
}
