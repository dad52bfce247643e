package gemini

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"mime"
	"net/url"
	"path"
	"strconv"
	"strings"

	"switchyard/llm"
)

var errNotObject = errors.New("not a JSON object")

func itoa(i int) string { return strconv.Itoa(i) }

// imagePart maps an image URL: a data: URI becomes inlineData, an http(s)
// URL fileData with a MIME type guessed from its extension.
func imagePart(u string) (Part, error) {
	if strings.HasPrefix(u, "data:") {
		mt, data, err := parseDataURI(u)
		if err != nil {
			return Part{}, err
		}
		return Part{InlineData: &Blob{MIMEType: mt, Data: data}}, nil
	}
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https" && pu.Scheme != "gs") || pu.Host == "" {
		return Part{}, errors.New("gemini: image_url must be a data: URI or an http(s) URL")
	}
	mt := mime.TypeByExtension(strings.ToLower(path.Ext(pu.Path)))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	if mt == "" {
		mt = "image/jpeg" // Gemini needs a type for a non-Files-API URI; JPEG is the common case
	}
	return Part{FileData: &FileData{MIMEType: mt, FileURI: u}}, nil
}

// parseDataURI splits "data:<type>;base64,<data>" and checks the data is
// valid base64.
func parseDataURI(u string) (mimeType, data string, err error) {
	meta, payload, ok := strings.Cut(strings.TrimPrefix(u, "data:"), ",")
	if !ok || !strings.HasSuffix(meta, ";base64") {
		return "", "", errors.New("gemini: a data: URI must be base64-encoded (data:<type>;base64,<data>)")
	}
	mimeType = strings.TrimSuffix(meta, ";base64")
	if mimeType == "" {
		return "", "", errors.New("gemini: a data: URI needs a media type")
	}
	if _, err := base64.StdEncoding.DecodeString(payload); err != nil {
		return "", "", errors.New("gemini: a data: URI holds invalid base64")
	}
	return mimeType, payload, nil
}

