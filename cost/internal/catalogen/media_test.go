package main

import (
	"encoding/json"
	"slices"
	"testing"
)

// OpenAI's media entries become lines by kind: an image by quality and
// size ("standard" when the key has none), speech per character,
// whisper per second, a transcription model per token, a model with no
// usable price as "-"; other vendors, modes and gpt-image-1's
// unqualified entry are left out, and a prefixed duplicate adds nothing.
func TestMediaLines(t *testing.T) {
	raw := map[string]json.RawMessage{
		"hd/1024-x-1792/dall-e-3":        json.RawMessage(`{"litellm_provider":"openai","mode":"image_generation","input_cost_per_pixel":6.539e-08}`),
		"openai/hd/1024-x-1792/dall-e-3": json.RawMessage(`{"litellm_provider":"openai","mode":"image_generation","input_cost_per_pixel":6.539e-08}`),
		"256-x-256/dall-e-2":             json.RawMessage(`{"litellm_provider":"openai","mode":"image_generation","input_cost_per_pixel":2.4414e-07}`),
		"gpt-image-1":                    json.RawMessage(`{"litellm_provider":"openai","mode":"image_generation","input_cost_per_pixel":4e-08}`),
		"tts-1":                          json.RawMessage(`{"litellm_provider":"openai","mode":"audio_speech","input_cost_per_character":1.5e-05}`),
		"gpt-4o-mini-tts":                json.RawMessage(`{"litellm_provider":"openai","mode":"audio_speech","input_cost_per_token":2.5e-06,"output_cost_per_audio_token":1.2e-05}`),
		"whisper-1":                      json.RawMessage(`{"litellm_provider":"openai","mode":"audio_transcription","input_cost_per_second":0.0001,"output_cost_per_second":0.0001}`),
		"gpt-4o-transcribe":              json.RawMessage(`{"litellm_provider":"openai","mode":"audio_transcription","input_cost_per_token":2.5e-06,"input_cost_per_audio_token":6e-06,"output_cost_per_token":1e-05}`),
		"azure/whisper":                  json.RawMessage(`{"litellm_provider":"azure","mode":"audio_transcription","input_cost_per_second":0.0001}`),
		"gpt-4o":                         json.RawMessage(`{"litellm_provider":"openai","mode":"chat","input_cost_per_token":2.5e-06,"output_cost_per_token":1e-05}`),
		"sample_spec":                    json.RawMessage(`"prose"`),
	}
	want := []mediaLine{
		{"dall-e-2", "images", "standard/256x256", "2.4414e-07"},
		{"dall-e-3", "images", "hd/1024x1792", "6.539e-08"},
		{"gpt-4o-mini-tts", "speech", "-", "-"},
		{"gpt-4o-transcribe", "transcription", "audio_input", "6e-06"},
		{"gpt-4o-transcribe", "transcription", "output", "1e-05"},
		{"gpt-4o-transcribe", "transcription", "text_input", "2.5e-06"},
		{"tts-1", "speech", "per_character", "1.5e-05"},
		{"whisper-1", "transcription", "per_second", "0.0001"},
	}
	if got := mediaLines(raw); !slices.Equal(got, want) {
		t.Errorf("mediaLines =\n%v\nwant\n%v", got, want)
	}
}
