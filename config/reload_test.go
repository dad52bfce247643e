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
		{"the answer limit is not", "max_body_bytes: 1000000}", "max_body_bytes: 1000000, max_answer_bytes: 1048576}", []string{"1:77: server.max_answer_bytes: changed"}},
		{"adaptive half-life is not", "half_life: 24h", "half_life: 12h", []string{"routes.chat.adaptive: changed"}},
		{"a new adaptive route is not", "routes:\n", "routes:\n  learned: {deployments: [gpt-4o], adaptive: {enabled: true}}\n", []string{"routes.learned.adaptive"}},
		{"store is not", "routes:\n", "store: {driver: none}\nroutes:\n", []string{"store.driver: changed"}},
		// The store's bounds are given to the handlers, the learner and
		// the reload manager once, at start: a change says so rather than
		// being ignored.
		{"store's timeouts are not", "routes:\n", "store: {timeout: 2s, aggregate_timeout: 30s}\nroutes:\n", []string{"store.timeout: changed", "store.aggregate_timeout: changed"}},
		{"health is hot", "routes:\n", "resilience: {health: {window: 2m}}\nroutes:\n", nil},
		{"budgets are hot", "routes:\n", "budgets: [{name: daily, scope: route, match: chat, period: daily, limit_usd: 5}]\nroutes:\n", nil},
		{"telemetry is not", "routes:\n", "telemetry: {metrics_tenant_label: true}\nroutes:\n", []string{"telemetry.metrics_tenant_label: changed"}},
		{"retries are hot", "routes:\n", "resilience: {retries: 3}\nroutes:\n", nil},
		{"responses' redaction and retention are hot", "routes:\n", "responses: {redact: secrets, retention: 1h}\nroutes:\n", nil},
		{"responses' encryption is not", "routes:\n", "responses: {encryption: {key: \"" + testResponsesKey + "\"}}\nroutes:\n", []string{"responses.encryption.key: changed"}},
		{"background responses are not", "routes:\n", "responses: {background: {max_concurrent: 2}}\nroutes:\n", []string{"responses.background.max_concurrent: changed"}},
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

// TestKeepRestartOnly: a version stored by another router keeps, on this
// one, the sections only a restart changes, and only those.
func TestKeepRestartOnly(t *testing.T) {
	running := mustParse(t, []byte(reloadBase), allKeys)
	text := strings.Replace(reloadBase, "max_body_bytes: 1000000", "max_body_bytes: 2000000", 1)
	text = strings.Replace(text, "routes:\n", "store: {driver: none}\nroutes:\n  cheap: {deployments: [gpt-4o-mini]}\n", 1)
	next := mustParse(t, []byte(text), allKeys)
	kept := next.KeepRestartOnly(running)
	if strings.Join(kept, ",") != "server,store" {
		t.Errorf("kept %v; want server, store", kept)
	}
	if next.Server.MaxBodyBytes != 1000000 || next.Store.Driver != running.Store.Driver || next.Routes["cheap"] == nil {
		t.Errorf("after KeepRestartOnly: max body %d, store %q, route cheap %v", next.Server.MaxBodyBytes, next.Store.Driver, next.Routes["cheap"])
	}
	if err := next.CheckReload(running); err != nil {
		t.Errorf("CheckReload after KeepRestartOnly: %v", err)
	}
	again := mustParse(t, []byte(reloadBase), allKeys)
	if kept := again.KeepRestartOnly(running); len(kept) != 0 {
		t.Errorf("the same text kept %v", kept)
	}
}
