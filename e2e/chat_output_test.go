package e2e

import (
	"encoding/base64"
	"math"
	"net/http"
	"strings"
	"switchyard/config"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// What an OpenAI answer carries beside its text reaches the client: a
// spoken answer's audio (complete, and streamed as audio deltas), which a
// later turn can refer to by its id, and a search model's url_citation
// annotations.

func spokenChat(model string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{Model: model,
		Messages:   []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello to the team.")},
		Modalities: []string{"text", "audio"},
		Audio:      openai.ChatCompletionAudioParam{Format: openai.ChatCompletionAudioParamFormatWAV, Voice: openai.ChatCompletionAudioParamVoiceUnion{OfString: openai.String("alloy")}},
	}
}

func TestSpokenAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	var resp *http.Response
	c, err := e.Client.Chat.Completions.New(ctxT(t), spokenChat("auto"), option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	a := c.Choices[0].Message.Audio
	wav, _ := base64.StdEncoding.DecodeString(a.Data)
	if !strings.HasPrefix(a.ID, "audio_") || !strings.HasPrefix(string(wav), "RIFF") || a.Transcript == "" || a.ExpiresAt < time.Now().Unix() || c.Choices[0].Message.Content != "" {
		t.Fatalf("audio %s… (%d bytes of WAV), message %+v", a.ID, len(wav), c.Choices[0].Message)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "claude") || strings.HasPrefix(dep, "gemini") {
		t.Errorf("a spoken answer from %s", dep)
	}

	// Streamed: the transcript and the data in pieces, then the expiry.
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), spokenChat("gpt-4o"))
	var id, transcript, data string
	var expires int64
	for stream.Next() {
		for _, ch := range stream.Current().Choices {
			d := ch.Delta.Audio
			id, transcript, data = id+d.ID, transcript+d.Transcript, data+d.Data
			expires = max(expires, d.ExpiresAt)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	wav, _ = base64.StdEncoding.DecodeString(data)
	if !strings.HasPrefix(id, "audio_") || transcript == "" || !strings.HasPrefix(string(wav), "RIFF") || expires == 0 {
		t.Errorf("streamed audio: id %q, transcript %q, %d bytes, expires %d", id, transcript, len(wav), expires)
	}

	// The next turn refers to the answer's audio by its id (no content):
	// accepted, and kept on OpenAI-format deployments, which know the id.
	next := openai.ChatCompletionNewParams{Model: "auto", Messages: []openai.ChatCompletionMessageParamUnion{
		openai.UserMessage("Say hello to the team."),
		{OfAssistant: &openai.ChatCompletionAssistantMessageParam{Audio: openai.ChatCompletionAssistantMessageParamAudio{ID: a.ID}}},
		openai.UserMessage("Now say goodbye."),
	}}
	if _, err := e.Client.Chat.Completions.New(ctxT(t), next, option.WithResponseInto(&resp)); err != nil {
		t.Fatalf("a turn after a spoken answer: %v", err)
	}
	if dep := resp.Header.Get("x-switchyard-deployment"); strings.HasPrefix(dep, "claude") || strings.HasPrefix(dep, "gemini") {
		t.Errorf("a conversation holding an OpenAI audio id went to %s", dep)
	}
}

func TestSearchAnnotations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	params := openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Latest news on Go?")},
		WebSearchOptions: openai.ChatCompletionNewParamsWebSearchOptions{}}
	c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithJSONSet("web_search_options", map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	ann := c.Choices[0].Message.Annotations
	if len(ann) != 1 || ann[0].Type != "url_citation" || !strings.HasPrefix(ann[0].URLCitation.URL, "https://search.example/") ||
		ann[0].URLCitation.EndIndex != int64(len([]rune(c.Choices[0].Message.Content))) {
		t.Fatalf("annotations %+v", ann)
	}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, option.WithJSONSet("web_search_options", map[string]any{}))
	found := false
	for stream.Next() {
		found = found || strings.Contains(stream.Current().RawJSON(), `"annotations":[{"type":"url_citation"`)
	}
	if err := stream.Err(); err != nil || !found {
		t.Errorf("streamed: annotations seen %v, err %v", found, err)
	}
}

// A spoken answer's audio is billed as audio tokens: the simulated API
// reports them (completion_tokens_details.audio_tokens), openai-go reads
// them, and the router prices them at the catalog's audio output price
// (gpt-4o-audio-preview-2024-12-17: $80 per 1M, eight times its text
// output), complete and streamed; the record's cost says so. (The
// simulator serves gpt-4o; base_model names the audio model to the
// catalog.)
func TestSpokenAnswerPricedAsAudio(t *testing.T) {
	t.Parallel()
	const model = "audio"
	e := newEnv(t, func(c *config.Config) {
		c.Deployments[model] = &config.Deployment{Name: model, Provider: "openai", Model: "gpt-4o", BaseModel: "gpt-4o-audio-preview-2024-12-17"}
	})
	c, err := e.Client.Chat.Completions.New(ctxT(t), spokenChat(model))
	if err != nil {
		t.Fatal(err)
	}
	u := c.Usage
	audio := u.CompletionTokensDetails.AudioTokens
	if audio == 0 || audio >= u.CompletionTokens {
		t.Fatalf("usage %+v: want audio tokens, part of the completion", u)
	}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), spokenChat(model))
	for stream.Next() {
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.recorded(t, 2) {
		ru := r.Usage
		want := (float64(ru.PromptTokens)*2.5 + float64(ru.CompletionTokens-ru.AudioCompletionTokens)*10 + float64(ru.AudioCompletionTokens)*80) / 1e6
		if ru.AudioCompletionTokens == 0 || math.Abs(r.CostUSD-want) > 1e-9 {
			t.Errorf("%s (stream %v): usage %+v, cost $%v, want $%v (audio at $80 per 1M)", r.RequestID, r.Stream, ru, r.CostUSD, want)
		}
	}
}

// A model the catalog prices as text (an alias, no base_model) whose
// price block sets chat_audio_output: its spoken answer, complete and
// streamed, is priced at the configured audio price, not at the text
// output price.
func TestSpokenAnswerPricedByConfiguredAudioPrice(t *testing.T) {
	t.Parallel()
	const model = "my-voice"
	e := newEnv(t, func(c *config.Config) {
		c.Deployments[model] = &config.Deployment{Name: model, Provider: "openai", Model: "gpt-4o",
			Price: config.Price{Input: 2.5, Output: 10, ChatAudioOutput: 64}}
	})
	if _, err := e.Client.Chat.Completions.New(ctxT(t), spokenChat(model)); err != nil {
		t.Fatal(err)
	}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), spokenChat(model))
	for stream.Next() {
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	for _, r := range e.recorded(t, 2) {
		ru := r.Usage
		want := (float64(ru.PromptTokens)*2.5 + float64(ru.CompletionTokens-ru.AudioCompletionTokens)*10 + float64(ru.AudioCompletionTokens)*64) / 1e6
		if ru.AudioCompletionTokens == 0 || math.Abs(r.CostUSD-want) > 1e-9 {
			t.Errorf("%s (stream %v): usage %+v, cost $%v, want $%v (audio at the configured $64 per 1M)", r.RequestID, r.Stream, ru, r.CostUSD, want)
		}
	}
}
