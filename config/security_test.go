package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// securityDoc is a config with providers on several hosts and the given
// security section ("" for none).
func securityDoc(section string) string {
	return `providers:
  openai: {kind: openai, api_key: "${OPENAI_API_KEY}"}
  azure:
    kind: azure
    base_url: https://eastus.openai.azure.com
    api_key: ${AZURE_KEY}
  local: {kind: openai, base_url: "http://10.0.0.5:8000/v1", api_key: "${LOCAL_KEY}"}
  pool:
    kind: openai
    api_key: ${POOL_KEY}
    base_url: https://api.together.xyz/v1
    endpoints:
      - {base_url: "https://eu.api.together.xyz/v1"}
deployments:
  gpt-4o-mini: {provider: openai}
` + section
}

func TestUpstreamHostsAllowlist(t *testing.T) {
	tests := []struct {
		name    string
		section string
		// refused are the paths refused, in order; none means valid.
		refused []string
	}{
		{"no section: any host", "", nil},
		{"every host listed", `security:
  upstream_hosts: [api.openai.com, "*.openai.azure.com", "10.0.0.5:8000", "*.together.xyz", api.together.xyz]
`, nil},
		{"wildcard is not the domain itself", `security:
  upstream_hosts: [api.openai.com, "*.openai.azure.com", "10.0.0.5", "*.api.together.xyz"]
`, []string{"providers.pool.base_url"}},
		{"port must match", `security:
  upstream_hosts: ["api.openai.com:443", "*.openai.azure.com:443", "10.0.0.5:80", "*.together.xyz:443", "api.together.xyz"]
`, []string{"providers.local.base_url"}},
		{"endpoint checked too", `security:
  upstream_hosts: [api.openai.com, eastus.openai.azure.com, 10.0.0.5, api.together.xyz]
`, []string{"providers.pool.endpoints[0].base_url"}},
		{"case and trailing dot do not matter", `security:
  upstream_hosts: [API.OpenAI.com., "*.OPENAI.AZURE.COM", "10.0.0.5:8000", "*.together.xyz", api.together.xyz]
`, nil},
		{"the kind's default base URL is checked", `security:
  upstream_hosts: ["*.openai.azure.com", "10.0.0.5", "*.together.xyz", api.together.xyz]
`, []string{"providers.openai.base_url"}},
		{"an empty list allows nothing", `security: {upstream_hosts: []}
`, []string{"providers.azure.base_url", "providers.local.base_url", "providers.openai.base_url", "providers.pool.base_url", "providers.pool.endpoints[0].base_url"}},
	}
	getenv := env(map[string]string{"OPENAI_API_KEY": "sk-1", "AZURE_KEY": "az-1", "POOL_KEY": "tg-1", "LOCAL_KEY": "l-1"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(securityDoc(tt.section)), getenv)
			var got []string
			var errs Errors
			if errors.As(err, &errs) {
				for _, e := range errs {
					got = append(got, e.Path)
					if !strings.Contains(e.Problem, "is not in security.upstream_hosts") || e.Line == 0 {
						t.Errorf("%v: want a positioned 'not in security.upstream_hosts'", e)
					}
				}
			} else if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if strings.Join(got, " ") != strings.Join(tt.refused, " ") {
				t.Errorf("refused %v; want %v (%v)", got, tt.refused, err)
			}
		})
	}
}

func TestUpstreamHostsRefusalIsPrecise(t *testing.T) {
	_, err := Parse([]byte(securityDoc("security:\n  upstream_hosts: [api.openai.com]\n")), allKeys)
	msg := err.Error()
	for _, want := range []string{
		`13:20: providers.pool.endpoints[0].base_url: host "eu.api.together.xyz" (port 443) is not in security.upstream_hosts`,
		`allowed: api.openai.com; add "eu.api.together.xyz" to security.upstream_hosts in the file`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\nlacks %q", msg, want)
		}
	}
	_, err = Parse([]byte(securityDoc("security:\n  upstream_hosts: [eastus.openai.azure.com]\n")), allKeys)
	if want := `providers.openai.base_url: host "api.openai.com" (of https://api.openai.com/v1, kind openai's default base URL) is not in`; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\nlacks %q", err, want)
	}
}

func TestUpstreamHostPatterns(t *testing.T) {
	for _, tc := range []struct{ entry, problem string }{
		{"", "is empty"},
		{"https://api.openai.com", "is a URL"},
		{"api.openai.com/v1", "is a URL"},
		{"*", "every host"},
		{"*:443", "every host"},
		{"api.openai.com:99999", "invalid port"},
		{"api.openai.com:0", "invalid port"},
		{"*.10.0.0.1", "wildcard on an IP"},
		{"bad host", "not a host name"},
		{"-x.example.com", "not a host name"},
		{"a..b", "not a host name"},
		{"*.*.example.com", "not a host name"},
	} {
		doc := "providers: {local: {kind: openai, base_url: \"http://127.0.0.1:8000\"}}\ndeployments: {m: {provider: local}}\n" +
			"security:\n  upstream_hosts: [\"" + tc.entry + "\", 127.0.0.1]\n"
		_, err := Parse([]byte(doc), nil)
		if err == nil || !strings.Contains(err.Error(), "security.upstream_hosts[0]: ") || !strings.Contains(err.Error(), tc.problem) {
			t.Errorf("entry %q: %v; want a security.upstream_hosts[0] error with %q", tc.entry, err, tc.problem)
		}
	}
	for _, ok := range []string{"127.0.0.1", "127.0.0.1:8000", "[::1]:8000", "localhost", "*.local_net.example", "::1"} {
		doc := "providers: {local: {kind: openai, base_url: \"http://127.0.0.1:8000\"}}\ndeployments: {m: {provider: local}}\n" +
			"security:\n  upstream_hosts: [\"" + ok + "\", 127.0.0.1]\n"
		if _, err := Parse([]byte(doc), nil); err != nil {
			t.Errorf("entry %q: %v", ok, err)
		}
	}
}

