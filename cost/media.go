package cost

import (
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file prices the media endpoints (images, speech, transcription),
// which are not priced per token: OpenAI's image models per image of a
// size and quality (the source lists it per pixel), tts-1 per character
// of input, whisper-1 per second of audio, the gpt-4o transcription
// models per token (audio input, text input, text output). The prices
// are the source's (../shared/datasets/routing/model_prices.json, modes
// image_generation, audio_speech, audio_transcription; TestMediaPrices
// compares them when the file is there); Azure OpenAI lists the same.

// MediaPrice is how one media model is priced. Which fields are set
// depends on Kind.
type MediaPrice struct {
	// Kind is the endpoint the model serves: llm.CapImages, CapSpeech or
	// CapTranscription.
	Kind llm.Capability
	// PerImage maps "WIDTHxHEIGHT/QUALITY", "WIDTHxHEIGHT" (any quality)
	// and "" (any size and quality) to USD per image: the configuration's
	// per_image (config.MediaPrice), read before PerPixel. Nil for the
	// built-in table's models.
	PerImage map[string]float64
	// PerPixel maps "quality/WIDTHxHEIGHT" ("hd/1024x1792";
	// "standard/…" for dall-e-2, which has one quality) to USD per pixel
	// of one image.
	PerPixel map[string]float64
	// DefaultSize and DefaultQuality are what the model makes when a
	// request leaves them out or asks for auto; empty when the model
	// decides per image (gpt-image-1: its answer tells).
	DefaultSize, DefaultQuality string
	// PerCharacter is USD per character of speech input.
	PerCharacter float64
	// PerSecond is USD per second of transcribed audio.
	PerSecond float64
	// AudioInputPerToken, TextInputPerToken and OutputPerToken are USD
	// per token of a model priced by tokens (gpt-4o-transcribe).
	AudioInputPerToken, TextInputPerToken, OutputPerToken float64
	// perCharSet, perSecondSet and tokensSet record a price the
	// configuration set to 0 (a free model): a price, not a gap.
	perCharSet, perSecondSet, tokensSet bool
}

// dallE3 and gptImage1 are the per-pixel prices of dall-e-3 and
// gpt-image-1 by quality and size.
var (
	dallE2 = map[string]float64{
		"standard/256x256": 2.4414e-07, "standard/512x512": 6.86e-08, "standard/1024x1024": 1.9e-08,
	}
	dallE3 = map[string]float64{
		"standard/1024x1024": 3.81469e-08, "standard/1024x1792": 4.359e-08, "standard/1792x1024": 4.359e-08,
		"hd/1024x1024": 7.629e-08, "hd/1024x1792": 6.539e-08, "hd/1792x1024": 6.539e-08,
	}
	gptImage1 = map[string]float64{
		"low/1024x1024": 1.0490417e-08, "low/1024x1536": 1.0172526e-08, "low/1536x1024": 1.0172526e-08,
		"medium/1024x1024": 4.0054321e-08, "medium/1024x1536": 4.0054321e-08, "medium/1536x1024": 4.0054321e-08,
		"high/1024x1024": 1.59263611e-07, "high/1024x1536": 1.58945719e-07, "high/1536x1024": 1.58945719e-07,
	}
)

// mediaPrices maps model names (lower case) to their prices.
var mediaPrices = map[string]*MediaPrice{
	"dall-e-2":               {Kind: llm.CapImages, PerPixel: dallE2, DefaultSize: "1024x1024", DefaultQuality: "standard"},
	"dall-e-3":               {Kind: llm.CapImages, PerPixel: dallE3, DefaultSize: "1024x1024", DefaultQuality: "standard"},
	"gpt-image-1":            {Kind: llm.CapImages, PerPixel: gptImage1},
	"tts-1":                  {Kind: llm.CapSpeech, PerCharacter: 1.5e-05},
	"tts-1-hd":               {Kind: llm.CapSpeech, PerCharacter: 3e-05},
	"gpt-4o-mini-tts":        {Kind: llm.CapSpeech},
	"whisper-1":              {Kind: llm.CapTranscription, PerSecond: 0.0001},
	"gpt-4o-transcribe":      {Kind: llm.CapTranscription, AudioInputPerToken: 6e-06, TextInputPerToken: 2.5e-06, OutputPerToken: 1e-05},
	"gpt-4o-mini-transcribe": {Kind: llm.CapTranscription, AudioInputPerToken: 3e-06, TextInputPerToken: 1.25e-06, OutputPerToken: 5e-06},
}

// LookupMedia returns the price of the media model called model (an
// "azure/" or "openai/" prefix and a dated snapshot's date ignored), or
// false when it is not a media model the router knows.
func LookupMedia(model string) (*MediaPrice, bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	m = strings.TrimPrefix(strings.TrimPrefix(m, "azure/"), "openai/")
	if p, ok := mediaPrices[m]; ok {
		return p, true
	}
	if undated, ok := stripSnapshot(m); ok {
		if p, ok := mediaPrices[undated]; ok {
			return p, true
		}
	}
	return nil, false
}

// Unit says how p prices: "per image by size and quality", "per input
// character", "per second of audio", "per token", or "unknown" (a
// speech model priced by audio tokens, which its answer does not
// report).
func (p *MediaPrice) Unit() string {
	switch {
	case p.PerImage != nil || p.PerPixel != nil:
		return UnitPerImage
	case p.perCharacter():
		return UnitPerCharacter
	case p.perSecond():
		return UnitPerSecond
	case p.perToken():
		return UnitPerToken
	}
	return UnitUnknown
}

// The units a media model is priced by (MediaPrice.Unit).
const (
	UnitPerImage     = "per image by size and quality"
	UnitPerCharacter = "per input character"
	UnitPerSecond    = "per second of audio"
	UnitPerToken     = "per token"
	UnitUnknown      = "unknown"
)

// ImageCost returns the USD cost of n images of size and quality
// ("auto" or empty meaning the model's default), and false when p has no
// price for them (gpt-image-1 with size or quality auto and an answer
// that did not tell, a size the model does not make).
func (p *MediaPrice) ImageCost(size, quality string, n int) (float64, bool) {
	if p == nil || p.Kind != llm.CapImages {
		return 0, false
	}
	if size == "" || size == "auto" {
		size = p.DefaultSize
	}
	if quality == "" || quality == "auto" {
		quality = p.DefaultQuality
	}
	for _, key := range []string{size + "/" + quality, size, ""} {
		if per, ok := p.PerImage[key]; ok {
			return per * float64(n), true
		}
	}
	per, ok := p.PerPixel[quality+"/"+size]
	if !ok {
		return 0, false
	}
	w, h, ok := pixels(size)
	if !ok {
		return 0, false
	}
	return per * float64(w*h) * float64(n), true
}

// pixels parses "WIDTHxHEIGHT".
func pixels(size string) (w, h int, ok bool) {
	ws, hs, ok := strings.Cut(size, "x")
	if !ok {
		return 0, 0, false
	}
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	return w, h, err1 == nil && err2 == nil && w > 0 && h > 0
}

// SpeechCost returns the USD cost of speaking chars characters, and
// false when p is not priced per character (gpt-4o-mini-tts is priced
// by audio tokens, which the speech answer does not report).
func (p *MediaPrice) SpeechCost(chars int) (float64, bool) {
	if p == nil || p.Kind != llm.CapSpeech || !p.perCharacter() {
		return 0, false
	}
	return p.PerCharacter * float64(chars), true
}

// TranscriptionCost returns the USD cost of a transcription of seconds
// of audio (0: unknown) whose answer reported audioIn and textIn input
// tokens and out output tokens (all 0: none reported): per second for
// whisper-1, per token for the gpt-4o models; false when what the price
// needs is unknown.
func (p *MediaPrice) TranscriptionCost(seconds float64, audioIn, textIn, out int) (float64, bool) {
	if p == nil || p.Kind != llm.CapTranscription {
		return 0, false
	}
	if p.perSecond() {
		return p.PerSecond * seconds, seconds > 0
	}
	if p.perToken() && audioIn+textIn+out > 0 {
		return float64(audioIn)*p.AudioInputPerToken + float64(textIn)*p.TextInputPerToken + float64(out)*p.OutputPerToken, true
	}
	return 0, false
}

func (p *MediaPrice) perCharacter() bool { return p.PerCharacter > 0 || p.perCharSet }
func (p *MediaPrice) perSecond() bool    { return p.PerSecond > 0 || p.perSecondSet }
func (p *MediaPrice) perToken() bool     { return p.OutputPerToken > 0 || p.tokensSet }

// mediaKind returns the media capability caps declare, or "".
func mediaKind(caps []llm.Capability) llm.Capability {
	for _, c := range caps {
		switch c {
		case llm.CapImages, llm.CapSpeech, llm.CapTranscription:
			return c
		}
	}
	return ""
}
