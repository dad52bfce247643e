package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file rewrites the stored content under the current keys
// (store.ContentSealer's ResealContent, `switchyard responses
// reencrypt`): after a rotation, the values sealed under a previous key
// are sealed anew under the current one; after encryption is turned on,
// the clear values are sealed; with no current key, the sealed values are
// written clear. It reads a batch of rows at a time, in the order of
// their keys, and rewrites each value in a transaction only if it is
// still the value read (a save or delete meanwhile wins).

// resealBatch is how many rows are read, and rewritten in one
// transaction, at a time.
const resealBatch = 200

// resealValue is one stored value, at its place: the statement that
// replaces it (its new value, then its old one, then the row's keys as
// arguments) and those keys.
type resealValue struct {
	place  []byte
	old    []byte
	update string
	keys   []any
	// rewritten, when set, runs in the transaction once the value is
	// rewritten, sealed as sealed (a chat completion's metadata: its
	// index follows it).
	rewritten func(ctx context.Context, c Conn, k *seal.Keys, sealed, plain []byte) error
}

// ResealContent implements store.ContentSealer.
func (b *Backend) ResealContent(ctx context.Context) (store.ResealCounts, error) {
	var n store.ResealCounts
	k := b.sealing()
	for _, scan := range []func(context.Context, string) ([]resealValue, string, error){b.responseValues, b.conversationValues, b.eventValues, b.chatValues, b.fileValues, b.partValues, b.batchValues, b.batchLineValues} {
		for after := ""; ; {
			values, last, err := scan(ctx, after)
			if err != nil {
				return n, err
			}
			if err := b.reseal(ctx, k, values, &n); err != nil {
				return n, err
			}
			if last == "" {
				break
			}
			after = last
		}
	}
	// The request log's rows of batch lines from before migration 25
	// whose results are sealed (the clear ones are migration 26's).
	if err := b.backfillSealedLines(ctx, k); err != nil {
		return n, err
	}
	// The chat completions stored before their metadata's index: indexed
	// under the key their metadata is sealed under (now the current one).
	_, _, err := b.indexChats(ctx, store.AllTenants(), false)
	return n, err
}

// stale reports whether v is not as k writes values: clear or under
// another key when k seals, sealed when it does not. Empty values (a
// deleted response's object) hold nothing and are left.
func stale(k *seal.Keys, v []byte) bool {
	if len(v) == 0 {
		return false
	}
	if !k.Sealing() {
		return seal.Sealed(v)
	}
	id, ok := seal.Header(v)
	return !ok || id != k.Current()
}

