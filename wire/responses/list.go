package responses

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"switchyard/internal/jsonw"
	"switchyard/llm"
)

// This file encodes the answers of the stored responses' endpoints
// besides the Response object: the list of GET
// /v1/responses/{id}/input_items, with OpenAI's cursor pagination, and
// the deletion object of DELETE /v1/responses/{id}.

// Limits of an input items page.
const (
	DefaultListLimit = 20
	MaxListLimit     = 100
)

// ListQuery selects a page of input items: those after the item After
// and before the item Before (ids; "" for no bound), in ascending order
// or, with Desc, newest first, at most Limit of them.
type ListQuery struct {
	After, Before string
	Limit         int
	Desc          bool
}

// Includables are the values include takes (OpenAI's IncludeEnum), in
// the spec's order.
var Includables = []string{
	"file_search_call.results", "web_search_call.results", "web_search_call.action.sources",
	"message.input_image.image_url", "computer_call_output.output.image_url", "code_interpreter_call.outputs",
	IncludeEncrypted, IncludeLogprobs,
}

// ParseListQuery reads a ListQuery from the query string of GET
// /v1/responses/{id}/input_items and GET /v1/conversations/{id}/items:
// limit (1 to 100, 20 by default), order (asc, or desc by default),
// after, before; include (include[] as the SDKs send it) is checked
// against Includables, and otherwise ignored (the router returns no
// item it would add to). Every error is an *llm.Error of kind
// invalid_request naming the parameter.
func ParseListQuery(v url.Values) (ListQuery, error) {
	q := ListQuery{After: v.Get("after"), Before: v.Get("before"), Limit: DefaultListLimit, Desc: true}
	if err := checkIncludes(append(v["include"], v["include[]"]...)); err != nil {
		return q, err
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxListLimit {
			return q, invalid("limit", "Invalid 'limit': expected an integer between 1 and %d, but got '%s' instead.", MaxListLimit, llm.Clip(s))
		}
		q.Limit = n
	}
	switch o := v.Get("order"); o {
	case "", "desc":
	case "asc":
		q.Desc = false
	default:
		return q, invalid("order", "Invalid value: '%s'. Supported values are: 'asc' and 'desc'.", llm.Clip(o))
	}
	return q, nil
}

// checkIncludes refuses the first include value that is not one of
// Includables, as OpenAI does: code invalid_value at include[i].
func checkIncludes(include []string) error {
	for i, inc := range include {
		if !slices.Contains(Includables, inc) {
			e := invalid("include["+strconv.Itoa(i)+"]", "Invalid value: '%s'. Supported values are: %s.", llm.Clip(inc), includablesList)
			e.Code = "invalid_value"
			return e
		}
	}
	return nil
}

// includablesList is Includables quoted as OpenAI lists supported values.
var includablesList = "'" + strings.Join(Includables[:len(Includables)-1], "', '") + "', and '" + Includables[len(Includables)-1] + "'"

// AppendInputItems appends the list object of the page of items (a JSON
// array of items with ids, as StoredInput wrote it) that q selects:
// object "list", data, first_id, last_id and has_more. An After or
// Before that names no item is an invalid_request error.
func AppendInputItems(dst []byte, items json.RawMessage, q ListQuery) ([]byte, error) {
	var all []json.RawMessage
	if err := json.Unmarshal(items, &all); err != nil {
		return nil, llm.Wrap(llm.KindInternal, err, "The stored input items could not be read.")
	}
	ids := make([]string, len(all))
	for i, it := range all {
		var h struct {
			ID string `json:"id"`
		}
		json.Unmarshal(it, &h) //nolint:errcheck // stored items are objects; a missing id is ""
		ids[i] = h.ID
	}
	order := make([]int, len(all)) // the items' indexes in the order asked
	for i := range order {
		order[i] = i
		if q.Desc {
			order[i] = len(all) - 1 - i
		}
	}
	start, end, err := bounds(order, ids, q)
	if err != nil {
		return nil, err
	}
	page := order[start:min(end, start+q.Limit)]
	dst = append(dst, `{"object":"list","data":[`...)
	for i, at := range page {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, all[at]...)
	}
	dst = append(dst, `],"first_id":`...)
	dst = appendEnd(dst, page, ids, 0)
	dst = append(dst, `,"last_id":`...)
	dst = appendEnd(dst, page, ids, len(page)-1)
	dst = append(dst, `,"has_more":`...)
	dst = strconv.AppendBool(dst, start+len(page) < end)
	return append(dst, '}'), nil
}

// bounds returns the range of order, [start, end), between q's After and
// Before items.
func bounds(order []int, ids []string, q ListQuery) (start, end int, err error) {
	end = len(order)
	find := func(id string) int {
		for pos, at := range order {
			if ids[at] == id {
				return pos
			}
		}
		return -1
	}
	if q.After != "" {
		if start = find(q.After) + 1; start == 0 {
			return 0, 0, invalid("after", "No input item with id '%s' in this response.", llm.Clip(q.After))
		}
	}
	if q.Before != "" {
		if end = find(q.Before); end < 0 {
			return 0, 0, invalid("before", "No input item with id '%s' in this response.", llm.Clip(q.Before))
		}
	}
	return start, max(start, end), nil
}

// appendEnd appends the id of page's i-th item, or null when page is
// empty.
func appendEnd(dst []byte, page []int, ids []string, i int) []byte {
	if len(page) == 0 {
		return append(dst, "null"...)
	}
	return jsonw.String(dst, ids[page[i]])
}

// AppendDeleted appends the answer of DELETE /v1/responses/{id}: the
// deletion object of the response id.
func AppendDeleted(dst []byte, id string) []byte {
	dst = append(dst, `{"id":`...)
	dst = jsonw.String(dst, id)
	return append(dst, `,"object":"response","deleted":true}`...)
}
