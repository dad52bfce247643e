package openai

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeModerationSpecResponses(t *testing.T) {
	for _, tt := range []struct {
		file           string
		model          string
		cats           int
		applied        bool
		violence       float64
		illicitFlagged bool
	}{
		{"spec/moderations_single_string_response.json", "text-moderation-007", 11, false, 0.9971134662628174, false},
		{"spec/moderations_image_and_text_response.json", "omni-moderation-latest", 13, true, 0.9999992735124786, true},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, tt.file)
			r, err := DecodeModerationResponse(data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(r.ID, "modr-") || r.Model != tt.model || len(r.Results) != 1 || !r.Results[0].Flagged {
				t.Fatalf("got id %q model %q results %+v", r.ID, r.Model, r.Results)
			}
			res := r.Results[0]
			if len(res.Categories) != tt.cats {
				t.Errorf("%d categories, want %d", len(res.Categories), tt.cats)
			}
			v := find(res, "violence")
			if v == nil || v.Flagged == nil || !*v.Flagged || v.Score != tt.violence {
				t.Errorf("violence = %+v, want flagged with score %v", v, tt.violence)
			}
			if (v.AppliedInputTypes != nil) != tt.applied {
				t.Errorf("violence applied to %v; want applied types: %v", v.AppliedInputTypes, tt.applied)
			}
			if string(r.Body) != string(data) {
				t.Error("Body is not the answer as it came")
			}
			if tt.applied && !reflect.DeepEqual(v.AppliedInputTypes, []string{"text", "image"}) {
				t.Errorf("violence applied to %q", v.AppliedInputTypes)
			}
		})
	}
}

func find(res llm.ModerationResult, name string) *llm.ModerationCategory {
	for i := range res.Categories {
		if res.Categories[i].Name == name {
			return &res.Categories[i]
		}
	}
	return nil
}

func TestDecodeModerationResponseShapes(t *testing.T) {
	// Mistral: no flagged, its own categories, no applied input types.
	mistral := `{"id":"e0f5","model":"mistral-moderation-latest","results":[{"categories":{"sexual":false,"violence_and_threats":true},"category_scores":{"sexual":0.001,"violence_and_threats":0.93}},{"categories":{"sexual":false},"category_scores":{"sexual":0.0}}]}`
	r, err := DecodeModerationResponse([]byte(mistral))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 2 || !r.Results[0].Flagged || r.Results[1].Flagged || r.Flagged() != 1 {
		t.Errorf("Mistral results %+v: want the first flagged by its category, the second not", r.Results)
	}
	// text-moderation models answer null for the illicit categories.
	nulls := `{"id":"modr-1","model":"text-moderation-007","results":[{"flagged":false,"categories":{"illicit":null},"category_scores":{"illicit":0},"category_applied_input_types":{"illicit":[]}}]}`
	r, err = DecodeModerationResponse([]byte(nulls))
	if err != nil {
		t.Fatal(err)
	}
	c := r.Results[0].Categories[0]
	if c.Flagged != nil || c.AppliedInputTypes == nil || len(c.AppliedInputTypes) != 0 {
		t.Errorf("illicit = %+v, want a nil verdict and an empty (not nil) list of input types", c)
	}
}

func TestDecodeModerationResponseErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		kind       llm.ErrorKind
		msg        string
	}{
		{"not JSON", `{"id":"modr-1",`, llm.KindUpstream, "malformed moderations response"},
		{"not an object", `[]`, llm.KindUpstream, "malformed moderations response"},
		{"no results", `{"id":"modr-1","model":"m"}`, llm.KindUpstream, "results"},
		{"results not an array", `{"results":{}}`, llm.KindUpstream, "results"},
		{"no categories", `{"results":[{"flagged":true,"category_scores":{}}]}`, llm.KindUpstream, "categories"},
		{"no scores", `{"results":[{"flagged":true,"categories":{}}]}`, llm.KindUpstream, "category_scores"},
		{"score a string", `{"results":[{"categories":{},"category_scores":{"hate":"high"}}]}`, llm.KindUpstream, "category_scores.hate"},
		{"verdict a number", `{"results":[{"categories":{"hate":1},"category_scores":{}}]}`, llm.KindUpstream, "categories.hate"},
		{"flagged a string", `{"results":[{"flagged":"yes","categories":{},"category_scores":{}}]}`, llm.KindUpstream, "flagged"},
		{"applied types not strings", `{"results":[{"categories":{},"category_scores":{},"category_applied_input_types":{"hate":[1]}}]}`, llm.KindUpstream, "category_applied_input_types.hate[0]"},
		{"an error body", `{"error":{"message":"The model does not exist","type":"invalid_request_error","code":"model_not_found"}}`, llm.KindNotFound, "does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeModerationResponse([]byte(tt.body))
			e, ok := err.(*llm.Error)
			if !ok {
				t.Fatalf("error %v (%T), want an *llm.Error", err, err)
			}
			if e.Kind != tt.kind || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("got %s %q, want %s with %q", e.Kind, e.Message, tt.kind, tt.msg)
			}
		})
	}
}

