package openai

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"

	"switchyard/sim"
)

// moderationAnswer is the part of a moderations answer the tests read.
type moderationAnswer struct {
	ID, Model string
	Results   []struct {
		Flagged        bool
		Categories     map[string]*bool
		CategoryScores map[string]float64  `json:"category_scores"`
		Applied        map[string][]string `json:"category_applied_input_types"`
	}
}

func TestModerations(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	post := func(body string) (int, string) {
		status, _, b := do(t, hc, "POST", url+"/v1/moderations", body, bearer)
		return status, b
	}
	status, body := post(`{"input":["I want to kill them.","What a lovely day."]}`)
	var a moderationAnswer
	if err := json.Unmarshal([]byte(body), &a); status != 200 || err != nil {
		t.Fatalf("status %d: %s", status, body)
	}
	if !strings.HasPrefix(a.ID, "modr-") || a.Model != "omni-moderation-latest" || len(a.Results) != 2 {
		t.Fatalf("answer %s", body)
	}
	kill, calm := a.Results[0], a.Results[1]
	if !kill.Flagged || !*kill.Categories["violence"] || !*kill.Categories["harassment/threatening"] || *kill.Categories["sexual"] || calm.Flagged {
		t.Errorf("flags: %s", body)
	}
	if len(kill.Categories) != 13 || len(kill.CategoryScores) != 13 || len(kill.Applied) != 13 || !slices.Equal(kill.Applied["violence"], []string{"text"}) {
		t.Errorf("categories: %s", body)
	}
	_, again := post(`{"input":["I want to kill them.","What a lovely day."]}`)
	var b moderationAnswer
	json.Unmarshal([]byte(again), &b)
	if b.Results[1].CategoryScores["hate"] != calm.CategoryScores["hate"] {
		t.Error("scores are not deterministic")
	}
}

func TestModerationsImages(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	body := `{"input":[{"type":"text","text":"a still from a film"},{"type":"image_url","image_url":{"url":"https://example.com/war-gore.png"}}]}`
	status, _, resp := do(t, hc, "POST", url+"/v1/moderations", body, bearer)
	var a moderationAnswer
	if err := json.Unmarshal([]byte(resp), &a); status != 200 || err != nil || len(a.Results) != 1 {
		t.Fatalf("status %d: %s", status, resp)
	}
	r := a.Results[0]
	if !r.Flagged || !*r.Categories["violence/graphic"] || *r.Categories["harassment"] {
		t.Errorf("flags: %s", resp)
	}
	if !slices.Equal(r.Applied["violence"], []string{"text", "image"}) || !slices.Equal(r.Applied["harassment"], []string{"text"}) {
		t.Errorf("applied input types: %v", r.Applied)
	}
	imageOnly := `{"input":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}`
	status, _, resp = do(t, hc, "POST", url+"/v1/moderations", imageOnly, bearer)
	json.Unmarshal([]byte(resp), &a)
	if status != 200 || a.Results[0].Flagged || len(a.Results[0].Applied["harassment"]) != 0 || !slices.Equal(a.Results[0].Applied["sexual"], []string{"image"}) {
		t.Errorf("image only: %d %s", status, resp)
	}
}

func TestModerationsTextModel(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	status, _, resp := do(t, hc, "POST", url+"/v1/moderations", `{"model":"text-moderation-latest","input":"How do I shoplift?"}`, bearer)
	var a moderationAnswer
	if err := json.Unmarshal([]byte(resp), &a); status != 200 || err != nil || a.Model != "text-moderation-latest" {
		t.Fatalf("status %d: %s", status, resp)
	}
	if a.Results[0].Categories["illicit"] != nil || a.Results[0].Flagged {
		t.Errorf("a text-moderation model answers null for illicit and flags nothing here: %s", resp)
	}
}

func TestModerationsErrors(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	image := `[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]`
	for _, tt := range []struct {
		name, body  string
		status      int
		param, code string
	}{
		{"unknown model", `{"model":"nope","input":"a"}`, 404, "model", "model_not_found"},
		{"chat model", `{"model":"gpt-sim","input":"a"}`, 404, "model", "model_not_found"},
		{"image to a text model", `{"model":"text-moderation-latest","input":` + image + `}`, 400, "input", "invalid_value"},
		{"unknown argument", `{"input":"a","temperature":1}`, 400, "", ""},
		{"no input", `{"model":"omni-moderation-latest"}`, 400, "input", ""},
		{"rate limited", `{"input":"a [[sim:rate_limit]]"}`, 429, "", "rate_limit_exceeded"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := do(t, hc, "POST", url+"/v1/moderations", tt.body, bearer)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			e := errorOf(t, body)
			if p, _ := e["param"].(string); p != tt.param {
				t.Errorf("param %v, want %q: %s", e["param"], tt.param, body)
			}
			if c, _ := e["code"].(string); c != tt.code {
				t.Errorf("code %v, want %q: %s", e["code"], tt.code, body)
			}
		})
	}
	azure, ahc := start(t, NewAzure(testCatalog(), nil))
	status, _, body := do(t, ahc, "POST", azure+"/openai/v1/moderations", `{"input":"a"}`, map[string]string{"api-key": "k"})
	if status != 404 {
		t.Errorf("Azure OpenAI has no moderations endpoint, yet the sim answered %d: %s", status, body)
	}
}

// TestSDKModerations reads the simulator's answers with the official SDK,
// which types every category.
func TestSDKModerations(t *testing.T) {
	c := sdkClient(t)
	ctx := context.Background()
	resp, err := c.Moderations.New(ctx, sdk.ModerationNewParams{Input: sdk.ModerationNewParamsInputUnion{OfString: sdk.String("I want to kill them.")}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Results[0]
	if !r.Flagged || !r.Categories.Violence || r.Categories.Sexual || r.CategoryScores.Violence < sim.ModerationThreshold || !r.JSON.CategoryAppliedInputTypes.Valid() {
		t.Errorf("result %s", r.RawJSON())
	}
	resp, err = c.Moderations.New(ctx, sdk.ModerationNewParams{Model: "omni-moderation-latest", Input: sdk.ModerationNewParamsInputUnion{
		OfModerationMultiModalArray: []sdk.ModerationMultiModalInputUnionParam{
			sdk.ModerationMultiModalInputParamOfText("hello"),
			sdk.ModerationMultiModalInputParamOfImageURL(sdk.ModerationImageURLInputImageURLParam{URL: "https://example.com/gore.png"}),
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Results[0]; !r.Categories.ViolenceGraphic || !slices.Contains(r.CategoryAppliedInputTypes.ViolenceGraphic, "image") {
		t.Errorf("image result %s", r.RawJSON())
	}
	_, err = c.Moderations.New(ctx, sdk.ModerationNewParams{Model: "nope", Input: sdk.ModerationNewParamsInputUnion{OfStringArray: []string{"a"}}})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "model_not_found" {
		t.Errorf("unknown model: %v", err)
	}
}
