package e2e

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// The Responses request options that openai-go v3.102 and npm openai 7.60
// send and earlier ones did not: the router takes those it can serve or
// ignore (they steer OpenAI's own scheduling, prompt cache and image
// compression), and refuses, naming the param, those whose effect it
// cannot give.

// TestResponsesNewOptionsTaken sends each option the router takes, with
// openai-go unchanged, and gets an answer.
func TestResponsesNewOptionsTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cases := map[string]func(*responses.ResponseNewParams){
		"prompt_cache_options 12h, comparison": func(p *responses.ResponseNewParams) {
			p.PromptCacheOptions = responses.ResponseNewParamsPromptCacheOptions{Ttl: "12h", Mode: "explicit", ComparisonResponseID: openai.String("resp_123")}
		},
		"image context_compression": func(p *responses.ResponseNewParams) {
			p.Image = responses.ResponseNewParamsImage{ContextCompression: "disabled"}
		},
		"access_programs standard": func(p *responses.ResponseNewParams) {
			p.AccessPrograms = responses.ResponseNewParamsAccessPrograms{Cyber: "standard"}
		},
		"background_options soonest": func(p *responses.ResponseNewParams) {
			p.BackgroundOptions = responses.ResponseNewParamsBackgroundOptions{CompletionWindow: "soonest", ContinuationID: openai.String("job-7")}
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			p := responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("What is the capital of Peru?"), Store: openai.Bool(false)}
			edit(&p)
			r, err := e.Client.Responses.New(ctxT(t), p)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != responses.ResponseStatusCompleted || r.OutputText() == "" {
				t.Fatalf("response: %s", r.RawJSON())
			}
		})
	}
}

// TestResponsesNewOptionsRefused sends the values the router cannot
// serve: each is a 400 naming its param.
func TestResponsesNewOptionsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cases := []struct {
		name, param string
		edit        func(*responses.ResponseNewParams)
	}{
		{"a 2h window without background", "background_options.completion_window", func(p *responses.ResponseNewParams) {
			p.BackgroundOptions = responses.ResponseNewParamsBackgroundOptions{CompletionWindow: "2h"}
		}},
		{"prewarm", "prompt_cache_options.prewarm", func(p *responses.ResponseNewParams) {
			p.PromptCacheOptions = responses.ResponseNewParamsPromptCacheOptions{Prewarm: openai.Bool(true)}
		}},
		{"a Daybreak program", "access_programs.cyber", func(p *responses.ResponseNewParams) {
			p.AccessPrograms = responses.ResponseNewParamsAccessPrograms{Cyber: "daybreak_blue"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("Hello"), Store: openai.Bool(false)}
			c.edit(&p)
			_, err := e.Client.Responses.New(ctxT(t), p)
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != c.param {
				t.Fatalf("err = %v, want a 400 on %s", err, c.param)
			}
		})
	}
}

// TestResponsesBackgroundWindow runs a background response in the 8h
// window: the router runs it at once (within any window), and it ends
// completed.
func TestResponsesBackgroundWindow(t *testing.T) {
	t.Parallel()
	e := bgEnv(t, storeBackends[0].open(t), 3*time.Second, nil)
	p := background("gpt-4o-mini", "What is the capital of Chile?")
	p.BackgroundOptions = responses.ResponseNewParamsBackgroundOptions{CompletionWindow: "8h", ContinuationID: openai.String("nightly-42")}
	created, err := e.Client.Responses.New(ctxT(t), p)
	if err != nil {
		t.Fatal(err)
	}
	if created.Status != responses.ResponseStatusQueued {
		t.Fatalf("created: %s", created.RawJSON())
	}
	checkRequired(t, "queued", created.RawJSON(), reflect.TypeOf(responses.Response{}))
	done := waitStatus(t, e.Client, created.ID, responses.ResponseStatusCompleted)
	if done.OutputText() == "" {
		t.Fatalf("done: %s", done.RawJSON())
	}
	checkRequired(t, "retrieved", done.RawJSON(), reflect.TypeOf(responses.Response{}))
}

// TestResponsesCompactImageOption compacts with image (openai-go's
// ResponseCompactParams.Image): taken, as on a create request.
func TestResponsesCompactImageOption(t *testing.T) {
	t.Parallel()
	e, _ := newTapEnv(t, withSharedKey)
	c, err := e.Client.Responses.Compact(ctxT(t), responses.ResponseCompactParams{Model: "claude-sonnet-4-5",
		Input: responses.ResponseCompactParamsInputUnion{OfResponseInputItemArray: compactInput()},
		Image: responses.ResponseCompactParamsImage{ContextCompression: "enabled"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Object != "response.compaction" || len(c.Output) == 0 {
		t.Fatalf("compacted %s", c.RawJSON())
	}
}

// TestResponsesImageDetailOriginal sends an input_image at detail
// "original" (openai-go's ResponseInputImageDetailOriginal): an OpenAI
// deployment is sent it as it came, a Claude one the image.
func TestResponsesImageDetailOriginal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(tinyPNG(t))
	for _, model := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		content := responses.ResponseInputMessageContentListParam{
			{OfInputImage: &responses.ResponseInputImageParam{ImageURL: openai.String(url), Detail: responses.ResponseInputImageDetailOriginal}},
			{OfInputText: &responses.ResponseInputTextParam{Text: "What is in this picture?"}},
		}
		input := responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{{
			OfMessage: &responses.EasyInputMessageParam{Role: responses.EasyInputMessageRoleUser,
				Content: responses.EasyInputMessageContentUnionParam{OfInputItemContentList: content}}}}}
		r, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: model, Input: input, Store: openai.Bool(false)})
		if err != nil || r.OutputText() == "" {
			t.Fatalf("%s: %v", model, err)
		}
	}
}

// TestResponsesRequiredFields checks that a Response, complete and
// streamed, has every field openai-go's Response marks required (read
// from the SDK's own struct tags, so a field a new SDK adds is checked
// too): null when the router has no value, never absent.
func TestResponsesRequiredFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	p := responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("What is the capital of Peru?"), Store: openai.Bool(false)}
	r, err := e.Client.Responses.New(ctxT(t), p)
	if err != nil {
		t.Fatal(err)
	}
	checkRequired(t, "complete", r.RawJSON(), reflect.TypeOf(responses.Response{}))
	stream := e.Client.Responses.NewStreaming(ctxT(t), p)
	var last string
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.completed" {
			last = ev.Response.RawJSON()
		}
	}
	if err := stream.Err(); err != nil || last == "" {
		t.Fatalf("stream: %v, completed %q", err, last)
	}
	checkRequired(t, "streamed", last, reflect.TypeOf(responses.Response{}))
}

// checkRequired reports each field of typ tagged api:"required" that the
// JSON object raw lacks.
func checkRequired(t *testing.T, what, raw string, typ reflect.Type) {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &obj); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if _, ok := obj[name]; name != "" && name != "-" && strings.Contains(f.Tag.Get("api"), "required") && !ok {
			t.Errorf("%s: lacks %q, which the SDK requires", what, name)
		}
	}
}
