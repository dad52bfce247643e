package store

import (
	"context"
	"errors"
	"time"
)

// ErrFileNotFound: no stored file has that id in the scope, or it
// expired or was deleted (another tenant's is not found either).
var ErrFileNotFound = errors.New("store: file not found")

// File is one file of the Files API (docs/batches.md): the bytes a
// client uploaded (a batch's input), or a batch's output or error file
// the router wrote. The store seals Content at rest when it has keys
// (ContentSealer).
type File struct {
	// ID is the file's id (file-…).
	ID string
	// Tenant owns it; KeyName is the configured name of the key that
	// uploaded it (never the key).
	Tenant, KeyName string
	// Created is when it was stored; Expires is when it stops being
	// found.
	Created, Expires time.Time
	// Filename and Purpose are the client's (batch, user_data, …; a
	// batch's files are batch_output).
	Filename, Purpose string
	// Bytes is the length of Content.
	Bytes int64
	// MediaType is the media type of Content, sniffed by the API that
	// took the upload; "" when none was (a file stored before, or written
	// by the router): its name's extension then tells.
	MediaType string
	// Content is the file's bytes; nil when read by GetFile or
	// ListFiles, which leave it out (FileContent reads it).
	Content []byte
}

// FileQuery selects a page of stored files: those of Purpose ("" any),
// after the file After ("" from the first), oldest first or, with Desc,
// newest first, at most Limit (at least 1).
type FileQuery struct {
	Purpose string
	// NotPurpose, when set, leaves out the files of that purpose.
	NotPurpose string
	After      string
	Limit      int
	Desc       bool
}

// FilePage is a page of stored files (without their content); HasMore
// says whether more follow it.
type FilePage struct {
	Files   []*File
	HasMore bool
}

// FileLog keeps the stored files. Implementations are safe for
// concurrent use. A read or write never finds a file expired or deleted
// at its now, nor one of another tenant than the scope's.
type FileLog interface {
	// SaveFile stores f (its Bytes set from Content) and returns once any
	// process sharing the database can read it. An id already stored is
	// an error.
	SaveFile(ctx context.Context, f *File) error
	// GetFile returns the live file id in scope without its content, or
	// ErrFileNotFound.
	GetFile(ctx context.Context, scope Scope, id string, now time.Time) (*File, error)
	// FileContent returns the content of the live file id in scope, or
	// ErrFileNotFound.
	FileContent(ctx context.Context, scope Scope, id string, now time.Time) ([]byte, error)
	// ListFiles returns a page of the live files in scope, without their
	// content, ordered by Created then ID; ErrFileNotFound when q.After
	// names no live file in scope.
	ListFiles(ctx context.Context, scope Scope, q FileQuery, now time.Time) (FilePage, error)
	// DeleteFile erases the live file id in scope, or returns
	// ErrFileNotFound.
	DeleteFile(ctx context.Context, scope Scope, id string, now time.Time) error
	// DeleteExpiredFiles erases every file expired at now, of all
	// tenants, and returns how many it erased.
	DeleteExpiredFiles(ctx context.Context, now time.Time) (int64, error)
}
