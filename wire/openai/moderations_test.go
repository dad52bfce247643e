package openai

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeModerationRequest(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       llm.ModerationRequest
	}{
		{"string, default model", `{"input":"I want to kill them."}`,
			llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"I want to kill them."}}},
		{"empty string", `{"input":""}`, llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{""}}},
		{"null model", `{"model":null,"input":"a"}`, llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"a"}}},
		{"array of strings", `{"model":"text-moderation-latest","input":["a","b"]}`,
			llm.ModerationRequest{Model: "text-moderation-latest", Texts: []string{"a", "b"}}},
		{"multimodal", `{"input":[{"type":"text","text":"hi","extra":1},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}`,
			llm.ModerationRequest{Model: "omni-moderation-latest", Parts: []llm.ModerationPart{{Text: "hi"}, {ImageURL: "data:image/png;base64,AAAA"}}}},
		{"other fields kept", `{"input":"a","user":"u1"}`,
			llm.ModerationRequest{Model: "omni-moderation-latest", Texts: []string{"a"}, Extra: map[string]json.RawMessage{"user": json.RawMessage(`"u1"`)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeModerationRequest([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestDecodeModerationRequestErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body, param, msg string
	}{
		{"no input", `{"model":"omni-moderation-latest"}`, "input", "Missing required parameter: 'input'."},
		{"null input", `{"input":null}`, "input", "Missing required parameter"},
		{"number input", `{"input":3}`, "input", "Invalid type for 'input': expected a string, an array of strings or an array of objects, but got an integer instead."},
		{"empty array", `{"input":[]}`, "input", "empty array"},
		{"mixed array", `{"input":["a",{"type":"text","text":"b"}]}`, "input[1]", "Invalid type for 'input[1]': expected a string, but got an object instead."},
		{"objects then string", `{"input":[{"type":"text","text":"b"},"a"]}`, "input[1]", "expected an object"},
		{"empty model", `{"model":"","input":"a"}`, "model", "Invalid 'model': empty string."},
		{"model number", `{"model":4,"input":"a"}`, "model", "Invalid type for 'model'"},
		{"part without type", `{"input":[{"text":"a"}]}`, "input[0].type", "Missing required parameter: 'input[0].type'."},
		{"part of unknown type", `{"input":[{"type":"audio"}]}`, "input[0].type", "Supported values are: 'text' and 'image_url'."},
		{"text part without text", `{"input":[{"type":"text"}]}`, "input[0].text", "Missing required parameter"},
		{"text part with a number", `{"input":[{"type":"text","text":1}]}`, "input[0].text", "Invalid type for 'input[0].text'"},
		{"image part without image_url", `{"input":[{"type":"image_url"}]}`, "input[0].image_url", "Missing required parameter"},
		{"image part without url", `{"input":[{"type":"image_url","image_url":{}}]}`, "input[0].image_url.url", "Missing required parameter"},
		{"image url a string", `{"input":[{"type":"image_url","image_url":"https://x/y.png"}]}`, "input[0].image_url", "expected an object"},
		{"image url not a URL", `{"input":[{"type":"image_url","image_url":{"url":"cat.png"}}]}`, "input[0].image_url.url", "Expected an image URL"},
		{"image url ftp", `{"input":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}`, "input[0].image_url.url", "Expected an image URL"},
		{"not an object", `["a"]`, "", "We could not parse the JSON body"},
		{"bad JSON", `{"input":"a",}`, "", "We could not parse the JSON body"},
		{"trailing bytes", `{"input":"a"} x`, "", "We could not parse the JSON body"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeModerationRequest([]byte(tt.body))
			e, ok := err.(*llm.Error)
			if !ok {
				t.Fatalf("error %v (%T), want an *llm.Error", err, err)
			}
			if e.Kind != llm.KindInvalidRequest || e.Param != tt.param || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("got %s param %q %q\nwant param %q, message with %q", e.Kind, e.Param, e.Message, tt.param, tt.msg)
			}
		})
	}
}

func TestEncodeModerationRequest(t *testing.T) {
	for _, tt := range []struct {
		name string
		req  llm.ModerationRequest
		want string
	}{
		{"one text", llm.ModerationRequest{Model: "m", Texts: []string{"a"}}, `{"model":"m","input":"a"}`},
		{"texts", llm.ModerationRequest{Model: "m", Texts: []string{"a", "b"}}, `{"model":"m","input":["a","b"]}`},
		{"parts", llm.ModerationRequest{Model: "m", Parts: []llm.ModerationPart{{Text: "a"}, {ImageURL: "https://x/y.png"}}},
			`{"model":"m","input":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}`},
		{"extra", llm.ModerationRequest{Model: "m", Texts: []string{"a"}, Extra: map[string]json.RawMessage{"user": json.RawMessage(`"u"`), "input": json.RawMessage(`1`)}},
			`{"model":"m","input":"a","user":"u"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeModerationRequest(&tt.req)
			if err != nil || string(got) != tt.want {
				t.Errorf("got %s, %v\nwant %s", got, err, tt.want)
			}
		})
	}
	if _, err := EncodeModerationRequest(&llm.ModerationRequest{Model: "m", Texts: []string{"a"}, Extra: map[string]json.RawMessage{"x": json.RawMessage(`{`)}}); err == nil {
		t.Error("an Extra value that is not JSON encoded without an error")
	}
}

// TestModerationSpecRequests decodes the spec's examples.
func TestModerationSpecRequests(t *testing.T) {
	r, err := DecodeModerationRequest(readFixture(t, "spec/moderations_single_string_request.json"))
	if err != nil || r.Model != llm.DefaultModerationModel || len(r.Texts) != 1 || r.Texts[0] != "I want to kill them." {
		t.Errorf("single string: %+v, %v", r, err)
	}
	r, err = DecodeModerationRequest(readFixture(t, "spec/moderations_image_and_text_request.json"))
	want := []llm.ModerationPart{{Text: "...text to classify goes here..."}, {ImageURL: "https://example.com/image.png"}}
	if err != nil || !reflect.DeepEqual(r.Parts, want) || r.Texts != nil {
		t.Errorf("image and text: %+v, %v", r, err)
	}
}