// TestAppendModerationResponse checks that encoding the spec's answers
// gives the same JSON (the spec's key order is kept).
func TestAppendModerationResponse(t *testing.T) {
	for _, file := range []string{"spec/moderations_single_string_response.json", "spec/moderations_image_and_text_response.json"} {
		data := readFixture(t, file)
		r, err := DecodeModerationResponse(data)
		if err != nil {
			t.Fatal(err)
		}
		out := AppendModerationResponse(nil, r)
		var got, want any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: encoded answer is not JSON: %v\n%s", file, err, out)
		}
		json.Unmarshal(data, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: encoded\n%s\nwant\n%s", file, out, data)
		}
	}
	f := false
	r := &llm.ModerationResponse{ID: "modr-1", Model: "text-moderation-latest", Results: []llm.ModerationResult{{
		Categories: []llm.ModerationCategory{{Name: "hate", Flagged: &f, Score: 1e-7}, {Name: "illicit"}},
	}}}
	want := `{"id":"modr-1","model":"text-moderation-latest","results":[{"flagged":false,"categories":{"hate":false,"illicit":null},"category_scores":{"hate":1e-7,"illicit":0}}]}`
	if got := string(AppendModerationResponse(nil, r)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func FuzzDecodeModerationRequest(f *testing.F) {
	addSeeds(f, "moderations_*_request.json",
		[]byte(`{"input":""}`), []byte(`{"model":null,"input":["a","\u2028"]}`),
		[]byte(`{"input":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AA"}},{"type":"text","text":"x"}],"user":{"a":[1]}}`),
		[]byte(`{"input":[{"type":"text"}]}`), []byte(`{"input":["a",{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeModerationRequest(data)
		asLLMError(t, err, llm.KindInvalidRequest)
		if err != nil {
			return
		}
		if r.Model == "" || (r.Texts == nil) == (r.Parts == nil) {
			t.Fatalf("decoded request without a model or with not exactly one input form: %+v", r)
		}
		body, err := EncodeModerationRequest(r)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		r2, err := DecodeModerationRequest(body)
		if err != nil {
			t.Fatalf("decode of re-encoded body: %v\n%s", err, body)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed the request\n got %+v\nwant %+v\nbody %s", r2, r, body)
		}
	})
}

func FuzzDecodeModerationResponse(f *testing.F) {
	addSeeds(f, "moderations_*_response.json",
		[]byte(`{"id":"e","model":"mistral-moderation-latest","results":[{"categories":{"pii":true},"category_scores":{"pii":0.9}}]}`),
		[]byte(`{"results":[{"flagged":false,"categories":{"illicit":null},"category_scores":{"illicit":0},"category_applied_input_types":{"illicit":[]}}]}`),
		[]byte(`{"error":{"message":"x","type":"server_error"}}`),
		// Found by fuzzing: an empty category name in an error's param,
		// and applied types for some categories only.
		[]byte(`{"results":[{"categories":{"":[]}}]}`),
		[]byte(`{"results":[{"categories":{},"category_scores":{"":0},"category_applied_input_types":{"0":[]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeModerationResponse(data)
		if err != nil {
			if _, ok := err.(*llm.Error); !ok {
				t.Fatalf("error %v is a %T, not an *llm.Error", err, err)
			}
			return
		}
		out := AppendModerationResponse(nil, r)
		r2, err := DecodeModerationResponse(out)
		if err != nil {
			t.Fatalf("decode of the encoded answer: %v\n%s", err, out)
		}
		r.Body, r2.Body = nil, nil
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("encode changed the answer\n got %+v\nwant %+v\n%s", r2, r, out)
		}
	})
}

// BenchmarkModerationCodec decodes the spec's multimodal request and its
// answer, the work the router adds to a moderation besides the HTTP calls.
func BenchmarkModerationCodec(b *testing.B) {
	req := readFixture(b, "spec/moderations_image_and_text_request.json")
	resp := readFixture(b, "spec/moderations_image_and_text_response.json")
	b.SetBytes(int64(len(req) + len(resp)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := DecodeModerationRequest(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := EncodeModerationRequest(r); err != nil {
			b.Fatal(err)
		}
		if _, err := DecodeModerationResponse(resp); err != nil {
			b.Fatal(err)
		}
	}
}
