package config

import (
	"strings"
	"testing"
)

// TestNoSecretsInErrors puts secrets in every place a secret may live, next
// to mistakes, and checks that no error message repeats one.
func TestNoSecretsInErrors(t *testing.T) {
	secrets := map[string]string{
		"OPENAI_API_KEY": "sk-SECRET-env-openai",
		"AUTH_KEY":       "sy-SECRET-env-auth",
		"PADDED":         " sk-SECRET-padded ",
	}
	docs := []string{
		// Secrets in api_key, auth keys and headers, with mistakes around them.
		`server: {addr: nowhere, request_timeout: soon}
auth:
  keys: ["${AUTH_KEY}", "sy-SECRET-literal-auth", "sy-SECRET-literal-auth", "${PADDED}"]
providers:
  openai:
    kind: openaii
    api_key: ${OPENAI_API_KEY}
    api_version: v1
    headers: {Authorization: "Bearer sk-SECRET-header", "Bad Header": "sk-SECRET-header2", X-Bad: "a\nsk-SECRET-crlf"}
  raw:
    kind: anthropic
    api_key: " sk-SECRET-literal-padded"
    base_url: https://user:sk-SECRET-userinfo@api.example.com
  gem:
    kind: gemini
    api_key: "sk-SECRET-gem"
    base_url: https://generativelanguage.googleapis.com/?key=sk-SECRET-query
  misplaced: sk-SECRET-misplaced
deployments:
  d: {provider: nope, prise: 1}
routes:
  r: {deployments: [x]}
`,
		// A key where a list belongs, and one in an unset-variable default.
		`auth:
  keys: ${AUTH_KEY}
providers:
  p: {kind: openai, api_key: "${UNSET_VAR:-sk-SECRET-default}", timeout: "${OPENAI_API_KEY}"}
  q: {kind: openai, api_key: "${sk-SECRET-as-name}"}
  r: {kind: openai, api_key: "${OPENAI_API_KEY"}
`,
		// Secrets in key pools: api_keys and endpoints, with mistakes around
		// them, and a key's variable in fields whose values are quoted.
		`providers:
  pool:
    kind: openaii
    api_key: ${OPENAI_API_KEY}
    api_keys: ["${OPENAI_API_KEY}", "sk-SECRET-pool-1", "sk-SECRET-pool-1", " sk-SECRET-pool-padded", "${PADDED}", {k: sk-SECRET-map}, "a\u0000sk-SECRET-nul"]
    balance: ${OPENAI_API_KEY}
    endpoints:
      - {api_key: sk-SECRET-ep-1, weight: 2}
      - {api_key: sk-SECRET-ep-1, weight: "${OPENAI_API_KEY}"}
      - {base_url: "https://u:sk-SECRET-ep-userinfo@eu.example.com", api_key: " sk-SECRET-ep-padded"}
      - {base_url: "https://eu.example.com/?key=sk-SECRET-ep-query", apikey: sk-SECRET-ep-typo}
      - {base_url: "${OPENAI_API_KEY}", api_key: "${OPENAI_API_KEY}"}
      - sk-SECRET-ep-scalar
  pool2:
    kind: "${OPENAI_API_KEY}"
    api_keys: ${OPENAI_API_KEY}
    endpoints: sk-SECRET-endpoints-scalar
  pool3:
    kind: azure
    api_keys: [sk-SECRET-az, sk-SECRET-az]
    endpoints: [{base_url: "https://x.openai.azure.com", api_key: sk-SECRET-az}, {base_url: "https://x.openai.azure.com/", api_key: sk-SECRET-az}]
deployments:
  d: {provider: pool}
routes:
  r: {deployments: [d], strategy: "${OPENAI_API_KEY}", hedge: {after: "${OPENAI_API_KEY}"}}
resilience: {retries: "${OPENAI_API_KEY}", backoff: {base: soon}}
`,
		// Keys in the mapping form, with mistakes around them.
		`auth:
  keys:
    - {key: sk-SECRET-m1, name: "${PADDED}", overrides: [pin]}
    - {key: sk-SECRET-m1, nme: x, overrides: sk-SECRET-overrides}
    - {sk-SECRET-as-field: 1}
    - [sk-SECRET-in-list]
    - {key: sk-SECRET-m2, name: sk-SECRET-m1}
deployments: {d: {provider: nope}}
`,
		// A YAML syntax error on a line holding a secret.
		`providers:
  p: {kind: openai, api_key: "sk-SECRET-syntax
`,
		"providers:\n  p:\n    api_key: sk-SECRET-tab\n\tkind: openai\n",
	}
	for i, doc := range docs {
		_, err := Parse([]byte(doc), env(secrets))
		if err == nil {
			t.Fatalf("doc %d: no error", i)
		}
		for _, e := range err.(Errors) {
			if e.Hint == "" {
				t.Errorf("doc %d: no hint in %q", i, e)
			}
		}
		msg := err.Error()
		if strings.Contains(msg, "SECRET") {
			t.Errorf("doc %d: an error message holds a secret:\n%s", i, msg)
		}
		t.Logf("doc %d:\n%s", i, msg)
	}
}