// reseal rewrites the stale values among values in one transaction,
// counting them in n (those that do not open as unreadable).
func (b *Backend) reseal(ctx context.Context, k *seal.Keys, values []resealValue, n *store.ResealCounts) error {
	var todo []resealValue
	for _, v := range values {
		if stale(k, v.old) {
			todo = append(todo, v)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	return b.tx(ctx, "reencrypt", func(c Conn) error {
		for _, v := range todo {
			plain, err := k.Open(v.old, v.place)
			if err != nil {
				n.Unreadable++
				continue
			}
			sealed := k.Seal(plain, v.place)
			done, err := c.Exec(ctx, v.update, append([]any{sealed, v.old}, v.keys...)...)
			if err != nil {
				return b.errorf("reencrypt", err)
			}
			n.Rewritten += done
			if done > 0 && v.rewritten != nil {
				if err := v.rewritten(ctx, c, k, sealed, plain); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// responseValues returns the content values of the responses after the
// id after, and the last id read ("" at the end).
func (b *Backend) responseValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	q := "SELECT id, tenant, object, input, output FROM responses WHERE id > " + ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(resealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt responses", q, []any{after}, func(r Rows) error {
		var id, tenant string
		var cols [3][]byte
		if err := r.Scan(&id, &tenant, &cols[0], &cols[1], &cols[2]); err != nil {
			return b.errorf("reencrypt responses", err)
		}
		for i, name := range []string{"object", "input", "output"} {
			out = append(out, resealValue{place: responsePlace(name, tenant, id), old: cols[i], keys: []any{id},
				update: "UPDATE responses SET " + name + " = " + ph(1) + " WHERE " + name + " = " + ph(2) + " AND id = " + ph(3)})
		}
		last, rows = id, rows+1
		return nil
	})
	return out, more(last, rows), err
}

// conversationValues returns the metadata and the items of the
// conversations after the id after, and the last id read ("" at the
// end).
func (b *Backend) conversationValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	q := "SELECT id, tenant, metadata FROM conversations WHERE id > " + ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(resealBatch)
	var (
		out     []resealValue
		ids     []any
		tenants = map[string]string{}
	)
	err := b.each(ctx, "reencrypt conversations", q, []any{after}, func(r Rows) error {
		var id, tenant string
		var md []byte
		if err := r.Scan(&id, &tenant, &md); err != nil {
			return b.errorf("reencrypt conversations", err)
		}
		out = append(out, resealValue{place: metadataPlace(tenant, id), old: md, keys: []any{id},
			update: "UPDATE conversations SET metadata = " + ph(1) + " WHERE metadata = " + ph(2) + " AND id = " + ph(3)})
		ids, tenants[id] = append(ids, id), tenant
		return nil
	})
	if err != nil || len(ids) == 0 {
		return out, "", err
	}
	q = "SELECT conversation, id, item FROM conversation_items WHERE conversation IN (" + placeholders(ph, 1, len(ids)) + ")"
	err = b.each(ctx, "reencrypt conversation items", q, ids, func(r Rows) error {
		var conv, id string
		var item []byte
		if err := r.Scan(&conv, &id, &item); err != nil {
			return b.errorf("reencrypt conversation items", err)
		}
		out = append(out, resealValue{place: itemPlace(tenants[conv], conv, id), old: item, keys: []any{conv, id},
			update: "UPDATE conversation_items SET item = " + ph(1) + " WHERE item = " + ph(2) + " AND conversation = " + ph(3) + " AND id = " + ph(4)})
		return nil
	})
	return out, more(ids[len(ids)-1].(string), len(ids)), err
}

// more returns last when a full batch was read (more may follow), ""
// otherwise.
func more(last string, rows int) string {
	if rows < resealBatch {
		return ""
	}
	return last
}

// eventValues returns the batches of events of the background responses
// after the key after ("response first_seq", "" first), and the key of
// the last one read ("" at the end).
func (b *Backend) eventValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	id, first := "", int64(-1)
	if at := strings.LastIndexByte(after, ' '); at >= 0 {
		id = after[:at]
		first, _ = strconv.ParseInt(after[at+1:], 10, 64) // written below
	}
	q := "SELECT e.response, e.first_seq, r.tenant, e.data FROM response_events e JOIN responses r ON r.id = e.response" +
		" WHERE e.response > " + ph(1) + " OR (e.response = " + ph(2) + " AND e.first_seq > " + ph(3) + ")" +
		" ORDER BY e.response, e.first_seq LIMIT " + strconv.Itoa(resealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt response events", q, []any{id, id, first}, func(r Rows) error {
		var resp, tenant string
		var seq int64
		var data []byte
		if err := r.Scan(&resp, &seq, &tenant, &data); err != nil {
			return b.errorf("reencrypt response events", err)
		}
		out = append(out, resealValue{place: eventPlace(tenant, resp, seq), old: data, keys: []any{resp, seq},
			update: "UPDATE response_events SET data = " + ph(1) + " WHERE data = " + ph(2) + " AND response = " + ph(3) + " AND first_seq = " + ph(4)})
		last, rows = resp+" "+strconv.FormatInt(seq, 10), rows+1
		return nil
	})
	return out, more(last, rows), err
}

// chatValues returns the content values of the stored chat completions
// after the id after, and the last id read ("" at the end). The metadata
// rewritten, its index is rewritten under the same key, in the same
// transaction.
func (b *Backend) chatValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	q := "SELECT id, tenant, created_ns, object, messages, metadata FROM chat_completions WHERE id > " + ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(resealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt chat completions", q, []any{after}, func(r Rows) error {
		var id, tenant string
		var created int64
		var cols [3][]byte
		if err := r.Scan(&id, &tenant, &created, &cols[0], &cols[1], &cols[2]); err != nil {
			return b.errorf("reencrypt chat completions", err)
		}
		for i, name := range []string{"object", "messages", "metadata"} {
			out = append(out, resealValue{place: chatPlace(name, tenant, id), old: cols[i], keys: []any{id},
				update: "UPDATE chat_completions SET " + name + " = " + ph(1) + " WHERE " + name + " = " + ph(2) + " AND id = " + ph(3)})
		}
		md := &out[len(out)-1]
		md.update = "UPDATE chat_completions SET metadata = " + ph(1) + ", metadata_indexed = TRUE WHERE metadata = " + ph(2) + " AND id = " + ph(3)
		md.rewritten = func(ctx context.Context, c Conn, k *seal.Keys, sealed, plain []byte) error {
			return b.writeChatPairs(ctx, c, k, tenant, id, created, sealed, plain)
		}
		last, rows = id, rows+1
		return nil
	})
	return out, more(last, rows), err
}

