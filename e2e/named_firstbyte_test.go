package e2e

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// firstByteTimeout is the first_byte_timeout of the hung deployments
// below.
const firstByteTimeout = 300 * time.Millisecond

// hostileMedia serves, under /hang/, calls it accepts and never answers;
// under /drip/, 20 pieces of audio 50 ms apart (a second of speech);
// under /stall/, one piece of audio and then nothing.
func hostileMedia(t *testing.T) string {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		pieces := 0
		switch {
		case strings.HasPrefix(r.URL.Path, "/hang/"):
			<-r.Context().Done()
			return
		case strings.HasPrefix(r.URL.Path, "/drip/"):
			pieces = 20
		case strings.HasPrefix(r.URL.Path, "/stall/"):
			pieces = 1
		}
		w.Header().Set("Content-Type", "audio/mpeg")
		w.WriteHeader(http.StatusOK)
		for i := range pieces {
			if i > 0 && !sim.Sleep(r.Context(), 50*time.Millisecond) {
				return
			}
			w.Write([]byte(strings.Repeat("a", 48)))
			w.(http.Flusher).Flush()
		}
		if pieces == 1 {
			<-r.Context().Done() // the stall: the body never ends
		}
	}))
	t.Cleanup(up.Close)
	return up.URL
}

// Moderations, images, speech and transcriptions have a first-byte
// timeout, as embeddings have: an upstream that accepted the call and
// sends nothing is abandoned at the deployment's first_byte_timeout (or
// the route's) for the route's next deployment, long
// before the request's deadline. Speech audio that keeps flowing past
// its provider's timeout is relayed whole; audio that stops is cut at
// resilience.stall_timeout.
func TestNamedEndpointsFirstByteTimeout(t *testing.T) {
	t.Parallel()
	up := hostileMedia(t)
	e := newEnv(t, func(c *config.Config) {
		withMedia(c)
		c.Server.RequestTimeout = 8 * time.Second
		c.Resilience.StallTimeout = 400 * time.Millisecond
		for name, path := range map[string]string{"hang": "/hang/v1", "drip": "/drip/v1", "stall": "/stall/v1"} {
			// A provider timeout shorter than the dripping audio: it
			// bounds the call until its answer starts, not its body.
			c.Providers[name] = &config.Provider{Name: name, Kind: "openai", BaseURL: up + path, APIKey: "sk-x", Timeout: 200 * time.Millisecond}
		}
		c.Providers["hang"].Timeout = 0
		for dep, caps := range map[string]llm.Capability{"hung-mod": llm.CapModeration, "hung-img": llm.CapImages, "hung-tts": llm.CapSpeech, "hung-stt": llm.CapTranscription} {
			c.Deployments[dep] = &config.Deployment{Name: dep, Provider: "hang", Model: "m", Capabilities: []llm.Capability{caps},
				FirstByte: config.FirstByteTimeouts{Moderations: firstByteTimeout, Speech: firstByteTimeout, Transcriptions: firstByteTimeout}}
		}
		c.Routes["slow-mod"] = &config.Route{Name: "slow-mod", Deployments: []string{"hung-mod", "omni-moderation-latest"}}
		// The route sets the images' timeout, for every candidate.
		c.Routes["slow-img"] = &config.Route{Name: "slow-img", Deployments: []string{"hung-img", "dall-e-3"},
			FirstByte: config.FirstByteTimeouts{Images: firstByteTimeout}}
		c.Routes["slow-tts"] = &config.Route{Name: "slow-tts", Deployments: []string{"hung-tts", "tts-1"}}
		c.Routes["slow-stt"] = &config.Route{Name: "slow-stt", Deployments: []string{"hung-stt", "whisper-1"}}
		for _, name := range []string{"drip", "stall"} {
			c.Deployments[name+"-tts"] = &config.Deployment{Name: name + "-tts", Provider: name, Model: "tts-1", Capabilities: []llm.Capability{llm.CapSpeech}}
		}
	})
	for endpoint, call := range namedCalls {
		if endpoint == "embeddings" {
			continue // TestEmbeddingsFirstTokenTimeout
		}
		var head http.Header
		route := "slow-" + map[string]string{"moderations": "mod", "images": "img", "speech": "tts", "transcriptions": "stt"}[endpoint]
		start := time.Now()
		err := call(ctxT(t), e.Client, route, headersInto(&head))
		took := time.Since(start)
		if err != nil || head.Get("x-switchyard-deployment") != namedModels[endpoint] {
			t.Errorf("%s: %v, served by %q; want the route's second deployment", endpoint, err, head.Get("x-switchyard-deployment"))
		}
		if took < firstByteTimeout || took > 5*time.Second { // the deadline is 8 s
			t.Errorf("%s answered after %s, want soon after the %s first-byte timeout", endpoint, took, firstByteTimeout)
		}
	}

	speak := func(model string) ([]byte, time.Duration, error) {
		start := time.Now()
		resp, err := e.Client.Audio.Speech.New(ctxT(t), openai.AudioSpeechNewParams{Model: model, Input: "a river in spring",
			Voice: openai.AudioSpeechNewParamsVoiceUnion{OfString: openai.String("alloy")}})
		if err != nil {
			return nil, time.Since(start), err
		}
		defer resp.Body.Close()
		audio, err := io.ReadAll(resp.Body)
		return audio, time.Since(start), err
	}
	if audio, took, err := speak("drip-tts"); err != nil || len(audio) != 20*48 {
		t.Errorf("audio flowing for %s past its provider's 200ms timeout: %d bytes, %v; want all 960", took, len(audio), err)
	}
	audio, took, _ := speak("stall-tts")
	if len(audio) != 48 || took > 5*time.Second {
		t.Errorf("audio that stalls: %d bytes after %s; want the first 48, cut after the 400ms stall timeout, before the 8s deadline", len(audio), took)
	}
}

// A route's tiers.ttft_timeout and a deployment's ttft_timeout bound a
// chat model's first token, not an image's drawing: an image generation
// slower than both (1.5 s against 300 ms) on a route that serves chat
// too is answered, not abandoned on every candidate; the route's
// first_byte_timeout for images, shorter than the drawing, abandons it.
func TestImagesOutliveChatTTFTTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		withMedia(c)
		c.Deployments["dall-e-3"].TTFTTimeout = firstByteTimeout
		c.Routes["shared"] = &config.Route{Name: "shared", Deployments: []string{"dall-e-3", "gpt-4o-mini"},
			Tiers: config.Tiers{TTFTTimeout: []time.Duration{firstByteTimeout}}}
		c.Routes["bounded"] = &config.Route{Name: "bounded", Deployments: []string{"dall-e-3"},
			FirstByte: config.FirstByteTimeouts{Images: firstByteTimeout}}
	})
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultSlow, Model: "dall-e-3", Delay: 1500 * time.Millisecond})
	start := time.Now()
	resp, err := e.Client.Images.Generate(ctxT(t), openai.ImageGenerateParams{Model: "shared", Prompt: "a red fox in the snow"})
	if err != nil || len(resp.Data) != 1 {
		t.Fatalf("a 1.5s image on a route with a 300ms ttft_timeout: %v", err)
	}
	if took := time.Since(start); took < 1500*time.Millisecond {
		t.Errorf("answered after %s, before the upstream's 1.5s", took)
	}
	_, err = e.Client.Images.Generate(ctxT(t), openai.ImageGenerateParams{Model: "bounded", Prompt: "a red fox in the snow"})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusGatewayTimeout || apiErr.Code != "tier_timeout" {
		t.Errorf("a 1.5s image past the route's 300ms images timeout: %v, want a 504 tier_timeout", err)
	}
}
