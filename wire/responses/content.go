package responses

import (
	"encoding/json"
	"math/bits"
	"strconv"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// contentPart is one part of a message's content, of any type the router
// reads; which fields may be set depends on Type (checked by part).
type contentPart struct {
	Type     string          `json:"type"`
	Text     *string         `json:"text"`
	Refusal  *string         `json:"refusal"`
	ImageURL *string         `json:"image_url"`
	FileID   *string         `json:"file_id"`
	FileData *string         `json:"file_data"`
	FileURL  *string         `json:"file_url"`
	Filename *string         `json:"filename"`
	Detail   *string         `json:"detail"`
	Annots   json.RawMessage `json:"annotations"`
	Logprobs json.RawMessage `json:"logprobs"`
	// PromptCacheBreakpoint marks the end of a cacheable prefix
	// (cacheBreakpoint).
	PromptCacheBreakpoint json.RawMessage `json:"prompt_cache_breakpoint"`
}

// decodeContent decodes a message's content (a string, or an array of
// content parts) at path into a message of role. A function call's
// output (role tool) holds text, images and files.
func decodeContent(raw json.RawMessage, role llm.Role, path string) (llm.Message, error) {
	switch first(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return llm.Message{}, jsonError(err, path)
		}
		return llm.TextMessage(role, s), nil
	case '[':
	case 0:
		return llm.Message{}, invalid(path, "Missing required parameter: '%s'.", path)
	default:
		return llm.Message{}, invalid(path, "Invalid type for '%s': expected one of a string or an array of content parts, but got %s instead.", path, kindOf(raw))
	}
	m := llm.Message{Role: role}
	if err, ok := decodePartsFast(raw, &m, path); ok {
		if err != nil {
			return llm.Message{}, err
		}
		return checkNotEmpty(m, path)
	}
	return decodeParts(raw, role, path)
}

// decodeParts decodes an array of content parts one by one: the
// reference for decodePartsFast, and the path that words the error when
// the fast one meets a malformed part.
func decodeParts(raw json.RawMessage, role llm.Role, path string) (llm.Message, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return llm.Message{}, jsonError(err, path)
	}
	m := llm.Message{Role: role, Content: make([]llm.Part, 0, len(parts))}
	for i, pr := range parts {
		at := path + "[" + strconv.Itoa(i) + "]"
		if first(pr) != '{' {
			return llm.Message{}, invalid(at, "Invalid type for '%s': expected a content part object, but got %s instead.", at, kindOf(pr))
		}
		var p contentPart
		if err := decodeStrict(pr, at, &p); err != nil {
			return llm.Message{}, err
		}
		if err := addPart(&m, &p, at); err != nil {
			return llm.Message{}, err
		}
	}
	return checkNotEmpty(m, path)
}

// checkNotEmpty refuses a message whose content array held no part.
func checkNotEmpty(m llm.Message, path string) (llm.Message, error) {
	if len(m.Content) == 0 && m.Refusal() == "" {
		return llm.Message{}, invalid(path, "Invalid '%s': empty array. Expected an array with at least one content part.", path)
	}
	return m, nil
}

// addPart checks the part p at path and adds it to m, with its cache
// breakpoint.
func addPart(m *llm.Message, p *contentPart, at string) error {
	if err := checkPartFields(p, at); err != nil {
		return err
	}
	ttl, err := wire.CacheBreakpoint(p.PromptCacheBreakpoint)
	if err != nil {
		return invalid(at+".prompt_cache_breakpoint", "Invalid '%s.prompt_cache_breakpoint': %v", at, err)
	}
	n := len(m.Content)
	if err := addPartKind(m, p, at); err != nil || ttl == llm.NoCache || len(m.Content) == n {
		return err
	}
	m.Content[len(m.Content)-1].SetCache(ttl)
	return nil
}

// addPartKind adds the part p at path to m as its type says.
func addPartKind(m *llm.Message, p *contentPart, at string) error {
	switch p.Type {
	case "input_text", "output_text":
		if p.Text == nil {
			return invalid(at+".text", "Missing required parameter: '%s.text'.", at)
		}
		m.Content = append(m.Content, llm.Part{Type: llm.PartText, Text: *p.Text})
	case "refusal":
		if m.Role != llm.RoleAssistant {
			return invalid(at+".type", "Content parts of type 'refusal' belong to assistant messages only.")
		}
		if p.Refusal == nil {
			return invalid(at+".refusal", "Missing required parameter: '%s.refusal'.", at)
		}
		m.SetRefusal(m.Refusal() + *p.Refusal)
	case "input_image":
		return addImage(m, p, at)
	case "input_file":
		return addFile(m, p, at)
	case "input_audio":
		return unsupported(at+".type", "Content parts of type '%s' are not supported by this router; it reads 'input_text', 'input_image' and 'input_file' parts.", llm.Clip(p.Type))
	case "":
		return invalid(at+".type", "Missing required parameter: '%s.type'.", at)
	default:
		return invalid(at+".type", "Invalid value: '%s'. Supported content part types are: 'input_text', 'input_image', 'input_file', 'output_text' and 'refusal'.", llm.Clip(p.Type))
	}
	return nil
}

