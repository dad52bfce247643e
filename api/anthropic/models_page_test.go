package anthropic

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"switchyard/llm"
)

func TestModelsPage(t *testing.T) {
	ids := make([]string, 25)
	for i := range ids {
		ids[i] = string(rune('a' + i))
	}
	for _, tt := range []struct {
		query      string
		first, end int // the page is ids[first:end]
		more       bool
	}{
		{"", 0, 20, true},
		{"limit=25", 0, 25, false},
		{"limit=1000", 0, 25, false},
		{"limit=10&after_id=j", 10, 20, true},
		{"limit=10&after_id=t", 20, 25, false},
		{"after_id=y", 25, 25, false},
		{"limit=10&before_id=p", 5, 15, true},
		{"limit=10&before_id=k", 0, 10, false},
		{"before_id=a", 0, 0, false},
		{"after_id=nobody", 0, 0, false},
	} {
		q, _ := url.ParseQuery(tt.query)
		page, more, err := modelsPage(ids, q)
		if err != nil || !slices.Equal(page, ids[tt.first:tt.end]) || more != tt.more {
			t.Errorf("%q: %v more=%v err=%v; want %v more=%v", tt.query, page, more, err, ids[tt.first:tt.end], tt.more)
		}
	}
	for _, bad := range []string{"limit=0", "limit=1001", "limit=x", "after_id=a&before_id=b"} {
		q, _ := url.ParseQuery(bad)
		var e *llm.Error
		if _, _, err := modelsPage(ids, q); !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param == "" {
			t.Errorf("%q: %v, want an invalid request naming its param", bad, err)
		}
	}
}
