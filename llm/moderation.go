package llm

import "encoding/json"

// DefaultModerationModel is the model a moderations request that names
// none asks for (OpenAI's default).
const DefaultModerationModel = "omni-moderation-latest"

// ModerationRequest is a canonical moderations request: texts (and
// images) to classify as potentially harmful.
type ModerationRequest struct {
	Model string
	// Texts holds the input given as a string or an array of strings:
	// each gets its own result. Nil when Parts holds the input.
	Texts []string
	// Parts holds the input given as an array of multimodal objects: they
	// are classified together, into one result. Nil when Texts holds it.
	Parts []ModerationPart
	// Extra holds the request's other fields, passed through verbatim.
	Extra map[string]json.RawMessage
}

// ModerationPart is one object of a multimodal moderations input: a text
// (ImageURL empty) or an image (ImageURL set, Text empty).
type ModerationPart struct {
	Text string
	// ImageURL is an http(s) URL or a data URL of the image.
	ImageURL string
}

// HasImages reports whether the request carries an image part.
func (r *ModerationRequest) HasImages() bool {
	for i := range r.Parts {
		if r.Parts[i].ImageURL != "" {
			return true
		}
	}
	return false
}

// AllTexts returns every text of the request, from Texts or from the
// text parts.
func (r *ModerationRequest) AllTexts() []string {
	if r.Parts == nil {
		return r.Texts
	}
	var out []string
	for i := range r.Parts {
		if r.Parts[i].ImageURL == "" {
			out = append(out, r.Parts[i].Text)
		}
	}
	return out
}

// Inputs returns how many results the request asks for: one per text,
// or one for all the parts.
func (r *ModerationRequest) Inputs() int {
	if r.Parts != nil {
		return 1
	}
	return len(r.Texts)
}

// ModerationResponse is a moderations answer.
type ModerationResponse struct {
	// ID is the upstream's id ("modr-…").
	ID    string
	Model string
	// Results has one result per input (see ModerationRequest.Inputs).
	Results []ModerationResult
	// Body is the upstream's answer as it came, relayed to the client
	// verbatim; nil means it is encoded from the fields above.
	Body []byte
	// Usage is the inputs' tokens (an estimate: the API reports none).
	Usage Usage
}

// Flagged returns how many results are flagged.
func (r *ModerationResponse) Flagged() int {
	n := 0
	for i := range r.Results {
		if r.Results[i].Flagged {
			n++
		}
	}
	return n
}

// ModerationResult is the verdict on one input.
type ModerationResult struct {
	// Flagged reports whether any category is flagged: the upstream's
	// flagged, or, from an upstream that sends none (Mistral), whether a
	// category is true.
	Flagged bool
	// Categories are in the upstream's order.
	Categories []ModerationCategory
}

// ModerationCategory is one category of a result ("violence",
// "self-harm/intent"…).
type ModerationCategory struct {
	Name string
	// Flagged is the verdict; nil when the upstream gave none (null, as
	// the text-moderation models answer for the illicit categories).
	Flagged *bool
	// Score is the model's confidence, from 0 to 1.
	Score float64
	// AppliedInputTypes lists the input types the score applies to
	// ("text", "image"); nil when the upstream sent none.
	AppliedInputTypes []string
}
