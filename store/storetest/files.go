package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the Files API's files (store.FileLog): a file saved
// and read as it was (its content apart), listed in order by purpose and
// pages, deleted, within its tenant, erased once expired.

// fileLog returns s's files, failing t when s keeps none.
func fileLog(t *testing.T, s store.Store) store.FileLog {
	t.Helper()
	return logOf[store.FileLog](t, s, "files")
}

// sampleFile is a file of tenant and purpose created at Base plus i
// seconds, living a day.
func sampleFile(id, tenant, purpose string, i int) *store.File {
	created := Base.Add(time.Duration(i) * time.Second)
	content := []byte(`{"custom_id":"` + id + `","body":"caf\u00e9 \u0000"}` + "\n")
	return &store.File{ID: id, Tenant: tenant, KeyName: "app", Created: created, Expires: created.Add(day),
		Filename: id + ".jsonl", Purpose: purpose, Bytes: int64(len(content)), MediaType: "text/plain", Content: content}
}

// saveFiles saves fs, failing t on an error.
func saveFiles(t *testing.T, fl store.FileLog, fs ...*store.File) {
	t.Helper()
	for _, f := range fs {
		if err := fl.SaveFile(context.Background(), f); err != nil {
			t.Fatalf("SaveFile(%s): %v", f.ID, err)
		}
	}
}

// fileIDs returns the ids of a page.
func fileIDs(p store.FilePage) []string {
	out := make([]string, len(p.Files))
	for i, f := range p.Files {
		out[i] = f.ID
	}
	return out
}

func testFilesRoundTrip(t *testing.T, s store.Store) {
	fl, ctx := fileLog(t, s), context.Background()
	want := sampleFile("file-1", "acme", "batch", 0)
	saveFiles(t, fl, want)
	got, err := fl.GetFile(ctx, store.TenantScope("acme"), want.ID, Base)
	if err != nil {
		t.Fatalf("GetFile: %v", err)
	}
	meta := *want
	meta.Content = nil
	if fmt.Sprint(*got) != fmt.Sprint(meta) {
		t.Errorf("GetFile = %+v\nwant %+v", *got, meta)
	}
	content, err := fl.FileContent(ctx, store.TenantScope("acme"), want.ID, Base)
	if err != nil || !bytes.Equal(content, want.Content) {
		t.Errorf("FileContent = %q, %v; want %q", content, err, want.Content)
	}
	if err := fl.SaveFile(ctx, sampleFile("file-1", "acme", "batch", 1)); err == nil {
		t.Error("SaveFile of an id already stored: no error")
	}
	empty := &store.File{ID: "file-empty", Tenant: "acme", Created: Base, Expires: Base.Add(day), Purpose: "batch"}
	saveFiles(t, fl, empty)
	if c, err := fl.FileContent(ctx, store.TenantScope("acme"), empty.ID, Base); err != nil || len(c) != 0 {
		t.Errorf("FileContent of an empty file = %q, %v; want empty", c, err)
	}
	if err := fl.DeleteFile(ctx, store.TenantScope("acme"), want.ID, Base); err != nil {
		t.Fatalf("DeleteFile: %v", err)
	}
	if _, err := fl.GetFile(ctx, store.TenantScope("acme"), want.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("after delete, GetFile err = %v; want ErrFileNotFound", err)
	}
	if _, err := fl.FileContent(ctx, store.TenantScope("acme"), want.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("after delete, FileContent err = %v; want ErrFileNotFound", err)
	}
	if err := fl.DeleteFile(ctx, store.TenantScope("acme"), want.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("second DeleteFile err = %v; want ErrFileNotFound", err)
	}
}

