package guard

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestRedactJSON(t *testing.T) {
	all, secrets := &Redactor{}, &Redactor{secretsOnly: true}
	for _, tc := range []struct {
		name    string
		r       *Redactor
		in, out string
	}{
		{"a key and an email in a message", all,
			`[{"id":"msg_1","type":"message","content":[{"type":"input_text","text":"key sk-proj-Ab12Cd34Ef56Gh78Ij90 and jane.doe@example.com"}]}]`,
			`[{"id":"msg_1","type":"message","content":[{"type":"input_text","text":"key [REDACTED:api_key] and [REDACTED:email]"}]}]`},
		{"secrets only: the email stays", secrets,
			`{"text":"key sk-proj-Ab12Cd34Ef56Gh78Ij90 and jane.doe@example.com"}`,
			`{"text":"key [REDACTED:api_key] and jane.doe@example.com"}`},
		{"a value named a secret by its key", secrets,
			`{"topic": "billing", "api_key": "f3a9c1d2e4b5a6978877665544332211"}`,
			`{"topic": "billing", "api_key": "[REDACTED:credential]"}`},
		{"a function call's arguments, JSON in a string", secrets,
			`{"type":"function_call","arguments":"{\"user\":\"ada\",\"password\":\"S3cr3t!pw\"}"}`,
			`{"type":"function_call","arguments":"{\"user\":\"ada\",\"password\":\"[REDACTED:credential]\"}"}`},
		{"escapes and layout kept", all,
			"{\n  \"a\": \"caf\\u00e9 <b>\",\n  \"n\": 4111111111111111,\n  \"m\": \"mail a@b.co\\n\"\n}",
			"{\n  \"a\": \"caf\\u00e9 <b>\",\n  \"n\": 4111111111111111,\n  \"m\": \"mail [REDACTED:email]\\n\"\n}"},
		{"keys are kept", all, `{"jane.doe@example.com":"x"}`, `{"jane.doe@example.com":"x"}`},
		{"not JSON: masked as text", all, `{"text":"jane.doe@example.com`, `{"text":"[REDACTED:email]`},
	} {
		got := string(tc.r.RedactJSON([]byte(tc.in)))
		if got != tc.out {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.out)
		}
	}
	clean := []byte(`[{"type":"message","content":"nothing here"}]`)
	if got := all.RedactJSON(clean); &got[0] != &clean[0] {
		t.Error("a text with nothing to mask was copied")
	}
}

// FuzzRedactJSON: any valid JSON stays valid JSON of the same shape —
// the same keys, numbers and literals, the strings masked or kept — and
// masking it again changes nothing.
//
//	go test ./guard -run '^$' -fuzz FuzzRedactJSON -fuzztime 60s
func FuzzRedactJSON(f *testing.F) {
	for _, s := range []string{
		`[{"type":"message","content":[{"type":"input_text","text":"key sk-proj-Ab12Cd34Ef56Gh78Ij90 call +44 20 7946 0958"}]}]`,
		`{"password": "S3cr3t!pw", "n": 1.5e3, "ok": true, "x": null}`,
		`{"arguments":"{\"token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw\"}"}`,
		`"-----BEGIN RSA PRIVATE KEY-----\nMIIEow"`,
		`["\ud83d\ude00 a@b.co", "\u0000"]`,
	} {
		f.Add(s)
	}
	r := &Redactor{}
	f.Fuzz(func(t *testing.T, in string) {
		if !json.Valid([]byte(in)) {
			return
		}
		out := r.RedactJSON([]byte(in))
		b, err := decodeJSON(out)
		if err != nil {
			t.Fatalf("RedactJSON(%s) = %s, not JSON: %v", in, out, err)
		}
		a, _ := decodeJSON([]byte(in))
		if !sameShape(a, b) {
			t.Fatalf("RedactJSON(%s) = %s: another shape", in, out)
		}
		if again := r.RedactJSON(out); string(again) != string(out) {
			t.Fatalf("masking %s again gave %s", out, again)
		}
	})
}

// decodeJSON decodes data, numbers as json.Number.
func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// sameShape reports whether a and b, decoded JSON, are equal but for
// their strings, a masked string being any string holding a placeholder.
func sameShape(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && (x == y || strings.Contains(y, placeholderPrefix))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameShape(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameShape(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// SecretsOnly masks the credentials and the custom patterns, and leaves
// personal data alone.
func TestSecretsOnly(t *testing.T) {
	r, err := New(Options{SecretsOnly: true, Secrets: []string{"configured-secret-42"},
		Patterns: []Pattern{{Name: "employee_id", Expr: `EMP-\d{6}`}}})
	if err != nil {
		t.Fatal(err)
	}
	in := "key sk-proj-Ab12Cd34Ef56Gh78Ij90, token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw, " +
		"configured-secret-42, EMP-123456, mail jane.doe@example.com, card 4111 1111 1111 1111, call +44 20 7946 0958, from 203.0.113.7"
	want := "key [REDACTED:api_key], token [REDACTED:jwt], [REDACTED:secret], [REDACTED:employee_id], " +
		"mail jane.doe@example.com, card 4111 1111 1111 1111, call +44 20 7946 0958, from 203.0.113.7"
	if got := r.Redact(in); got != want {
		t.Errorf("Redact:\n got %s\nwant %s", got, want)
	}
	for k, secret := range map[Kind]bool{KindAPIKey: true, KindPrivateKey: true, KindCredential: true, KindEmail: false, KindPhone: false, "employee_id": false} {
		if k.Secret() != secret {
			t.Errorf("%s.Secret() = %v", k, !secret)
		}
	}
}
