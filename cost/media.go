package cost

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"

	"switchyard/llm"
)

// This file prices the media endpoints (images, speech, transcription),
// which are not priced per token: OpenAI's image models per image of a
// size and quality (the source lists it per pixel), tts-1 per character
// of input, whisper-1 per second of audio, the gpt-4o transcription
// models per token (audio input, text input, text output). The prices
// are the source's (../shared/datasets/routing/model_prices.json, modes
// image_generation, audio_speech, audio_transcription), written to
// media.tsv by internal/catalogen (TestMediaPrices compares them with
// the source when the file is there); Azure OpenAI lists the same.

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

// mediaTSV is the built-in media price table (model, kind, price, USD
// per unit), written by internal/catalogen from the same price file as
// the catalog (see catalog.go's go:generate).
//
//go:embed media.tsv
var mediaTSV string

// imageDefaults are the size and quality an image model makes when a
// request leaves them out: OpenAI's API reference, not the price file,
// says so (gpt-image-1 decides per image, and its answer tells).
var imageDefaults = map[string][2]string{
	"dall-e-2": {"1024x1024", "standard"},
	"dall-e-3": {"1024x1024", "standard"},
}

var (
	mediaOnce   sync.Once
	mediaPrices map[string]*MediaPrice // by lower-cased model
)

// loadMedia parses the embedded media table once.
func loadMedia() map[string]*MediaPrice {
	mediaOnce.Do(func() { mediaPrices = parseMedia(mediaTSV) })
	return mediaPrices
}

// parseMedia reads the media table's text. The embedded file is
// generated and checked by a test, so a malformed line is skipped.
func parseMedia(text string) map[string]*MediaPrice {
	out := map[string]*MediaPrice{}
	for line := range strings.Lines(text) {
		f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		if len(f) != 4 || strings.HasPrefix(f[0], "#") {
			continue
		}
		model, kind := strings.ToLower(f[0]), llm.Capability(f[1])
		p := out[model]
		if p == nil {
			p = &MediaPrice{Kind: kind, DefaultSize: imageDefaults[model][0], DefaultQuality: imageDefaults[model][1]}
			out[model] = p
		}
		if f[2] == "-" || p.Kind != kind {
			continue
		}
		usd, err := strconv.ParseFloat(f[3], 64)
		if err != nil || usd < 0 {
			continue
		}
		p.setMedia(f[2], usd)
	}
	return out
}

// setMedia sets the table's price called name (a "quality/size" per
// pixel, per_character, per_second, audio_input, text_input, output) to usd.
func (p *MediaPrice) setMedia(name string, usd float64) {
	switch name {
	case "per_character":
		p.PerCharacter = usd
	case "per_second":
		p.PerSecond = usd
	case "audio_input":
		p.AudioInputPerToken = usd
	case "text_input":
		p.TextInputPerToken = usd
	case "output":
		p.OutputPerToken = usd
	default:
		if p.PerPixel == nil {
			p.PerPixel = map[string]float64{}
		}
		p.PerPixel[name] = usd
	}
}

// LookupMedia returns the price of the media model called model (an
// "azure/" or "openai/" prefix and a dated snapshot's date ignored), or
// false when it is not a media model the router knows.
func LookupMedia(model string) (*MediaPrice, bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	m = strings.TrimPrefix(strings.TrimPrefix(m, "azure/"), "openai/")
	prices := loadMedia()
	if p, ok := prices[m]; ok {
		return p, true
	}
	if undated, ok := stripSnapshot(m); ok {
		if p, ok := prices[undated]; ok {
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
	return perImage(per*float64(w*h)) * float64(n), true
}

// perImage is the price of one image from its per-pixel price. The
// source derives its per-pixel prices from OpenAI's per-image ones, which
// are whole tenths of a cent ($0.040, $0.011, $0.167), and rounds them:
// 1024×1024 at dall-e-3's 3.81469e-08 is $0.039999923814. A price within
// 0.5% of a tenth of a cent is that tenth; another is kept as computed.
func perImage(usd float64) float64 {
	tenth := math.Round(usd*1000) / 1000
	if tenth > 0 && math.Abs(usd-tenth) <= 0.005*tenth {
		return tenth
	}
	return usd
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
