package gemini

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"

	"switchyard/sim"
	wire "switchyard/wire/gemini"
)

// framer writes stream fragments as SSE events or as the elements of a JSON
// array, flushing each at once.
type framer struct {
	w   http.ResponseWriter
	sse bool
	n   int
}

func (f *framer) start() {
	if f.sse {
		f.w.Header().Set("Content-Type", "text/event-stream")
	} else {
		f.w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	}
	f.w.Header().Set("Cache-Control", "no-cache")
	f.w.WriteHeader(http.StatusOK)
	f.flush()
}

func (f *framer) write(frag *wire.GenerateContentResponse) error {
	var err error
	if f.sse {
		err = wire.WriteEvent(f.w, frag)
	} else {
		sep := ",\r\n"
		if f.n == 0 {
			sep = "["
		}
		var b []byte
		if b, err = json.MarshalIndent(frag, "", "  "); err == nil {
			_, err = io.WriteString(f.w, sep+string(b)+"\n")
		}
	}
	f.n++
	f.flush()
	return err
}

// writeError writes e as the stream's last element (an SSE event, or an
// element of the JSON array, which it then closes), as Gemini ends a
// stream that fails mid-answer.
func (f *framer) writeError(e any) {
	b, _ := json.Marshal(e)
	if f.sse {
		io.WriteString(f.w, "data: "+string(b)+"\r\n\r\n")
	} else {
		io.WriteString(f.w, ",\r\n"+string(b)+"\n]")
	}
	f.flush()
}

func (f *framer) end() {
	if !f.sse {
		io.WriteString(f.w, "]")
		f.flush()
	}
}

func (f *framer) flush() {
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
}

// stream sends the answer one piece per fragment, paced by the profile,
// with the cut (after 3 fragments or the fault's After), stall (after the
// first fragment or the After-th), malformed and bad_event (one garbage
// event after the After-th fragment, then the rest) faults applied.
// no_done changes nothing: Gemini streams have no end marker.
func (s *server) stream(w http.ResponseWriter, r *http.Request, g *generation, ft sim.Fault, useSSE bool) {
	f := &framer{w: w, sse: useSSE}
	f.start()
	if ft.Kind == sim.FaultMalformed {
		io.WriteString(w, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"te\r\n\r\n")
		return
	}
	frags := g.fragments()
	cutAt := -1
	if ft.Kind == sim.FaultCut {
		cutAt = min(cmp.Or(ft.After, 3), len(frags)-1) // always before the finishReason fragment
	}
	ctx := r.Context()
	for i, frag := range frags {
		if i == cutAt {
			sim.Cut()
		}
		if i > 0 && !sim.Sleep(ctx, g.p.PieceDelay(1)) {
			return
		}
		if f.write(frag) != nil {
			return
		}
		if ft.Kind == sim.FaultErrorEvent && i+1 == max(ft.After, 1) {
			f.writeError(wire.NewError(http.StatusInternalServerError, internalError))
			return
		}
		if ft.Kind == sim.FaultBadEvent && i+1 == max(ft.After, 1) {
			io.WriteString(w, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"te\r\n\r\n")
			f.flush()
		}
		if ft.Kind == sim.FaultStall && i+1 == max(ft.After, 1) {
			d := ft.Delay
			if d <= 0 {
				d = stallDelay
			}
			if !sim.Sleep(ctx, d) {
				return
			}
		}
	}
	f.end()
}

// fragments cuts the answer into stream fragments: one per text piece, the
// last with the finish reason (and any function calls, which arrive whole).
// Every fragment carries usageMetadata with the counts so far, as the real
// stream does; the last one carries the totals.
func (g *generation) fragments() []*wire.GenerateContentResponse {
	pieces := g.ans.Pieces
	if len(pieces) == 0 {
		return []*wire.GenerateContentResponse{g.response(0, 0, true, true, g.usage)}
	}
	out := make([]*wire.GenerateContentResponse, 0, len(pieces))
	for i := range pieces {
		u := g.usage
		if i < len(pieces)-1 {
			u.CandidatesTokenCount = (i + 1) * g.n
			u.TotalTokenCount = u.PromptTokenCount + u.CandidatesTokenCount + u.ThoughtsTokenCount
		}
		out = append(out, g.response(i, i+1, i == 0, i == len(pieces)-1, u))
	}
	return out
}
