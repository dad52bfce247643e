package openai

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"switchyard/api/internal/inbound"
	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/store"
)

// This file serves the Files API (docs/batches.md): POST /v1/files
// uploads a file (multipart, files_upload.go), GET /v1/files lists them,
// GET /v1/files/{id} and …/{id}/content read one, DELETE /v1/files/{id}
// erases it, each the caller's tenant's. While no files are kept, every
// one of those paths answers 404 files_not_supported saying why. A chat
// or Responses request naming one of the caller's files by id gets its
// bytes in its place (files_inline.go).

// FileStore keeps the Files API's files, each the caller's tenant's
// (read from ctx): another tenant's is not found. It is safe for
// concurrent use.
type FileStore interface {
	// MaxBytes is the largest file an upload may carry.
	MaxBytes() int64
	// Save stores f (ID, Filename, Purpose and Content set; the store
	// adds the owner and the times, expiring expiresAfter seconds after
	// its creation, or after the configured retention when 0) for the
	// caller of ctx, and returns it as stored, without its content.
	Save(ctx context.Context, f *store.File, expiresAfter int64) (*store.File, error)
	// Get, Content, List and Delete read and erase the caller's files
	// (store.FileLog): an error wrapping store.ErrFileNotFound for none.
	Get(ctx context.Context, id string) (*store.File, error)
	Content(ctx context.Context, id string) ([]byte, error)
	// Read returns the caller's file id with its content when it holds
	// at most maxBytes bytes, else without it (Bytes says how many, the
	// content never read): the file a request names by id
	// (files_inline.go). An error wraps store.ErrFileNotFound for none.
	Read(ctx context.Context, id string, maxBytes int64) (*store.File, error)
	List(ctx context.Context, q store.FileQuery) (store.FilePage, error)
	Delete(ctx context.Context, id string) error
}

// mountFiles registers the Files API's routes on mux.
func (h *Handler) mountFiles(mux *http.ServeMux) {
	bounded := h.bounded(mux)
	bounded.HandleFunc("POST /v1/files", h.uploadFile)
	bounded.HandleFunc("GET /v1/files", h.listFiles)
	bounded.HandleFunc("GET /v1/files/{id}", h.getFile)
	bounded.HandleFunc("GET /v1/files/{id}/content", h.fileContent)
	bounded.HandleFunc("DELETE /v1/files/{id}", h.deleteFile)
}

// files returns the file store, or answers that none is kept and
// returns nil.
func (h *Handler) files(w http.ResponseWriter, r *http.Request) FileStore {
	if h.Files == nil {
		noFiles(w, r, "files_not_supported")
	}
	return h.Files
}

// noFiles answers r, on the Files or Uploads API, that this router keeps
// no files (a 404 with code).
func noFiles(w http.ResponseWriter, r *http.Request, code string) {
	e := llm.Errorf(llm.KindNotFound, "%s %s is not supported: this router keeps no files (batches.enabled is false, or store.driver is none).", r.Method, r.URL.Path)
	e.Code = code
	WriteError(w, e)
}

// fileObject is the File object of the API.
type fileObject struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	Bytes     int64  `json:"bytes"`
	CreatedAt int64  `json:"created_at"`
	ExpiresAt int64  `json:"expires_at"`
	Filename  string `json:"filename"`
	Purpose   string `json:"purpose"`
	Status    string `json:"status"`
}

// fileJSON is f as the API shows it.
func fileJSON(f *store.File) fileObject {
	return fileObject{ID: f.ID, Object: "file", Bytes: f.Bytes, CreatedAt: f.Created.Unix(), ExpiresAt: f.Expires.Unix(),
		Filename: f.Filename, Purpose: f.Purpose, Status: "processed"}
}

// listObject is a page of a list of the API.
type listObject[T any] struct {
	Object  string  `json:"object"`
	Data    []T     `json:"data"`
	FirstID *string `json:"first_id"`
	LastID  *string `json:"last_id"`
	HasMore bool    `json:"has_more"`
}

// answerJSON answers v as JSON.
func answerJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		WriteError(w, llm.Wrap(llm.KindInternal, err, "The answer could not be encoded."))
		return
	}
	writeJSON(w, b)
}

// fileFailed answers err, a file store's: not found as OpenAI says it,
// anything else as the store being unavailable (or its content
// unreadable).
func fileFailed(w http.ResponseWriter, err error, id string) {
	if errors.Is(err, store.ErrFileNotFound) {
		e := llm.Errorf(llm.KindNotFound, "No such File object: %s", llm.Clip(id))
		e.Param = "id"
		WriteError(w, e)
		return
	}
	WriteError(w, storeError(err, "The stored file", "The file could not be read or written; try again."))
}

