package openai

import (
	"errors"
	"io"
	"net/http"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// audioChunk is the most audio relayed per write (and flush).
const audioChunk = 32 << 10

// speech serves POST /v1/audio/speech: the request decoded (400s name
// the param), then the upstream's audio relayed chunk by chunk as it
// arrives, flushed after each, with its Content-Type and the
// x-switchyard-* headers. Audio the upstream cuts short aborts the
// connection, so the client cannot take it for whole.
func (h *Handler) speech(w http.ResponseWriter, r *http.Request) {
	req, err := decodeBody(h, w, r, wire.DecodeSpeechRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	var served llm.Served
	audio, err := h.Backend.Speak(r.Context(), req, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	defer audio.Body.Close()
	hd := w.Header()
	hd.Set("Content-Type", audio.ContentType)
	hd.Set(HeaderCost, costValue(&served))
	w.WriteHeader(http.StatusOK)
	if err := relayAudio(w, audio.Body); err != nil {
		audio.Body.Close() // records the request before the abort
		panic(http.ErrAbortHandler)
	}
}

// relayAudio copies body to w as it arrives, flushing each read. It
// returns the error reading body met (nil at its end, or when the client
// went away first).
func relayAudio(w http.ResponseWriter, body io.Reader) error {
	rc := http.NewResponseController(w)
	buf := make([]byte, audioChunk)
	for {
		n, err := body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return nil
			}
			if ferr := rc.Flush(); ferr != nil && !errors.Is(ferr, http.ErrNotSupported) {
				return nil
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
