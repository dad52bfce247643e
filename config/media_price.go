package config

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"switchyard/llm"
)

// MediaPrice is what a media deployment (images, speech, transcription)
// costs when the configuration says so: the price block's per_image,
// per_character, per_second and audio_input keys. A field the file sets
// overrides the built-in media prices of the deployment's model (package
// cost); nil or unset means the built-in one. An explicit 0 is a price
// (a free model), not a gap.
type MediaPrice struct {
	// PerImage is USD per image, by "WIDTHxHEIGHT/QUALITY"
	// ("1024x1024/hd"), by "WIDTHxHEIGHT" (any quality), or by "" (any
	// size and quality: per_image written as one number). Nil means unset.
	PerImage map[string]float64
	// PerCharacter is USD per character of speech input; nil means unset.
	PerCharacter *float64
	// PerSecond is USD per second of transcribed audio; nil means unset.
	PerSecond *float64
	// AudioInput is USD per 1M audio input tokens of a transcription
	// model priced by tokens; nil means unset (the input price applies).
	AudioInput *float64
}

// IsSet reports whether the file set any media price.
func (m *MediaPrice) IsSet() bool {
	return m.PerImage != nil || m.PerCharacter != nil || m.PerSecond != nil || m.AudioInput != nil
}

// Kind returns the media capability m's per-unit fields price (images
// for per_image, speech for per_character, transcription for
// per_second), or "" when they name none or more than one.
func (m *MediaPrice) Kind() llm.Capability {
	var kinds []llm.Capability
	if m.PerImage != nil {
		kinds = append(kinds, llm.CapImages)
	}
	if m.PerCharacter != nil {
		kinds = append(kinds, llm.CapSpeech)
	}
	if m.PerSecond != nil || m.AudioInput != nil {
		kinds = append(kinds, llm.CapTranscription)
	}
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

const (
	perImageHint = `USD per image: one number for every size and quality (0.04), or a mapping by "SIZE/QUALITY" or "SIZE" such as {"1024x1024/standard": 0.04, "1024x1024/hd": 0.08}`
	perCharHint  = "USD per character of speech input, e.g. 0.000015 (tts-1: $15 per 1M characters)"
	perSecHint   = "USD per second of audio, e.g. 0.0001 (whisper-1: $0.006 a minute)"
	audioInHint  = "USD per 1M audio input tokens, e.g. 6"
	// chatAudioHint is the hint of price.chat_audio_input and
	// chat_audio_output.
	chatAudioHint = "USD per 1M audio tokens of a chat (input_audio parts, spoken answers), e.g. 40 (gpt-4o-audio-preview's input)"
)

// mediaPriceFields are the price block's media keys, decoded into m.
func (d *decoder) mediaPriceFields(m *MediaPrice) []field {
	opt := func(dst **float64, hint string) func(entry) {
		return func(e entry) {
			var f float64
			before := len(d.errs)
			d.number(e, &f, hint)
			if len(d.errs) == before && !isNull(e.node) {
				*dst = &f
			}
		}
	}
	return []field{
		{"per_image", func(e entry) { m.PerImage = d.perImage(e) }},
		{"per_character", opt(&m.PerCharacter, perCharHint)},
		{"per_second", opt(&m.PerSecond, perSecHint)},
		{"audio_input", opt(&m.AudioInput, audioInHint)},
	}
}

// perImage decodes per_image: one number (key "") or a mapping of
// numbers by size and quality.
func (d *decoder) perImage(e entry) map[string]float64 {
	switch d.resolve(e.node).(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.MappingNode, *ast.MappingValueNode:
		entries, _ := d.mapping(e.node, e.path)
		out := make(map[string]float64, len(entries))
		for _, el := range entries {
			var f float64
			d.number(el, &f, perImageHint)
			out[el.key] = f
		}
		return out
	}
	var f float64
	before := len(d.errs)
	d.number(e, &f, perImageHint)
	if len(d.errs) > before {
		return nil
	}
	return map[string]float64{"": f}
}

// mediaPrice checks a deployment's media prices: non-negative numbers,
// per_image keys that are sizes with an optional quality, and one media
// kind that agrees with the capabilities the deployment declares.
func (v *validator) mediaPrice(path string, d *Deployment) {
	m := &d.MediaPrice
	if m.PerImage != nil && len(m.PerImage) == 0 {
		v.add(path+".per_image", "is empty", perImageHint)
	}
	for _, key := range sortedKeys(m.PerImage) {
		p := path + ".per_image"
		if key != "" {
			p += "." + key
			if problem := imageKeyProblem(key); problem != "" {
				v.add(p, problem, perImageHint)
				continue
			}
		}
		v.nonNegative(p, m.PerImage[key], perImageHint)
	}
	for _, f := range []struct {
		name, hint string
		v          *float64
	}{{"per_character", perCharHint, m.PerCharacter}, {"per_second", perSecHint, m.PerSecond}, {"audio_input", audioInHint, m.AudioInput}} {
		if f.v != nil {
			v.nonNegative(path+"."+f.name, *f.v, f.hint)
		}
	}
	media := m.IsSet() || declaredMedia(d.Capabilities) != ""
	if media && (d.Price.Has(PriceChatAudioInput) || d.Price.Has(PriceChatAudioOutput)) {
		v.add(path, "chat_audio_input and chat_audio_output price a chat's audio tokens, and this is a media deployment",
			"a token-priced transcription model's audio is price.audio_input")
	}
	if !m.IsSet() {
		return
	}
	kind := m.Kind()
	if kind == "" {
		v.add(path, "prices more than one media kind (per_image: images, per_character: speech, per_second and audio_input: transcription)",
			"a deployment serves one media endpoint; keep the keys of the one its model serves")
		return
	}
	declared := declaredMedia(d.Capabilities)
	if len(d.Capabilities) > 0 && !slices.Contains(d.Capabilities, kind) {
		hint := fmt.Sprintf("add %s to capabilities, or remove the media price", kind)
		switch {
		case declared != "":
			hint = fmt.Sprintf("a %s deployment is priced by %s", declared, mediaKeys(declared))
		case m.AudioInput != nil && m.PerSecond == nil:
			hint = "audio_input prices a transcription model's audio; a chat's audio tokens are priced by price.chat_audio_input (and chat_audio_output)"
		}
		v.add(path, fmt.Sprintf("prices %s, which the deployment's capabilities do not declare", kind), hint)
	}
}

// imageKeyProblem describes what is wrong with a per_image key, or "".
func imageKeyProblem(key string) string {
	size, quality, hasQuality := strings.Cut(key, "/")
	w, h, ok := strings.Cut(size, "x")
	if ok {
		wi, err1 := strconv.Atoi(w)
		hi, err2 := strconv.Atoi(h)
		ok = err1 == nil && err2 == nil && wi > 0 && hi > 0 && wi <= math.MaxInt32 && hi <= math.MaxInt32
	}
	switch {
	case !ok:
		return fmt.Sprintf("%q is not a size: want WIDTHxHEIGHT or WIDTHxHEIGHT/QUALITY", key)
	case hasQuality && (quality == "" || strings.ContainsAny(quality, "/ \t")):
		return fmt.Sprintf("%q has no quality after the /", key)
	}
	return ""
}

// declaredMedia returns the media capability caps declare, or "".
func declaredMedia(caps []llm.Capability) llm.Capability {
	for _, c := range caps {
		if c == llm.CapImages || c == llm.CapSpeech || c == llm.CapTranscription {
			return c
		}
	}
	return ""
}

// mediaKeys names the price keys of media kind c.
func mediaKeys(c llm.Capability) string {
	switch c {
	case llm.CapImages:
		return "per_image"
	case llm.CapSpeech:
		return "per_character"
	}
	return "per_second, or input, output and audio_input (USD per 1M tokens)"
}
