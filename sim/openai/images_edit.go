package openai

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// maxImageUpload is the real API's limit on an image edit's upload (50
// MB per GPT image model input).
const maxImageUpload = 50 << 20

// mountImageEdits registers POST /v1/images/edits and /v1/images/
// variations (OpenAI), or Azure's deployment route for edits (Azure
// OpenAI has no variations).
func (s *server) mountImageEdits() {
	if s.azure {
		s.mux.HandleFunc("POST /openai/deployments/{deployment}/images/edits", s.handle(s.azureDeployment, s.imageEdits))
		return
	}
	s.mux.HandleFunc("POST /v1/images/edits", s.handle(s.bearer, s.imageEdits))
	s.mux.HandleFunc("POST /v1/images/variations", s.handle(s.bearer, s.imageVariations))
}

func (s *server) imageEdits(c *call)      { s.editImages(c, false) }
func (s *server) imageVariations(c *call) { s.editImages(c, true) }

// editImages answers an image edit or variation as images answers a
// generation (n one-pixel PNGs, gpt-image-1's usage), after the checks
// the API makes: dall-e-2 and gpt-image-1 edit (dall-e-2 one image),
// only dall-e-2 makes variations; sizes, qualities, n and
// response_format per model; stream (edits by gpt-image-1 only) answers
// image_edit.* events.
func (s *server) editImages(c *call, variation bool) {
	req, ok := s.readImageEdit(c, variation)
	if !ok {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.mediaProfile(c, req.Model, func(p *sim.Profile) bool { return p.Images })
	if !ok {
		return
	}
	family := imageFamily(p.Model)
	gen := &llm.ImageRequest{Model: req.Model, Prompt: req.Prompt, N: req.N, Size: req.Size, Quality: req.Quality, Stream: req.Stream}
	format, partials := formValue(req, "response_format"), 0
	fmt.Sscan(formValue(req, "partial_images"), &partials)
	if !s.validateEdit(c, req, family) || !s.validateImages(c, gen, family, format) {
		return
	}
	if req.Stream {
		s.streamImages(c, p, gen, "image_edit", partials)
		return
	}
	s.answerJSON(c, p, req.Model, []string{req.Prompt}, func() []byte {
		return imageAnswer(gen, family, format)
	})
}

// validateEdit checks what only edits and variations have: the models
// that make them, dall-e-2's single image, stream by gpt-image-1.
func (s *server) validateEdit(c *call, req *llm.ImageEditRequest, family string) bool {
	bad := func(msg, param string) bool {
		c.fail(http.StatusBadRequest, apiError{Message: msg, Type: "invalid_request_error", Param: param, Code: "invalid_value"})
		return false
	}
	switch {
	case req.Variation && family != "dall-e-2":
		return bad(fmt.Sprintf("Invalid model %s. The model must be dall-e-2.", req.Model), "model")
	case family == "dall-e-3":
		return bad(fmt.Sprintf("Invalid model %s. The model must be one of dall-e-2 or gpt-image-1.", req.Model), "model")
	case family == "dall-e-2" && countImages(req) > 1:
		return bad("Invalid 'image': dall-e-2 edits one image; use gpt-image-1 to edit several.", "image")
	case req.Stream && family != "gpt-image-1":
		return bad(fmt.Sprintf("Streaming is not supported for model %s.", req.Model), "stream")
	}
	return true
}

// countImages counts the image parts of req.
func countImages(req *llm.ImageEditRequest) int {
	n := 0
	for _, p := range req.Parts {
		if p.Name == "image" || p.Name == "image[]" {
			n++
		}
	}
	return n
}

// formValue is the value of req's last field name, "" when absent.
func formValue(req *llm.ImageEditRequest, name string) string {
	for _, p := range slices.Backward(req.Parts) {
		if p.Name == name && !p.File {
			return string(p.Value)
		}
	}
	return ""
}

// readImageEdit reads the multipart form as the API does: 413 past 50
// MB, 400 for a form that does not parse.
func (s *server) readImageEdit(c *call, variation bool) (*llm.ImageEditRequest, bool) {
	_, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		c.fail(http.StatusBadRequest, apiError{Message: "Invalid Content-Type header (multipart/form-data with a boundary expected).", Type: "invalid_request_error"})
		return nil, false
	}
	req, err := wire.DecodeImageEditForm(http.MaxBytesReader(c.w, c.r.Body, maxImageUpload), params["boundary"], variation)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		c.fail(http.StatusRequestEntityTooLarge, apiError{Message: fmt.Sprintf("Maximum content size limit (%d) exceeded.", maxImageUpload), Type: "invalid_request_error"})
		return nil, false
	}
	if err != nil {
		c.failLLM(llm.AsError(err))
		return nil, false
	}
	return req, true
}
