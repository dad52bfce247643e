package e2e

import (
	"errors"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// openai-go against the endpoints routed by their model alone: a cost
// cap sent to embeddings or moderations, which read no routing header,
// is refused with a 400 naming it (unsupported_header) instead of being
// silently not applied, and so is a mistyped x-switchyard-* header
// (unknown_header); the session header is read there (the request log)
// and passes.
func TestUnroutedEndpointsRefuseRoutingHeadersSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	embed := func(opts ...option.RequestOption) error {
		_, err := e.Client.Embeddings.New(ctxT(t), openai.EmbeddingNewParams{Model: "embed",
			Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("hello")}}, opts...)
		return err
	}
	moderate := func(opts ...option.RequestOption) error {
		_, err := e.Client.Moderations.New(ctxT(t), openai.ModerationNewParams{
			Input: openai.ModerationNewParamsInputUnion{OfString: openai.String("hello")}}, opts...)
		return err
	}
	for name, call := range map[string]func(...option.RequestOption) error{"embeddings": embed, "moderations": moderate} {
		for header, code := range map[string]string{"x-switchyard-max-cost-usd": "unsupported_header", "x-switchyard-max-cost": "unknown_header"} {
			err := call(option.WithHeader(header, "0.0000001"))
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != code || apiErr.Param != header {
				t.Errorf("%s with %s: %v, want a 400 %s", name, header, err, code)
			}
		}
		if err := call(option.WithHeader("x-switchyard-session", "s-1")); err != nil {
			t.Errorf("%s with the session header: %v", name, err)
		}
	}
}
