package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"switchyard/api/internal/inbound"
	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/store"
	openai "switchyard/wire/openai"
)

// This file serves Anthropic's Files API (beta) on the OpenAI Files
// API's paths, told apart by the anthropic-version header every
// Anthropic client sends (FilesRequest), as the model list is: POST
// /v1/files uploads (multipart, the part file: files_upload.go), GET
// /v1/files lists, GET /v1/files/{id} reads the metadata, GET
// /v1/files/{id}/content downloads, DELETE /v1/files/{id} erases. The
// files are the OpenAI Files API's, of the caller's tenant, in one id
// space: a file uploaded here has purpose user_data and is seen through
// both APIs (docs/anthropic-api.md#files).

// FileStore keeps the files, each the caller's tenant's (read from
// ctx); api/openai.FileStore is one. Errors wrap store.ErrFileNotFound
// for a file not found.
type FileStore interface {
	MaxBytes() int64
	Save(ctx context.Context, f *store.File, expiresAfter int64) (*store.File, error)
	Get(ctx context.Context, id string) (*store.File, error)
	Content(ctx context.Context, id string) ([]byte, error)
	List(ctx context.Context, q store.FileQuery) (store.FilePage, error)
	Delete(ctx context.Context, id string) error
}

// uploadPurpose is the purpose of a file uploaded through this API: one
// a model reads (through either API).
const uploadPurpose = "user_data"

// downloadablePurpose is the purpose of the only files that may be
// downloaded: those the router wrote (a batch's output). As Anthropic
// lets only files created by tools be downloaded, an uploaded one may
// not be.
const downloadablePurpose = "batch_output"

// The bounds of a list's limit (Anthropic's).
const (
	defaultFilesLimit = 20
	maxFilesLimit     = 1000
)

// pagePrefix begins a list's next_page cursor: the id of the last file
// of the page after it.
const pagePrefix = "page_"

// FilesRequest reports whether r is a Files API request of an Anthropic
// client: /v1/files or under it, with anthropic-version. ServeFiles
// answers it.
func FilesRequest(r *http.Request) bool {
	return r.Header.Get(HeaderVersion) != "" && filesPath(r.URL.Path)
}

func filesPath(p string) bool { return p == "/v1/files" || strings.HasPrefix(p, "/v1/files/") }

// ServeFiles answers a FilesRequest. A read waits at most the store's
// timeout (Handler.StoreTimeout) for the store: past it, a 529 overloaded_error.
func (h *Handler) ServeFiles(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(HeaderRequestID, llm.RequestID(r.Context()))
	if h.Files == nil {
		e := llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router keeps no files (batches.enabled is false, or store.driver is none).", r.Method, r.URL.Path)
		WriteError(w, r, e)
		return
	}
	if r.Method == http.MethodGet { // a write has its own bound (writeCtx)
		ctx, cancel := h.storeTimeouts().Bound(r.Context())
		defer cancel()
		r = r.WithContext(ctx)
	}
	rest, _ := strings.CutPrefix(r.URL.Path, "/v1/files")
	rest = strings.TrimPrefix(rest, "/")
	id, sub, _ := strings.Cut(rest, "/")
	switch {
	case id == "" && r.Method == http.MethodPost:
		h.uploadFile(w, r)
	case id == "" && r.Method == http.MethodGet:
		h.listFiles(w, r)
	case id != "" && sub == "" && r.Method == http.MethodGet:
		h.getFile(w, r, id)
	case id != "" && sub == "" && r.Method == http.MethodDelete:
		h.deleteFile(w, r, id)
	case id != "" && sub == "content" && r.Method == http.MethodGet:
		h.downloadFile(w, r, id)
	default:
		e := llm.Errorf(llm.KindNotFound, "Unknown request URL: %s %s.", r.Method, r.URL.Path)
		e.Code = "unknown_url"
		WriteError(w, r, e)
	}
}

// fileMetadata is the FileMetadata object of the API.
type fileMetadata struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	Filename     string `json:"filename"`
	MimeType     string `json:"mime_type"`
	SizeBytes    int64  `json:"size_bytes"`
	CreatedAt    string `json:"created_at"`
	Downloadable bool   `json:"downloadable"`
}

