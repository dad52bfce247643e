package openai

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// imageSizes and imageQualities are what each image model accepts, as
// OpenAI's API reference lists them.
var (
	imageSizes = map[string][]string{
		"dall-e-2":    {"256x256", "512x512", "1024x1024"},
		"dall-e-3":    {"1024x1024", "1792x1024", "1024x1792"},
		"gpt-image-1": {"auto", "1024x1024", "1536x1024", "1024x1536"},
	}
	imageQualities = map[string][]string{
		"dall-e-2":    {"standard"},
		"dall-e-3":    {"standard", "hd"},
		"gpt-image-1": {"auto", "low", "medium", "high"},
	}
	// gptImageTokens is gpt-image-1's output tokens for a square image
	// by quality (OpenAI's image generation guide).
	gptImageTokens = map[string]int{"low": 272, "medium": 1056, "high": 4160}
)

// onePixelPNG is a valid 1x1 PNG: every simulated image.
var onePixelPNG = base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"))

// images serves POST /v1/images/generations (and Azure's deployment
// route): n one-pixel PNGs, by URL or as b64_json (gpt-image-1 always
// b64_json, with its background, output_format, quality, size and token
// usage), dall-e-3's revised_prompt; sizes, qualities and n checked per
// model as the API does; stream true (GPT image models only) answers
// image_generation.* events (streamImages).
func (s *server) images(c *call) {
	req, ok := readRequest(c, wire.DecodeImageRequest)
	if !ok {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.mediaProfile(c, req.Model, func(p *sim.Profile) bool { return p.Images })
	if !ok {
		return
	}
	family := imageFamily(p.Model)
	var extra struct {
		ResponseFormat string `json:"response_format"`
		PartialImages  int    `json:"partial_images"`
	}
	json.Unmarshal(req.Body, &extra)
	if !s.validateImages(c, req, family, extra.ResponseFormat) {
		return
	}
	if req.Stream {
		if family != "gpt-image-1" {
			c.fail(http.StatusBadRequest, apiError{Message: fmt.Sprintf("Streaming is not supported for model %s.", req.Model), Type: "invalid_request_error", Param: "stream", Code: "invalid_value"})
			return
		}
		s.streamImages(c, p, req, "image_generation", extra.PartialImages)
		return
	}
	s.answerJSON(c, p, req.Model, []string{req.Prompt}, func() []byte {
		return imageAnswer(req, family, extra.ResponseFormat)
	})
}

// imageFamily is the model whose rules a simulated image model follows:
// its id's prefix, dall-e-2 when none matches.
func imageFamily(model string) string {
	for _, f := range []string{"gpt-image-1", "dall-e-3"} {
		if strings.HasPrefix(model, f) {
			return f
		}
	}
	return "dall-e-2"
}

// validateImages checks n, size, quality and response_format against the
// model's family.
func (s *server) validateImages(c *call, req *llm.ImageRequest, family, format string) bool {
	bad := func(msg, param string) bool {
		c.fail(http.StatusBadRequest, apiError{Message: msg, Type: "invalid_request_error", Param: param, Code: "invalid_value"})
		return false
	}
	if req.Size != "" && !slices.Contains(imageSizes[family], req.Size) {
		return bad(fmt.Sprintf("Invalid value: '%s'. Supported values are: '%s'.", req.Size, strings.Join(imageSizes[family], "', '")), "size")
	}
	if req.Quality != "" && !slices.Contains(imageQualities[family], req.Quality) {
		return bad(fmt.Sprintf("Invalid value: '%s'. Supported values are: '%s'.", req.Quality, strings.Join(imageQualities[family], "', '")), "quality")
	}
	if family == "dall-e-3" && req.N != 1 {
		return bad("Invalid 'n': integer above maximum value. Expected a value <= 1, but got "+fmt.Sprint(req.N)+" instead.", "n")
	}
	if family == "gpt-image-1" && format != "" {
		c.fail(http.StatusBadRequest, apiError{Message: "Unknown parameter: 'response_format'.", Type: "invalid_request_error", Param: "response_format", Code: "unknown_parameter"})
		return false
	}
	return true
}

// imageAnswer is the ImagesResponse for req.
func imageAnswer(req *llm.ImageRequest, family, format string) []byte {
	type image struct {
		URL           string `json:"url,omitempty"`
		B64JSON       string `json:"b64_json,omitempty"`
		RevisedPrompt string `json:"revised_prompt,omitempty"`
	}
	out := map[string]any{"created": time.Now().Unix()}
	data := make([]image, req.N)
	for i := range data {
		switch {
		case format == "b64_json" || family == "gpt-image-1":
			data[i].B64JSON = onePixelPNG
		default:
			data[i].URL = fmt.Sprintf("https://oaidalleapiprodscus.blob.core.windows.net/private/sim/img-%s.png", randHex(24))
		}
		if family == "dall-e-3" {
			data[i].RevisedPrompt = "A detailed rendering of " + req.Prompt
		}
	}
	out["data"] = data
	if family == "gpt-image-1" {
		size, quality := or(req.Size, "1024x1024"), or(req.Quality, "medium")
		if size == "auto" {
			size = "1024x1024"
		}
		if quality == "auto" {
			quality = "medium"
		}
		text := sim.CountTokens(req.Prompt)
		img := gptImageTokens[quality] * req.N
		out["background"], out["output_format"], out["quality"], out["size"] = "opaque", "png", quality, size
		out["usage"] = map[string]any{
			"input_tokens": text, "input_tokens_details": map[string]int{"image_tokens": 0, "text_tokens": text},
			"output_tokens": img, "total_tokens": text + img,
		}
	}
	b, _ := json.Marshal(out)
	return b
}

// or returns v, or def when v is empty.
func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// mediaProfile finds a model the endpoint serves (is reports whether p
// is one); any other is 404 model_not_found, as the real API answers
// (Azure: DeploymentNotFound for an unknown deployment, OperationNotSupported
// for one of another kind).
func (s *server) mediaProfile(c *call, model string, is func(*sim.Profile) bool) (*sim.Profile, bool) {
	p, known := s.models[model]
	if known && is(p) {
		return p, true
	}
	if s.azure {
		if !known {
			c.azureFail(http.StatusNotFound, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.")
			return nil, false
		}
		c.azureFail(http.StatusBadRequest, "OperationNotSupported", fmt.Sprintf("The operation does not work with the specified model, %s. Please choose different model and try again.", model))
		return nil, false
	}
	c.fail(http.StatusNotFound, apiError{
		Message: fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model),
		Type:    "invalid_request_error",
		Param:   "model",
		Code:    "model_not_found",
	})
	return nil, false
}
