package openai

import (
	"errors"
	"net/http"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// defaultMaxImageBytes bounds an image upload when MaxImageBytes is
// zero: 50 MiB, OpenAI's limit on one GPT image model input.
const defaultMaxImageBytes = 50 << 20

func (h *Handler) imageEdits(w http.ResponseWriter, r *http.Request)      { h.editImages(w, r, false) }
func (h *Handler) imageVariations(w http.ResponseWriter, r *http.Request) { h.editImages(w, r, true) }

// editImages serves POST /v1/images/edits and (variation)
// /v1/images/variations: the multipart form read within MaxImageBytes
// (413 past it) and checked (400s name the param), the upstream's answer
// relayed as it came (an edit's events as they arrive with stream true),
// with the x-switchyard-* headers.
func (h *Handler) editImages(w http.ResponseWriter, r *http.Request, variation bool) {
	req, err := h.readImageEdit(w, r, variation)
	if err != nil {
		WriteError(w, err)
		return
	}
	if req.Stream {
		h.streamMedia(w, r, &llm.MediaStreamRequest{Edit: req})
		return
	}
	var served llm.Served
	resp, err := h.Backend.EditImages(r.Context(), req, &served)
	writeImages(w, resp, err, &served)
}

// readImageEdit reads and decodes a multipart image edit or variation
// form.
func (h *Handler) readImageEdit(w http.ResponseWriter, r *http.Request, variation bool) (*llm.ImageEditRequest, error) {
	limit := h.MaxImageBytes
	if limit <= 0 {
		limit = defaultMaxImageBytes
	}
	if r.ContentLength > limit {
		return nil, imageTooLarge(limit)
	}
	boundary, err := formBoundary(r, "an image part and a prompt field")
	if err != nil {
		return nil, err
	}
	req, err := wire.DecodeImageEditForm(http.MaxBytesReader(w, r.Body, limit), boundary, variation)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, imageTooLarge(limit)
	}
	return req, err
}

func imageTooLarge(limit int64) *llm.Error {
	return llm.Errorf(llm.KindTooLarge, "The image upload is larger than the %d bytes this router accepts (server.max_image_bytes). Send smaller or fewer images, or raise the limit.", limit)
}
