package sqlstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file holds the statements of the Uploads API's uploads
// (store.UploadLog): one row each in uploads, one per part in
// upload_parts, its content sealed at its place when the store has keys.
// A part is added by one conditional UPDATE of its upload's received
// total (the row locked until the part's INSERT commits, so that parts
// added in parallel never pass the upload's bytes), then the INSERT.

// uploadColumns are the uploads table's columns that scanUpload reads,
// in its order.
const uploadColumns = "id, tenant, key_name, created_ns, expires_ns, filename, purpose, mime_type, bytes, received, status, file_id, file_expires"

// partPlace is the place of a stored part's content: its tenant, upload
// and id, so that a part's content moved to another row does not open.
func partPlace(tenant, uploadID, id string) []byte {
	return seal.Place("upload_parts", "content", tenant, uploadID, id)
}

// scanUpload reads a row of uploadColumns.
func scanUpload(scan func(dest ...any) error) (*store.Upload, error) {
	var (
		u                store.Upload
		created, expires int64
	)
	if err := scan(&u.ID, &u.Tenant, &u.KeyName, &created, &expires, &u.Filename, &u.Purpose, &u.MimeType,
		&u.Bytes, &u.Received, &u.Status, &u.FileID, &u.FileExpiresAfter); err != nil {
		return nil, err
	}
	u.Created, u.Expires = time.Unix(0, created).UTC(), time.Unix(0, expires).UTC()
	return &u, nil
}

// SaveUpload implements store.UploadLog.
func (b *Backend) SaveUpload(ctx context.Context, u *store.Upload) error {
	v := b.storable([]any{u.ID, u.Tenant, u.KeyName, u.Created.UnixNano(), u.Expires.UnixNano(), u.Filename, u.Purpose, u.MimeType,
		u.Bytes, int64(0), store.UploadPending, "", u.FileExpiresAfter})
	q := "INSERT INTO uploads (" + uploadColumns + ") VALUES (" + placeholders(b.d.Placeholder, 1, len(v)) + ")"
	if _, err := b.one.Exec(ctx, q, v...); err != nil {
		return b.errorf("save upload", err)
	}
	return nil
}

// GetUpload implements store.UploadLog.
func (b *Backend) GetUpload(ctx context.Context, scope store.Scope, id string) (*store.Upload, error) {
	return b.getUpload(ctx, b.read, scope, id)
}

// getUpload reads the upload id in scope through c.
func (b *Backend) getUpload(ctx context.Context, c Conn, scope store.Scope, id string) (*store.Upload, error) {
	q := query{ph: b.d.Placeholder}
	q.where("id = %s", id)
	q.scope(scope)
	u, err := scanUpload(c.QueryRow(ctx, "SELECT "+uploadColumns+" FROM uploads"+q.clause(), q.args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrUploadNotFound
	case err != nil:
		return nil, b.errorf("get upload", err)
	}
	return u, nil
}

// closedWhy returns why a conditional write of the upload id in scope
// changed no row: it is not found, or not open at now (closed), or, for
// a part of n bytes, full.
func (b *Backend) closedWhy(ctx context.Context, c Conn, scope store.Scope, id string, n int64, now time.Time) error {
	u, err := b.getUpload(ctx, c, scope, id)
	switch {
	case err != nil:
		return err
	case u.Status != store.UploadPending || !now.Before(u.Expires):
		return store.ErrUploadClosed
	case u.Received+n > u.Bytes:
		return store.ErrUploadFull
	}
	return errors.New(b.d.Name + ": the upload changed while it was written; try again")
}

// pendingUpload returns the condition of the upload id in scope, pending
// at now.
func pendingUpload(ph Placeholder, scope store.Scope, id string, now time.Time) query {
	q := query{ph: ph}
	q.where("id = %s", id)
	q.scope(scope)
	q.where("status = %s", store.UploadPending)
	q.where("expires_ns > %s", now.UnixNano())
	return q
}

// AddUploadPart implements store.UploadLog.
func (b *Backend) AddUploadPart(ctx context.Context, scope store.Scope, p *store.UploadPart, now time.Time) error {
	content := p.Content
	if content == nil {
		content = []byte{}
	}
	n := int64(len(content))
	return b.tx(ctx, "add upload part", func(c Conn) error {
		w := query{ph: b.d.Placeholder}
		w.args = []any{n}
		w.where("id = %s", p.UploadID)
		w.scope(scope)
		w.where("status = %s", store.UploadPending)
		w.where("expires_ns > %s", now.UnixNano())
		w.where("received + %s <= bytes", n)
		changed, err := c.Exec(ctx, "UPDATE uploads SET received = received + "+b.d.Placeholder(1)+w.clause(), w.args...)
		if err != nil {
			return b.errorf("add upload part", err)
		}
		if changed == 0 {
			return b.closedWhy(ctx, c, scope, p.UploadID, n, now)
		}
		u, err := b.getUpload(ctx, c, scope, p.UploadID)
		if err != nil {
			return err
		}
		v := b.storable([]any{p.ID, p.UploadID, u.Tenant, p.Created.UnixNano(), n, b.sealing().Seal(content, partPlace(u.Tenant, p.UploadID, p.ID))})
		q := "INSERT INTO upload_parts (id, upload_id, tenant, created_ns, bytes, content) VALUES (" + placeholders(b.d.Placeholder, 1, len(v)) + ")"
		if _, err := c.Exec(ctx, q, v...); err != nil {
			return b.errorf("add upload part", err)
		}
		return nil
	})
}

// UploadParts implements store.UploadLog.
func (b *Backend) UploadParts(ctx context.Context, scope store.Scope, id string) ([]*store.UploadPart, error) {
	q := query{ph: b.d.Placeholder}
	q.where("upload_id = %s", id)
	q.scope(scope)
	return collect(ctx, b, "list upload parts", "SELECT id, upload_id, created_ns, bytes FROM upload_parts"+q.clause()+" ORDER BY created_ns, id", q.args,
		func(scan func(dest ...any) error) (*store.UploadPart, error) {
			var (
				p       store.UploadPart
				created int64
			)
			if err := scan(&p.ID, &p.UploadID, &created, &p.Bytes); err != nil {
				return nil, err
			}
			p.Created = time.Unix(0, created).UTC()
			return &p, nil
		})
}

// UploadPartContent implements store.UploadLog.
func (b *Backend) UploadPartContent(ctx context.Context, scope store.Scope, id, partID string) ([]byte, error) {
	q := query{ph: b.d.Placeholder}
	q.where("id = %s", partID)
	q.where("upload_id = %s", id)
	q.scope(scope)
	var (
		tenant  string
		content []byte
	)
	err := b.read.QueryRow(ctx, "SELECT tenant, content FROM upload_parts"+q.clause(), q.args...)(&tenant, &content)
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, store.ErrUploadNotFound
	case err != nil:
		return nil, b.errorf("read upload part", err)
	}
	v, err := b.sealing().Open(content, partPlace(tenant, id, partID))
	if err != nil {
		return nil, b.unreadable("upload part "+partID+" content", err)
	}
	return v, nil
}

