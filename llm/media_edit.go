package llm

// This file holds the canonical types of image edits and variations
// (POST /v1/images/edits, /v1/images/variations) and of the media
// answers streamed as server-sent events (image generation and edits
// with stream true, streamed transcription).

// ImageEditRequest is an image edit or variation request
// (multipart/form-data on the wire).
type ImageEditRequest struct {
	// Variation reports /v1/images/variations rather than
	// /v1/images/edits.
	Variation bool
	// Model is the deployment or route asked for.
	Model string
	// Prompt is the edit's text description (required for edits; a
	// variation has none).
	Prompt string
	// N is the number of images; 1 when the request omits it.
	N int
	// Size and Quality are as asked; empty or "auto" means the model's
	// default.
	Size, Quality string
	// Stream reports stream true (edits only): the answer is server-sent
	// events.
	Stream bool
	// Parts are the form's parts in order, files (image, image[], mask)
	// and fields, model included: sent upstream as they came, with
	// model's value replaced.
	Parts []FormPart
}

// FormPart is one part of a multipart form: a file (FileName set, or
// File) or a field.
type FormPart struct {
	// Name is the part's form name ("image[]", "mask", "prompt").
	Name string
	// File reports a file part; FileName is its name as uploaded and
	// ContentType its part's Content-Type (empty when it gave none).
	File        bool
	FileName    string
	ContentType string
	// Value is the part's content: the file's bytes or the field's text.
	Value []byte
}

// MediaStreamRequest is a media request answered as server-sent events
// (stream true). Exactly one of its fields is set.
type MediaStreamRequest struct {
	Images        *ImageRequest
	Edit          *ImageEditRequest
	Transcription *TranscriptionRequest
}

// Model is the deployment or route the request names.
func (r *MediaStreamRequest) Model() string {
	switch {
	case r.Images != nil:
		return r.Images.Model
	case r.Edit != nil:
		return r.Edit.Model
	}
	return r.Transcription.Model
}

// WithModel returns a copy of r whose request names model.
func (r *MediaStreamRequest) WithModel(model string) *MediaStreamRequest {
	out := *r
	switch {
	case r.Images != nil:
		up := *r.Images
		up.Model, out.Images = model, &up
	case r.Edit != nil:
		up := *r.Edit
		up.Model, out.Edit = model, &up
	default:
		up := *r.Transcription
		up.Model, out.Transcription = model, &up
	}
	return &out
}

// EventStream is a streamed media answer: the upstream's server-sent
// events, one at a time as they arrive. It is not safe for concurrent
// use.
type EventStream interface {
	// Next returns the next event as it came (its lines and the blank
	// line that ends it), valid until the next call; io.EOF after the
	// last. Any other error means the stream was cut.
	Next() ([]byte, error)
	// Close releases the stream (and, for the gateway's, records the
	// request); calling it again does nothing.
	Close() error
}
