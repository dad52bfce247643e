package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/store"
)

// This file lists the stored chat completions, ordered by (created_ns,
// id), one more row than the page read to tell whether more follow. A
// tenant's list filtering on metadata finds its rows through the blind
// index of the pairs (chatindex.go): it reads, in order, the index rows
// of one pair under each key the store holds (and the clear one), the
// completions whose other pairs are indexed under that key too, and
// opens no row but those of the page. In every tenant's scope, where
// the index (hashed with each tenant) cannot be asked, rows are read a
// batch at a time and the filter applied to them once opened.

// chatScanBatch is how many rows a list in every tenant's scope filtering
// on metadata reads at a time.
const chatScanBatch = 100

// chatCursor is a position in a list of completions: after (or, newest
// first, before) the completion created at created with id.
type chatCursor struct {
	created int64
	id      string
}

// ListChatCompletions implements store.ChatCompletionLog. A tenant's
// completions not indexed yet (stored before the index) are indexed
// before its first list filtering on metadata.
func (b *Backend) ListChatCompletions(ctx context.Context, scope store.Scope, q store.ChatCompletionQuery, now time.Time) (store.ChatCompletionPage, error) {
	var cur *chatCursor
	if q.After != "" {
		where, args := liveChat(scope, q.After, now, b.d.Placeholder)
		var c chatCursor
		err := b.read.QueryRow(ctx, "SELECT created_ns, id FROM chat_completions"+where, args...)(&c.created, &c.id)
		switch {
		case errors.Is(err, ErrNoRow):
			return store.ChatCompletionPage{}, store.ErrChatCompletionNotFound
		case err != nil:
			return store.ChatCompletionPage{}, b.errorf("list chat completions", err)
		}
		cur = &c
	}
	var (
		rows []*store.ChatCompletion
		err  error
	)
	switch {
	case len(q.Metadata) == 0:
		sql, args := b.listChatSQL(scope, q, cur, now, q.Limit+1)
		rows, err = b.readChats(ctx, sql, args)
	case scope.All:
		return b.scanChats(ctx, scope, q, cur, now)
	default:
		if _, _, err := b.indexChats(ctx, scope, true); err != nil {
			return store.ChatCompletionPage{}, err
		}
		sql, args := b.indexedChatSQL(scope.Tenant, q, cur, now)
		rows, err = b.readChats(ctx, sql, args)
	}
	if err != nil {
		return store.ChatCompletionPage{}, err
	}
	return b.chatPage(rows, q.Limit)
}

// readChats reads the completions of a list's statement, counting them.
func (b *Backend) readChats(ctx context.Context, sql string, args []any) ([]*store.ChatCompletion, error) {
	rows, err := collect(ctx, b, "list chat completions", sql, args, scanChatCompletion)
	b.chatRowsRead.Add(int64(len(rows)))
	return rows, err
}

// chatPage opens rows, at most one more than limit, and returns them as
// a page of limit.
func (b *Backend) chatPage(rows []*store.ChatCompletion, limit int) (store.ChatCompletionPage, error) {
	k := b.sealing()
	for _, c := range rows {
		if err := b.openChat(k, c); err != nil {
			return store.ChatCompletionPage{}, err
		}
	}
	if len(rows) > limit {
		return store.ChatCompletionPage{Completions: rows[:limit], HasMore: true}, nil
	}
	return store.ChatCompletionPage{Completions: rows}, nil
}

