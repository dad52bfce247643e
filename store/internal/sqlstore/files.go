package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds the statements of the Files API's files
// (store.FileLog): one row each, its content sealed at its place when
// the store has keys. A list is ordered by (created_ns, id) and never
// reads the content.

// fileColumns are the files table's columns that scanFile reads, in its
// order (the content apart).
const fileColumns = "id, tenant, key_name, created_ns, expires_ns, filename, purpose, bytes, media_type"

// filePlace is the place of a stored file's content.
func filePlace(tenant, id string) []byte {
	return seal.Place("files", "content", tenant, id)
}

// liveFile returns the condition of the live file id in scope.
func liveFile(s store.Scope, id string, now time.Time, ph Placeholder) (string, []any) {
	q := query{ph: ph}
	q.where("id = %s", id)
	q.scope(s)
	q.where("expires_ns > %s", now.UnixNano())
	return q.clause(), q.args
}

// scanFile reads a row of fileColumns.
func scanFile(scan func(dest ...any) error) (*store.File, error) {
	var (
		f                store.File
		created, expires int64
	)
	if err := scan(&f.ID, &f.Tenant, &f.KeyName, &created, &expires, &f.Filename, &f.Purpose, &f.Bytes, &f.MediaType); err != nil {
		return nil, err
	}
	f.Created, f.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return &f, nil
}

// SaveFile implements store.FileLog.
func (b *Backend) SaveFile(ctx context.Context, f *store.File) error {
	return b.saveFile(ctx, b.one, f)
}

// saveFile inserts f through c.
func (b *Backend) saveFile(ctx context.Context, c Conn, f *store.File) error {
	content := f.Content
	if content == nil {
		content = []byte{}
	}
	v := b.storable([]any{f.ID, f.Tenant, f.KeyName, f.Created.UnixNano(), f.Expires.UnixNano(), f.Filename, f.Purpose,
		int64(len(content)), f.MediaType, b.sealing().Seal(content, filePlace(f.Tenant, f.ID))})
	q := "INSERT INTO files (" + fileColumns + ", content) VALUES (" + placeholders(b.d.Placeholder, 1, len(v)) + ")"
	if _, err := c.Exec(ctx, q, v...); err != nil {
		return b.errorf("save file", err)
	}
	return nil
}

// GetFile implements store.FileLog.
func (b *Backend) GetFile(ctx context.Context, scope store.Scope, id string, now time.Time) (*store.File, error) {
	where, args := liveFile(scope, id, now, b.d.Placeholder)
	f, err := scanFile(b.read.QueryRow(ctx, "SELECT "+fileColumns+" FROM files"+where, args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrFileNotFound
	case err != nil:
		return nil, b.errorf("get file", err)
	}
	return f, nil
}

// FileContent implements store.FileLog.
func (b *Backend) FileContent(ctx context.Context, scope store.Scope, id string, now time.Time) ([]byte, error) {
	where, args := liveFile(scope, id, now, b.d.Placeholder)
	var (
		tenant  string
		content []byte
	)
	err := b.read.QueryRow(ctx, "SELECT tenant, content FROM files"+where, args...)(&tenant, &content)
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrFileNotFound
	case err != nil:
		return nil, b.errorf("read file content", err)
	}
	v, err := b.sealing().Open(content, filePlace(tenant, id))
	if err != nil {
		return nil, b.unreadable("file "+id+" content", err)
	}
	return v, nil
}

// DeleteFile implements store.FileLog.
func (b *Backend) DeleteFile(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	where, args := liveFile(scope, id, now, b.d.Placeholder)
	n, err := b.one.Exec(ctx, "DELETE FROM files"+where, args...)
	switch {
	case err != nil:
		return b.errorf("delete file", err)
	case n == 0:
		return store.ErrFileNotFound
	}
	return nil
}

// DeleteExpiredFiles implements store.FileLog.
func (b *Backend) DeleteExpiredFiles(ctx context.Context, now time.Time) (int64, error) {
	n, err := b.one.Exec(ctx, "DELETE FROM files WHERE expires_ns <= "+b.d.Placeholder(1), now.UnixNano())
	if err != nil {
		return 0, b.errorf("delete expired files", err)
	}
	return n, nil
}

// ListFiles implements store.FileLog: one more row than q.Limit tells
// whether more follow.
func (b *Backend) ListFiles(ctx context.Context, scope store.Scope, q store.FileQuery, now time.Time) (store.FilePage, error) {
	w := query{ph: b.d.Placeholder}
	w.scope(scope)
	w.where("expires_ns > %s", now.UnixNano())
	if q.Purpose != "" {
		w.where("purpose = %s", q.Purpose)
	}
	if q.NotPurpose != "" {
		w.where("purpose <> %s", q.NotPurpose)
	}
	order, cmp := "ASC", ">"
	if q.Desc {
		order, cmp = "DESC", "<"
	}
	if q.After != "" {
		cur, err := b.GetFile(ctx, scope, q.After, now)
		if err != nil {
			return store.FilePage{}, err
		}
		c := cur.Created.UnixNano()
		w.where("(created_ns "+cmp+" %s OR (created_ns = %s AND id "+cmp+" %s))", c, c, cur.ID)
	}
	sql := "SELECT " + fileColumns + " FROM files" + w.clause() +
		" ORDER BY created_ns " + order + ", id " + order + " LIMIT " + strconv.Itoa(q.Limit+1)
	rows, err := collect(ctx, b, "list files", sql, w.args, scanFile)
	if err != nil {
		return store.FilePage{}, err
	}
	if len(rows) > q.Limit {
		return store.FilePage{Files: rows[:q.Limit], HasMore: true}, nil
	}
	return store.FilePage{Files: rows}, nil
}
