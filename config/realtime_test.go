package config

import (
	"strings"
	"testing"
	"time"
)

func TestRealtimeLimits(t *testing.T) {
	c := mustParse(t, []byte(`
auth: {keys: []}
server:
  realtime: {idle_timeout: 90s, max_message_bytes: 1048576, connect_timeout: 3s, keepalive: 15s, max_streams: 8}
providers:
  oa: {kind: openai, api_key: k}
deployments:
  rt: {provider: oa, model: gpt-realtime, capabilities: [realtime]}
`), nil)
	want := Realtime{IdleTimeout: 90 * time.Second, MaxMessageBytes: 1 << 20, ConnectTimeout: 3 * time.Second, Keepalive: 15 * time.Second, MaxStreams: 8}
	if c.Server.Realtime != want {
		t.Errorf("Realtime = %+v, want %+v", c.Server.Realtime, want)
	}
}

func TestRealtimeRefused(t *testing.T) {
	for name, yaml := range map[string]string{
		"anthropic kind": `
providers:
  an: {kind: anthropic, api_key: k}
deployments:
  rt: {provider: an, model: claude-haiku-4-5, capabilities: [realtime]}
`,
		"negative keepalive": `
server: {realtime: {keepalive: -5s}}
providers:
  oa: {kind: openai, api_key: k}
deployments:
  rt: {provider: oa, model: gpt-realtime, capabilities: [realtime]}
`,
		"negative max_streams": `
server: {realtime: {max_streams: -1}}
providers:
  oa: {kind: openai, api_key: k}
deployments:
  rt: {provider: oa, model: gpt-realtime, capabilities: [realtime]}
`,
		"zero max_streams": `
server: {realtime: {max_streams: 0}}
providers:
  oa: {kind: openai, api_key: k}
deployments:
  rt: {provider: oa, model: gpt-realtime, capabilities: [realtime]}
`,
		"negative idle": `
server: {realtime: {idle_timeout: -1s}}
providers:
  oa: {kind: openai, api_key: k}
deployments:
  rt: {provider: oa, model: gpt-realtime, capabilities: [realtime]}
`,
	} {
		_, err := Parse([]byte("auth: {keys: []}\n"+yaml), nil)
		if err == nil {
			t.Errorf("%s: Parse accepted it", name)
			continue
		}
		if !strings.Contains(err.Error(), "realtime") {
			t.Errorf("%s: error %q does not say realtime", name, err)
		}
	}
}
