package sqlstore

import (
	"context"
	"encoding/json"
	"strconv"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file keeps the blind index of the stored chat completions'
// metadata (chat_completion_metadata, migration 20): a row per pair of a
// completion's metadata, its pair_hash the pair's blind index
// (seal.Keys.BlindAs) under the key the completion's metadata is sealed
// under — SHA-256 when it is clear — so that whoever opens the metadata
// finds its pairs. Each pair is hashed with the completion's tenant, so
// equal pairs of two tenants differ. The pairs are written and erased
// with their completion, in its transaction; chat_completions'
// metadata_indexed says a completion's are written (the rows stored
// before the index, or since by an older binary, are not: indexChats
// writes them).

// chatIndexBatch is how many unindexed completions indexChats reads, and
// indexes in one transaction, at a time.
const chatIndexBatch = 200

// pairMessage is what a metadata pair's blind index is made of: the
// tenant (as stored), the key and the value, each preceded by its length.
func (b *Backend) pairMessage(tenant, key, value string) []byte {
	if b.d.Storable != nil {
		tenant, _ = b.d.Storable(tenant).(string)
	}
	return seal.Place("chat_completion_metadata", tenant, key, value)
}

// metadataPairs returns the pairs of the metadata md, a JSON object of
// strings (none when it does not decode as one: it matches no filter).
func metadataPairs(md []byte) map[string]string {
	var pairs map[string]string
	if json.Unmarshal(md, &pairs) != nil {
		return nil
	}
	return pairs
}

// writeChatPairs replaces, on c (a transaction), the index rows of the
// completion id of tenant created at created with the pairs of its
// metadata, plain as opened and stored as stored (sealed under the key
// the pairs are hashed under).
func (b *Backend) writeChatPairs(ctx context.Context, c Conn, k *seal.Keys, tenant, id string, created int64, stored, plain []byte) error {
	ph := b.d.Placeholder
	if _, err := c.Exec(ctx, "DELETE FROM chat_completion_metadata WHERE completion = "+ph(1), b.storable([]any{id})...); err != nil {
		return b.errorf("index chat completion metadata", err)
	}
	pairs := metadataPairs(plain)
	if len(pairs) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(pairs))
	values := ""
	for key, value := range pairs {
		if values != "" {
			values += ", "
		}
		values += "(" + placeholders(ph, len(args)+1, 4) + ")"
		args = append(args, id, k.BlindAs(stored, b.pairMessage(tenant, key, value)), tenant, created)
	}
	q := "INSERT INTO chat_completion_metadata (completion, pair_hash, tenant, created_ns) VALUES " + values + " ON CONFLICT DO NOTHING"
	if _, err := c.Exec(ctx, q, b.storable(args)...); err != nil {
		return b.errorf("index chat completion metadata", err)
	}
	return nil
}

// eraseChatPairs erases, on c, the index rows of the completions ids.
func (b *Backend) eraseChatPairs(ctx context.Context, c Conn, ids []any) error {
	for start := 0; start < len(ids); start += b.d.MaxParams {
		chunk := ids[start:min(start+b.d.MaxParams, len(ids))]
		q := "DELETE FROM chat_completion_metadata WHERE completion IN (" + placeholders(b.d.Placeholder, 1, len(chunk)) + ")"
		if _, err := c.Exec(ctx, q, chunk...); err != nil {
			return b.errorf("erase chat completion metadata", err)
		}
	}
	return nil
}

// unindexedChat is a stored completion whose pairs are not indexed.
type unindexedChat struct {
	id, tenant string
	created    int64
	metadata   []byte
}

// indexChats indexes the pairs of every completion in scope not indexed
// yet, chatIndexBatch at a time (each batch committed: what an
// interrupted run indexed stays so), and returns how many it indexed.
// A completion whose metadata does not open is left unindexed: with
// strict, its error is returned; without, it is counted in unreadable.
// A completion saved, updated or deleted meanwhile is left as that write
// made it.
func (b *Backend) indexChats(ctx context.Context, scope store.Scope, strict bool) (indexed, unreadable int64, err error) {
	k := b.sealing()
	for after := ""; ; {
		rows, err := b.unindexedChats(ctx, scope, after)
		if err != nil || len(rows) == 0 {
			return indexed, unreadable, err
		}
		err = b.tx(ctx, "index chat completion metadata", func(c Conn) error {
			for _, r := range rows {
				plain, err := k.Open(r.metadata, chatPlace("metadata", r.tenant, r.id))
				if err != nil && strict {
					return b.unreadable("chat completion "+r.id+" metadata", err)
				}
				if err != nil {
					unreadable++
					continue
				}
				n, err := b.indexChat(ctx, c, k, r, plain)
				if err != nil {
					return err
				}
				indexed += n
			}
			return nil
		})
		if err != nil || len(rows) < chatIndexBatch {
			return indexed, unreadable, err
		}
		after = rows[len(rows)-1].id
	}
}

// indexChat marks r indexed and writes its pairs on c, unless it changed
// since it was read (then the write that changed it indexed it); it
// returns how many it indexed (0 or 1).
func (b *Backend) indexChat(ctx context.Context, c Conn, k *seal.Keys, r unindexedChat, plain []byte) (int64, error) {
	ph := b.d.Placeholder
	n, err := c.Exec(ctx, "UPDATE chat_completions SET metadata_indexed = TRUE WHERE id = "+ph(1)+
		" AND metadata_indexed = FALSE AND metadata = "+ph(2), r.id, r.metadata)
	if err != nil {
		return 0, b.errorf("index chat completion metadata", err)
	}
	if n == 0 {
		return 0, nil
	}
	return n, b.writeChatPairs(ctx, c, k, r.tenant, r.id, r.created, r.metadata, plain)
}

// unindexedChats returns the unindexed completions in scope after the
// id after, at most chatIndexBatch, in the order of their ids.
func (b *Backend) unindexedChats(ctx context.Context, scope store.Scope, after string) ([]unindexedChat, error) {
	q, args := b.unindexedChatSQL(scope, after)
	return collect(ctx, b, "index chat completion metadata", q, args, func(scan func(dest ...any) error) (unindexedChat, error) {
		var r unindexedChat
		if err := scan(&r.id, &r.tenant, &r.created, &r.metadata); err != nil {
			return r, b.errorf("index chat completion metadata", err)
		}
		return r, nil
	})
}

// unindexedChatSQL returns the statement of unindexedChats, which reads
// the partial index of the unindexed rows (empty once all are indexed),
// and its arguments.
func (b *Backend) unindexedChatSQL(scope store.Scope, after string) (string, []any) {
	w := query{ph: b.d.Placeholder}
	w.scope(scope)
	w.where("metadata_indexed = FALSE AND id > %s", after)
	return "SELECT id, tenant, created_ns, metadata FROM chat_completions" + w.clause() +
		" ORDER BY id LIMIT " + strconv.Itoa(chatIndexBatch), w.args
}

// ChatRowsRead returns how many stored chat completions the lists have
// read since the store opened (each read is opened too): what a metadata
// filter costs, for the tests and the benchmarks.
func (b *Backend) ChatRowsRead() int64 { return b.chatRowsRead.Load() }
