package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// Keys of responses.encryption: 32 bytes as base64 and as hex.
const (
	cliResponsesKey  = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	cliResponsesKey2 = "3031323334353637383961626364656630313233343536373839616263646558"
)

// responses reencrypt seals the clear rows under the configuration's
// key, and after a rotation moves them to the new key, so that the old
// one can be dropped; with no key left, it writes them clear.
func TestResponsesReencryptCLI(t *testing.T) {
	dir := t.TempDir()
	db, cfgPath := filepath.Join(dir, "r.db"), filepath.Join(dir, "switchyard.yaml")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	r := &store.Response{ID: "resp_1", Tenant: "acme", Created: time.Now(), Expires: time.Now().Add(time.Hour),
		Object: []byte(`{"t":"hello"}`), Input: []byte(`[{"text":"MARKER-cli"}]`), Output: []byte(`[]`)}
	if err := st.SaveResponse(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	st.Close()
	reencrypt := func(encryption string) (int, string, string) {
		t.Helper()
		if err := writeFile(cfgPath, "providers: {openai: {kind: openai, api_key: k}}\ndeployments: {gpt-4o-mini: {provider: openai}}\n"+
			"store: {driver: sqlite, path: "+db+"}\nresponses: {encryption: "+encryption+"}\n"); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		code := run([]string{"responses", "reencrypt", "--config", cfgPath}, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	read := func(key string, previous ...string) error {
		t.Helper()
		keys, err := (&config.Encryption{Key: key, PreviousKeys: previous}).Keys()
		if err != nil {
			t.Fatal(err)
		}
		s, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.SealWith(keys)
		_, err = s.GetResponse(context.Background(), store.TenantScope("acme"), "resp_1", time.Now())
		return err
	}
	if code, out, errOut := reencrypt("{key: " + cliResponsesKey + "}"); code != 0 || !strings.HasPrefix(out, "3 stored values encrypted anew under key ") {
		t.Fatalf("reencrypt a clear store: exit %d: %s%s", code, out, errOut)
	}
	if err := read(""); err == nil {
		t.Fatal("the row reads without a key: it was not sealed")
	}
	code, out, errOut := reencrypt("{key: " + cliResponsesKey2 + ", previous_keys: [" + cliResponsesKey + "]}")
	if code != 0 || !strings.HasPrefix(out, "3 stored values") {
		t.Fatalf("reencrypt after a rotation: exit %d: %s%s", code, out, errOut)
	}
	if err := read(cliResponsesKey2); err != nil {
		t.Fatalf("the row does not read with the new key alone: %v", err)
	}
	if code, out, errOut := reencrypt("{key: " + cliResponsesKey + "}"); code != 1 || !strings.Contains(errOut, "3 stored values did not open") || !strings.HasPrefix(out, "0 stored") {
		t.Errorf("reencrypt without the key they need: exit %d: %s%s", code, out, errOut)
	}
	if code, out, errOut := reencrypt("{previous_keys: [" + cliResponsesKey2 + "]}"); code != 0 || !strings.HasPrefix(out, "3 stored values written clear") {
		t.Fatalf("reencrypt with no key: exit %d: %s%s", code, out, errOut)
	}
	if err := read(""); err != nil {
		t.Errorf("the row does not read clear: %v", err)
	}
}

// The banner says when the stored conversations are encrypted or masked.
func TestBannerSaysStoredContentEncrypted(t *testing.T) {
	r := &config.Responses{Encryption: config.Encryption{Key: cliResponsesKey}, Redact: config.RedactSecrets}
	if got := keptHow(r); got != ", encrypted at rest (responses.encryption), keys and tokens masked (responses.redact)" {
		t.Errorf("keptHow = %q", got)
	}
	if got := keptHow(&config.Responses{Redact: config.RedactNone}); got != "" {
		t.Errorf("keptHow of the defaults = %q", got)
	}
}
