package responses

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"switchyard/llm"
)

// decodeStrict decodes the JSON object raw into v, refusing fields v does
// not name. path is where raw sits in the request ("" for the body,
// "input[2]"), for the errors' Param and wording: every error is an
// *llm.Error of kind invalid_request.
func decodeStrict(raw []byte, path string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, path)
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalidJSON()
	}
	return nil
}

// jsonError turns an encoding/json error met at path into the client's
// error, in OpenAI's wording.
func jsonError(err error, path string) *llm.Error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		at := join(path, te.Field)
		if at == "" {
			return invalid("", "The request body must be a JSON object, but got %s instead.", jsonKind(te.Value))
		}
		if lit, ok := outOfRange(te); ok {
			return invalid(at, "Invalid '%s': number out of range. Expected %s that fits in 64 bits, but got %s instead.", at, goKind(te.Type.Kind().String()), lit)
		}
		return invalid(at, "Invalid type for '%s': expected %s, but got %s instead.", at, goKind(te.Type.Kind().String()), jsonKind(te.Value))
	case errors.As(err, &se), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return invalidJSON()
	}
	if name, ok := unknownField(err.Error()); ok {
		at := join(path, name)
		e := invalid(at, "Unknown parameter: '%s'.", at)
		e.Code = "unknown_parameter"
		return e
	}
	return invalid(path, "Invalid value for '%s': %s.", path, strings.TrimPrefix(err.Error(), "json: "))
}

func invalidJSON() *llm.Error {
	return invalid("", "We could not parse the JSON body of your request. The body must be one JSON object; see https://platform.openai.com/docs/api-reference/responses/create.")
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

// invalid returns an invalid_request error about param.
func invalid(param, format string, args ...any) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, format, args...)
	e.Param = param
	return e
}

// unsupported returns an invalid_request error about a parameter the
// router does not support, with code unsupported_parameter.
func unsupported(param, format string, args ...any) *llm.Error {
	e := invalid(param, format, args...)
	e.Code = "unsupported_parameter"
	return e
}

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// first returns the first byte of raw past white space, or 0.
func first(raw []byte) byte {
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
