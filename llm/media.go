package llm

import "io"

// This file holds the media endpoints' canonical types: image generation
// (POST /v1/images/generations), speech (POST /v1/audio/speech) and
// transcription or translation (POST /v1/audio/transcriptions and
// /v1/audio/translations). The router does not translate them between
// wire formats: only OpenAI and Azure OpenAI serve them, so each request
// keeps the client's body (with its model replaced upstream) and each
// answer the upstream's, and these types hold what routing, pricing and
// the record need to read.

// ImageRequest is an image generation request.
type ImageRequest struct {
	// Model is the deployment or route asked for.
	Model string
	// Prompt is the text description; required.
	Prompt string
	// N is the number of images; 1 when the request omits it.
	N int
	// Size and Quality are as asked ("1024x1024", "hd"); empty or "auto"
	// means the model's default.
	Size, Quality string
	// Stream reports stream true: the answer is server-sent events
	// (partial images, then the completed image), for the GPT image
	// models.
	Stream bool
	// Body is the request's JSON as the client sent it.
	Body []byte
}

// ImageResponse is an image generation answer.
type ImageResponse struct {
	// Images is the count of images in data.
	Images int
	// Size and Quality are what the answer says it made (gpt-image-1
	// reports them); empty when it does not.
	Size, Quality string
	// Usage is the answer's token usage (gpt-image-1 reports it); zero
	// when it has none.
	Usage Usage
	// Body is the upstream's JSON answer, relayed as it came.
	Body []byte
}

// SpeechRequest is a text-to-speech request.
type SpeechRequest struct {
	Model string
	// Input is the text to speak; required.
	Input string
	// ResponseFormat is the audio format: mp3 (the default when empty),
	// opus, aac, flac, wav or pcm.
	ResponseFormat string
	// Body is the request's JSON as the client sent it.
	Body []byte
}

// AudioStream is a speech answer: audio read as it arrives from the
// upstream. The caller must Close Body.
type AudioStream struct {
	// ContentType is the audio's media type (audio/mpeg for mp3).
	ContentType string
	Body        io.ReadCloser
}

// TranscriptionRequest is a transcription or translation request
// (multipart/form-data on the wire).
type TranscriptionRequest struct {
	// Translate reports /v1/audio/translations (into English) rather
	// than /v1/audio/transcriptions.
	Translate bool
	Model     string
	// File is the audio; FileName its name as uploaded (its extension
	// tells the upstream the format) and FileType its part's
	// Content-Type (empty when the part gave none).
	File     []byte
	FileName string
	FileType string
	// ResponseFormat is json (the default when empty), text, srt,
	// verbose_json or vtt.
	ResponseFormat string
	// Stream reports stream true: the answer is server-sent events
	// (transcript.text.delta, then transcript.text.done), for the gpt-4o
	// transcription models (whisper-1 refuses it upstream).
	Stream bool
	// Fields are the form's other fields in order (language, prompt,
	// temperature, timestamp_granularities[]…, stream), sent upstream as
	// they came.
	Fields []FormField
}

// FormField is one field of a multipart form other than its file.
type FormField struct{ Name, Value string }

// TranscriptionResponse is a transcription or translation answer.
type TranscriptionResponse struct {
	// ContentType is the answer's media type: application/json for json
	// and verbose_json, text/plain for text, srt and vtt.
	ContentType string
	// Seconds is the audio's duration when the answer tells it (usage
	// of type duration, verbose_json's duration, the last cue of srt or
	// vtt); 0 when it does not.
	Seconds float64
	// Usage is the answer's token usage (gpt-4o-transcribe reports it);
	// zero when it has none.
	Usage Usage
	// Body is the upstream's answer, relayed as it came.
	Body []byte
}

// The media capabilities: serving POST /v1/images/generations, POST
// /v1/audio/speech, and POST /v1/audio/transcriptions and
// /v1/audio/translations.
const (
	CapImages        Capability = "images"
	CapSpeech        Capability = "speech"
	CapTranscription Capability = "transcription"
	// CapRealtime marks a deployment that serves the Realtime API
	// (GET /v1/realtime, a WebSocket session); only kinds openai and
	// azure have it. It serves nothing else.
	CapRealtime Capability = "realtime"
)

// SpeechContentType returns the media type of speech audio in format
// (mp3 when empty), or "" for a format the API does not have.
func SpeechContentType(format string) string {
	switch format {
	case "", "mp3":
		return "audio/mpeg"
	case "opus":
		return "audio/opus"
	case "aac":
		return "audio/aac"
	case "flac":
		return "audio/flac"
	case "wav":
		return "audio/wav"
	case "pcm":
		return "audio/pcm"
	}
	return ""
}
