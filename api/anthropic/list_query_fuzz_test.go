package anthropic

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"switchyard/llm"
)

// FuzzListQueries: any query string of GET /v1/files or GET /v1/models is
// a 400 or a page within its bounds: a files limit from 1 to 1000 and at
// most one cursor; a models page that is a run of the listed ids, no
// longer than the limit, next to the cursor it names.
func FuzzListQueries(f *testing.F) {
	for _, s := range []string{"", "limit=5", "limit=0", "limit=1001", "limit=x", "after_id=file_1", "before_id=file_2&limit=2",
		"page=page_file_1", "page=nope", "page=page_", "after_id=a&before_id=b", "after_id=claude-sonnet-4-5&limit=1",
		"before_id=claude-opus-4-1", "after_id=zzz", "limit=%2B3", "limit=-0"} {
		f.Add(s)
	}
	ids := []string{"claude-opus-4-1", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-3-5-haiku-latest"}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		is400 := func(err error) {
			t.Helper()
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %v is not a 400", err)
			}
		}
		if q, before, err := filesQuery(v); err != nil {
			is400(err)
		} else if q.Limit < 1 || q.Limit > maxFilesLimit || before == q.Desc || before && q.After != v.Get("before_id") {
			t.Fatalf("files query %+v, before %v from %q", q, before, raw)
		}
		page, more, err := modelsPage(ids, v)
		if err != nil {
			is400(err)
			return
		}
		if len(page) > maxModelsLimit {
			t.Fatalf("a page of %d", len(page))
		}
		if len(page) == 0 {
			return
		}
		i := slices.Index(ids, page[0])
		if i < 0 || !slices.Equal(ids[i:i+len(page)], page) {
			t.Fatalf("page %q is not a run of %q", page, ids)
		}
		switch end := i + len(page); {
		case v.Get("after_id") != "" && (i == 0 || ids[i-1] != v.Get("after_id") || more != (end < len(ids))):
			t.Fatalf("page %q, more %v after %q", page, more, v.Get("after_id"))
		case v.Get("before_id") != "" && (end == len(ids) || ids[end] != v.Get("before_id") || more != (i > 0)):
			t.Fatalf("page %q, more %v before %q", page, more, v.Get("before_id"))
		}
	})
}
