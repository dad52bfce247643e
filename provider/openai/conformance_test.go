package openai

import (
	"net/http"
	"testing"

	"switchyard/provider"
	"switchyard/provider/providertest"
)

func TestConformance(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		t.Run(kind, func(t *testing.T) {
			providertest.Run(t, providertest.Adapter{
				Format: providertest.OpenAI,
				New: func(t *testing.T, base string, hc *http.Client) provider.Provider {
					c, err := New(provider.Config{Name: providertest.Name, Kind: kind, BaseURL: base, APIKey: providertest.Secret, HTTPClient: hc})
					if err != nil {
						t.Fatal(err)
					}
					return c
				},
			})
		})
	}
}
