package config

import (
	"strings"
	"testing"
)

// The media price keys decode, a scalar per_image prices every size and
// quality, and an explicit 0 is set.
func TestMediaPriceFields(t *testing.T) {
	c := mustParse(t, []byte(okProvider+`deployments:
  img: {provider: openai, model: gpt-image-1.5, capabilities: [images], price: {per_image: {"1024x1024/standard": 0.04, "1024x1024/hd": 0.08, 1536x1024: 0.06}}}
  flat: {provider: openai, model: flux, price: {per_image: 0.05}}
  tts: {provider: openai, model: my-tts, price: {per_character: 0}}
  stt: {provider: openai, model: my-whisper, price: {per_second: 0.0002}}
  tok: {provider: openai, model: my-transcribe, capabilities: [transcription], price: {input: 2.5, output: 10, audio_input: 6}}
  chat: {provider: openai, model: gpt-4o}
`), nil)
	img := c.Deployments["img"].MediaPrice
	if len(img.PerImage) != 3 || img.PerImage["1024x1024/hd"] != 0.08 || img.PerImage["1536x1024"] != 0.06 || img.Kind() != "images" {
		t.Errorf("img: %+v", img)
	}
	if flat := c.Deployments["flat"].MediaPrice; flat.PerImage[""] != 0.05 || len(flat.PerImage) != 1 {
		t.Errorf("flat: %+v", flat)
	}
	if tts := c.Deployments["tts"].MediaPrice; tts.PerCharacter == nil || *tts.PerCharacter != 0 || tts.Kind() != "speech" {
		t.Errorf("tts: %+v", tts)
	}
	if stt := c.Deployments["stt"].MediaPrice; stt.PerSecond == nil || *stt.PerSecond != 0.0002 || stt.Kind() != "transcription" {
		t.Errorf("stt: %+v", stt)
	}
	tok := c.Deployments["tok"]
	if tok.MediaPrice.AudioInput == nil || *tok.MediaPrice.AudioInput != 6 || tok.Price.Input != 2.5 {
		t.Errorf("tok: %+v", tok)
	}
	if chat := c.Deployments["chat"].MediaPrice; chat.IsSet() {
		t.Errorf("chat: %+v", chat)
	}
}

func TestMediaPriceMistakes(t *testing.T) {
	for _, c := range []struct {
		name, price, caps string
		path, problem     string
		hint              string
	}{
		{"negative per_image", "{per_image: -0.04}", "", "deployments.d.price.per_image", "must be >= 0, got -0.04", "USD per image"},
		{"negative keyed per_image", `{per_image: {"1024x1024/hd": -1}}`, "", "deployments.d.price.per_image.1024x1024/hd", "must be >= 0, got -1", "SIZE/QUALITY"},
		{"bad size key", `{per_image: {large: 0.1}}`, "", "deployments.d.price.per_image.large", `"large" is not a size`, `"1024x1024/hd": 0.08`},
		{"zero size", `{per_image: {0x1024: 0.1}}`, "", "deployments.d.price.per_image.0x1024", `is not a size`, "SIZE/QUALITY"},
		{"empty quality", `{per_image: {"1024x1024/": 0.1}}`, "", "deployments.d.price.per_image.1024x1024/", "has no quality", ""},
		{"empty per_image", "{per_image: {}}", "", "deployments.d.price.per_image", "is empty", "SIZE/QUALITY"},
		{"string per_image", "{per_image: cheap}", "", "deployments.d.price.per_image", `must be a number, got string "cheap"`, "USD per image"},
		{"string in map", "{per_image: {1024x1024: cheap}}", "", "deployments.d.price.per_image.1024x1024", `must be a number`, "USD per image"},
		{"negative per_character", "{per_character: -1}", "", "deployments.d.price.per_character", "must be >= 0, got -1", "per character"},
		{"negative per_second", "{per_second: -1}", "", "deployments.d.price.per_second", "must be >= 0, got -1", "per second"},
		{"negative audio_input", "{audio_input: -6}", "", "deployments.d.price.audio_input", "must be >= 0, got -6", "1M audio input tokens"},
		{"two kinds", "{per_image: 0.04, per_second: 0.0001}", "", "deployments.d.price", "prices more than one media kind", "one media endpoint"},
		{"kind not declared", "{per_image: 0.04}", "[speech]", "deployments.d.price", "prices images, which the deployment's capabilities do not declare", "priced by per_character"},
		{"chat caps", "{per_second: 0.1}", "[tools]", "deployments.d.price", "prices transcription", "add transcription to capabilities"},
		{"unknown key", "{per_imag: 0.04}", "", "deployments.d.price", `unknown field "per_imag"`, `did you mean "per_image"?`},
	} {
		t.Run(c.name, func(t *testing.T) {
			caps := ""
			if c.caps != "" {
				caps = ", capabilities: " + c.caps
			}
			_, err := Parse([]byte(okProvider+"deployments:\n  d: {provider: openai"+caps+", price: "+c.price+"}\n"), nil)
			if err == nil {
				t.Fatal("no error")
			}
			var found bool
			for _, fe := range err.(Errors) {
				if fe.Path == c.path && strings.Contains(fe.Problem, c.problem) && strings.Contains(fe.Hint, c.hint) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s: %s (%s), got\n%v", c.path, c.problem, c.hint, err)
			}
		})
	}
}
