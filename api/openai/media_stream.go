package openai

import (
	"errors"
	"io"
	"net/http"

	"switchyard/api/internal/inbound"
	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// streamMedia relays a streamed media answer (image generation or edit,
// transcription) as the upstream's server-sent events, each written and
// flushed as it arrives. Until the upstream answered, the request can
// still fail with a proper HTTP error (and fail over); after, a cut
// stream ends with an error event (which the SDKs raise), so no client
// takes it for whole. The served cost is known once the stream is over
// and closed (billed): it goes out as the x-switchyard-cost-usd trailer.
func (h *Handler) streamMedia(w http.ResponseWriter, r *http.Request, req *llm.MediaStreamRequest) {
	var served llm.Served
	s, err := h.Backend.StreamMedia(r.Context(), req, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	defer func() {
		s.Close() // bills the stream: the served cost is known from here
		w.Header().Set(HeaderCost, costValue(&served))
	}()
	inbound.BeginStream(w)
	rc := http.NewResponseController(w)
	for {
		ev, err := s.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			if e := streamEndError(r.Context(), err); e != nil {
				buf := getBuf()
				w.Write(wire.AppendErrorEvent(*buf, e))
				rc.Flush()
				putBuf(buf)
			}
			return
		}
		if _, err := w.Write(ev); err != nil {
			return // the client went away; Close cancels the upstream
		}
		if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return
		}
	}
}
