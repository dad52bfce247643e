package e2e

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
)

// openai-go's Audio.Speech.New works through the router: the audio in
// the asked format with its Content-Type, its price per character in
// the cost header and the record; a route failing over from a failing
// first deployment; errors in OpenAI's shape.
func TestSpeechSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		withMedia(c)
		c.Deployments["azure-tts"] = &config.Deployment{Name: "azure-tts", Provider: "azure", Model: "tts-1"}
		c.Routes["voice"] = &config.Route{Name: "voice", Deployments: []string{"azure-tts", "tts-1"}}
	})
	input := "The quick brown fox jumps over the lazy dog."
	for format, want := range map[openai.AudioSpeechNewParamsResponseFormat][2]string{
		"": {"audio/mpeg", "\xff\xf3"}, openai.AudioSpeechNewParamsResponseFormatWAV: {"audio/wav", "RIFF"}, openai.AudioSpeechNewParamsResponseFormatFLAC: {"audio/flac", "fLaC"},
	} {
		resp, err := e.Client.Audio.Speech.New(ctxT(t), openai.AudioSpeechNewParams{Model: "tts-1", Input: input,
			Voice: openai.AudioSpeechNewParamsVoiceUnion{OfString: openai.String("alloy")}, ResponseFormat: format})
		if err != nil {
			t.Fatal(err)
		}
		audio, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.Header.Get("Content-Type") != want[0] || !strings.HasPrefix(string(audio), want[1]) || len(audio) < 1000 {
			t.Errorf("%q: %s, %d bytes, %v", format, resp.Header.Get("Content-Type"), len(audio), err)
		}
		if usd, _ := strconv.ParseFloat(resp.Header.Get("x-switchyard-cost-usd"), 64); math.Abs(usd-1.5e-5*float64(len(input))) > 1e-9 || resp.Header.Get("x-switchyard-request-id") == "" {
			t.Errorf("headers %v", resp.Header)
		}
	}

	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Count: 1})
	resp, err := e.Client.Audio.Speech.New(ctxT(t), openai.AudioSpeechNewParams{Model: "voice", Input: input, Voice: openai.AudioSpeechNewParamsVoiceUnion{OfString: openai.String("nova")}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Header.Get("x-switchyard-deployment") != "tts-1" || !strings.Contains(resp.Header.Get("x-switchyard-route"), "attempt=2") {
		t.Errorf("route headers %v", resp.Header)
	}

	recs := e.recorded(t, 4)
	for _, r := range recs[:3] {
		if r.Endpoint != "speech" || r.Status != 200 || r.CostUnknown || r.CostUSD <= 0 {
			t.Errorf("record %+v", r)
		}
	}
	if r := recs[3]; r.Route != "voice" || r.Attempts != 2 || r.Trail[0].Deployment != "azure-tts" || r.Trail[0].Outcome == "ok" {
		t.Errorf("route record %+v", r)
	}

	for _, tt := range []struct {
		name          string
		model, voice  string
		input         string
		status        int
		param, detail string
	}{
		{"unknown model", "no-such-model", "alloy", "hi", 404, "model", "no-such-model"},
		{"a chat model", "gpt-4o-mini", "alloy", "hi", 400, "model", "does not serve text to speech"},
		{"an image model", "dall-e-3", "alloy", "hi", 400, "model", "does not serve text to speech"},
		{"an unknown voice", "tts-1", "nobody", "hi", 400, "voice", "Supported values"},
		{"too long", "tts-1", "alloy", strings.Repeat("a", 4097), 400, "input", "maximum length 4096"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.Audio.Speech.New(ctxT(t), openai.AudioSpeechNewParams{Model: openai.SpeechModel(tt.model), Input: tt.input, Voice: openai.AudioSpeechNewParamsVoiceUnion{OfString: openai.String(tt.voice)}})
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Param != tt.param || !strings.Contains(apiErr.Message, tt.detail) {
				t.Fatalf("want %d on %s with %q, got %v", tt.status, tt.param, tt.detail, err)
			}
		})
	}
}
