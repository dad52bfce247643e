package cost

import (
	"math"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// price.chat_audio_input and chat_audio_output price a chat's audio
// tokens: over the catalog's (a cheaper contract on the audio model),
// and for a model the catalog does not know (an alias with no
// base_model), whose audio tokens would otherwise be priced as text. The
// media key audio_input (a transcription model's) is not one of them.
func TestConfiguredChatAudioPrices(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  openai: {kind: openai, api_key: k}
deployments:
  contract: {provider: openai, model: gpt-4o-audio-preview-2024-12-17, price: {chat_audio_input: 30, chat_audio_output: 60}}
  alias: {provider: openai, model: my-voice, price: {input: 2.5, output: 10, chat_audio_input: 40, chat_audio_output: 80}}
  catalog: {provider: openai, model: gpt-4o-audio-preview-2024-12-17}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	u := llm.Usage{PromptTokens: 1000, AudioPromptTokens: 400, CompletionTokens: 500, AudioCompletionTokens: 300}
	for _, tc := range []struct {
		name           string
		audioIn, audio float64
		source         string
	}{
		{"contract", 30, 60, SourceMixed},
		{"alias", 40, 80, SourceConfig},
		{"catalog", 40, 80, SourceCatalog},
	} {
		d, p := Deployment(cfg, tc.name)
		if p.Source != tc.source || d.AudioInputPricePerM != tc.audioIn || d.AudioOutputPricePerM != tc.audio {
			t.Errorf("%s: audio %v / %v from %s, want %v / %v from %s", tc.name, d.AudioInputPricePerM, d.AudioOutputPricePerM, p.Source, tc.audioIn, tc.audio, tc.source)
		}
		// 600 text × $2.5 + 400 audio + 200 text × $10 + 300 audio, per 1M.
		if got, want := d.Cost(u), (600*2.5+400*tc.audioIn+200*10+300*tc.audio)/1e6; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: cost $%v, want $%v", tc.name, got, want)
		}
	}
}

// The chat audio keys are validated like the other prices, and are
// refused on a media deployment (whose audio_input is a transcription
// model's); audio_input on a chat deployment is pointed at them.
func TestChatAudioPriceValidation(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{`{provider: openai, model: gpt-4o-audio-preview, price: {chat_audio_input: -1}}`, "price.chat_audio_input"},
		{`{provider: openai, model: gpt-4o-audio-preview, price: {chat_audio_output: -2}}`, "price.chat_audio_output"},
		{`{provider: openai, model: whisper-1, capabilities: [transcription], price: {per_second: 0.0001, chat_audio_input: 40}}`,
			"chat_audio_input and chat_audio_output price a chat's audio tokens, and this is a media deployment"},
		{`{provider: openai, model: gpt-4o-audio-preview, capabilities: [tools], price: {audio_input: 40}}`,
			"price.chat_audio_input"},
	} {
		_, err := config.Parse([]byte("providers:\n  openai: {kind: openai, api_key: k}\ndeployments:\n  d: "+tc.yaml+"\n"), nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %q", tc.yaml, err, tc.want)
		}
	}
}
