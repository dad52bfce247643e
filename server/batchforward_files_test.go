package server

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/store"
	wireopenai "switchyard/wire/openai"
)

func callerOf(tenant string) context.Context {
	return gateway.WithCaller(context.Background(), gateway.Caller{Tenant: tenant, Name: "app"})
}

// A file of the caller's is read with its content when it fits, without
// it when it does not; another tenant's is not found.
func TestFileStoreRead(t *testing.T) {
	fs := newUploadsRig(t).files
	saved, err := fs.Save(callerOf("acme"), &store.File{ID: "file-a", Filename: "a.pdf", Purpose: "user_data", Content: []byte("%PDF-1.4 tiny")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := fs.Read(callerOf("acme"), saved.ID, 64)
	if err != nil || string(f.Content) != "%PDF-1.4 tiny" || f.Purpose != "user_data" || f.Filename != "a.pdf" {
		t.Fatalf("read: %+v, %v", f, err)
	}
	if f, err = fs.Read(callerOf("acme"), saved.ID, 4); err != nil || f.Content != nil || f.Bytes != 13 {
		t.Errorf("read past the bound: %+v, %v; want its size without its content", f, err)
	}
	if _, err = fs.Read(callerOf("globex"), saved.ID, 64); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("another tenant's: %v", err)
	}
	fs.now = func() time.Time { return saved.Expires.Add(time.Second) }
	if _, err = fs.Read(callerOf("acme"), saved.ID, 64); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("expired: %v, want not found (a request naming it passes the id on)", err)
	}
}

// A batch line naming a file the router holds for the batch's tenant, or
// an image by file id, runs on the router; one naming another tenant's
// file, or one the router never held, or none, may go to a provider
// batch.
func TestNamesHeldFile(t *testing.T) {
	fs := newUploadsRig(t).files
	if _, err := fs.Save(callerOf("acme"), &store.File{ID: "file-a", Filename: "a.pdf", Purpose: "user_data", Content: []byte("%PDF-1.4")}, 0); err != nil {
		t.Fatal(err)
	}
	chat := func(parts ...llm.Part) *llm.Request {
		return &llm.Request{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: append([]llm.Part{{Type: llm.PartText, Text: "hi"}}, parts...)}}}
	}
	byID := func(id string) llm.Part { return wireopenai.FilePart("", "", id) }
	for _, c := range []struct {
		name   string
		tenant string
		files  *fileStore
		req    *llm.Request
		want   bool
	}{
		{"held", "acme", fs, chat(byID("file-a")), true},
		{"held after one not held", "acme", fs, chat(byID("file-openai"), byID("file-a")), true},
		{"another tenant's", "globex", fs, chat(byID("file-a")), false},
		{"never held", "acme", fs, chat(byID("file-openai")), false},
		{"no file", "acme", fs, chat(), false},
		{"an image by id", "globex", fs, chat(wireopenai.ImageFilePart("file-x", "")), true},
		{"no files kept", "acme", nil, chat(byID("file-a")), false},
		{"no files kept, an image by id", "acme", nil, chat(wireopenai.ImageFilePart("file-x", "")), true},
	} {
		if got := namesHeldFile(callerOf(c.tenant), c.files, c.req); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
