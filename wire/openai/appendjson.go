package openai

import "switchyard/internal/jsonw"

// The JSON primitives the encoders here use, shared with the other wire
// formats in switchyard/internal/jsonw.

func appendString(dst []byte, s string) []byte     { return jsonw.String(dst, s) }
func appendNullString(dst []byte, s string) []byte { return jsonw.NullString(dst, s) }
func appendFloat(dst []byte, f float64, bits int) []byte {
	return jsonw.Float(dst, f, bits)
}
func appendInt(dst []byte, n int) []byte       { return jsonw.Int(dst, n) }
func appendBool(dst []byte, b bool) []byte     { return jsonw.Bool(dst, b) }
func appendKey(dst []byte, name string) []byte { return jsonw.Key(dst, name) }
