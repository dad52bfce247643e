package anthropic

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"switchyard/llm"
	"switchyard/store"
)

// filesList is a page of the file list as the API answers it: newest
// first, has_more, first_id and last_id as the API pages by after_id
// and before_id, and next_page, the cursor the SDKs page by (page_
// and the id of the page's last file; null on the last page).
type filesList struct {
	Data     []fileMetadata `json:"data"`
	HasMore  bool           `json:"has_more"`
	FirstID  *string        `json:"first_id"`
	LastID   *string        `json:"last_id"`
	NextPage *string        `json:"next_page"`
}

// filesQuery reads a list's query: limit (1 to 1000, default 20), and
// at most one of after_id, before_id and page (a next_page cursor).
// before reports before_id: the page is the files newer than it.
func filesQuery(v url.Values) (q store.FileQuery, before bool, err error) {
	q = store.FileQuery{Limit: defaultFilesLimit, Desc: true}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxFilesLimit {
			return q, false, llm.Errorf(llm.KindInvalidRequest, "limit: Input should be an integer from 1 to %d", maxFilesLimit)
		}
		q.Limit = n
	}
	cursors := 0
	for _, k := range [...]string{"after_id", "before_id", "page"} {
		if v.Get(k) != "" {
			cursors++
		}
	}
	if cursors > 1 {
		return q, false, llm.Errorf(llm.KindInvalidRequest, "Send at most one of after_id, before_id and page.")
	}
	switch {
	case v.Get("after_id") != "":
		q.After = v.Get("after_id")
	case v.Get("before_id") != "":
		q.After, q.Desc, before = v.Get("before_id"), false, true
	case v.Get("page") != "":
		id, ok := strings.CutPrefix(v.Get("page"), pagePrefix)
		if !ok || id == "" {
			return q, false, llm.Errorf(llm.KindInvalidRequest, "page: Invalid page cursor '%s'.", llm.Clip(v.Get("page")))
		}
		q.After = id
	}
	return q, before, nil
}

// listFiles answers GET /v1/files.
func (h *Handler) listFiles(w http.ResponseWriter, r *http.Request) {
	q, before, err := filesQuery(r.URL.Query())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	page, err := h.Files.List(r.Context(), q)
	if errors.Is(err, store.ErrFileNotFound) {
		WriteError(w, r, llm.Errorf(llm.KindInvalidRequest, "No file with id '%s' to page from.", llm.Clip(q.After)))
		return
	}
	if err != nil {
		fileFailed(w, r, err, "")
		return
	}
	files := page.Files
	if before { // read oldest first from before_id: newest first as every page is
		files = slices.Clone(files)
		slices.Reverse(files)
	}
	out := filesList{Data: make([]fileMetadata, len(files)), HasMore: page.HasMore}
	for i, f := range files {
		out.Data[i] = metadataOf(f)
	}
	if n := len(files); n > 0 {
		out.FirstID, out.LastID = &files[0].ID, &files[n-1].ID
		if page.HasMore && !before {
			next := pagePrefix + files[n-1].ID
			out.NextPage = &next
		}
	}
	answerJSON(w, r, out)
}
