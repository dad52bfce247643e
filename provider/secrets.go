package provider

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Secrets are what a provider's client masks in every upstream text that
// may reach a client or a log: its API key and the values of its
// configured headers (a gateway's own credential, an organization id),
// which the configuration holds as secrets too (GET /admin/config masks
// them). Empty values are left out; nil when there are none.
func Secrets(key string, headers map[string]string) []string {
	var out []string
	if key != "" {
		out = append(out, key)
	}
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		if v := headers[name]; v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// RedactCause returns err with secrets masked in its text when it holds
// one of them whole (a transport error quoting a request header), else
// err itself (which a caller may compare with err, to write only a
// change). A nil err is nil.
func RedactCause(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			return errors.New(Redact(text, secrets...))
		}
	}
	return err
}