func TestWithFileSecurity(t *testing.T) {
	file := Security{UpstreamHosts: []string{"api.openai.com", "*.openai.azure.com", "10.0.0.5:8000", "*.together.xyz", "api.together.xyz"}}
	getenv := env(map[string]string{"OPENAI_API_KEY": "sk-1", "AZURE_KEY": "az-1", "POOL_KEY": "tg-1", "LOCAL_KEY": "l-1"})
	// Without a section, the file's applies.
	c := mustParse(t, []byte(securityDoc("")), getenv)
	if err := c.WithFileSecurity(file); err != nil {
		t.Errorf("no section, every host allowed: %v", err)
	}
	if !c.Security.Equal(&file) {
		t.Errorf("Security = %+v; want the file's", c.Security)
	}
	c = mustParse(t, []byte(securityDoc("")), getenv)
	err := c.WithFileSecurity(Security{UpstreamHosts: []string{"api.openai.com"}})
	if err == nil || !strings.Contains(err.Error(), `5:15: providers.azure.base_url: host "eastus.openai.azure.com" (port 443) is not in security.upstream_hosts`) {
		t.Errorf("no section, hosts off the file's list: %v", err)
	}
	// The same section, in another order: accepted.
	c = mustParse(t, []byte(securityDoc(`security: {upstream_hosts: ["*.together.xyz", api.together.xyz, api.openai.com, "*.openai.azure.com", "10.0.0.5:8000"]}
`)), getenv)
	if err := c.WithFileSecurity(file); err != nil {
		t.Errorf("same section: %v", err)
	}
	// Another section, even a stricter one: refused, at the section.
	c = mustParse(t, []byte(securityDoc(`security: {upstream_hosts: ["*.together.xyz", api.together.xyz, api.openai.com, "*.openai.azure.com", "10.0.0.5:8000", evil.example]}
`)), getenv)
	err = c.WithFileSecurity(file)
	if err == nil || !strings.Contains(err.Error(), "16:1: security: differs from the running file's: the admin API cannot change the security section") {
		t.Errorf("changed section: %v", err)
	}
	// No allowlist in the file: a section in the request is a change.
	c = mustParse(t, []byte(securityDoc("security: {upstream_hosts: [api.openai.com, \"*.openai.azure.com\", 10.0.0.5, \"*.together.xyz\", api.together.xyz]}\n")), getenv)
	if err := c.WithFileSecurity(Security{}); err == nil {
		t.Error("a section where the file has none: accepted")
	}
}

// TestParseWithFileSecurity: a text parsed with the file's section in
// force (a version another router stored) is checked against the file's
// allowlist, whatever section it holds, which WrittenSecurity returns.
func TestParseWithFileSecurity(t *testing.T) {
	file := Security{UpstreamHosts: []string{"api.openai.com", "*.openai.azure.com", "10.0.0.5:8000", "*.together.xyz", "api.together.xyz"}}
	getenv := env(map[string]string{"OPENAI_API_KEY": "sk-1", "AZURE_KEY": "az-1", "POOL_KEY": "tg-1", "LOCAL_KEY": "l-1"})
	narrow := "security: {upstream_hosts: [API.openai.com]}\n"
	c, _, err := ParseText([]byte(securityDoc(narrow)), ParseOptions{Getenv: getenv, Security: &file})
	if err != nil {
		t.Fatalf("a narrower section than its hosts, with the file's in force: %v", err)
	}
	if !c.Security.Equal(&file) {
		t.Errorf("Security = %+v; want the file's", c.Security)
	}
	if w, ok := c.WrittenSecurity(); !ok || strings.Join(w.UpstreamHosts, ",") != "api.openai.com" {
		t.Errorf("WrittenSecurity = %v %v", w, ok)
	}
	_, _, err = ParseText([]byte(securityDoc("")), ParseOptions{Getenv: getenv, Security: &Security{UpstreamHosts: []string{"api.openai.com"}}})
	if err == nil || !strings.Contains(err.Error(), `providers.azure.base_url: host "eastus.openai.azure.com" (port 443) is not in security.upstream_hosts`) {
		t.Errorf("hosts off the file's list: %v", err)
	}
	if c, _, err := ParseText([]byte(securityDoc("")), ParseOptions{Getenv: getenv}); err != nil {
		t.Fatal(err)
	} else if _, ok := c.WrittenSecurity(); ok {
		t.Error("WrittenSecurity of a text without a section: ok")
	}
}
