package openai

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"switchyard/llm"
)

// DefaultImageModel is the model OpenAI uses for an image generation
// request that names none.
const DefaultImageModel = "dall-e-2"

// maxImages is the most images one request may ask for (n), as OpenAI's
// API reference says.
const maxImages = 10

// DecodeImageRequest decodes a client's image generation request body
// (POST /v1/images/generations, OpenAI's CreateImageRequest). prompt is
// required and non-empty; model is a non-empty string, absent or null
// meaning DefaultImageModel; n an integer from 1 to 10 (1 when absent);
// size and quality strings; response_format url or b64_json; stream a
// boolean (true: the answer is server-sent events); partial_images an
// integer from 0 to 3. Other
// members are left to the upstream, which checks them against the
// model. The request keeps a copy of data as its Body. Errors are
// *llm.Error values of kind invalid_request naming the param.
func DecodeImageRequest(data []byte) (*llm.ImageRequest, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, requestError(data, err)
	}
	req := &llm.ImageRequest{N: 1}
	hasPrompt := false
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "model":
			return mediaModel(&s, &req.Model, true)
		case "prompt":
			hasPrompt = true
			return nonEmptyString(&s, &req.Prompt)
		case "n":
			return imageCount(&s, &req.N)
		case "size":
			return optString(&s, &req.Size)
		case "quality":
			return optString(&s, &req.Quality)
		case "response_format":
			var format string
			return enumString(&s, &format, "url", "b64_json")
		case "stream":
			on, err := optBool(&s)
			req.Stream = on != nil && *on
			return err
		case "partial_images":
			return partialImages(&s)
		}
		return s.skip()
	})
	if err == nil {
		err = s.end()
	}
	if err == nil && !hasPrompt {
		err = errMissing().in("prompt")
	}
	if err != nil {
		return nil, requestError(data, err)
	}
	if req.Model == "" {
		req.Model = DefaultImageModel
	}
	req.Body = append([]byte(nil), data...)
	return req, nil
}

// mediaModel reads a model name: a non-empty string, or null when
// nullable (the endpoint's default applies).
func mediaModel(s *scanner, dst *string, nullable bool) error {
	if nullable && s.null() {
		*dst = ""
		return nil
	}
	v, err := s.str()
	if err == nil && v == "" {
		return errInvalid("empty string. Expected a model name.")
	}
	*dst = v
	return err
}

// nonEmptyString reads a required, non-empty string.
func nonEmptyString(s *scanner, dst *string) error {
	v, err := s.str()
	if err == nil && v == "" {
		return errInvalid("empty string. Expected a string with minimum length 1, but got an empty string instead.")
	}
	*dst = v
	return err
}

// optString reads a string or null (empty).
func optString(s *scanner, dst *string) error {
	if s.null() {
		*dst = ""
		return nil
	}
	v, err := s.str()
	*dst = v
	return err
}

// enumString reads null (empty) or one of values into dst.
func enumString(s *scanner, dst *string, values ...string) error {
	*dst = ""
	if s.null() {
		return nil
	}
	v, err := s.str()
	if err != nil {
		return err
	}
	if !slices.Contains(values, v) {
		return errEnum(v, "'"+strings.Join(values, "', '")+"'")
	}
	*dst = v
	return nil
}

// imageCount reads n: null, or an integer from 1 to maxImages.
func imageCount(s *scanner, dst *int) error {
	if s.null() {
		*dst = 1
		return nil
	}
	n, err := s.integer()
	if err != nil {
		return err
	}
	if n < 1 || n > maxImages {
		return errInvalid(fmt.Sprintf("integer out of range. Expected a value from 1 to %d, but got %d instead.", maxImages, n))
	}
	*dst = int(n)
	return nil
}

// maxPartialImages is the most partial images a streamed image request
// may ask for.
const maxPartialImages = 3

// partialImages reads partial_images: null, or an integer from 0 to 3.
func partialImages(s *scanner) error {
	if s.null() {
		return nil
	}
	n, err := s.integer()
	if err == nil && (n < 0 || n > maxPartialImages) {
		return errInvalid(fmt.Sprintf("integer out of range. Expected a value from 0 to %d, but got %d instead.", maxPartialImages, n))
	}
	return err
}

// WithModel returns the JSON object body with its top-level model member
// set to model (added first when it has none), the rest as it was. body
// must be an object that decoded.
func WithModel(body []byte, model string) []byte {
	s := scanner{data: body}
	start, end := -1, -1
	err := s.object(func(key []byte) error {
		if string(key) == "model" {
			start = s.pos
			err := s.skip()
			end = s.pos
			return err
		}
		return s.skip()
	})
	name, _ := json.Marshal(model)
	if err != nil {
		return body
	}
	out := make([]byte, 0, len(body)+len(name)+10)
	if start < 0 {
		open := 0
		for body[open] != '{' {
			open++
		}
		out = append(out, body[:open+1]...)
		out = append(out, `"model":`...)
		out = append(out, name...)
		if rest := body[open+1:]; !emptyObjectRest(rest) {
			out = append(out, ',')
		}
		return append(out, body[open+1:]...)
	}
	out = append(out, body[:start]...)
	out = append(out, name...)
	return append(out, body[end:]...)
}

// emptyObjectRest reports whether rest, what follows an object's '{', is
// only whitespace and its '}'.
func emptyObjectRest(rest []byte) bool {
	for _, c := range rest {
		switch c {
		case ' ', '\t', '\n', '\r':
		case '}':
			return true
		default:
			return false
		}
	}
	return true
}

// imageAnswer is the part of OpenAI's ImagesResponse the router reads.
type imageAnswer struct {
	Created *int64            `json:"created"`
	Data    []json.RawMessage `json:"data"`
	Size    string            `json:"size"`
	Quality string            `json:"quality"`
	Usage   *struct {
		InputTokens  int `json:"input_tokens"`
		OutputTokens int `json:"output_tokens"`
		TotalTokens  int `json:"total_tokens"`
	} `json:"usage"`
}

// DecodeImageResponse reads an upstream's image generation answer: the
// images' count, the size and quality it reports, its usage; Body is
// data. An answer without created or data is an error.
func DecodeImageResponse(data []byte) (*llm.ImageResponse, error) {
	var a imageAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	if a.Created == nil || a.Data == nil {
		return nil, fmt.Errorf("not an images answer: no created or data")
	}
	out := &llm.ImageResponse{Images: len(a.Data), Size: a.Size, Quality: a.Quality, Body: data}
	if u := a.Usage; u != nil {
		out.Usage = llm.Usage{PromptTokens: u.InputTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.TotalTokens}
	}
	return out, nil
}
