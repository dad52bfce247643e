package responses

import (
	"encoding/json"

	"switchyard/llm"
	"switchyard/wire/internal/strict"
)

// The Responses API's bodies are decoded strictly (switchyard/wire/internal/strict).

// stringMap is a metadata object whose value of another type is an error
// at metadata.KEY (strict.StringMap).
type stringMap = strict.StringMap

// docs is the Responses API's reference, which a malformed body's error
// points to.
const docs = "https://platform.openai.com/docs/api-reference/responses/create"

// decodeStrict decodes the JSON object raw into v, refusing fields v does
// not name. path is where raw sits in the request ("" for the body,
// "input[2]"), for the errors' Param and wording: every error is an
// *llm.Error of kind invalid_request.
func decodeStrict(raw []byte, path string, v any) error { return strict.Decode(raw, path, v, docs) }

// invalid returns an invalid_request error about param.
func invalid(param, format string, args ...any) *llm.Error {
	return strict.Invalid(param, format, args...)
}

// unsupported returns an invalid_request error about a parameter the
// router does not support, with code unsupported_parameter.
func unsupported(param, format string, args ...any) *llm.Error {
	return strict.Unsupported(param, format, args...)
}

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool { return strict.IsNull(raw) }

// first returns the first byte of raw past white space, or 0.
func first(raw []byte) byte { return strict.First(raw) }

// jsonError turns an encoding/json error met at path into the client's
// error, in OpenAI's wording.
func jsonError(err error, path string) *llm.Error { return strict.JSONError(err, path, docs) }
