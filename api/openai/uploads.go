package openai

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file serves the Uploads API (docs/batches.md): POST /v1/uploads
// creates an upload of a declared size, POST /v1/uploads/{id}/parts adds
// a part of it (in any order, in parallel), …/complete makes the listed
// parts, in their order, into a file of the Files API, …/cancel cancels
// it; each the caller's tenant's. The requests are read in
// uploads_request.go, the completion made in uploads_complete.go. While
// no files are kept, every one of those paths answers 404
// uploads_not_supported saying why.

// UploadStore keeps the Uploads API's uploads and their parts, each the
// caller's tenant's (read from ctx): another tenant's is not found
// (store.ErrUploadNotFound). Its errors are store.UploadLog's. It is
// safe for concurrent use.
type UploadStore interface {
	// MaxBytes is the largest file an upload may declare.
	MaxBytes() int64
	// Create stores u (ID, Filename, Purpose, MimeType, Bytes and
	// FileExpiresAfter set; the store adds the owner, the times and the
	// status) and returns it as stored.
	Create(ctx context.Context, u *store.Upload) (*store.Upload, error)
	// Get returns the upload id.
	Get(ctx context.Context, id string) (*store.Upload, error)
	// AddPart stores p (ID, UploadID and Content set; the store adds its
	// time) as a part of its upload.
	AddPart(ctx context.Context, p *store.UploadPart) error
	// Parts lists the parts of the upload id, without their content.
	Parts(ctx context.Context, id string) ([]*store.UploadPart, error)
	// PartContent returns the content of the part partID of upload id.
	PartContent(ctx context.Context, id, partID string) ([]byte, error)
	// Complete completes u into f (ID, Filename, Purpose and Content
	// set; the store adds the owner and the times, as FileStore.Save with
	// u.FileExpiresAfter) and erases its parts, and returns f as stored,
	// without its content.
	Complete(ctx context.Context, u *store.Upload, f *store.File) (*store.File, error)
	// Cancel cancels the upload id and erases its parts.
	Cancel(ctx context.Context, id string) error
}

// mountUploads registers the Uploads API's routes on mux.
func (h *Handler) mountUploads(mux *http.ServeMux) {
	bounded := h.bounded(mux)
	bounded.HandleFunc("POST /v1/uploads", h.createUpload)
	bounded.HandleFunc("POST /v1/uploads/{id}/parts", h.addUploadPart)
	bounded.HandleFunc("POST /v1/uploads/{id}/complete", h.completeUpload)
	bounded.HandleFunc("POST /v1/uploads/{id}/cancel", h.cancelUpload)
}

// uploads returns the upload store, or answers that none is kept and
// returns nil.
func (h *Handler) uploads(w http.ResponseWriter, r *http.Request) UploadStore {
	if h.Uploads == nil {
		noFiles(w, r, "uploads_not_supported")
	}
	return h.Uploads
}

// uploadObject is the Upload object of the API.
type uploadObject struct {
	ID        string      `json:"id"`
	Object    string      `json:"object"`
	Bytes     int64       `json:"bytes"`
	CreatedAt int64       `json:"created_at"`
	ExpiresAt int64       `json:"expires_at"`
	Filename  string      `json:"filename"`
	Purpose   string      `json:"purpose"`
	Status    string      `json:"status"`
	File      *fileObject `json:"file"`
}

// uploadExpired is the status of a pending upload past its expiry.
const uploadExpired = "expired"

// uploadStatus is u's status at now: a pending one past its expiry is
// expired.
func uploadStatus(u *store.Upload, now time.Time) string {
	if u.Status == store.UploadPending && !now.Before(u.Expires) {
		return uploadExpired
	}
	return u.Status
}

// uploadJSON is u as the API shows it, with its file f (nil: none).
func uploadJSON(u *store.Upload, f *store.File) uploadObject {
	o := uploadObject{ID: u.ID, Object: "upload", Bytes: u.Bytes, CreatedAt: u.Created.Unix(), ExpiresAt: u.Expires.Unix(),
		Filename: u.Filename, Purpose: u.Purpose, Status: uploadStatus(u, time.Now())}
	if f != nil {
		fo := fileJSON(f)
		o.File = &fo
	}
	return o
}

// partObject is the Upload Part object of the API.
type partObject struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	CreatedAt int64  `json:"created_at"`
	UploadID  string `json:"upload_id"`
}

