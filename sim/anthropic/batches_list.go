package anthropic

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	wire "switchyard/wire/anthropic"
)

// listBatches serves GET /v1/messages/batches: the Message Batches, most
// recently created first, limit of them (1–1000, default 20) with
// after_id (the next, older, page after that batch) or before_id (the
// page of newer batches just before it, in the same order); has_more
// says whether more follow in the page's direction; first_id and last_id
// are the page's ends (null when it is empty). A cursor naming no batch
// gives an empty page.
func (s *server) listBatches(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, wire.InvalidRequestError, "limit: Input should be greater than or equal to 1 and less than or equal to 1000")
			return
		}
		limit = n
	}
	s.batches.mu.Lock()
	newest := slices.Clone(s.batches.order)
	slices.Reverse(newest)
	var page []*simBatch
	more := false
	if after := q.Get("after_id"); after != "" {
		i := slices.Index(newest, after)
		if i >= 0 {
			page, more = s.batchesOf(newest[i+1:], limit)
		}
	} else if before := q.Get("before_id"); before != "" {
		if i := slices.Index(newest, before); i >= 0 {
			from := max(0, i-limit)
			page, _ = s.batchesOf(newest[from:i], limit)
			more = from > 0
		}
	} else {
		page, more = s.batchesOf(newest, limit)
	}
	out := struct {
		Data    []messageBatch `json:"data"`
		HasMore bool           `json:"has_more"`
		FirstID *string        `json:"first_id"`
		LastID  *string        `json:"last_id"`
	}{Data: make([]messageBatch, 0, len(page)), HasMore: more}
	for _, b := range page {
		out.Data = append(out.Data, s.advance(b))
	}
	s.batches.mu.Unlock()
	if n := len(out.Data); n > 0 {
		out.FirstID, out.LastID = &out.Data[0].ID, &out.Data[n-1].ID
	}
	b, _ := json.Marshal(out)
	writeJSON(w, b)
}

// batchesOf returns the batches of the first limit of ids and whether
// more ids follow; the caller holds s.batches.mu.
func (s *server) batchesOf(ids []string, limit int) ([]*simBatch, bool) {
	more := len(ids) > limit
	if more {
		ids = ids[:limit]
	}
	out := make([]*simBatch, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.batches.all[id])
	}
	return out, more
}
