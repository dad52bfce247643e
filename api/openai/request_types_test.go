package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A batch or upload request with a field of the wrong type is a 400 that
// names the field in param and says what it wants, in OpenAI's wording
// ("Invalid type for 'input_file_id': expected a string, but got a number
// instead."), not encoding/json's, which names the router's Go types.
func TestRequestBodyTypeErrors(t *testing.T) {
	for _, tt := range []struct {
		name, body, param, want string
		decode                  func([]byte) error
	}{
		{"batch input_file_id", `{"input_file_id":5}`, "input_file_id", "Invalid type for 'input_file_id': expected a string, but got a number instead.", batchDecode},
		{"batch metadata array", `{"metadata":[1]}`, "metadata", "Invalid type for 'metadata': expected an object, but got an array instead.", batchDecode},
		{"batch body array", `[1]`, "", "The request body must be a JSON object, but got an array instead.", batchDecode},
		{"upload bytes", `{"bytes":"12"}`, "bytes", "Invalid type for 'bytes': expected an integer, but got a string instead.", uploadDecode},
		{"upload bytes huge", `{"bytes":1e999}`, "bytes", "Invalid type for 'bytes': expected an integer, but got a number instead.", uploadDecode},
		{"upload completion part_ids", `{"part_ids":"part_1"}`, "part_ids", "Invalid type for 'part_ids': expected an array, but got a string instead.", completeDecode},
		{"upload expires_after", `{"expires_after":{"seconds":"x"}}`, "expires_after.seconds", "Invalid type for 'expires_after.seconds': expected an integer, but got a string instead.", uploadDecode},
	} {
		err := tt.decode([]byte(tt.body))
		e := llm.AsError(err)
		if err == nil || e.Kind != llm.KindInvalidRequest || e.Param != tt.param || e.Message != tt.want || strings.Contains(e.Message, "Go ") {
			t.Errorf("%s: %v (param %q); want %q (param %q)", tt.name, err, e.Param, tt.want, tt.param)
		}
	}
}

func batchDecode(b []byte) error { _, err := decodeBatchRequest(b); return err }

func uploadDecode(b []byte) error { _, err := decodeUploadRequest(b, 1<<20); return err }

func completeDecode(b []byte) error { _, err := decodeCompleteRequest(b); return err }
