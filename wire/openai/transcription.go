package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"switchyard/llm"
)

// maxFormField bounds one form field other than the file (a prompt, a
// language) of a transcription request.
const maxFormField = 64 << 10

// transcriptionFormats are the formats of a transcription answer.
var transcriptionFormats = []string{"json", "text", "srt", "verbose_json", "vtt", "diarized_json"}

// DecodeTranscriptionForm reads a client's transcription or translation
// request (POST /v1/audio/transcriptions or /v1/audio/translations,
// multipart/form-data with boundary): file and model are required (file
// a non-empty file part); response_format is json, text, srt,
// verbose_json, vtt or diarized_json; temperature a number from 0 to 1;
// stream true or false (true: the answer is server-sent events, kept as
// req.Stream and as a field). Other fields are kept
// in order for the upstream. A form that does not parse, and a field
// over 64 KiB, is a 400; errors reading r (an *http.MaxBytesError, say)
// are returned as they are. Other errors are *llm.Error values of kind
// invalid_request naming the param.
func DecodeTranscriptionForm(r io.Reader, boundary string, translate bool) (*llm.TranscriptionRequest, error) {
	req := &llm.TranscriptionRequest{Translate: translate}
	mr := multipart.NewReader(r, boundary)
	hasFile := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, formError(err)
		}
		name := part.FormName()
		if name == "file" {
			hasFile = true
			if err := readFile(part, req); err != nil {
				return nil, err
			}
			continue
		}
		value, err := readField(part)
		if err != nil {
			return nil, err
		}
		if err := setTranscriptionField(req, name, value); err != nil {
			return nil, err
		}
	}
	switch {
	case !hasFile:
		return nil, missingParam("file")
	case req.Model == "":
		return nil, missingParam("model")
	}
	return req, nil
}

// readFile reads the file part into req.
func readFile(part *multipart.Part, req *llm.TranscriptionRequest) error {
	data, err := io.ReadAll(part)
	if err != nil {
		return formError(err)
	}
	if len(data) == 0 {
		return &llm.Error{Kind: llm.KindInvalidRequest, Param: "file", Message: "Invalid 'file': the file is empty. Upload audio in one of: flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm."}
	}
	req.File, req.FileName, req.FileType = data, part.FileName(), part.Header.Get("Content-Type")
	if req.FileName == "" {
		req.FileName = "audio"
	}
	return nil
}

// readField reads a form field's value, bounded.
func readField(part *multipart.Part) (string, error) {
	data, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
	if err != nil {
		return "", formError(err)
	}
	if len(data) > maxFormField {
		return "", &llm.Error{Kind: llm.KindInvalidRequest, Param: part.FormName(), Message: fmt.Sprintf("Invalid '%s': over %d bytes.", clip(part.FormName()), maxFormField)}
	}
	return string(data), nil
}

// setTranscriptionField checks and keeps one form field.
func setTranscriptionField(req *llm.TranscriptionRequest, name, value string) error {
	switch name {
	case "model":
		if value == "" {
			return &llm.Error{Kind: llm.KindInvalidRequest, Param: "model", Message: "Invalid 'model': empty string. Expected a model name."}
		}
		req.Model = value
		return nil
	case "response_format":
		if !slices.Contains(transcriptionFormats, value) {
			return &llm.Error{Kind: llm.KindInvalidRequest, Param: "response_format", Message: errEnum(value, "'"+strings.Join(transcriptionFormats, "', '")+"'").in("response_format").Error()}
		}
		req.ResponseFormat = value
		return nil
	case "temperature":
		if t, err := strconv.ParseFloat(value, 64); err != nil || t < 0 || t > 1 {
			return &llm.Error{Kind: llm.KindInvalidRequest, Param: "temperature", Message: fmt.Sprintf("Invalid 'temperature': expected a number from 0 to 1, but got '%s'.", clip(value))}
		}
	case "stream":
		switch value {
		case "true":
			req.Stream = true
		case "false":
			req.Stream = false
		default:
			return &llm.Error{Kind: llm.KindInvalidRequest, Param: "stream", Message: fmt.Sprintf("Invalid 'stream': expected a boolean (true or false), but got '%s'.", clip(value))}
		}
	}
	req.Fields = append(req.Fields, llm.FormField{Name: name, Value: value})
	return nil
}