// uploadFile answers POST /v1/files.
func (h *Handler) uploadFile(w http.ResponseWriter, r *http.Request) {
	fs := h.files(w, r)
	if fs == nil {
		return
	}
	max := fs.MaxBytes()
	r.Body = http.MaxBytesReader(w, r.Body, max+64<<10) // the file and its form's other parts
	u, err := readUploadRequest(r, max)
	if err != nil {
		WriteError(w, err)
		return
	}
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	mt, _ := inbound.SniffMediaType(u.content, u.filename)
	f, err := fs.Save(ctx, &store.File{ID: batch.NewFileID(), Filename: u.filename, Purpose: u.purpose, Content: u.content, MediaType: mt}, u.expiresAfter)
	if err != nil {
		fileFailed(w, err, "")
		return
	}
	answerJSON(w, fileJSON(f))
}

// listFiles answers GET /v1/files: newest first unless order=asc, at
// most limit (1 to 10,000, default 10,000) after the file after.
func (h *Handler) listFiles(w http.ResponseWriter, r *http.Request) {
	fs := h.files(w, r)
	if fs == nil {
		return
	}
	q, err := fileListQuery(r.URL.Query())
	if err != nil {
		WriteError(w, err)
		return
	}
	page, err := fs.List(r.Context(), q)
	if errors.Is(err, store.ErrFileNotFound) {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'after': no file with id '%s'.", llm.Clip(q.After))
		e.Param = "after"
		WriteError(w, e)
		return
	}
	if err != nil {
		fileFailed(w, err, "")
		return
	}
	out := listObject[fileObject]{Object: "list", Data: make([]fileObject, len(page.Files)), HasMore: page.HasMore}
	for i, f := range page.Files {
		out.Data[i] = fileJSON(f)
	}
	if n := len(page.Files); n > 0 {
		out.FirstID, out.LastID = &page.Files[0].ID, &page.Files[n-1].ID
	}
	answerJSON(w, out)
}

// listLimit reads a list's limit: def when s is empty, else an integer
// from 1 to max.
// fileListQuery reads the query of GET /v1/files: purpose, after, limit
// (1 to 10,000, default 10,000) and order (desc, the default, or asc). An
// error is a 400 naming the parameter.
func fileListQuery(qv url.Values) (store.FileQuery, error) {
	limit, err := listLimit(qv.Get("limit"), 10000, 10000)
	if err != nil {
		return store.FileQuery{}, err
	}
	q := store.FileQuery{Purpose: qv.Get("purpose"), After: qv.Get("after"), Limit: limit, Desc: true}
	switch qv.Get("order") {
	case "", "desc":
	case "asc":
		q.Desc = false
	default:
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'order': '%s'. Expected 'asc' or 'desc'.", llm.Clip(qv.Get("order")))
		e.Param = "order"
		return store.FileQuery{}, e
	}
	return q, nil
}

func listLimit(s string, def, max int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'limit': '%s'. Expected an integer from 1 to %d.", llm.Clip(s), max)
		e.Param = "limit"
		return 0, e
	}
	return n, nil
}

// getFile answers GET /v1/files/{id}.
func (h *Handler) getFile(w http.ResponseWriter, r *http.Request) {
	if fs := h.files(w, r); fs != nil {
		id := r.PathValue("id")
		f, err := fs.Get(r.Context(), id)
		if err != nil {
			fileFailed(w, err, id)
			return
		}
		answerJSON(w, fileJSON(f))
	}
}

// fileContent answers GET /v1/files/{id}/content: the file's bytes.
func (h *Handler) fileContent(w http.ResponseWriter, r *http.Request) {
	if fs := h.files(w, r); fs != nil {
		id := r.PathValue("id")
		b, err := fs.Content(r.Context(), id)
		if err != nil {
			fileFailed(w, err, id)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	}
}

// deleteFile answers DELETE /v1/files/{id}.
func (h *Handler) deleteFile(w http.ResponseWriter, r *http.Request) {
	if fs := h.files(w, r); fs != nil {
		id := r.PathValue("id")
		ctx, cancel := h.writeCtx(r)
		defer cancel()
		if err := fs.Delete(ctx, id); err != nil {
			fileFailed(w, err, id)
			return
		}
		answerJSON(w, struct {
			ID      string `json:"id"`
			Object  string `json:"object"`
			Deleted bool   `json:"deleted"`
		}{id, "file", true})
	}
}
