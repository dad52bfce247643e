package pool

import (
	"net/http"
	"testing"

	"switchyard/provider"
	"switchyard/provider/openai"
	"switchyard/provider/providertest"
)

// TestConformance runs the suite against a pool of one OpenAI member:
// what a member's stream does, the pool's must do too. (With a second,
// free member the pool drops a 429's Retry-After on purpose.)
func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Adapter{
		Format: providertest.OpenAI,
		New: func(t *testing.T, base string, hc *http.Client) provider.Provider {
			var members []Member
			for range 1 {
				c, err := openai.New(provider.Config{Name: providertest.Name, Kind: openai.KindOpenAI, BaseURL: base, APIKey: providertest.Secret, Headers: providertest.Headers(), HTTPClient: hc})
				if err != nil {
					t.Fatal(err)
				}
				members = append(members, Member{Provider: c})
			}
			p, err := New(providertest.Name, members, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
	})
}
