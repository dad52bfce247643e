package anthropic

import (
	"net/url"
	"slices"
	"strconv"

	"switchyard/llm"
)

// The model list's pagination, as Anthropic's GET /v1/models documents
// it: limit (1 to 1000, default 20) items a page; after_id, the page
// right after that model; before_id, the page right before it; has_more,
// whether more lie in the direction asked.

const (
	defaultModelsLimit = 20
	maxModelsLimit     = 1000
)

// modelsPage returns the page of ids that the query q asks for and
// whether more lie beyond it, or an invalid_request_error for a bad
// limit or both cursors at once. A cursor naming no listed model gives
// an empty page.
func modelsPage(ids []string, q url.Values) ([]string, bool, error) {
	limit := defaultModelsLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return nil, false, pageError("limit", "limit: Input should be a valid integer")
		case n < 1:
			return nil, false, pageError("limit", "limit: Input should be greater than or equal to 1")
		case n > maxModelsLimit:
			return nil, false, pageError("limit", "limit: Input should be less than or equal to 1000")
		}
		limit = n
	}
	after, before := q.Get("after_id"), q.Get("before_id")
	switch {
	case after != "" && before != "":
		return nil, false, pageError("before_id", "before_id and after_id cannot be used together")
	case after != "":
		i := slices.Index(ids, after)
		if i < 0 {
			return nil, false, nil
		}
		rest := ids[i+1:]
		n := min(limit, len(rest))
		return rest[:n], n < len(rest), nil
	case before != "":
		i := slices.Index(ids, before)
		if i < 0 {
			return nil, false, nil
		}
		start := max(i-limit, 0)
		return ids[start:i], start > 0, nil
	}
	n := min(limit, len(ids))
	return ids[:n], n < len(ids), nil
}

func pageError(param, msg string) error {
	return &llm.Error{Kind: llm.KindInvalidRequest, Param: param, Message: msg}
}
