package e2e

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"switchyard/sim"
)

// namedCalls are one call through openai-go to each endpoint routed by
// its model alone, to model, with the options given.
var namedCalls = map[string]func(ctx context.Context, c openai.Client, model string, opts ...option.RequestOption) error{
	"embeddings": func(ctx context.Context, c openai.Client, model string, opts ...option.RequestOption) error {
		_, err := c.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: model,
			Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("a river in spring")}}, opts...)
		return err
	},
	"moderations": func(ctx context.Context, c openai.Client, model string, opts ...option.RequestOption) error {
		_, err := c.Moderations.New(ctx, openai.ModerationNewParams{Model: model,
			Input: openai.ModerationNewParamsInputUnion{OfString: openai.String("a river in spring")}}, opts...)
		return err
	},
	"images": func(ctx context.Context, c openai.Client, model string, opts ...option.RequestOption) error {
		_, err := c.Images.Generate(ctx, openai.ImageGenerateParams{Model: model, Prompt: "a river in spring"}, opts...)
		return err
	},
	"speech": func(ctx context.Context, c openai.Client, model string, opts ...option.RequestOption) error {
		resp, err := c.Audio.Speech.New(ctx, openai.AudioSpeechNewParams{Model: model, Input: "a river in spring",
			Voice: openai.AudioSpeechNewParamsVoiceUnion{OfString: openai.String("alloy")}}, opts...)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return err
	},
	"transcriptions": func(ctx context.Context, c openai.Client, model string, opts ...option.RequestOption) error {
		_, err := c.Audio.Transcriptions.New(ctx, openai.AudioTranscriptionNewParams{Model: model,
			File: openai.File(bytes.NewReader(silentWAV(1)), "a.wav", "audio/wav")}, opts...)
		return err
	},
}

// namedModels are the deployments namedCalls call.
var namedModels = map[string]string{"embeddings": "text-embedding-3-small", "moderations": "omni-moderation-latest",
	"images": "dall-e-3", "speech": "tts-1", "transcriptions": "whisper-1"}

// tierTimeoutMessage is how a chat attempt abandoned at its tier timeout
// is worded (dispatch.TierTimeoutError).
var tierTimeoutMessage = regexp.MustCompile(`^deployment \S+ sent no first token within its 30[0-9.]*ms tier timeout$`)

// x-switchyard-timeout-ms reaches every endpoint routed by its model
// alone as it reaches chat: an upstream that accepted the call and sends
// nothing is abandoned at the caller's timeout, and the caller gets
// chat's 504 (type and code, the same wording); a slow upstream is waited
// for when the caller's timeout is longer than the endpoint's own.
func TestTimeoutHeaderOnNamedEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withMedia)
	header := option.WithHeader("x-switchyard-timeout-ms", "300")
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultHang, Model: "gpt-4o-mini"})
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")}}, header, option.WithHeader("x-switchyard-fallback", "none"))
	var chat *openai.Error
	if !errors.As(err, &chat) || chat.StatusCode != 504 || !tierTimeoutMessage.MatchString(chat.Message) {
		t.Fatalf("chat to a hung upstream: %v %q %q %q, want a 504 tier timeout", err, chat.Message, chat.Type, chat.Code)
	}
	for endpoint, call := range namedCalls {
		e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultHang, Model: namedModels[endpoint]})
		start := time.Now()
		err := call(ctxT(t), e.Client, namedModels[endpoint], header)
		took := time.Since(start)
		var got *openai.Error
		if !errors.As(err, &got) || got.StatusCode != chat.StatusCode || got.Type != chat.Type || got.Code != chat.Code ||
			!tierTimeoutMessage.MatchString(got.Message) {
			t.Errorf("%s to a hung upstream: %v, want chat's %d %s %s", endpoint, err, chat.StatusCode, chat.Type, chat.Code)
		}
		if took < 300*time.Millisecond || took > 5*time.Second {
			t.Errorf("%s answered after %s, want just after the 300ms timeout", endpoint, took)
		}
	}

	// The embeddings' own first-token timeout is 800 ms: an upstream 1.2 s
	// slow is abandoned for the route's next deployment, and answers
	// within a caller's 3 s (asked second: its slow answer raises the
	// timeout derived from its observed speed).
	e.Sim.Faults.Clear("")
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultSlow, Model: "text-embedding-3-small", Delay: 1200 * time.Millisecond})
	if dep := embedWith(t, e); dep != "gemini-embedding-001" {
		t.Errorf("with the 800ms first-token timeout the fallback should answer; got %s", dep)
	}
	if dep := embedWith(t, e, option.WithHeader("x-switchyard-timeout-ms", "3000")); dep != "text-embedding-3-small" {
		t.Errorf("with a 3s timeout the 1.2s-slow deployment should answer; got %s", dep)
	}
}

// embedWith asks the embed route for an embedding with opts and returns
// the deployment that answered.
func embedWith(t *testing.T, e *env, opts ...option.RequestOption) string {
	t.Helper()
	var head http.Header
	_, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "embed",
		Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("a river in spring")}}, append(opts, headersInto(&head))...)
	if err != nil {
		t.Fatalf("embeddings: %v", err)
	}
	return head.Get("x-switchyard-deployment")
}
