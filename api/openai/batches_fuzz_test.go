package openai

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"switchyard/llm"
)

// FuzzDecodeBatchRequest: any body of POST /v1/batches is a 400 that
// names its parameter when it has one, or a request whose fields are
// within bounds and that reads back the same from its JSON form.
func FuzzDecodeBatchRequest(f *testing.F) {
	for _, s := range []string{
		`{"input_file_id":"file-abc123","endpoint":"/v1/chat/completions","completion_window":"24h"}`,
		`{"input_file_id":"file-abc123","endpoint":"/v1/responses","completion_window":"24h","metadata":{"customer_id":"user_123456789","batch_description":"Nightly eval job"}}`,
		`{"input_file_id":"file-abc123","endpoint":"/v1/images/generations","completion_window":"24h"}`,
		`{"input_file_id":"file-abc123","endpoint":"/v1/embeddings","completion_window":"1h"}`,
		`{"input_file_id":"","endpoint":null}`, `{"metadata":{"a":1}}`, `{"metadata":[]}`, `[]`, `null`, ``,
		`{"input_file_id":"f","endpoint":"/v1/moderations","completion_window":"24h","output_expires_after":{"anchor":"created_at","seconds":3600}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		q, err := decodeBatchRequest(body)
		if err == nil {
			if e := q.check(); e != nil {
				err = e
			}
		}
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %v is not a 400", err)
			}
			return
		}
		if *q.InputFileID == "" || !slices.Contains(batchEndpoints, *q.Endpoint) || *q.CompletionWindow != "24h" || len(q.Metadata) > 16 {
			t.Fatalf("accepted %+v", q)
		}
		b, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		again, err := decodeBatchRequest(b)
		if err != nil || again.check() != nil || !reflect.DeepEqual(again, q) {
			t.Fatalf("round trip of %s: %+v, %v", b, again, err)
		}
	})
}
