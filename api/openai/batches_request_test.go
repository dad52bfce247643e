package openai

import (
	"errors"
	"testing"

	"switchyard/llm"
)

// A batch's metadata value of another type than a string is named by
// its key, as OpenAI names it (param metadata.KEY); metadata not an
// object is named metadata.
func TestBatchMetadataTypeErrors(t *testing.T) {
	for _, tt := range []struct{ body, param, msg string }{
		{`{"metadata": {"team": "a", "run": 7}}`, "metadata.run", "Invalid type for 'metadata.run': expected a string, but got a number instead."},
		{`{"metadata": {"a": {"b": "c"}}}`, "metadata.a", "Invalid type for 'metadata.a': expected a string, but got an object instead."},
		{`{"metadata": ["a"]}`, "metadata", ""},
	} {
		_, err := decodeBatchRequest([]byte(tt.body))
		var e *llm.Error
		if !errors.As(err, &e) || e.Param != tt.param || e.Kind != llm.KindInvalidRequest || (tt.msg != "" && e.Message != tt.msg) {
			t.Errorf("%s: %#v, want param %s", tt.body, err, tt.param)
		}
	}
	q, err := decodeBatchRequest([]byte(`{"metadata": {"team": "a", "none": null}}`))
	if err != nil || q.Metadata["team"] != "a" || len(q.Metadata) != 2 {
		t.Errorf("string metadata: %v %v", q, err)
	}
}
