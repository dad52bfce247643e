package config

import (
	"strings"
	"testing"
)

const reloadBase = `server: {addr: "127.0.0.1:8080", max_body_bytes: 1000000}
providers:
  openai: {kind: openai, api_key: "${OPENAI_API_KEY}"}
deployments:
  gpt-4o-mini: {provider: openai}
  gpt-4o: {provider: openai}
routes:
  chat:
    deployments: [gpt-4o-mini, gpt-4o]
    adaptive: {enabled: true, half_life: 24h}
`

func TestCheckReload(t *testing.T) {
	running := mustParse(t, []byte(reloadBase), allKeys)
	for _, tc := range []struct {
		name, from, to string
		want           []string // paths refused; none: hot
	}{
		{"routes, deployments and keys are hot", "routes:\n", "auth: {keys: [\"${NEW_KEY}\"]}\nroutes:\n  cheap: {deployments: [gpt-4o-mini]}\n", nil},
		{"adaptive lambda is hot", "half_life: 24h}", "half_life: 24h, lambda: 0.9}", nil},
		{"server is not", "max_body_bytes: 1000000", "max_body_bytes: 2000000", []string{"1:50: server.max_body_bytes: changed"}},
		{"adaptive half-life is not", "half_life: 24h", "half_life: 12h", []string{"routes.chat.adaptive: changed"}},
		{"a new adaptive route is not", "routes:\n", "routes:\n  learned: {deployments: [gpt-4o], adaptive: {enabled: true}}\n", []string{"routes.learned.adaptive"}},
		{"store is not", "routes:\n", "store: {driver: none}\nroutes:\n", []string{"store.driver: changed"}},
		{"health is not", "routes:\n", "resilience: {health: {window: 2m}}\nroutes:\n", []string{"resilience.health.window: changed"}},
		{"retries are hot", "routes:\n", "resilience: {retries: 3}\nroutes:\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := mustParse(t, []byte(strings.Replace(reloadBase, tc.from, tc.to, 1)), allKeys)
			err := next.CheckReload(running)
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("CheckReload: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckReload: nil; want %v", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) || !strings.Contains(err.Error(), "takes effect only when the router starts") {
					t.Errorf("CheckReload = %v; want %q", err, w)
				}
			}
		})
	}
}
