package openai

// AppendString appends s as a JSON string the way encoding/json does
// without HTML escaping (see appendString). It is exported for the codecs
// of OpenAI's other wire formats (switchyard/wire/responses), so every
// OpenAI-shaped body the router writes escapes text the same way.
func AppendString(dst []byte, s string) []byte { return appendString(dst, s) }

// AppendFloat appends f the way encoding/json formats a float64; NaN and
// infinities, which JSON cannot hold, are written as 0.
func AppendFloat(dst []byte, f float64) []byte { return appendFloat(dst, f, 64) }
