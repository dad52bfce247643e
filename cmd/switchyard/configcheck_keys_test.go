package main

import (
	"bytes"
	"strings"
	"testing"
)

// A key with neither name nor tenant owns its objects by its place in
// auth.keys: config check says so, naming the key by place, never by value.
func TestConfigCheckWarnsOfAKeyWithoutATenant(t *testing.T) {
	path := t.TempDir() + "/switchyard.yaml"
	yaml := "providers:\n  openai:\n    kind: openai\n    api_key: k\ndeployments:\n  m:\n    provider: openai\n" +
		"auth:\n  keys:\n    - {key: sk-named-key-1, tenant: acme}\n    - sk-unnamed-key-2\n"
	if err := writeFile(path, yaml); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"config", "check", path}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "warning: auth.keys[1]: no name or tenant") {
		t.Errorf("no warning for the unnamed key:\n%s", out.String())
	}
	if strings.Contains(out.String(), "auth.keys[0]") || strings.Contains(out.String(), "sk-unnamed-key-2") {
		t.Errorf("warning names the wrong key or shows its value:\n%s", out.String())
	}
}
