// Package strict decodes the JSON bodies of the OpenAI endpoints that
// encoding/json serves (the Responses and legacy Completions APIs):
// unknown fields refused, and every error an *llm.Error of kind
// invalid_request worded as OpenAI words it, with its param.
package strict

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"switchyard/llm"
)

// Decode decodes the JSON object raw into v, refusing fields v does not
// name. path is where raw sits in the request ("" for the body,
// "input[2]"), for the errors' Param and wording; docs is the endpoint's
// API reference, which the error about malformed JSON points to. Every
// error is an *llm.Error of kind invalid_request.
func Decode(raw []byte, path string, v any, docs string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return JSONError(err, path, docs)
	}
	if _, err := dec.Token(); err != io.EOF {
		return InvalidJSON(docs)
	}
	return nil
}

// JSONError turns an encoding/json error met at path into the client's
// error, in OpenAI's wording.
func JSONError(err error, path, docs string) *llm.Error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		at := join(path, te.Field)
		if at == "" {
			return Invalid("", "The request body must be a JSON object, but got %s instead.", jsonKind(te.Value))
		}
		if lit, ok := outOfRange(te); ok {
			return Invalid(at, "Invalid '%s': number out of range. Expected %s that fits in 64 bits, but got %s instead.", at, goKind(te.Type.Kind().String()), lit)
		}
		return Invalid(at, "Invalid type for '%s': expected %s, but got %s instead.", at, goKind(te.Type.Kind().String()), jsonKind(te.Value))
	case errors.As(err, &se), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return InvalidJSON(docs)
	}
	if name, ok := unknownField(err.Error()); ok {
		at := llm.Clip(join(path, name))
		e := Invalid(at, "Unknown parameter: '%s'.", at)
		e.Code = "unknown_parameter"
		return e
	}
	return Invalid(path, "Invalid value for '%s': %s.", path, strings.TrimPrefix(err.Error(), "json: "))
}

// InvalidJSON is the error about a body that is not one JSON object;
// docs is the endpoint's API reference.
func InvalidJSON(docs string) *llm.Error {
	return Invalid("", "We could not parse the JSON body of your request. The body must be one JSON object; see %s.", docs)
}

// unknownField reads the field name out of encoding/json's
// `json: unknown field "name"`.
func unknownField(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, `json: unknown field "`)
	if !ok || !strings.HasSuffix(rest, `"`) {
		return "", false
	}
	return rest[:len(rest)-1], true
}

// join appends a dotted field path to path.
func join(path, field string) string {
	switch {
	case field == "":
		return path
	case path == "":
		return field
	}
	return path + "." + field
}

// jsonKind names the JSON value encoding/json reports ("string",
// "number 1.5", "object") the way the errors say it.
func jsonKind(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "bool":
		return "a boolean"
	case v == "object":
		return "an object"
	case v == "array":
		return "an array"
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return v
}

// goKind names the JSON type a Go kind decodes from.
func goKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int64":
		return "an integer"
	case "float64":
		return "a number"
	case "map", "struct":
		return "an object"
	case "slice":
		return "an array"
	}
	return k
}

// Invalid returns an invalid_request error about param.
func Invalid(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param = param
	return e
}

// Unsupported returns an invalid_request error about a parameter the
// router does not support, with code unsupported_parameter.
func Unsupported(param, format string, args ...any) *llm.Error {
	e := Invalid(param, format, args...)
	e.Code = "unsupported_parameter"
	return e
}

// IsNull reports whether raw is absent or the JSON null.
func IsNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// First returns the first byte of raw past white space, or 0.
func First(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// maxQuotedNumber bounds how much of a number literal an error quotes: a
// 100 KB digit string must not come back whole, or reach a log line.
const maxQuotedNumber = 40

// outOfRange reports whether te is a number that has the wanted type but
// does not fit it (1e999 for a float, 10^30 for an integer), and the
// literal as an error quotes it. A fraction given for an integer is a type
// error, not this.
func outOfRange(te *json.UnmarshalTypeError) (string, bool) {
	lit, ok := strings.CutPrefix(te.Value, "number ")
	if !ok {
		return "", false
	}
	switch te.Type.Kind().String() {
	case "float64", "float32":
	case "int", "int64", "int32", "uint", "uint64", "uint32":
		if strings.ContainsAny(lit, ".eE") {
			return "", false
		}
	default:
		return "", false
	}
	if len(lit) > maxQuotedNumber {
		lit = lit[:maxQuotedNumber] + "… (" + strconv.Itoa(len(lit)) + " characters)"
	}
	return lit, true
}
