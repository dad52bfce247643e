package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// literalSecrets holds a secret, written literally, in every place one may
// live, beside secrets written as ${VAR} references, comments, an anchor
// and a number.
const literalSecrets = `# the router's configuration
x-shared: &shared "sk-SECRET-anchored" # an anchored key
server: {addr: "127.0.0.1:8080"}
auth:
  keys:
    - sy-SECRET-plain
    - {key: "sy-SECRET-acme", name: acme-bot, tenant: acme}
    - {key: "${AUTH_KEY}", name: env-bot}
  admin_keys:
    - "ad-SECRET-plain"
    - {key: ad-SECRET-viewer, name: viewer, role: viewer}
providers:
  openai:
    kind: openai
    api_key: sk-SECRET-openai   # literal
    headers:
      Authorization: "Bearer ${TOKEN}"
      X-Env: ${OPENAI_API_KEY}
      X-Team: team-SECRET-header
  pool:
    kind: openai
    api_key: *shared
    api_keys: ["${OPENAI_API_KEY}", "sk-SECRET-pool", "${UNSET:-sk-SECRET-default}"]
    endpoints:
      - {base_url: "https://eu.example.com/v1", api_key: sk-SECRET-eu}
      - {base_url: "https://us.example.com/v1", api_key: "${OPENAI_API_KEY}"}
deployments:
  gpt-4o-mini: {provider: openai}
  other: {provider: pool, model: gpt-4o}
store: {driver: postgres, dsn: "postgres://u:pg-SECRET@db/x"}
state: {driver: redis, addr: "127.0.0.1:6379", password: 123456789}
telemetry:
  traces:
    endpoint: http://127.0.0.1:4318
    headers: {Authorization: tr-SECRET-header}
drift:
  webhook:
    url: "https://hooks.example.com/switchyard?token=hk-SECRET-url"
    headers: {Authorization: "Bearer hk-SECRET-header"}
notify:
  webhook: {url: "https://hooks.example.com/n/nt-SECRET-url", headers: {X-Token: nt-SECRET-header}}
`

var maskEnv = env(map[string]string{"AUTH_KEY": "sy-from-env", "OPENAI_API_KEY": "sk-from-env", "TOKEN": "tok"})

func TestMaskSecrets(t *testing.T) {
	masked, err := MaskSecrets([]byte(literalSecrets))
	if err != nil {
		t.Fatal(err)
	}
	text := string(masked)
	for _, leak := range []string{"SECRET", "123456789"} {
		if strings.Contains(text, leak) {
			t.Errorf("masked text still holds %q:\n%s", leak, text)
		}
	}
	// References and comments stay; each literal is one mask.
	for _, kept := range []string{`"${AUTH_KEY}"`, "${OPENAI_API_KEY}", "# the router's configuration", "# literal", "# an anchored key"} {
		if !strings.Contains(text, kept) {
			t.Errorf("masked text lost %q:\n%s", kept, text)
		}
	}
	if n := strings.Count(text, `"`+Mask+`"`); n != 18 {
		t.Errorf("%d masks; want 18 (every literal, and Bearer ${TOKEN} and the ${UNSET:-…} default):\n%s", n, text)
	}
	// Applied with the running text's secrets, it is the same config.
	want, secrets, err := ParseText([]byte(literalSecrets), ParseOptions{Getenv: maskEnv})
	if err != nil {
		t.Fatal(err)
	}
	got, gotSecrets, err := ParseText(masked, ParseOptions{Getenv: maskEnv, Keep: secrets})
	if err != nil {
		t.Fatalf("masked text with the running secrets: %v", err)
	}
	want.pos, got.pos = nil, nil
	if !reflect.DeepEqual(want, got) {
		t.Errorf("masked then kept: a different config\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(secrets, gotSecrets) {
		t.Errorf("secrets of the applied masked text differ from the running ones")
	}
	// Masking it again changes nothing.
	again, err := MaskSecrets(masked)
	if err != nil || string(again) != text {
		t.Errorf("masking a masked text: %v\n%s", err, again)
	}
}

func TestMaskSecretsKeepsReferencesVerbatim(t *testing.T) {
	doc := []byte("# only references\nproviders:\n  openai:   {kind: openai, api_key: \"${OPENAI_API_KEY}\"}\ndeployments: {gpt-4o-mini: {provider: openai}}\n")
	masked, err := MaskSecrets(doc)
	if err != nil || string(masked) != string(doc) {
		t.Errorf("MaskSecrets of a text without literal secrets = %q, %v; want it unchanged", masked, err)
	}
}

// TestMaskWithoutKeep: a mask is a secret no one can know; without the
// running configuration's value at the same place it is refused there.
func TestMaskWithoutKeep(t *testing.T) {
	masked, err := MaskSecrets([]byte(literalSecrets))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(masked, maskEnv)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse(masked) = %v; want Errors", err)
	}
	paths := map[string]bool{}
	for _, e := range errs {
		if strings.Contains(e.Problem, "is masked") {
			paths[e.Path] = true
		}
	}
	for _, p := range []string{"auth.keys[0]", "auth.keys[1].key", "auth.admin_keys[1].key", "providers.openai.api_key",
		"providers.openai.headers.Authorization", "providers.pool.endpoints[0].api_key", "store.dsn", "state.password"} {
		if !paths[p] {
			t.Errorf("no 'is masked' error at %s; got %v", p, err)
		}
	}
}

