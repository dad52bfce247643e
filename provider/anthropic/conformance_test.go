package anthropic

import (
	"net/http"
	"testing"

	"switchyard/provider"
	"switchyard/provider/providertest"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Adapter{
		Format: providertest.Anthropic,
		New: func(t *testing.T, base string, hc *http.Client) provider.Provider {
			c, err := New(provider.Config{Name: providertest.Name, Kind: "anthropic", BaseURL: base, APIKey: providertest.Secret, Headers: providertest.Headers(), HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	})
}