func missingParam(name string) *llm.Error {
	return &llm.Error{Kind: llm.KindInvalidRequest, Param: name, Message: "Missing required parameter: '" + name + "'."}
}

// formError is a multipart body that does not parse; a read error of the
// body underneath (its size limit) is returned as it is.
func formError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	return llm.Wrap(llm.KindInvalidRequest, err, "We could not parse the multipart form body of your request ("+clip(err.Error())+"). The API expects multipart/form-data with a file part and a model field.")
}

// EncodeTranscriptionForm writes req as the multipart form sent upstream:
// the file, the model, the response format when set, then the other
// fields in their order. It returns the body and its Content-Type.
func EncodeTranscriptionForm(req *llm.TranscriptionRequest) ([]byte, string) {
	var b bytes.Buffer
	b.Grow(len(req.File) + 1024)
	mw := multipart.NewWriter(&b)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+escapeQuotes(req.FileName)+`"`)
	h.Set("Content-Type", orDefault(req.FileType, "application/octet-stream"))
	fw, _ := mw.CreatePart(h)
	fw.Write(req.File)
	mw.WriteField("model", req.Model)
	if req.ResponseFormat != "" {
		mw.WriteField("response_format", req.ResponseFormat)
	}
	for _, f := range req.Fields {
		mw.WriteField(f.Name, f.Value)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func escapeQuotes(s string) string {
	return strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "").Replace(s)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// transcriptionAnswer is the part of a JSON transcription answer the
// router reads: verbose_json's duration, and the usage (whisper-1's
// seconds, the gpt-4o models' tokens).
type transcriptionAnswer struct {
	Text     *string  `json:"text"`
	Duration *float64 `json:"duration"`
	Usage    *struct {
		Type              string  `json:"type"`
		Seconds           float64 `json:"seconds"`
		InputTokens       int     `json:"input_tokens"`
		OutputTokens      int     `json:"output_tokens"`
		TotalTokens       int     `json:"total_tokens"`
		InputTokenDetails struct {
			AudioTokens int `json:"audio_tokens"`
		} `json:"input_token_details"`
	} `json:"usage"`
}

// cueEnd matches the end time of a subtitle cue: "--> 00:01:02,345"
// (srt) or "--> 00:01:02.345" (vtt; hours optional).
var cueEnd = regexp.MustCompile(`--> (?:(\d+):)?(\d{2}):(\d{2})[,.](\d{3})`)

// DecodeTranscriptionResponse reads an upstream's transcription answer in
// format (json when empty): the audio's seconds (usage of type duration,
// verbose_json's duration, the last cue's end for srt and vtt; 0 for
// text), the token usage (PromptTokens the input, AudioPromptTokens its
// audio part). A json or verbose_json answer without text is an error.
func DecodeTranscriptionResponse(format string, data []byte) (*llm.TranscriptionResponse, error) {
	out := &llm.TranscriptionResponse{ContentType: "text/plain; charset=utf-8", Body: data}
	switch format {
	case "text":
		return out, nil
	case "srt", "vtt":
		if m := cueEnd.FindAllSubmatch(data, -1); len(m) > 0 {
			out.Seconds = cueSeconds(m[len(m)-1])
		}
		return out, nil
	}
	out.ContentType = "application/json"
	var a transcriptionAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	if a.Text == nil {
		return nil, errors.New("not a transcription answer: no text")
	}
	if a.Duration != nil {
		out.Seconds = *a.Duration
	}
	if u := a.Usage; u != nil {
		if u.Type == "duration" {
			out.Seconds = u.Seconds
		}
		out.Usage = llm.Usage{PromptTokens: u.InputTokens, AudioPromptTokens: u.InputTokenDetails.AudioTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.TotalTokens}
	}
	return out, nil
}

// cueSeconds is a cue end time's seconds.
func cueSeconds(m [][]byte) float64 {
	n := func(b []byte) float64 { v, _ := strconv.Atoi(string(b)); return float64(v) }
	return n(m[1])*3600 + n(m[2])*60 + n(m[3]) + n(m[4])/1000
}
