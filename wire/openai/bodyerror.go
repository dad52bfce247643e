package openai

import (
	"switchyard/llm"
	"switchyard/wire/internal/strict"
)

// BodyError turns the encoding/json error of decoding a request body the
// router reads with encoding/json (POST /v1/batches, /v1/uploads,
// /v1/realtime/client_secrets) into
// the client's 400 in OpenAI's wording, its param the field's path:
// "Invalid type for 'input_file_id': expected a string, but got a number
// instead." — never encoding/json's, which names the router's Go types.
// path is where the decoded value sits in the body ("" for the body
// itself, "session"); docs is the endpoint's API reference, which the
// error about malformed JSON points to.
func BodyError(err error, path, docs string) *llm.Error {
	return strict.JSONError(err, path, docs)
}

// StringMap is a JSON object of strings (a request's metadata) whose
// value of another type is BodyError's error at metadata.KEY, as OpenAI
// names it (strict.StringMap).
type StringMap = strict.StringMap
