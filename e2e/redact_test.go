package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/config"
)

// TestUpstreamErrorBodyRedacted: personal data and secrets an upstream
// quotes in its error body reach the client masked, whatever the wire
// format, streamed or not (only sk-, AIza and Bearer tokens were masked).
func TestUpstreamErrorBodyRedacted(t *testing.T) {
	t.Parallel()
	const (
		awsKey = "AKIAIOSFODNN7EXAMPLE"
		jwt    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLWhlcmUtMTIz"
		email  = "jane.doe@example.com"
		card   = "4111 1111 1111 1111"
	)
	msg := "denied for " + email + " (card " + card + ", token " + jwt + ", role " + awsKey + ")"
	bodies := map[string]string{
		"openai":    `{"error":{"message":"` + msg + `","type":"invalid_request_error","param":null,"code":null}}`,
		"anthropic": `{"type":"error","error":{"type":"invalid_request_error","message":"` + msg + `"}}`,
		"gemini":    `{"error":{"code":400,"message":"` + msg + `","status":"INVALID_ARGUMENT"}}`,
	}
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")[0]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(bodies[kind]))
	}))
	defer upstream.Close()
	e := newEnv(t, func(c *config.Config) {
		for kind := range bodies {
			base := upstream.URL + "/" + kind
			if kind == "openai" {
				base += "/v1"
			}
			c.Providers["leaky-"+kind] = &config.Provider{Name: "leaky-" + kind, Kind: kind, BaseURL: base, APIKey: "k-" + kind}
			c.Deployments["leaky-"+kind] = &config.Deployment{Name: "leaky-" + kind, Provider: "leaky-" + kind, Model: "m"}
		}
	})
	for kind := range bodies {
		for _, stream := range []bool{false, true} {
			t.Run(kind+map[bool]string{true: "/stream", false: ""}[stream], func(t *testing.T) {
				resp, body := post(t, e.URL+"/v1/chat/completions", "", chatBody("leaky-"+kind, "hi", stream))
				eb := wantError(t, resp, body, http.StatusBadRequest, "")
				for _, leak := range []string{awsKey, jwt, email, card, "1111"} {
					if strings.Contains(string(body), leak) {
						t.Errorf("%q reached the client: %s", leak, body)
					}
				}
				for _, p := range []string{"[REDACTED:email]", "[REDACTED:card]", "[REDACTED:jwt]", "[REDACTED:aws_key]"} {
					if !strings.Contains(eb.Error.Message, p) {
						t.Errorf("message lacks %s: %q", p, eb.Error.Message)
					}
				}
			})
		}
	}
}
