package admin

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzRequestCounts: any request_counts object read in either shape (the
// Batch API's, a Message Batch's with processing) is written back in the
// same shape and reads back the same.
func FuzzRequestCounts(f *testing.F) {
	for _, s := range []string{`{"total":100,"completed":95,"failed":5}`,
		`{"processing":100,"succeeded":50,"errored":30,"canceled":10,"expired":10}`,
		`{"processing":null}`, `{"total":1,"processing":2}`, `{"PROCESSING":1}`, `{}`, `null`, `[]`, `{"total":1e3}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c RequestCounts
		if json.Unmarshal(data, &c) != nil {
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var again RequestCounts
		if err := json.Unmarshal(b, &again); err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("%s read as %+v, written %s, read back %+v, %v", data, c, b, again, err)
		}
	})
}