// addImage adds an input_image part to m (a user message's, or a
// function call output's: each upstream encoder puts a tool message's
// images where its API takes them).
func addImage(m *llm.Message, p *contentPart, at string) error {
	switch {
	case m.Role == llm.RoleAssistant:
		return invalid(at+".type", "Content parts of type 'input_image' do not belong in assistant messages.")
	case p.FileID != nil && *p.FileID != "" && p.ImageURL != nil:
		return invalid(at, "Invalid '%s': an 'input_image' part takes only one of 'image_url' or 'file_id'.", at)
	case (p.FileID == nil || *p.FileID == "") && (p.ImageURL == nil || *p.ImageURL == ""):
		return invalid(at+".image_url", "Missing required parameter: '%s.image_url'.", at)
	}
	detail, err := partDetail(p, at, true)
	if err != nil {
		return err
	}
	if p.FileID != nil && *p.FileID != "" {
		// resolved to the image's bytes by the router keeping the file
		// (api/openai), or refused: chat's image_url has no file id
		m.Content = append(m.Content, wire.ImageFilePart(*p.FileID, detail))
		return nil
	}
	m.Content = append(m.Content, llm.ImagePart(*p.ImageURL, detail))
	return nil
}

// partDetail returns the detail of an image or file part ("" when
// unset), refusing a value other than auto, low or high, and original
// for an image (its full resolution: OpenAI takes it on both APIs; the
// other upstreams read no detail).
func partDetail(p *contentPart, at string, image bool) (string, error) {
	if p.Detail == nil {
		return "", nil
	}
	switch *p.Detail {
	case "auto", "low", "high":
		return *p.Detail, nil
	case "original":
		if image {
			return *p.Detail, nil
		}
	}
	if image {
		return "", invalid(at+".detail", "Invalid value: '%s'. Supported values are: 'low', 'high', 'auto' and 'original'.", llm.Clip(*p.Detail))
	}
	return "", invalid(at+".detail", "Invalid value: '%s'. Supported values are: 'auto', 'low' and 'high'.", llm.Clip(*p.Detail))
}

// The fields of a content part, as bits of a mask, in partFieldNames order.
const (
	fText uint16 = 1 << iota
	fRefusal
	fImageURL
	fFileID
	fFileData
	fFileURL
	fFilename
	fDetail
	fAnnotations
	fLogprobs
	fCacheBreakpoint
)

var partFieldNames = [...]string{"text", "refusal", "image_url", "file_id", "file_data", "file_url", "filename", "detail", "annotations", "logprobs", "prompt_cache_breakpoint"}

// partFields are the fields each content part type may carry.
var partFields = map[string]uint16{
	"input_text":  fText | fCacheBreakpoint,
	"output_text": fText | fAnnotations | fLogprobs,
	"refusal":     fRefusal,
	"input_image": fImageURL | fFileID | fDetail | fCacheBreakpoint,
	"input_file":  fFileID | fFileData | fFileURL | fFilename | fDetail | fCacheBreakpoint,
}

// checkPartFields refuses the fields that do not belong to p's type, as
// a strict decoding into that type alone would.
func checkPartFields(p *contentPart, at string) error {
	allowed, known := partFields[p.Type]
	if !known {
		return nil // addPart says what is wrong with the type
	}
	var set uint16
	for bit, present := range [...]bool{p.Text != nil, p.Refusal != nil, p.ImageURL != nil, p.FileID != nil,
		p.FileData != nil, p.FileURL != nil, p.Filename != nil, p.Detail != nil, p.Annots != nil, p.Logprobs != nil, p.PromptCacheBreakpoint != nil} {
		if present {
			set |= 1 << bit
		}
	}
	if extra := set &^ allowed; extra != 0 {
		name := partFieldNames[bits.TrailingZeros16(extra)]
		e := invalid(at+"."+name, "Unknown parameter: '%s.%s'.", at, name)
		e.Code = "unknown_parameter"
		return e
	}
	return nil
}
