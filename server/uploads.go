package server

import (
	"context"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/gateway"
	"switchyard/store"
)

// uploadStore keeps the Uploads API's uploads and their parts in the
// request store (store.UploadLog), each owned by the tenant and key of
// the request that created it, and completes them into the Files API's
// files (files): the same limits, retention and sealing.
type uploadStore struct {
	log   store.UploadLog
	files *fileStore
	now   func() time.Time
}

var _ apiopenai.UploadStore = (*uploadStore)(nil)

// uploadLifetime is how long an upload takes parts and completion
// (OpenAI's: an hour).
const uploadLifetime = time.Hour

// newUploadStore returns the upload store of st, nil when st keeps no
// uploads or there is no file store (files nil).
func newUploadStore(st store.Store, files *fileStore) *uploadStore {
	ul, ok := st.(store.UploadLog)
	if !ok || files == nil {
		return nil
	}
	return &uploadStore{log: ul, files: files, now: time.Now}
}

// uploadAPI is s as the API's upload store: nil (no uploads) when s is
// nil.
func uploadAPI(s *uploadStore) apiopenai.UploadStore {
	if s == nil {
		return nil
	}
	return s
}

// MaxBytes implements apiopenai.UploadStore.
func (s *uploadStore) MaxBytes() int64 { return s.files.MaxBytes() }

// Create implements apiopenai.UploadStore.
func (s *uploadStore) Create(ctx context.Context, u *store.Upload) (*store.Upload, error) {
	c := gateway.CallerFrom(ctx)
	kept := *u
	kept.Tenant, kept.KeyName = c.Tenant, c.Name
	kept.Created = s.now().UTC()
	kept.Expires = kept.Created.Add(uploadLifetime)
	kept.Status, kept.Received, kept.FileID = store.UploadPending, 0, ""
	if err := s.log.SaveUpload(ctx, &kept); err != nil {
		return nil, err
	}
	return &kept, nil
}

// Get implements apiopenai.UploadStore.
func (s *uploadStore) Get(ctx context.Context, id string) (*store.Upload, error) {
	return s.log.GetUpload(ctx, callerScope(ctx), id)
}

// AddPart implements apiopenai.UploadStore.
func (s *uploadStore) AddPart(ctx context.Context, p *store.UploadPart) error {
	now := s.now().UTC()
	p.Created, p.Bytes = now, int64(len(p.Content))
	return s.log.AddUploadPart(ctx, callerScope(ctx), p, now)
}

// Parts implements apiopenai.UploadStore.
func (s *uploadStore) Parts(ctx context.Context, id string) ([]*store.UploadPart, error) {
	return s.log.UploadParts(ctx, callerScope(ctx), id)
}

// PartContent implements apiopenai.UploadStore.
func (s *uploadStore) PartContent(ctx context.Context, id, partID string) ([]byte, error) {
	b, err := s.log.UploadPartContent(ctx, callerScope(ctx), id, partID)
	return b, s.files.content.check(ctx, err)
}

// Complete implements apiopenai.UploadStore.
func (s *uploadStore) Complete(ctx context.Context, u *store.Upload, f *store.File) (*store.File, error) {
	kept := s.files.owned(ctx, f, u.FileExpiresAfter)
	if err := s.log.CompleteUpload(ctx, callerScope(ctx), u.ID, kept, s.now()); err != nil {
		return nil, err
	}
	kept.Content = nil
	return kept, nil
}

// Cancel implements apiopenai.UploadStore.
func (s *uploadStore) Cancel(ctx context.Context, id string) error {
	return s.log.CancelUpload(ctx, callerScope(ctx), id, s.now())
}
