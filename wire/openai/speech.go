package openai

import (
	"fmt"
	"unicode/utf8"

	"switchyard/llm"
)

// maxSpeechInput is the most characters of input a speech request may
// have, as OpenAI's API reference says.
const maxSpeechInput = 4096

// speechFormats are the audio formats of a speech answer.
var speechFormats = []string{"mp3", "opus", "aac", "flac", "wav", "pcm"}

// DecodeSpeechRequest decodes a client's text-to-speech request body
// (POST /v1/audio/speech, OpenAI's CreateSpeechRequest). model, input
// and voice are required: model and input non-empty strings (input at
// most 4096 characters), voice a string or an object (a custom voice's
// {"id": …}); response_format one of mp3, opus, aac, flac, wav, pcm;
// speed a number from 0.25 to 4; stream_format sse or audio. Other
// members are left to the upstream. The request keeps a copy of data as
// its Body. Errors are *llm.Error values of kind invalid_request naming
// the param.
func DecodeSpeechRequest(data []byte) (*llm.SpeechRequest, error) {
	s := scanner{data: data}
	if err := notObject(&s); err != nil {
		return nil, requestError(data, err)
	}
	req := &llm.SpeechRequest{}
	var has [3]bool
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "model":
			has[0] = true
			return mediaModel(&s, &req.Model, false)
		case "input":
			has[1] = true
			return speechInput(&s, &req.Input)
		case "voice":
			has[2] = true
			return speechVoice(&s)
		case "response_format":
			return enumString(&s, &req.ResponseFormat, speechFormats...)
		case "speed":
			return speechSpeed(&s)
		case "stream_format":
			var v string
			return enumString(&s, &v, "sse", "audio")
		}
		return s.skip()
	})
	if err == nil {
		err = s.end()
	}
	for i, name := range []string{"model", "input", "voice"} {
		if err == nil && !has[i] {
			err = errMissing().in(name)
		}
	}
	if err != nil {
		return nil, requestError(data, err)
	}
	req.Body = append([]byte(nil), data...)
	return req, nil
}

// speechInput reads input: a non-empty string of at most maxSpeechInput
// characters.
func speechInput(s *scanner, dst *string) error {
	if err := nonEmptyString(s, dst); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(*dst); n > maxSpeechInput {
		return errInvalid(fmt.Sprintf("string too long. Expected a string with maximum length %d, but got a string with length %d instead.", maxSpeechInput, n))
	}
	return nil
}

// speechVoice reads voice: a non-empty string, or an object (a custom
// voice) whose members the upstream checks.
func speechVoice(s *scanner) error {
	if s.peek() == '{' {
		return s.skip()
	}
	var v string
	return nonEmptyString(s, &v)
}

// speechSpeed reads speed: null, or a number from 0.25 to 4.
func speechSpeed(s *scanner) error {
	if s.null() {
		return nil
	}
	v, err := s.float()
	if err == nil && (v < 0.25 || v > 4) {
		return errInvalid(fmt.Sprintf("number out of range. Expected a value from 0.25 to 4.0, but got %g instead.", v))
	}
	return err
}
