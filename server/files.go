package server

import (
	"context"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
)

// fileStore keeps the Files API's files in the request store
// (store.FileLog), each owned by the tenant and key of the request that
// uploaded it (the caller in ctx), as the batches section says (limits,
// retention). responses.encryption seals them; responses.redact does not
// mask them (a masked batch input could not run; docs/batches.md).
type fileStore struct {
	log     store.FileLog
	cfg     func() *config.Config
	now     func() time.Time
	content *storedContent
}

var _ apiopenai.FileStore = (*fileStore)(nil)

// newFileStore returns the file store of st, nil when st keeps none or
// the batches section turns the Files API off.
func newFileStore(st store.Store, cfg *config.Config, serving func() *config.Config, content *storedContent) *fileStore {
	fl, ok := st.(store.FileLog)
	if !ok || !cfg.Batches.On() {
		return nil
	}
	return &fileStore{log: fl, cfg: serving, now: time.Now, content: content}
}

// fileAPI is s as the API's file store: nil (no files) when s is nil.
func fileAPI(s *fileStore) apiopenai.FileStore {
	if s == nil {
		return nil
	}
	return s
}

// MaxBytes implements apiopenai.FileStore.
func (s *fileStore) MaxBytes() int64 { return s.cfg().Batches.MaxFileBytes }

// Save implements apiopenai.FileStore.
func (s *fileStore) Save(ctx context.Context, f *store.File, expiresAfter int64) (*store.File, error) {
	kept := s.owned(ctx, f, expiresAfter)
	if err := s.log.SaveFile(ctx, kept); err != nil {
		return nil, err
	}
	kept.Content = nil
	return kept, nil
}

// owned returns a copy of f owned by the caller of ctx, created now and
// expiring expiresAfter seconds later (0: after the retention).
func (s *fileStore) owned(ctx context.Context, f *store.File, expiresAfter int64) *store.File {
	c := gateway.CallerFrom(ctx)
	kept := *f
	kept.Tenant, kept.KeyName = c.Tenant, c.Name
	kept.Created = s.now().UTC()
	kept.Expires = kept.Created.Add(s.cfg().Batches.Retention)
	if expiresAfter > 0 {
		kept.Expires = kept.Created.Add(time.Duration(expiresAfter) * time.Second)
	}
	kept.Bytes = int64(len(kept.Content))
	return &kept
}

// Get implements apiopenai.FileStore.
func (s *fileStore) Get(ctx context.Context, id string) (*store.File, error) {
	f, err := s.log.GetFile(ctx, callerScope(ctx), id, s.now())
	if err == nil && f.Purpose == messageBatchInput {
		return nil, store.ErrFileNotFound
	}
	return f, err
}

// messageBatchInput is the purpose of a Message Batch's input file: the
// router's own, which the Files API never shows (msgbatches.go).
const messageBatchInput = "message_batch"

// Content implements apiopenai.FileStore.
func (s *fileStore) Content(ctx context.Context, id string) ([]byte, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	b, err := s.log.FileContent(ctx, callerScope(ctx), id, s.now())
	return b, s.content.check(ctx, err)
}

// Read implements apiopenai.FileStore: the file's row, then its content
// when it is at most maxBytes long.
func (s *fileStore) Read(ctx context.Context, id string, maxBytes int64) (*store.File, error) {
	f, err := s.Get(ctx, id)
	if err != nil || f.Bytes > maxBytes {
		return f, err
	}
	b, err := s.log.FileContent(ctx, callerScope(ctx), id, s.now())
	if err = s.content.check(ctx, err); err != nil {
		return nil, err
	}
	f.Content = b
	return f, nil
}

// List implements apiopenai.FileStore.
func (s *fileStore) List(ctx context.Context, q store.FileQuery) (store.FilePage, error) {
	q.NotPurpose = messageBatchInput
	return s.log.ListFiles(ctx, callerScope(ctx), q, s.now())
}

// Delete implements apiopenai.FileStore.
func (s *fileStore) Delete(ctx context.Context, id string) error {
	if _, err := s.Get(ctx, id); err != nil {
		return err
	}
	return s.log.DeleteFile(ctx, callerScope(ctx), id, s.now())
}