// newUploadID and newPartID return a new upload's and part's id.
func newUploadID() string { return "upload_" + rand.Text() }
func newPartID() string   { return "part_" + rand.Text() }

// uploadFailed answers err, an upload store's, for the upload id:
// not found as OpenAI says it, a closed upload with its status, anything
// else as the store being unavailable.
func uploadFailed(w http.ResponseWriter, err error, u *store.Upload, id string) {
	switch {
	case errors.Is(err, store.ErrUploadNotFound):
		e := llm.Errorf(llm.KindNotFound, "No such Upload object: %s", llm.Clip(id))
		e.Param = "upload_id"
		WriteError(w, e)
	case errors.Is(err, store.ErrUploadClosed):
		status := "no longer pending"
		if u != nil {
			status = "already " + uploadStatus(u, time.Now())
		}
		e := llm.Errorf(llm.KindInvalidRequest, "The upload %s is %s: it takes no more parts nor completion.", llm.Clip(id), status)
		e.Param = "upload_id"
		WriteError(w, e)
	case errors.Is(err, store.ErrUploadFull):
		left := int64(0)
		if u != nil {
			left = u.Bytes - u.Received
		}
		WriteError(w, errUploadFull(left))
	default:
		var le *llm.Error
		if errors.As(err, &le) {
			WriteError(w, le)
			return
		}
		WriteError(w, storeError(err, "The upload's stored part", "The upload could not be read or written; try again."))
	}
}

// createUpload answers POST /v1/uploads.
func (h *Handler) createUpload(w http.ResponseWriter, r *http.Request) {
	us := h.uploads(w, r)
	if us == nil {
		return
	}
	q, err := decodeBody(h, w, r, func(b []byte) (*uploadRequest, error) { return decodeUploadRequest(b, us.MaxBytes()) })
	if err != nil {
		WriteError(w, err)
		return
	}
	u := &store.Upload{ID: newUploadID(), Filename: *q.Filename, Purpose: *q.Purpose, MimeType: *q.MimeType, Bytes: *q.Bytes}
	if q.ExpiresAfter != nil {
		u.FileExpiresAfter = q.ExpiresAfter.Seconds
	}
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	if u, err = us.Create(ctx, u); err != nil {
		uploadFailed(w, err, nil, "")
		return
	}
	answerJSON(w, uploadJSON(u, nil))
}

// addUploadPart answers POST /v1/uploads/{id}/parts: the part read at
// most as large as the bytes the upload still takes (and 64 MB).
func (h *Handler) addUploadPart(w http.ResponseWriter, r *http.Request) {
	us := h.uploads(w, r)
	if us == nil {
		return
	}
	u := pendingUpload(w, r, us)
	if u == nil {
		return
	}
	id := u.ID
	r.Body = http.MaxBytesReader(w, r.Body, maxPartBytes+64<<10) // the part and its form's framing
	data, err := readPartRequest(r, u.Bytes-u.Received)
	if err != nil {
		WriteError(w, err)
		return
	}
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	p := &store.UploadPart{ID: newPartID(), UploadID: id, Content: data}
	if err := us.AddPart(ctx, p); err != nil {
		if u2, gerr := us.Get(ctx, id); gerr == nil {
			u = u2
		}
		uploadFailed(w, err, u, id)
		return
	}
	answerJSON(w, partObject{ID: p.ID, Object: "upload.part", CreatedAt: p.Created.Unix(), UploadID: id})
}

// cancelUpload answers POST /v1/uploads/{id}/cancel.
func (h *Handler) cancelUpload(w http.ResponseWriter, r *http.Request) {
	us := h.uploads(w, r)
	if us == nil {
		return
	}
	id := r.PathValue("id")
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	err := us.Cancel(ctx, id)
	u, gerr := us.Get(ctx, id)
	if err == nil {
		err = gerr
	}
	if err != nil {
		uploadFailed(w, err, u, id)
		return
	}
	answerJSON(w, uploadJSON(u, nil))
}

// pendingUpload returns the upload r names, while it is pending, or
// answers why not (unknown, another tenant's, completed, cancelled,
// expired) and returns nil.
func pendingUpload(w http.ResponseWriter, r *http.Request, us UploadStore) *store.Upload {
	id := r.PathValue("id")
	u, err := us.Get(r.Context(), id)
	if err == nil && uploadStatus(u, time.Now()) != store.UploadPending {
		err = store.ErrUploadClosed
	}
	if err != nil {
		uploadFailed(w, err, u, id)
		return nil
	}
	return u
}
