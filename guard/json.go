package guard

import (
	"bytes"
	"encoding/json"
	"strings"
)

// RedactJSON returns data, a JSON text, with each string value masked as
// Redact masks text, and everything else kept byte for byte: object keys,
// numbers, the layout, and every string left unchanged as it was written;
// a string that changes is written anew, JSON-escaped. A member's value
// is read after its name ("password: …"), so that a secret recognized by
// its name alone is masked. The result is valid JSON, of the same shape,
// when data is. A text that is not JSON (a string left open) is masked
// as text. With nothing to mask it returns data itself. Safe for
// concurrent use.
func (r *Redactor) RedactJSON(data []byte) []byte {
	var (
		out    []byte // nil until a string changes
		copied int    // data[:copied] is in out
		name   string // the last object key met
		last   byte   // the last byte met outside strings, but spaces
	)
	for i := 0; i < len(data); {
		c := data[i]
		if c != '"' {
			if !isJSONSpace(c) {
				last = c
			}
			i++
			continue
		}
		end := stringEnd(data, i)
		if end < 0 {
			return []byte(r.Redact(string(data)))
		}
		if j := skipJSONSpace(data, end); j < len(data) && data[j] == ':' {
			name = jsonString(data[i:end])
		} else {
			member := ""
			if last == ':' {
				member = name
			}
			if masked, ok := r.redactString(data[i:end], member); ok {
				out = append(append(out, data[copied:i]...), masked...)
				copied = end
			}
		}
		last, i = '"', end
	}
	if out == nil {
		return data
	}
	return append(out, data[copied:]...)
}

// redactString returns the JSON string raw masked, JSON-encoded, and true
// when masking changed it; name is the member's name ("" for none).
func (r *Redactor) redactString(raw []byte, name string) ([]byte, bool) {
	s := jsonString(raw)
	masked := r.Redact(s)
	if name != "" {
		prefix := name + ": "
		if m := r.Redact(prefix + s); strings.HasPrefix(m, prefix) && m[len(prefix):] != s {
			masked = m[len(prefix):]
		}
	}
	if masked == s {
		return nil, false
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(masked); err != nil {
		return nil, false
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), true
}

// jsonString returns the JSON string raw decoded ("" when it is not one).
func jsonString(raw []byte) string {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// stringEnd returns the end of the JSON string starting at data[i] (the
// index after its closing quote), or -1 when it is not closed.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipJSONSpace returns the index of the first byte of data at or after
// i that is not JSON whitespace.
func skipJSONSpace(data []byte, i int) int {
	for i < len(data) && isJSONSpace(data[i]) {
		i++
	}
	return i
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
