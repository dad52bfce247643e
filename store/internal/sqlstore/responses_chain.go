package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchyard/store"
)

// This file reads and erases the stored responses' chains, each in one
// statement with WITH RECURSIVE (SQLite and PostgreSQL alike): a
// response's chain is it and its ancestors, each step within the tenant
// of the response it came from; a response is needed while it is live
// (neither expired nor deleted) or a live response descends from it.

// dead is the condition of a response expired at the time %[1]s or
// deleted, of the table or alias %[2]s.
const dead = "(%[2]s.expires_ns <= %[1]s OR %[2]s.deleted_ns <> 0)"

// ResponseChain implements store.ResponseLog: the live response, then
// its ancestors through parent, read at once; the rows are put in order
// here, from the parent links, which also finds a chain that is broken
// (a parent missing, or another tenant's) or loops.
func (b *Backend) ResponseChain(ctx context.Context, scope store.Scope, id string, now time.Time) ([]*store.Response, error) {
	where, args := liveResponse(scope, id, now, b.d.Placeholder)
	cols := make([]string, len(responseColumns))
	for i, c := range responseColumns {
		cols[i] = "r." + c
		if c == "object" { // the last response's only
			cols[i] = "CASE WHEN r.id = " + b.d.Placeholder(len(args)+1) + " THEN r.object END"
		}
	}
	q := "WITH RECURSIVE chain(id, parent, tenant) AS (SELECT id, parent, tenant FROM responses" + where +
		" UNION SELECT r.id, r.parent, r.tenant FROM responses r JOIN chain c ON r.id = c.parent AND r.tenant = c.tenant)" +
		" SELECT " + strings.Join(cols, ", ") + " FROM chain c JOIN responses r ON r.id = c.id AND r.tenant = c.tenant"
	rows, err := collect(ctx, b, "response chain", q, b.replanned(append(args, id)), scanResponse)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, store.ErrResponseNotFound
	}
	chain, err := orderChain(rows, id)
	if err != nil {
		return nil, b.errorf("response chain", err)
	}
	k := b.sealing()
	for _, r := range chain {
		if err := b.openResponse(k, r); err != nil {
			return nil, err
		}
	}
	if root := chain[0]; root.Conversation != "" {
		items, err := b.conversationPrefix(ctx, root.Tenant, root.Conversation, root.ConversationSeq)
		if err != nil {
			return nil, err
		}
		conv := &store.Response{ID: root.Conversation, Tenant: root.Tenant, Input: items, Output: []byte("[]")}
		chain = append([]*store.Response{conv}, chain...)
	}
	return chain, nil
}

// orderChain returns rows (a response's chain, in any order) from the
// root to the response id.
func orderChain(rows []*store.Response, id string) ([]*store.Response, error) {
	byID := make(map[string]*store.Response, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	chain := make([]*store.Response, 0, len(rows))
	for at := id; at != ""; {
		r := byID[at]
		if r == nil {
			return nil, fmt.Errorf("response %s: the conversation's response %s is missing", id, at)
		}
		if len(chain) == len(rows) {
			return nil, fmt.Errorf("response %s: its chain loops at %s", id, at)
		}
		chain = append(chain, r)
		at = r.Parent
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}

// eraseDeleted returns the statement erasing the response id, just
// deleted, unless a response descends from it, then each ancestor that
// is expired at now or deleted and that no other response descends
// from, and its arguments.
func eraseDeleted(id string, now time.Time, ph Placeholder) (string, []any) {
	return "WITH RECURSIVE doomed(id, parent, tenant) AS (" +
		"SELECT d.id, d.parent, d.tenant FROM responses d WHERE d.id = " + ph(1) +
		" AND NOT EXISTS (SELECT 1 FROM responses k WHERE k.parent = d.id AND k.tenant = d.tenant)" +
		" UNION SELECT p.id, p.parent, p.tenant FROM responses p JOIN doomed d ON p.id = d.parent AND p.tenant = d.tenant" +
		" WHERE " + fmt.Sprintf(dead, ph(2), "p") +
		" AND NOT EXISTS (SELECT 1 FROM responses k WHERE k.parent = p.id AND k.tenant = p.tenant AND k.id <> d.id))" +
		" DELETE FROM responses WHERE id IN (SELECT id FROM doomed)", []any{id, now.UnixNano()}
}

// eraseUnneeded returns the statement erasing every response expired at
// now or deleted from which no live response descends, and its
// arguments: the needed ones are those with a live child, and their
// ancestors.
func eraseUnneeded(now time.Time, ph Placeholder) (string, []any) {
	ns := now.UnixNano()
	return "WITH RECURSIVE needed(id, parent, tenant) AS (" +
		"SELECT p.id, p.parent, p.tenant FROM responses p WHERE " + fmt.Sprintf(dead, ph(1), "p") +
		" AND EXISTS (SELECT 1 FROM responses k WHERE k.parent = p.id AND k.tenant = p.tenant" +
		" AND k.expires_ns > " + ph(2) + " AND k.deleted_ns = 0)" +
		" UNION SELECT r.id, r.parent, r.tenant FROM responses r JOIN needed n ON r.id = n.parent AND r.tenant = n.tenant)" +
		" DELETE FROM responses WHERE " + fmt.Sprintf(dead, ph(3), "responses") +
		" AND id NOT IN (SELECT id FROM needed)", []any{ns, ns, ns}
}