// otherPart maps the OpenAI part shapes Gemini can take inline: input_audio
// and file (with file_data as a data: URI or bare base64).
func otherPart(raw json.RawMessage) (Part, error) {
	var p struct {
		Type       string `json:"type"`
		InputAudio *struct {
			Data   string `json:"data"`
			Format string `json:"format"`
		} `json:"input_audio"`
		File *struct {
			FileData string `json:"file_data"`
			Filename string `json:"filename"`
		} `json:"file"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &p) != nil {
		return Part{}, errors.New("gemini: unsupported content part")
	}
	switch {
	case p.Type == "input_audio" && p.InputAudio != nil:
		return Part{InlineData: &Blob{MIMEType: "audio/" + p.InputAudio.Format, Data: p.InputAudio.Data}}, nil
	case p.Type == "file" && p.File != nil && strings.HasPrefix(p.File.FileData, "data:"):
		mt, data, err := parseDataURI(p.File.FileData)
		if err != nil {
			return Part{}, err
		}
		return Part{InlineData: &Blob{MIMEType: mt, Data: data}}, nil
	}
	return Part{}, errors.New("gemini: unsupported content part type " + strconv.Quote(p.Type))
}

// documentParts maps a document: its title and context as a text part,
// then a PDF as inline data, a text document as text, a content
// document as its text and images. A document by URL is refused: Gemini
// reads file_data URIs of its own Files API only.
func documentParts(doc *llm.Document) ([]Part, error) {
	var parts []Part
	if h := doc.Heading(); h != "" {
		parts = append(parts, Part{Text: h})
	}
	switch {
	case doc.URL != "":
		return nil, errors.New("gemini: documents by URL are not supported; send the PDF's bytes (base64) instead")
	case doc.Data != "":
		return append(parts, Part{InlineData: &Blob{MIMEType: doc.MediaType, Data: doc.Data}}), nil
	case len(doc.Content) > 0:
		for i := range doc.Content {
			c := &doc.Content[i]
			if c.Type != llm.PartImage {
				parts = append(parts, Part{Text: c.Text})
				continue
			}
			part, err := imagePart(c.ImageURL())
			if err != nil {
				return nil, err
			}
			parts = append(parts, part)
		}
		return parts, nil
	}
	return append(parts, Part{Text: doc.Text}), nil
}

func fromTools(tools []llm.Tool) ([]Tool, error) {
	if len(tools) == 0 {
		return nil, nil
	}
	if err := checkRenames(tools); err != nil {
		return nil, err
	}
	decls := make([]FunctionDeclaration, 0, len(tools))
	for i, t := range tools {
		if t.Type != "" && t.Type != "function" {
			return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "tools[" + itoa(i) + "].type",
				Message: "gemini: only function tools are supported"}
		}
		params, err := CleanJSONSchema(t.Parameters)
		if err != nil {
			return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "tools[" + itoa(i) + "].function.parameters",
				Message: "gemini: tool parameters are not a JSON Schema object", Err: err}
		}
		decls = append(decls, FunctionDeclaration{Name: FunctionName(t.Name), Description: t.Description, ParametersJSONSchema: params})
	}
	return []Tool{{FunctionDeclarations: decls}}, nil
}

func fromToolChoice(tc *llm.ToolChoice, haveTools bool) (*ToolConfig, error) {
	if tc == nil || !haveTools {
		return nil, nil
	}
	fc := &FunctionCallingConfig{}
	switch tc.Mode {
	case llm.ToolChoiceAuto, "":
		fc.Mode = ModeAuto
	case llm.ToolChoiceNone:
		fc.Mode = ModeNone
	case llm.ToolChoiceRequired:
		fc.Mode = ModeAny
	case llm.ToolChoiceFunction:
		fc.Mode = ModeAny
		fc.AllowedFunctionNames = []string{FunctionName(tc.Name)}
	default:
		return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "tool_choice",
			Message: "gemini: unsupported tool_choice " + string(tc.Mode)}
	}
	if tc.Allowed != nil {
		allowFunctions(fc, tc.Allowed)
	}
	return &ToolConfig{FunctionCallingConfig: fc}, nil
}

// allowFunctions restricts fc to the functions named (an allowed_tools
// choice): allowedFunctionNames, which Gemini takes with mode ANY (a
// call is required) or VALIDATED (the model may call one or answer,
// its calls checked by constrained decoding) alone.
func allowFunctions(fc *FunctionCallingConfig, names []string) {
	if fc.Mode == ModeAuto {
		fc.Mode = ModeValidated
	}
	fc.AllowedFunctionNames = make([]string, len(names))
	for i, n := range names {
		fc.AllowedFunctionNames[i] = FunctionName(n)
	}
}

func fromGenerationConfig(req *llm.Request) (*GenerationConfig, error) {
	g := &GenerationConfig{
		TopP: req.TopP, TopK: req.TopK, MaxOutputTokens: req.MaxTokens, StopSequences: req.Stop,
		PresencePenalty: req.PresencePenalty, FrequencyPenalty: req.FrequencyPenalty,
		CandidateCount: req.N,
	}
	if RefusesPenalties(req.ModelID()) { // DroppedPenalties names them
		g.PresencePenalty, g.FrequencyPenalty = nil, nil
	}
	if t := req.Temperature; t != nil {
		if *t < 0 || *t > 2 {
			return nil, &llm.Error{Kind: llm.KindInvalidRequest, Param: "temperature",
				Message: "gemini: temperature must be in [0, 2]"}
		}
		g.Temperature = t
	}
	if req.Seed != nil {
		// Gemini's seed is an int32; fold larger seeds deterministically.
		s := int32(*req.Seed % math.MaxInt32)
		g.Seed = &s
	}
	if err := fromResponseFormat(req.ResponseFormat, g); err != nil {
		return nil, err
	}
	fromReasoning(req, g)
	if req.Logprobs {
		g.ResponseLogprobs = true
		if n := req.TopLogprobs; n > 0 {
			g.Logprobs = &n
		}
	}
	if isZero(g) {
		return nil, nil
	}
	return g, nil
}

func isZero(g *GenerationConfig) bool {
	return g.Temperature == nil && g.TopP == nil && g.TopK == nil && g.MaxOutputTokens == nil &&
		len(g.StopSequences) == 0 && g.CandidateCount == nil && g.Seed == nil &&
		g.PresencePenalty == nil && g.FrequencyPenalty == nil && g.ResponseMIMEType == "" &&
		g.ResponseSchema == nil && g.ResponseJSONSchema == nil && g.ThinkingConfig == nil &&
		!g.ResponseLogprobs && g.Logprobs == nil
}

func fromResponseFormat(rf *llm.ResponseFormat, g *GenerationConfig) error {
	if rf == nil {
		return nil
	}
	switch rf.Type {
	case llm.FormatText, "":
	case llm.FormatJSONObject:
		g.ResponseMIMEType = MIMEJSON
	case llm.FormatJSONSchema:
		schema, err := CleanJSONSchema(rf.Schema)
		if err != nil {
			return &llm.Error{Kind: llm.KindInvalidRequest, Param: "response_format.json_schema",
				Message: "gemini: response_format schema is not a JSON Schema object", Err: err}
		}
		g.ResponseMIMEType = MIMEJSON
		g.ResponseJSONSchema = schema
	default:
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: "response_format",
			Message: "gemini: unsupported response_format " + string(rf.Type)}
	}
	return nil
}
