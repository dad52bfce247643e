package store

import (
	"context"
	"errors"
	"time"
)

// The errors of an UploadLog.
var (
	// ErrUploadNotFound: no upload has that id in the scope (another
	// tenant's is not found either), or it was erased after it expired.
	ErrUploadNotFound = errors.New("store: upload not found")
	// ErrUploadClosed: the upload takes no more parts nor completion: it
	// was completed or cancelled, or it expired.
	ErrUploadClosed = errors.New("store: upload not pending")
	// ErrUploadFull: the part would take the total of the upload's parts
	// past its declared bytes.
	ErrUploadFull = errors.New("store: upload parts exceed its bytes")
)

// The statuses of a stored upload; one pending past its Expires is
// expired.
const (
	UploadPending   = "pending"
	UploadCompleted = "completed"
	UploadCancelled = "cancelled"
)

// Upload is one upload of the Uploads API (docs/batches.md): a file sent
// in parts, completed into a File.
type Upload struct {
	// ID is the upload's id (upload_…).
	ID string
	// Tenant owns it; KeyName is the configured name of the key that
	// created it (never the key).
	Tenant, KeyName string
	// Created is when it was created; Expires when it stops taking parts
	// and completion (and the retention run erases it).
	Created, Expires time.Time
	// Filename, Purpose and MimeType are the client's.
	Filename, Purpose, MimeType string
	// Bytes is the size the client declared; Received the total of the
	// parts added so far.
	Bytes, Received int64
	// Status is UploadPending, UploadCompleted or UploadCancelled.
	Status string
	// FileID is the completed upload's file; "" before.
	FileID string
	// FileExpiresAfter is the seconds the completed file lives
	// (expires_after); 0 means the configured retention.
	FileExpiresAfter int64
}

// UploadPart is one part of an upload: a chunk of its bytes.
type UploadPart struct {
	// ID is the part's id (part_…); UploadID its upload's.
	ID, UploadID string
	// Created is when it was added.
	Created time.Time
	// Bytes is the length of Content.
	Bytes int64
	// Content is the part's bytes; nil when read by UploadParts.
	Content []byte
}

// UploadLog keeps the uploads and their parts. Implementations are safe
// for concurrent use: parts added in parallel are all kept, and their
// total never passes the upload's Bytes. A read or write never finds an
// upload of another tenant than the scope's.
type UploadLog interface {
	// SaveUpload stores u, pending with nothing received. An id already
	// stored is an error.
	SaveUpload(ctx context.Context, u *Upload) error
	// GetUpload returns the upload id in scope, whatever its status, or
	// ErrUploadNotFound.
	GetUpload(ctx context.Context, scope Scope, id string) (*Upload, error)
	// AddUploadPart stores p (its Bytes set from Content) as a part of
	// the upload p.UploadID in scope, pending at now: ErrUploadNotFound,
	// ErrUploadClosed, or ErrUploadFull when it would pass the upload's
	// Bytes (nothing stored then).
	AddUploadPart(ctx context.Context, scope Scope, p *UploadPart, now time.Time) error
	// UploadParts returns the parts of the upload id in scope, without
	// their content, oldest first; none for an unknown upload.
	UploadParts(ctx context.Context, scope Scope, id string) ([]*UploadPart, error)
	// UploadPartContent returns the content of the part partID of the
	// upload id in scope, or ErrUploadNotFound.
	UploadPartContent(ctx context.Context, scope Scope, id, partID string) ([]byte, error)
	// CompleteUpload, in one transaction, marks the upload id in scope,
	// pending at now, completed into f, saves f (as FileLog.SaveFile),
	// and erases the upload's parts: ErrUploadNotFound or
	// ErrUploadClosed, nothing written then.
	CompleteUpload(ctx context.Context, scope Scope, id string, f *File, now time.Time) error
	// CancelUpload marks the upload id in scope, pending (or cancelled)
	// at now, cancelled, and erases its parts: ErrUploadNotFound, or
	// ErrUploadClosed when it was completed or expired.
	CancelUpload(ctx context.Context, scope Scope, id string, now time.Time) error
	// DeleteExpiredUploads erases every upload expired at now, of all
	// tenants, with its parts, and returns how many uploads it erased.
	DeleteExpiredUploads(ctx context.Context, now time.Time) (int64, error)
}
