package openai

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/openai"
)

// speechVoices are the built-in voices of OpenAI's speech models.
var speechVoices = []string{"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse", "marin", "cedar"}

// speechRate is the simulated speaking rate, in characters per second,
// and sampleRate the audio's (OpenAI's speech is 24 kHz mono).
const (
	speechRate = 15
	sampleRate = 24000
	// speechChunk is how much audio is written (and flushed) at a time.
	speechChunk = 4096
)

// speech serves POST /v1/audio/speech (and Azure's deployment route):
// silent audio as long as the input takes to say, in the asked format
// (mp3 frames, an Ogg, ADTS or FLAC stream's framing, a WAV file, raw
// 16-bit PCM), written in chunks with chunked transfer encoding as the
// API streams it, typed as the API types it. The faults strike before
// the audio, or cut it halfway (FaultCut).
func (s *server) speech(c *call) {
	req, ok := readRequest(c, wire.DecodeSpeechRequest)
	if !ok {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.mediaProfile(c, req.Model, func(p *sim.Profile) bool { return p.Speech })
	if !ok || !validVoice(c, req.Body) {
		return
	}
	ft := s.faults.Pick(req.Model, req.Input)
	if s.failEarly(c, ft, p) || !sim.Sleep(c.r.Context(), p.FirstTokenDelay()) {
		return
	}
	audio := silence(req.ResponseFormat, float64(utf8.RuneCountInString(req.Input))/speechRate)
	s.okRateHeaders(c)
	c.header(http.StatusOK, llm.SpeechContentType(req.ResponseFormat))
	rc := http.NewResponseController(c.w)
	for i := 0; i < len(audio); i += speechChunk {
		if ft.Kind == sim.FaultCut && i >= len(audio)/2 {
			sim.Cut()
		}
		if _, err := c.w.Write(audio[i:min(i+speechChunk, len(audio))]); err != nil {
			return
		}
		rc.Flush()
	}
}

// validVoice checks a string voice against the built-in voices; an
// object (a custom voice) passes.
func validVoice(c *call, body []byte) bool {
	var v struct {
		Voice any `json:"voice"`
	}
	json.Unmarshal(body, &v)
	name, ok := v.Voice.(string)
	if !ok || slices.Contains(speechVoices, name) {
		return true
	}
	c.fail(http.StatusBadRequest, apiError{
		Message: fmt.Sprintf("Invalid value: '%s'. Supported values are: '%s'.", name, strings.Join(speechVoices, "', '")),
		Type:    "invalid_request_error", Param: "voice", Code: "invalid_value",
	})
	return false
}

// silence is seconds of silent audio in format (mp3 when empty).
func silence(format string, seconds float64) []byte {
	seconds = max(seconds, 0.5)
	samples := int(seconds * sampleRate)
	var b bytes.Buffer
	switch format {
	case "", "mp3":
		// MPEG-2 Layer III, 48 kbit/s, 24 kHz, mono: 144-byte frames
		// of 576 samples.
		frame := make([]byte, 144)
		copy(frame, []byte{0xFF, 0xF3, 0x64, 0xC4})
		for range samples/576 + 1 {
			b.Write(frame)
		}
	case "wav":
		pcm := make([]byte, 2*samples)
		b.WriteString("RIFF")
		binary.Write(&b, binary.LittleEndian, uint32(36+len(pcm)))
		b.WriteString("WAVEfmt ")
		for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(sampleRate), uint32(2 * sampleRate), uint16(2), uint16(16)} {
			binary.Write(&b, binary.LittleEndian, v)
		}
		b.WriteString("data")
		binary.Write(&b, binary.LittleEndian, uint32(len(pcm)))
		b.Write(pcm)
	case "pcm":
		b.Write(make([]byte, 2*samples))
	default:
		magic := map[string]string{"opus": "OggS", "aac": "\xff\xf1\x50\x80", "flac": "fLaC"}[format]
		b.WriteString(magic)
		b.Write(make([]byte, samples/8))
	}
	return b.Bytes()
}
