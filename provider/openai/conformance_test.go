package openai

import (
	"net/http"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/providertest"
)

func TestConformance(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		t.Run(kind, func(t *testing.T) {
			providertest.Run(t, providertest.Adapter{
				Format: providertest.OpenAI,
				New: func(t *testing.T, base string, hc *http.Client) provider.Provider {
					c, err := New(provider.Config{Name: providertest.Name, Kind: kind, BaseURL: base, APIKey: providertest.Secret, Headers: providertest.Headers(), HTTPClient: hc})
					if err != nil {
						t.Fatal(err)
					}
					return c
				},
			})
		})
	}
}

// TestConformanceResponses runs the suite against the adapter's
// Responses API mode (a deployment of api responses), on both kinds.
func TestConformanceResponses(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		t.Run(kind, func(t *testing.T) {
			providertest.Run(t, providertest.Adapter{
				Format: providertest.OpenAIResponses,
				API:    llm.APIResponses,
				New: func(t *testing.T, base string, hc *http.Client) provider.Provider {
					c, err := New(provider.Config{Name: providertest.Name, Kind: kind, BaseURL: base, APIKey: providertest.Secret, Headers: providertest.Headers(), HTTPClient: hc})
					if err != nil {
						t.Fatal(err)
					}
					return c
				},
			})
		})
	}
}
