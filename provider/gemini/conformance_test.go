package gemini

import (
	"net/http"
	"testing"

	"switchyard/provider"
	"switchyard/provider/providertest"
)

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Adapter{
		Format: providertest.Gemini,
		New: func(t *testing.T, base string, hc *http.Client) provider.Provider {
			c, err := New(provider.Config{Name: providertest.Name, Kind: "gemini", BaseURL: base, APIKey: providertest.Secret, Headers: providertest.Headers(), HTTPClient: hc})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
	})
}