// fileResealBatch is how many files one read of fileValues holds: their
// content may be large.
const fileResealBatch = 8

// fileValues returns the content of the Files API's files after the id
// after, and the last id read ("" at the end).
func (b *Backend) fileValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	q := "SELECT id, tenant, content FROM files WHERE id > " + ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(fileResealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt files", q, []any{after}, func(r Rows) error {
		var id, tenant string
		var content []byte
		if err := r.Scan(&id, &tenant, &content); err != nil {
			return b.errorf("reencrypt files", err)
		}
		out = append(out, resealValue{place: filePlace(tenant, id), old: content, keys: []any{id},
			update: "UPDATE files SET content = " + ph(1) + " WHERE content = " + ph(2) + " AND id = " + ph(3)})
		last, rows = id, rows+1
		return nil
	})
	return out, func() string {
		if rows < fileResealBatch {
			return ""
		}
		return last
	}(), err
}

// batchValues returns the objects of the batches after the id after, and
// the last id read ("" at the end).
func (b *Backend) batchValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	q := "SELECT id, tenant, object FROM batches WHERE id > " + ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(resealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt batches", q, []any{after}, func(r Rows) error {
		var id, tenant string
		var object []byte
		if err := r.Scan(&id, &tenant, &object); err != nil {
			return b.errorf("reencrypt batches", err)
		}
		out = append(out, resealValue{place: batchPlace(tenant, id), old: object, keys: []any{id},
			update: "UPDATE batches SET object = " + ph(1) + " WHERE object = " + ph(2) + " AND id = " + ph(3)})
		last, rows = id, rows+1
		return nil
	})
	return out, more(last, rows), err
}

// batchLineValues returns the results of the batches' lines after the
// key after ("batch line", "" first), and the key of the last read ("" at
// the end); each is sealed at its batch's tenant.
func (b *Backend) batchLineValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	batch, line := "", int64(-1)
	if after != "" {
		i := strings.LastIndexByte(after, ' ')
		batch = after[:i]
		line, _ = strconv.ParseInt(after[i+1:], 10, 64)
	}
	q := "SELECT l.batch, l.line, b.tenant, l.data FROM batch_lines l JOIN batches b ON b.id = l.batch" +
		" WHERE l.batch > " + ph(1) + " OR (l.batch = " + ph(2) + " AND l.line > " + ph(3) + ") ORDER BY l.batch, l.line LIMIT " + strconv.Itoa(resealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt batch lines", q, []any{batch, batch, line}, func(r Rows) error {
		var id, tenant string
		var n int64
		var data []byte
		if err := r.Scan(&id, &n, &tenant, &data); err != nil {
			return b.errorf("reencrypt batch lines", err)
		}
		out = append(out, resealValue{place: linePlace(tenant, id, int(n)), old: data, keys: []any{id, n},
			update: "UPDATE batch_lines SET data = " + ph(1) + " WHERE data = " + ph(2) + " AND batch = " + ph(3) + " AND line = " + ph(4)})
		last, rows = id+" "+strconv.FormatInt(n, 10), rows+1
		return nil
	})
	return out, more(last, rows), err
}