// TestMaskMovedToAnotherEntry: a mask keeps the value of its own entry;
// moved to an entry whose other fields differ, it keeps nothing.
func TestMaskMovedToAnotherEntry(t *testing.T) {
	_, secrets, err := ParseText([]byte(literalSecrets), ParseOptions{Getenv: maskEnv})
	if err != nil {
		t.Fatal(err)
	}
	masked, err := MaskSecrets([]byte(literalSecrets))
	if err != nil {
		t.Fatal(err)
	}
	moved := strings.Replace(string(masked), "name: acme-bot, tenant: acme", "name: globex-bot, tenant: globex", 1)
	_, _, err = ParseText([]byte(moved), ParseOptions{Getenv: maskEnv, Keep: secrets})
	if err == nil || !strings.Contains(err.Error(), "auth.keys[1].key: is masked") {
		t.Errorf("a mask moved to another tenant's entry: %v; want auth.keys[1].key refused", err)
	}
	// A place is a position too: an entry moved in the list keeps nothing.
	swapped := strings.Replace(string(masked), `    - "********"
    - {key: "********", name: acme-bot, tenant: acme}`, `    - {key: "********", name: acme-bot, tenant: acme}
    - "********"`, 1)
	if swapped == string(masked) {
		t.Fatalf("the masked text is not as expected:\n%s", masked)
	}
	_, _, err = ParseText([]byte(swapped), ParseOptions{Getenv: maskEnv, Keep: secrets})
	if err == nil || !strings.Contains(err.Error(), "auth.keys[0].key: is masked") || !strings.Contains(err.Error(), "auth.keys[1]: is masked") {
		t.Errorf("entries swapped: %v; want both refused", err)
	}
}

// TestMaskKeepsKeyWhoseLimitsChange: a client key entry is its name and
// tenant at its place; its access and limits may change under a mask.
func TestMaskKeepsKeyWhoseLimitsChange(t *testing.T) {
	_, secrets, err := ParseText([]byte(literalSecrets), ParseOptions{Getenv: maskEnv})
	if err != nil {
		t.Fatal(err)
	}
	masked, err := MaskSecrets([]byte(literalSecrets))
	if err != nil {
		t.Fatal(err)
	}
	limited := strings.Replace(string(masked), "name: acme-bot, tenant: acme}", "name: acme-bot, tenant: acme, rpm: 60, overrides: [], expires: 2030-01-01}", 1)
	if limited == string(masked) {
		t.Fatalf("the masked text is not as expected:\n%s", masked)
	}
	c, _, err := ParseText([]byte(limited), ParseOptions{Getenv: maskEnv, Keep: secrets})
	if err != nil {
		t.Fatalf("a masked key whose limits changed: %v", err)
	}
	if k := c.Auth.Keys[1]; k.Key != "sy-SECRET-acme" || k.Limits.RPM != 60 || k.Overrides == nil || k.Expires.IsZero() {
		t.Errorf("auth.keys[1] = %+v; want the running key with the new limits", k)
	}
}

// TestMaskInFileIsRefused: a file holding the mask (copied from the admin
// API's answer) is refused rather than sending "********" upstream.
func TestMaskInFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.yaml")
	doc := "providers: {openai: {kind: openai, api_key: \"" + Mask + "\"}}\ndeployments: {gpt-4o-mini: {provider: openai}}\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), ":1:45: providers.openai.api_key: is masked") {
		t.Errorf("Load of a file with a mask: %v", err)
	}
}

func FuzzMaskSecrets(f *testing.F) {
	f.Add([]byte(literalSecrets))
	f.Add(Example())
	for _, s := range []string{
		"", "providers: {p: {api_key: [a]}}", "auth: {keys: [{key: a, overrides: [model]}, b]}", "x: &a b\nauth: {keys: [*a]}",
		"providers: {p: {kind: openai, headers: {A: \"a\\\"b\\\\c\\u00e9\"}}}", "state: {password: true}", "store: {dsn: |\n  multi\n  line\n}",
		"providers: {p: {api_key: 'single ''quoted'''}}", "auth: {admin_keys: [{<<: {name: n}, key: k}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		masked, err := MaskSecrets(data)
		if err != nil {
			return
		}
		refs, err := scanSecrets(masked)
		if err != nil {
			t.Fatalf("masked text does not parse: %v\n%s", err, masked)
		}
		for _, r := range refs {
			if r.literal {
				t.Fatalf("%s still literal in the masked text:\n%s", r.path, masked)
			}
		}
	})
}

// TestMaskSecretsOfAMaskedText: a text with masks (sent back from GET
// /admin/config) and a new literal masks the literal and keeps the masks.
func TestMaskSecretsOfAMaskedText(t *testing.T) {
	doc := "providers:\n  openai: {kind: openai, api_key: \"" + Mask + "\"}\n  other: {kind: openai, api_key: sk-SECRET-new}\ndeployments: {gpt-4o-mini: {provider: openai}}\n"
	masked, err := MaskSecrets([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(masked), "SECRET") || strings.Count(string(masked), Mask) != 2 {
		t.Errorf("masked:\n%s", masked)
	}
}
