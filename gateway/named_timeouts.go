package gateway

import (
	"time"

	"switchyard/config"
)

// The first-byte timeouts of the named endpoints' attempts when neither
// the caller (x-switchyard-timeout-ms), the route nor the deployment
// (first_byte_timeout) sets one (attemptTimeout). Each is
// sized for what the endpoint's upstream does before its first byte,
// generously: a timeout that abandons healthy answers costs a second
// generation, and the request's deadline (server.request_timeout) still
// bounds everything. Embeddings have the one a chat attempt would
// (namedTTFT): an embedding comes whole, as soon as a first token would.
const (
	// ModerationFirstByte bounds a moderation: a classifier's answer,
	// whole in well under a second, images included.
	ModerationFirstByte = 5 * time.Second
	// SpeechFirstByte bounds speech until its audio starts: the upstream
	// streams audio as it synthesizes it, its first bytes within a second
	// or two whatever the input's length; after them a silence past
	// resilience.stall_timeout is a stall (stallBody).
	SpeechFirstByte = 15 * time.Second
	// ImageFirstByte bounds an image generation or edit: the answer (or a
	// stream's headers) comes once the images are drawn, which takes
	// gpt-image-1 up to two minutes at high quality and size.
	ImageFirstByte = 3 * time.Minute
	// TranscriptionFirstByte and TranscriptionPerAudioSecond bound a
	// transcription or translation: the answer comes once the whole
	// audio is transcribed, at tens of times its real time, so the bound
	// grows with the audio's duration (audio.Estimate: the file's
	// headers, else a low bit rate's, which overestimates).
	TranscriptionFirstByte      = 30 * time.Second
	TranscriptionPerAudioSecond = 250 * time.Millisecond
)

// firstByte is how a named endpoint bounds an attempt's first byte
// (attemptTimeout). The zero firstByte is embeddings': a chat attempt's
// (namedTTFT).
type firstByte struct {
	// own is the endpoint's own timeout, when neither the route nor the
	// deployment sets one; negative: none (noFirstByte).
	own time.Duration
	// pick is the endpoint's field of a route's or deployment's
	// first_byte_timeout; nil for embeddings.
	pick func(*config.FirstByteTimeouts) time.Duration
	// extra is added to the configured timeout or own: a transcription's
	// allowance for its audio's duration.
	extra time.Duration
}

// The named endpoints' first-byte timeouts.
var (
	moderationFirstByte = firstByte{own: ModerationFirstByte, pick: func(f *config.FirstByteTimeouts) time.Duration { return f.Moderations }}
	speechFirstByte     = firstByte{own: SpeechFirstByte, pick: func(f *config.FirstByteTimeouts) time.Duration { return f.Speech }}
	imageFirstByte      = firstByte{own: ImageFirstByte, pick: func(f *config.FirstByteTimeouts) time.Duration { return f.Images }}
	// noFirstByte is the first-byte timeout of an endpoint bounded
	// otherwise (a Realtime handshake, by server.realtime's): none but the
	// caller's.
	noFirstByte = firstByte{own: -1, pick: func(*config.FirstByteTimeouts) time.Duration { return 0 }}
)

// transcriptionFirstByte is the first-byte timeout of transcribing secs
// seconds of audio.
func transcriptionFirstByte(secs float64) firstByte {
	return firstByte{
		own:   TranscriptionFirstByte,
		pick:  func(f *config.FirstByteTimeouts) time.Duration { return f.Transcriptions },
		extra: time.Duration(secs * float64(TranscriptionPerAudioSecond)),
	}
}