// CompleteUpload implements store.UploadLog.
func (b *Backend) CompleteUpload(ctx context.Context, scope store.Scope, id string, f *store.File, now time.Time) error {
	return b.tx(ctx, "complete upload", func(c Conn) error {
		w := pendingUpload(func(i int) string { return b.d.Placeholder(i + 2) }, scope, id, now)
		args := append([]any{store.UploadCompleted, f.ID}, w.args...)
		changed, err := c.Exec(ctx, "UPDATE uploads SET status = "+b.d.Placeholder(1)+", file_id = "+b.d.Placeholder(2)+w.clause(), args...)
		if err != nil {
			return b.errorf("complete upload", err)
		}
		if changed == 0 {
			return b.closedWhy(ctx, c, scope, id, 0, now)
		}
		if err := b.saveFile(ctx, c, f); err != nil {
			return err
		}
		if _, err := c.Exec(ctx, "DELETE FROM upload_parts WHERE upload_id = "+b.d.Placeholder(1), id); err != nil {
			return b.errorf("complete upload", err)
		}
		return nil
	})
}

// CancelUpload implements store.UploadLog.
func (b *Backend) CancelUpload(ctx context.Context, scope store.Scope, id string, now time.Time) error {
	return b.tx(ctx, "cancel upload", func(c Conn) error {
		w := query{ph: func(i int) string { return b.d.Placeholder(i + 1) }}
		w.where("id = %s", id)
		w.scope(scope)
		w.where("status IN (%s, %s)", store.UploadPending, store.UploadCancelled)
		w.where("expires_ns > %s", now.UnixNano())
		args := append([]any{store.UploadCancelled}, w.args...)
		changed, err := c.Exec(ctx, "UPDATE uploads SET status = "+b.d.Placeholder(1)+w.clause(), args...)
		if err != nil {
			return b.errorf("cancel upload", err)
		}
		if changed == 0 {
			if _, err := b.getUpload(ctx, c, scope, id); err != nil {
				return err
			}
			return store.ErrUploadClosed
		}
		if _, err := c.Exec(ctx, "DELETE FROM upload_parts WHERE upload_id = "+b.d.Placeholder(1), id); err != nil {
			return b.errorf("cancel upload", err)
		}
		return nil
	})
}

// DeleteExpiredUploads implements store.UploadLog: the parts first, then
// the uploads, in one transaction.
func (b *Backend) DeleteExpiredUploads(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := b.tx(ctx, "delete expired uploads", func(c Conn) error {
		ph := b.d.Placeholder(1)
		if _, err := c.Exec(ctx, "DELETE FROM upload_parts WHERE upload_id IN (SELECT id FROM uploads WHERE expires_ns <= "+ph+")", now.UnixNano()); err != nil {
			return b.errorf("delete expired upload parts", err)
		}
		var err error
		if n, err = c.Exec(ctx, "DELETE FROM uploads WHERE expires_ns <= "+ph, now.UnixNano()); err != nil {
			return b.errorf("delete expired uploads", err)
		}
		return nil
	})
	return n, err
}

// partValues returns, for ResealContent, the content of the uploads'
// parts after the id after, and the last id read ("" at the end): as
// few at a time as files, a part holding up to 64 MB.
func (b *Backend) partValues(ctx context.Context, after string) ([]resealValue, string, error) {
	ph := b.d.Placeholder
	q := "SELECT id, upload_id, tenant, content FROM upload_parts WHERE id > " + ph(1) + " ORDER BY id LIMIT " + strconv.Itoa(fileResealBatch)
	var out []resealValue
	last, rows := "", 0
	err := b.each(ctx, "reencrypt upload parts", q, []any{after}, func(r Rows) error {
		var id, upload, tenant string
		var content []byte
		if err := r.Scan(&id, &upload, &tenant, &content); err != nil {
			return b.errorf("reencrypt upload parts", err)
		}
		out = append(out, resealValue{place: partPlace(tenant, upload, id), old: content, keys: []any{id},
			update: "UPDATE upload_parts SET content = " + ph(1) + " WHERE content = " + ph(2) + " AND id = " + ph(3)})
		last, rows = id, rows+1
		return nil
	})
	if rows < fileResealBatch {
		last = ""
	}
	return out, last, err
}
