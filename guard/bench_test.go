package guard

import (
	"strings"
	"testing"
)

// Typical upstream error bodies: one with nothing to mask, one with a key,
// an email and a card.
var (
	benchClean = `{"error":{"message":"The model gpt-4o-mini is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID req_8a9b7c6d5e4f in your message.)","type":"server_error","param":null,"code":null}}`
	benchDirty = `{"error":{"message":"Incorrect API key provided: sk-proj-Ab12Cd34Ef56Gh78Ij90. Account owner jane.doe@example.com, card 4111 1111 1111 1111 on file.","type":"invalid_request_error"}}`
)

func BenchmarkRedact(b *testing.B) {
	r := NewRedactor("sk-configured-secret-0123456789")
	withPattern, err := New(Options{Secrets: []string{"sk-configured-secret-0123456789"},
		Patterns: []Pattern{{Name: "employee_id", Expr: `EMP-\d{6}`}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, text string
		r          *Redactor
	}{
		{"clean", benchClean, r},
		{"dirty", benchDirty, r},
		{"clean_4KiB", strings.Repeat(benchClean, 13), r},
		{"clean_4KiB_pattern", strings.Repeat(benchClean, 13), withPattern},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = bc.r.Redact(bc.text)
			}
		})
	}
}