// indexedChatSQL returns the statement reading the first q.Limit+1 live
// completions of tenant after cur (nil: from the first) whose metadata
// holds every pair of q.Metadata, and its arguments. For each key a pair
// may be indexed under (seal.Keys.Blinds), one branch reads, in order,
// the index rows of the first pair (by key) and keeps the completions
// that have the others under the same key; the branches are merged in
// order.
func (b *Backend) indexedChatSQL(tenant string, q store.ChatCompletionQuery, cur *chatCursor, now time.Time) (string, []any) {
	keys := make([]string, 0, len(q.Metadata))
	for k := range q.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	blinds := make([][][]byte, len(keys)) // [pair][key the store holds]
	for i, k := range keys {
		blinds[i] = b.sealing().Blinds(b.pairMessage(tenant, k, q.Metadata[k]))
	}
	order, cmp := "ASC", ">"
	if q.Desc {
		order, cmp = "DESC", "<"
	}
	limit := " LIMIT " + strconv.Itoa(q.Limit+1)
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return b.d.Placeholder(len(args))
	}
	branches := make([]string, len(blinds[0]))
	for s := range branches {
		var w strings.Builder
		w.WriteString("SELECT c." + strings.ReplaceAll(chatColumns, ", ", ", c.") +
			" FROM chat_completion_metadata m JOIN chat_completions c ON c.id = m.completion" +
			" WHERE m.tenant = " + arg(tenant) + " AND m.pair_hash = " + arg(blinds[0][s]) +
			" AND c.tenant = m.tenant AND c.expires_ns > " + arg(now.UnixNano()))
		if q.Model != "" {
			w.WriteString(" AND c.model = " + arg(q.Model))
		}
		if cur != nil {
			w.WriteString(" AND (m.created_ns " + cmp + " " + arg(cur.created) + " OR (m.created_ns = " + arg(cur.created) +
				" AND m.completion " + cmp + " " + arg(cur.id) + "))")
		}
		for _, pair := range blinds[1:] {
			w.WriteString(" AND EXISTS (SELECT 1 FROM chat_completion_metadata x WHERE x.completion = m.completion AND x.pair_hash = " + arg(pair[s]) + ")")
		}
		w.WriteString(" ORDER BY m.created_ns " + order + ", m.completion " + order + limit)
		branches[s] = w.String()
	}
	args = b.storable(args)
	if len(branches) == 1 {
		return branches[0], args
	}
	for s, br := range branches {
		branches[s] = "SELECT * FROM (" + br + ") b" + strconv.Itoa(s)
	}
	return strings.Join(branches, " UNION ALL ") + " ORDER BY created_ns " + order + ", id " + order + limit, args
}

// scanChats lists the completions of q in every tenant's scope after cur
// (nil: from the first): rows are read a batch at a time until the page
// is full, those whose metadata does not match skipped.
func (b *Backend) scanChats(ctx context.Context, scope store.Scope, q store.ChatCompletionQuery, cur *chatCursor, now time.Time) (store.ChatCompletionPage, error) {
	batch := max(q.Limit+1, chatScanBatch)
	k := b.sealing()
	var out []*store.ChatCompletion
	for len(out) <= q.Limit {
		sql, args := b.listChatSQL(scope, q, cur, now, batch)
		rows, err := b.readChats(ctx, sql, args)
		if err != nil {
			return store.ChatCompletionPage{}, err
		}
		for _, c := range rows {
			if err := b.openChat(k, c); err != nil {
				return store.ChatCompletionPage{}, err
			}
			if len(out) <= q.Limit && metadataHolds(c.Metadata, q.Metadata) {
				out = append(out, c)
			}
		}
		if len(rows) < batch {
			break
		}
		last := rows[len(rows)-1]
		cur = &chatCursor{created: last.Created.UnixNano(), id: last.ID}
	}
	if len(out) > q.Limit {
		return store.ChatCompletionPage{Completions: out[:q.Limit], HasMore: true}, nil
	}
	return store.ChatCompletionPage{Completions: out}, nil
}

// listChatSQL returns the statement reading at most n live completions
// of q's model in scope after cur (nil: from the first), and its
// arguments.
func (b *Backend) listChatSQL(scope store.Scope, q store.ChatCompletionQuery, cur *chatCursor, now time.Time, n int) (string, []any) {
	w := query{ph: b.d.Placeholder}
	w.scope(scope)
	w.where("expires_ns > %s", now.UnixNano())
	if q.Model != "" {
		w.where("model = %s", q.Model)
	}
	order, cmp := "ASC", ">"
	if q.Desc {
		order, cmp = "DESC", "<"
	}
	if cur != nil {
		w.where("(created_ns "+cmp+" %s OR (created_ns = %s AND id "+cmp+" %s))", cur.created, cur.created, cur.id)
	}
	sql := "SELECT " + chatColumns + " FROM chat_completions" + w.clause() +
		" ORDER BY created_ns " + order + ", id " + order + " LIMIT " + strconv.Itoa(n)
	return sql, w.args
}

// metadataHolds reports whether the JSON object md holds every pair of
// want (an object that does not decode holds none).
func metadataHolds(md []byte, want map[string]string) bool {
	if len(want) == 0 {
		return true
	}
	var have map[string]string
	if json.Unmarshal(md, &have) != nil {
		return false
	}
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}
