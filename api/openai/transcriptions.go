package openai

import (
	"errors"
	"mime"
	"net/http"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// defaultMaxAudioBytes bounds an audio upload when MaxAudioBytes is
// zero: OpenAI's limit, 25 MB.
const defaultMaxAudioBytes = 25 << 20

func (h *Handler) transcriptions(w http.ResponseWriter, r *http.Request) { h.transcribe(w, r, false) }
func (h *Handler) translations(w http.ResponseWriter, r *http.Request)   { h.transcribe(w, r, true) }

// transcribe serves POST /v1/audio/transcriptions and (translate)
// /v1/audio/translations: the multipart form read within MaxAudioBytes
// (413 past it) and checked (400s name the param), the upstream's answer
// relayed as it came in the asked format (a transcription's events as
// they arrive with stream true), with the x-switchyard-* headers.
func (h *Handler) transcribe(w http.ResponseWriter, r *http.Request, translate bool) {
	req, err := h.readTranscription(w, r, translate)
	if err != nil {
		WriteError(w, err)
		return
	}
	if req.Stream && !translate {
		h.streamMedia(w, r, &llm.MediaStreamRequest{Transcription: req})
		return
	}
	var served llm.Served
	resp, err := h.Backend.Transcribe(r.Context(), req, &served)
	setServed(w.Header(), &served)
	if err != nil {
		WriteError(w, err)
		return
	}
	hd := w.Header()
	hd.Set(HeaderCost, costValue(&served))
	hd.Set("Content-Type", resp.ContentType)
	w.WriteHeader(http.StatusOK)
	w.Write(resp.Body)
}

// readTranscription reads and decodes a multipart transcription form.
func (h *Handler) readTranscription(w http.ResponseWriter, r *http.Request, translate bool) (*llm.TranscriptionRequest, error) {
	limit := h.MaxAudioBytes
	if limit <= 0 {
		limit = defaultMaxAudioBytes
	}
	if r.ContentLength > limit {
		return nil, audioTooLarge(limit)
	}
	boundary, err := formBoundary(r, "a file part and a model field")
	if err != nil {
		return nil, err
	}
	req, err := wire.DecodeTranscriptionForm(http.MaxBytesReader(w, r.Body, limit), boundary, translate)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, audioTooLarge(limit)
	}
	return req, err
}

// formBoundary returns the boundary of r's multipart/form-data body; a
// body of another type is a 400 saying it should hold parts.
func formBoundary(r *http.Request, parts string) (string, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return "", llm.Errorf(llm.KindInvalidRequest, "The request must be multipart/form-data with a boundary (%s), not %q.", parts, llm.Clip(r.Header.Get("Content-Type")))
	}
	return params["boundary"], nil
}

func audioTooLarge(limit int64) *llm.Error {
	return llm.Errorf(llm.KindTooLarge, "The audio upload is larger than the %d bytes this router accepts (server.max_audio_bytes). Send a shorter or more compressed file, or raise the limit.", limit)
}
