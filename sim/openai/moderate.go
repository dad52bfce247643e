package openai

import (
	"fmt"
	"net/http"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// moderations serves POST /v1/moderations: each input (a string, or the
// multimodal objects of the input together) gets a result over the 13
// categories with the scores of sim.ModerationScore (a keyword lexicon,
// so tests can expect a flag) and sim.ImageScore, and
// category_applied_input_types as omni-moderation reports them. A
// text-moderation model answers null for the illicit categories, which it
// does not have, and refuses images.
func (s *server) moderations(c *call) {
	req, ok := readRequest(c, wire.DecodeModerationRequest)
	if !ok {
		return
	}
	p, ok := s.moderationProfile(c, req.Model)
	if !ok || !s.validateModeration(c, req, p) {
		return
	}
	s.answerJSON(c, p, req.Model, req.AllTexts(), func() []byte {
		return wire.AppendModerationResponse(nil, moderate(req, p))
	})
}

// moderationProfile finds a moderation model. An unknown model, or one
// that does not moderate (a chat or embeddings model), is answered 404
// model_not_found, as for any model the endpoint does not serve.
func (s *server) moderationProfile(c *call, model string) (*sim.Profile, bool) {
	if p, ok := s.models[model]; ok && p.Moderation {
		return p, true
	}
	c.fail(http.StatusNotFound, apiError{
		Message: fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model),
		Type:    "invalid_request_error",
		Param:   "model",
		Code:    "model_not_found",
	})
	return nil, false
}

// validateModeration applies the checks beyond the schema: no unknown
// argument, and images for omni-moderation models only.
func (s *server) validateModeration(c *call, req *llm.ModerationRequest, p *sim.Profile) bool {
	for k := range req.Extra {
		c.fail(http.StatusBadRequest, apiError{Message: "Unrecognized request argument supplied: " + k, Type: "invalid_request_error"})
		return false
	}
	if req.HasImages() && !takesImages(p) {
		c.fail(http.StatusBadRequest, apiError{
			Message: fmt.Sprintf("Model %s does not support image inputs. Use omni-moderation-latest to classify images.", p.Model),
			Type:    "invalid_request_error", Param: "input", Code: "invalid_value",
		})
		return false
	}
	return true
}

// takesImages reports whether a moderation model classifies images: the
// omni-moderation models do.
func takesImages(p *sim.Profile) bool { return strings.HasPrefix(p.Model, "omni-moderation") }

// moderate computes the answer to a valid request.
func moderate(req *llm.ModerationRequest, p *sim.Profile) *llm.ModerationResponse {
	resp := &llm.ModerationResponse{ID: newID("modr-"), Model: p.Model}
	if req.Parts != nil {
		var texts, images []string
		for _, part := range req.Parts {
			if part.ImageURL != "" {
				images = append(images, part.ImageURL)
			} else {
				texts = append(texts, part.Text)
			}
		}
		resp.Results = []llm.ModerationResult{moderationResult(p, texts, images)}
		return resp
	}
	for _, t := range req.Texts {
		resp.Results = append(resp.Results, moderationResult(p, []string{t}, nil))
	}
	return resp
}

// moderationResult scores one input made of texts and images.
func moderationResult(p *sim.Profile, texts, images []string) llm.ModerationResult {
	text := strings.Join(texts, "\n")
	omni := takesImages(p)
	var res llm.ModerationResult
	for _, name := range sim.ModerationCategories {
		c := llm.ModerationCategory{Name: name, AppliedInputTypes: []string{}}
		if !omni && strings.HasPrefix(name, "illicit") {
			res.Categories = append(res.Categories, c)
			continue
		}
		if texts != nil {
			c.Score = sim.ModerationScore(name, text)
			c.AppliedInputTypes = append(c.AppliedInputTypes, "text")
		}
		if len(images) > 0 && sim.ImageCategory(name) {
			for _, u := range images {
				c.Score = max(c.Score, sim.ImageScore(name, u))
			}
			c.AppliedInputTypes = append(c.AppliedInputTypes, "image")
		}
		flagged := c.Score >= sim.ModerationThreshold
		c.Flagged = &flagged
		res.Flagged = res.Flagged || flagged
		res.Categories = append(res.Categories, c)
	}
	return res
}