// metadataOf is f as the API shows it; its media type is its content's,
// sniffed at its upload (inbound.SniffMediaType), else (a file written
// by the router, or stored before types were kept) its name's
// extension's. The type an upload says is not kept.
func metadataOf(f *store.File) fileMetadata {
	if f.MediaType != "" {
		return fileMetadata{ID: f.ID, Type: "file", Filename: f.Filename, MimeType: f.MediaType, SizeBytes: f.Bytes,
			CreatedAt: f.Created.UTC().Format(time.RFC3339), Downloadable: f.Purpose == downloadablePurpose}
	}
	mt := mime.TypeByExtension(strings.ToLower(path.Ext(f.Filename)))
	if base, _, ok := strings.Cut(mt, ";"); ok {
		mt = strings.TrimSpace(base)
	}
	if mt == "" {
		mt = "application/octet-stream"
	}
	return fileMetadata{ID: f.ID, Type: "file", Filename: f.Filename, MimeType: mt, SizeBytes: f.Bytes,
		CreatedAt: f.Created.UTC().Format(time.RFC3339), Downloadable: f.Purpose == downloadablePurpose}
}

func answerJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		WriteError(w, r, llm.Wrap(llm.KindInternal, err, "The answer could not be encoded."))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// fileFailed answers a file store's err: not found as Anthropic words
// it, anything else as the store being unavailable.
func fileFailed(w http.ResponseWriter, r *http.Request, err error, id string) {
	if errors.Is(err, store.ErrFileNotFound) {
		WriteError(w, r, llm.Errorf(llm.KindNotFound, "File not found: %s", llm.Clip(id)))
		return
	}
	WriteError(w, r, llm.Wrap(llm.KindUnavailable, err, "The router's file store could not be read or written; try again."))
}

// writeCtx bounds a store write, whatever becomes of the client.
func writeCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
}

func (h *Handler) uploadFile(w http.ResponseWriter, r *http.Request) {
	max := h.Files.MaxBytes()
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10)
	u, err := readFileUpload(r, max)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	ctx, cancel := writeCtx(r)
	defer cancel()
	mt, _ := inbound.SniffMediaType(u.content, u.filename)
	f, err := h.Files.Save(ctx, &store.File{ID: batch.NewFileID(), Filename: u.filename, Purpose: uploadPurpose, Content: u.content, MediaType: mt}, 0)
	if err != nil {
		fileFailed(w, r, err, "")
		return
	}
	answerJSON(w, r, metadataOf(f))
}

func (h *Handler) getFile(w http.ResponseWriter, r *http.Request, id string) {
	f, err := h.Files.Get(r.Context(), id)
	if err != nil {
		fileFailed(w, r, err, id)
		return
	}
	answerJSON(w, r, metadataOf(f))
}

// downloadFile answers the content of a downloadable file; an uploaded
// one is refused as Anthropic refuses it.
func (h *Handler) downloadFile(w http.ResponseWriter, r *http.Request, id string) {
	f, err := h.Files.Get(r.Context(), id)
	if err != nil {
		fileFailed(w, r, err, id)
		return
	}
	if f.Purpose != downloadablePurpose {
		WriteError(w, r, llm.Errorf(llm.KindInvalidRequest, "File %s is not downloadable: only files the router created (a batch's output) can be downloaded, as only files created by tools can be on Anthropic's API.", llm.Clip(id)))
		return
	}
	b, err := h.Files.Content(r.Context(), id)
	if err != nil {
		fileFailed(w, r, err, id)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func (h *Handler) deleteFile(w http.ResponseWriter, r *http.Request, id string) {
	ctx, cancel := writeCtx(r)
	defer cancel()
	if err := h.Files.Delete(ctx, id); err != nil {
		fileFailed(w, r, err, id)
		return
	}
	answerJSON(w, r, struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}{id, "file_deleted"})
}

// inlineFiles puts in req the bytes of the files it names by id
// (InlineFiles); with no InlineFiles, a file named is refused.
func (h *Handler) inlineFiles(ctx context.Context, req *llm.Request, sent int64) error {
	if h.InlineFiles != nil {
		return h.InlineFiles(ctx, req, sent)
	}
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if ref, ok := openai.FileRefOf(&req.Messages[i].Content[j]); ok {
				e := llm.Errorf(llm.KindInvalidRequest, "No file %s is kept by this router (it keeps no files): send the file's bytes (source type 'base64'; for a document, 'text' too).", llm.Clip(ref.ID))
				e.Param = "file_id"
				return e
			}
		}
	}
	return nil
}
