package openai

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"strings"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// maxAudio is the real API's limit on an audio upload.
const maxAudio = 25 << 20

// transcriptions serves POST /v1/audio/transcriptions and translations
// serves /v1/audio/translations (and Azure's deployment routes).
func (s *server) transcriptions(c *call) { s.transcribe(c, false) }
func (s *server) translations(c *call)   { s.transcribe(c, true) }

// transcribe answers a multipart upload with a fixed transcript of the
// audio's length (a WAV file's from its header, any other's at 16 kB/s)
// in the asked format, as whisper-1 answers (usage in seconds, segments
// in verbose_json) or a gpt-4o transcription model does (usage in
// tokens; json and text only).
func (s *server) transcribe(c *call, translate bool) {
	req, ok := s.readTranscription(c, translate)
	if !ok {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.mediaProfile(c, req.Model, func(p *sim.Profile) bool { return p.Transcription })
	if !ok {
		return
	}
	whisper := strings.HasPrefix(p.Model, "whisper")
	if !whisper && req.ResponseFormat != "" && req.ResponseFormat != "json" && req.ResponseFormat != "text" || translate && !whisper {
		c.fail(http.StatusBadRequest, apiError{Message: fmt.Sprintf("response_format '%s' is not compatible with model '%s'. Use 'json' or 'text'.", req.ResponseFormat, p.Model),
			Type: "invalid_request_error", Param: "response_format", Code: "unsupported_value"})
		return
	}
	seconds := audioSeconds(req.File)
	text := "This is a simulated transcription of " + req.FileName + "."
	if req.Stream && !whisper && !translate { // whisper-1 ignores stream, as documented
		s.streamTranscript(c, p, req, text, seconds)
		return
	}
	ft := s.faults.Pick(req.Model, req.FileName)
	if s.failEarly(c, ft, p) || !sim.Sleep(c.r.Context(), p.FirstTokenDelay()) {
		return
	}
	body, ct := transcript(req.ResponseFormat, text, seconds, whisper, translate)
	s.okRateHeaders(c)
	c.header(http.StatusOK, ct)
	c.w.Write(body)
}

// readTranscription reads the multipart form as the API does: 413 past
// 25 MB, 400 for a form that does not parse.
func (s *server) readTranscription(c *call, translate bool) (*llm.TranscriptionRequest, bool) {
	_, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		c.fail(http.StatusBadRequest, apiError{Message: "Invalid Content-Type header (multipart/form-data with a boundary expected).", Type: "invalid_request_error"})
		return nil, false
	}
	req, err := wire.DecodeTranscriptionForm(http.MaxBytesReader(c.w, c.r.Body, maxAudio), params["boundary"], translate)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		c.fail(http.StatusRequestEntityTooLarge, apiError{Message: fmt.Sprintf("Maximum content size limit (%d) exceeded.", maxAudio), Type: "invalid_request_error"})
		return nil, false
	}
	if err != nil {
		c.failLLM(llm.AsError(err))
		return nil, false
	}
	return req, true
}

// audioSeconds is the length of audio: a canonical WAV's from its
// header, any other's at 16 kB/s (128 kbit/s).
func audioSeconds(audio []byte) float64 {
	if len(audio) >= 44 && string(audio[:4]) == "RIFF" && string(audio[8:12]) == "WAVE" {
		if rate := binary.LittleEndian.Uint32(audio[28:32]); rate > 0 {
			return float64(binary.LittleEndian.Uint32(audio[40:44])) / float64(rate)
		}
	}
	return float64(len(audio)) / 16000
}

// transcript is the answer in format (json when empty) and its type.
func transcript(format, text string, seconds float64, whisper, translate bool) ([]byte, string) {
	const plain = "text/plain; charset=utf-8"
	seconds = math.Round(seconds*100) / 100
	switch format {
	case "text":
		return []byte(text + "\n"), plain
	case "srt":
		return []byte("1\n00:00:00,000 --> " + cueTime(seconds, ",") + "\n" + text + "\n\n"), plain
	case "vtt":
		return []byte("WEBVTT\n\n00:00:00.000 --> " + cueTime(seconds, ".") + "\n" + text + "\n\n"), plain
	}
	out := map[string]any{"text": text}
	switch {
	case translate && format != "verbose_json":
		// A translation's json is its text alone, as documented.
	case whisper:
		out["usage"] = map[string]any{"type": "duration", "seconds": int(math.Ceil(seconds))}
	default:
		audio, words := int(seconds*10)+1, sim.CountTokens(text)
		out["usage"] = map[string]any{"type": "tokens", "input_tokens": audio, "input_token_details": map[string]int{"text_tokens": 0, "audio_tokens": audio},
			"output_tokens": words, "total_tokens": audio + words}
	}
	if format == "verbose_json" {
		task := "transcribe"
		if translate {
			task = "translate"
		}
		out["task"], out["language"], out["duration"] = task, "english", seconds
		out["segments"] = []map[string]any{{"id": 0, "seek": 0, "start": 0.0, "end": seconds, "text": " " + text, "tokens": []int{50364, 400, 307},
			"temperature": 0.0, "avg_logprob": -0.25, "compression_ratio": 1.1, "no_speech_prob": 0.01}}
	}
	b, _ := json.Marshal(out)
	return b, "application/json"
}

// cueTime writes seconds as a cue time, sep before the milliseconds.
func cueTime(seconds float64, sep string) string {
	ms := int(math.Round(seconds * 1000))
	return fmt.Sprintf("%02d:%02d:%02d%s%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}