func testFilesScope(t *testing.T, s store.Store) {
	fl, ctx := fileLog(t, s), context.Background()
	f := sampleFile("file-a", "acme", "batch", 0)
	saveFiles(t, fl, f)
	other := store.TenantScope("globex")
	if _, err := fl.GetFile(ctx, other, f.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("another tenant's GetFile err = %v; want ErrFileNotFound", err)
	}
	if _, err := fl.FileContent(ctx, other, f.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("another tenant's FileContent err = %v; want ErrFileNotFound", err)
	}
	if err := fl.DeleteFile(ctx, other, f.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("another tenant's DeleteFile err = %v; want ErrFileNotFound", err)
	}
	if p, err := fl.ListFiles(ctx, other, store.FileQuery{Limit: 10}, Base); err != nil || len(p.Files) != 0 {
		t.Errorf("another tenant's ListFiles = %v, %v; want none", fileIDs(p), err)
	}
	if _, err := fl.ListFiles(ctx, other, store.FileQuery{After: f.ID, Limit: 10}, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("another tenant's ListFiles after its id err = %v; want ErrFileNotFound", err)
	}
	if _, err := fl.GetFile(ctx, store.AllTenants(), f.ID, Base); err != nil {
		t.Errorf("every tenant's GetFile: %v", err)
	}
}

func testFilesList(t *testing.T, s store.Store) {
	fl, ctx := fileLog(t, s), context.Background()
	saveFiles(t, fl,
		sampleFile("file-3", "acme", "batch", 3),
		sampleFile("file-1", "acme", "batch", 1),
		sampleFile("file-2b", "acme", "batch_output", 2),
		sampleFile("file-2a", "acme", "batch", 2),
		sampleFile("file-9", "globex", "batch", 0))
	acme := store.TenantScope("acme")
	for _, tt := range []struct {
		name string
		q    store.FileQuery
		want []string
		more bool
	}{
		{"all", store.FileQuery{Limit: 20}, []string{"file-1", "file-2a", "file-2b", "file-3"}, false},
		{"desc", store.FileQuery{Limit: 20, Desc: true}, []string{"file-3", "file-2b", "file-2a", "file-1"}, false},
		{"page", store.FileQuery{Limit: 2}, []string{"file-1", "file-2a"}, true},
		{"after", store.FileQuery{Limit: 2, After: "file-2a"}, []string{"file-2b", "file-3"}, false},
		{"desc after", store.FileQuery{Limit: 1, After: "file-2b", Desc: true}, []string{"file-2a"}, true},
		{"purpose", store.FileQuery{Limit: 20, Purpose: "batch"}, []string{"file-1", "file-2a", "file-3"}, false},
		{"not purpose", store.FileQuery{Limit: 20, NotPurpose: "batch"}, []string{"file-2b"}, false},
		{"not purpose, page", store.FileQuery{Limit: 1, NotPurpose: "batch_output"}, []string{"file-1"}, true},
	} {
		p, err := fl.ListFiles(ctx, acme, tt.q, Base)
		if err != nil || !slices.Equal(fileIDs(p), tt.want) || p.HasMore != tt.more {
			t.Errorf("%s: ListFiles = %v more %v, %v; want %v more %v", tt.name, fileIDs(p), p.HasMore, err, tt.want, tt.more)
		}
		for _, f := range p.Files {
			if f.Content != nil || f.Bytes == 0 {
				t.Errorf("%s: listed file %s has content %q, bytes %d; want no content, its length", tt.name, f.ID, f.Content, f.Bytes)
			}
		}
	}
	if _, err := fl.ListFiles(ctx, acme, store.FileQuery{After: "file-nope", Limit: 2}, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("ListFiles after an unknown id err = %v; want ErrFileNotFound", err)
	}
}

func testFilesExpiry(t *testing.T, s store.Store) {
	fl, ctx := fileLog(t, s), context.Background()
	old, young := sampleFile("file-old", "acme", "batch", 0), sampleFile("file-young", "globex", "batch", 0)
	young.Expires = Base.Add(3 * day)
	saveFiles(t, fl, old, young)
	later := Base.Add(2 * day)
	if _, err := fl.GetFile(ctx, store.AllTenants(), old.ID, later); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("an expired file is found (err %v)", err)
	}
	if _, err := fl.FileContent(ctx, store.AllTenants(), old.ID, later); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("an expired file's content is found (err %v)", err)
	}
	n, err := fl.DeleteExpiredFiles(ctx, later)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredFiles = %d, %v; want 1", n, err)
	}
	if _, err := fl.GetFile(ctx, store.AllTenants(), old.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("an erased file is found at an earlier now (err %v)", err)
	}
	if _, err := fl.GetFile(ctx, store.AllTenants(), young.ID, later); err != nil {
		t.Errorf("a live file was erased: %v", err)
	}
}
