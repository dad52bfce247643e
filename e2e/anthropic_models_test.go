package e2e

import (
	"errors"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// The model list as the Anthropic SDK reads it: listed, paged, one model
// got, an unknown one a 404 in Anthropic's shape.
func TestAnthropicSDKModels(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	page, err := c.Models.List(ctxT(t), sdk.ModelListParams{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range page.Data {
		ids[m.ID] = true
		if m.Type != "model" || m.DisplayName == "" || m.CreatedAt.IsZero() {
			t.Errorf("model %+v", m)
		}
	}
	for _, want := range []string{"auto", "gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		if !ids[want] {
			t.Errorf("model %q missing from %v", want, ids)
		}
	}
	if m, err := c.Models.Get(ctxT(t), "auto", sdk.ModelGetParams{}); err != nil || m.ID != "auto" {
		t.Errorf("get auto: %v %+v", err, m)
	}
	_, err = c.Models.Get(ctxT(t), "no-such-model", sdk.ModelGetParams{})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Type() != "not_found_error" {
		t.Errorf("unknown model: %v", err)
	}
	op, err := e.Client.Models.List(ctxT(t))
	if err != nil || len(op.Data) != len(page.Data) && !page.HasMore {
		t.Fatalf("the OpenAI list beside it: %v, %d models, want %d", err, len(op.Data), len(page.Data))
	}
	three, err := c.Models.List(ctxT(t), sdk.ModelListParams{Limit: sdk.Int(3)})
	if err != nil || len(three.Data) != 3 || !three.HasMore || three.LastID != three.Data[2].ID {
		t.Fatalf("limit 3: %v, %+v", err, three)
	}
	// The SDK's auto-pager, three models a page, walks the whole list once.
	var paged []string
	iter := c.Models.ListAutoPaging(ctxT(t), sdk.ModelListParams{Limit: sdk.Int(3)})
	for iter.Next() {
		paged = append(paged, iter.Current().ID)
	}
	if err := iter.Err(); err != nil || len(paged) != len(op.Data) {
		t.Errorf("auto-paging: %v, %d models %v, want %d", err, len(paged), paged, len(op.Data))
	}
	for i, m := range op.Data {
		if i < len(paged) && paged[i] != m.ID {
			t.Errorf("model %d: paged %q, listed %q", i, paged[i], m.ID)
		}
	}
	_, err = c.Models.List(ctxT(t), sdk.ModelListParams{Limit: sdk.Int(1001)})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Type() != "invalid_request_error" {
		t.Errorf("limit 1001: %v", err)
	}
}
