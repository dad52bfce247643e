package openai

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strconv"

	"switchyard/llm"
)

// DefaultImageEditModel is the model OpenAI uses for an image edit that
// names none; a variation's is DefaultImageModel (dall-e-2, the only one
// that makes variations).
const DefaultImageEditModel = "gpt-image-1.5"

// maxEditImages is the most images one edit may upload (the GPT image
// models take 16).
const maxEditImages = 16

// DecodeImageEditForm reads a client's image edit request (POST
// /v1/images/edits, multipart/form-data with boundary) or, with
// variation, an image variation request (POST /v1/images/variations).
// At least one non-empty image is required (image, or image[] for
// several; a variation takes one image); an edit's prompt is required
// and non-empty; model a non-empty name (absent meaning
// DefaultImageEditModel, or DefaultImageModel for a variation); n an
// integer from 1 to 10; response_format url or b64_json; an edit's
// stream true or false, and partial_images 0 to 3. Every part, mask and
// the fields left to the upstream (background, input_fidelity,
// output_format, user, …) included, is kept in order. A form that does
// not parse, and a field over 64 KiB, is a 400; errors reading r (an
// *http.MaxBytesError, say) are returned as they are. Other errors are
// *llm.Error values of kind invalid_request naming the param.
func DecodeImageEditForm(r io.Reader, boundary string, variation bool) (*llm.ImageEditRequest, error) {
	req := &llm.ImageEditRequest{Variation: variation, N: 1}
	mr := multipart.NewReader(r, boundary)
	images, hasPrompt := 0, false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, imageFormError(err)
		}
		p, err := readEditPart(part)
		if err != nil {
			return nil, err
		}
		switch p.Name {
		case "image", "image[]":
			images++
			if images > maxEditImages || variation && images > 1 {
				return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "image", Message: fmt.Sprintf("Invalid 'image': too many images (at most %d).", maxImageParts(variation))}
			}
		case "prompt":
			hasPrompt = true
		}
		if err := setImageEditField(req, &p); err != nil {
			return nil, err
		}
		req.Parts = append(req.Parts, p)
	}
	return req, checkImageEdit(req, images, hasPrompt)
}

func maxImageParts(variation bool) int {
	if variation {
		return 1
	}
	return maxEditImages
}

// checkImageEdit checks what a whole form must have, and sets the
// default model.
func checkImageEdit(req *llm.ImageEditRequest, images int, hasPrompt bool) error {
	switch {
	case images == 0:
		return missingParam("image")
	case !req.Variation && !hasPrompt:
		return missingParam("prompt")
	}
	if req.Model == "" {
		req.Model = DefaultImageEditModel
		if req.Variation {
			req.Model = DefaultImageModel
		}
	}
	return nil
}

// readEditPart reads one part: an image or mask whole (it must not be
// empty), any other field bounded.
func readEditPart(part *multipart.Part) (llm.FormPart, error) {
	p := llm.FormPart{Name: part.FormName(), FileName: part.FileName()}
	switch p.Name {
	case "image", "image[]", "mask":
		p.File = true
	default:
		p.File = p.FileName != ""
	}
	if !p.File {
		v, err := readField(part)
		p.Value = []byte(v)
		return p, err
	}
	data, err := io.ReadAll(part)
	if err != nil {
		return p, imageFormError(err)
	}
	if len(data) == 0 {
		param := p.Name
		if param == "image[]" {
			param = "image"
		}
		return p, &llm.Error{Kind: llm.KindInvalidRequest, Param: param, Message: fmt.Sprintf("Invalid '%s': the file is empty. Upload a png, webp or jpg image.", param)}
	}
	p.Value, p.ContentType = data, part.Header.Get("Content-Type")
	if p.FileName == "" {
		p.FileName = "image.png"
	}
	return p, nil
}

// setImageEditField checks the fields the router reads.
func setImageEditField(req *llm.ImageEditRequest, p *llm.FormPart) error {
	if p.File {
		return nil
	}
	v := string(p.Value)
	bad := func(format string, args ...any) error {
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: p.Name, Message: "Invalid '" + p.Name + "': " + fmt.Sprintf(format, args...)}
	}
	switch p.Name {
	case "model":
		if v == "" {
			return bad("empty string. Expected a model name.")
		}
		req.Model = v
	case "prompt":
		if v == "" {
			return bad("empty string. Expected a string with minimum length 1, but got an empty string instead.")
		}
		req.Prompt = v
	case "n":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxImages {
			return bad("expected an integer from 1 to %d, but got '%s'.", maxImages, clip(v))
		}
		req.N = n
	case "size":
		req.Size = v
	case "quality":
		req.Quality = v
	case "response_format":
		if !slices.Contains([]string{"url", "b64_json"}, v) {
			return &llm.Error{Kind: llm.KindInvalidRequest, Param: p.Name, Message: errEnum(v, "'url', 'b64_json'").in(p.Name).Error()}
		}
	case "stream":
		if v != "true" && v != "false" {
			return bad("expected a boolean (true or false), but got '%s'.", clip(v))
		}
		req.Stream = v == "true" && !req.Variation
	case "partial_images":
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > maxPartialImages {
			return bad("expected an integer from 0 to %d, but got '%s'.", maxPartialImages, clip(v))
		}
	}
	return nil
}

// imageFormError is an image form that does not parse, as formError.
func imageFormError(err error) error {
	var e *llm.Error
	if errors.As(formError(err), &e) {
		e.Message = "We could not parse the multipart form body of your request (" + clip(err.Error()) + "). The API expects multipart/form-data with an image part and a prompt field."
		return e
	}
	return err
}

// EncodeImageEditForm writes req as the multipart form sent upstream:
// its parts in their order, with model's value set to req.Model (a model
// field put first when the client sent none). It returns the body and
// its Content-Type.
func EncodeImageEditForm(req *llm.ImageEditRequest) ([]byte, string) {
	size := 1024
	for i := range req.Parts {
		size += len(req.Parts[i].Value) + 256
	}
	var b bytes.Buffer
	b.Grow(size)
	mw := multipart.NewWriter(&b)
	if !slices.ContainsFunc(req.Parts, func(p llm.FormPart) bool { return p.Name == "model" && !p.File }) {
		mw.WriteField("model", req.Model)
	}
	for i := range req.Parts {
		p := &req.Parts[i]
		switch {
		case p.File:
			h := make(textproto.MIMEHeader)
			h.Set("Content-Disposition", `form-data; name="`+escapeQuotes(p.Name)+`"; filename="`+escapeQuotes(p.FileName)+`"`)
			h.Set("Content-Type", orDefault(p.ContentType, "application/octet-stream"))
			fw, _ := mw.CreatePart(h)
			fw.Write(p.Value)
		case p.Name == "model":
			mw.WriteField("model", req.Model)
		default:
			fw, _ := mw.CreateFormField(p.Name)
			fw.Write(p.Value)
		}
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}
