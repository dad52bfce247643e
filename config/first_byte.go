package config

import "time"

// FirstByteTimeouts are the first-byte timeouts of the named endpoints
// whose upstream answers in seconds to minutes, not as soon as a chat
// model's first token (docs/resilience.md): a route's or a deployment's
// first_byte_timeout. A zero field means unset: the deployment's, else
// the endpoint's own (gateway.ImageFirstByte…). Chat's ttft_timeout
// (the route's tiers' and the deployment's) bounds chat and embeddings
// alone.
type FirstByteTimeouts struct {
	// Moderations bounds a moderation's answer.
	Moderations time.Duration
	// Speech bounds speech until its audio starts.
	Speech time.Duration
	// Images bounds an image generation, edit or variation until its
	// answer (or a stream's headers).
	Images time.Duration
	// Transcriptions bounds a transcription or translation until its
	// answer, plus gateway.TranscriptionPerAudioSecond per second of
	// audio.
	Transcriptions time.Duration
}

func (d *decoder) firstByteTimeouts(e entry, t *FirstByteTimeouts) {
	d.object(e.node, e.path, []field{
		{"moderations", func(e entry) { d.duration(e, &t.Moderations, true) }},
		{"speech", func(e entry) { d.duration(e, &t.Speech, true) }},
		{"images", func(e entry) { d.duration(e, &t.Images, true) }},
		{"transcriptions", func(e entry) { d.duration(e, &t.Transcriptions, true) }},
	})
}
