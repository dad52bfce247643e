package openai

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"strings"

	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/store"
)

// This file completes an upload (POST /v1/uploads/{id}/complete): the
// listed parts, each the upload's, their sizes adding up to its declared
// bytes, are read one at a time in the order listed into the file's
// bytes (one buffer of the declared size, at most batches.max_file_bytes,
// plus the part being read), checked against the md5 when one is given,
// and stored as a file with the upload marked completed and its parts
// erased, in one step of the store. Parts not listed are dropped.

// completeUpload answers POST /v1/uploads/{id}/complete.
func (h *Handler) completeUpload(w http.ResponseWriter, r *http.Request) {
	us := h.uploads(w, r)
	if us == nil {
		return
	}
	q, err := decodeBody(h, w, r, decodeCompleteRequest)
	if err != nil {
		WriteError(w, err)
		return
	}
	u := pendingUpload(w, r, us)
	if u == nil {
		return
	}
	id := u.ID
	content, err := assemble(r, us, u, *q.PartIDs, q.MD5)
	if err != nil {
		uploadFailed(w, err, u, id)
		return
	}
	ctx, cancel := h.writeCtx(r)
	defer cancel()
	f, err := us.Complete(ctx, u, &store.File{ID: batch.NewFileID(), Filename: u.Filename, Purpose: u.Purpose, Content: content})
	if err != nil {
		if u2, gerr := us.Get(ctx, id); gerr == nil {
			u = u2
		}
		uploadFailed(w, err, u, id)
		return
	}
	u.Status, u.FileID = store.UploadCompleted, f.ID
	answerJSON(w, uploadJSON(u, f))
}

// assemble returns the bytes of the parts partIDs of u, in that order,
// after checking that they are u's, that they add up to its bytes, and,
// when sum is not empty, that their MD5 is sum (hex).
func assemble(r *http.Request, us UploadStore, u *store.Upload, partIDs []string, sum string) ([]byte, error) {
	parts, err := us.Parts(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	size := make(map[string]int64, len(parts))
	for _, p := range parts {
		size[p.ID] = p.Bytes
	}
	total := int64(0)
	for _, pid := range partIDs {
		n, ok := size[pid]
		if !ok {
			return nil, paramError("part_ids", "Invalid 'part_ids': '"+pid+"' is not a part of the upload "+u.ID+".")
		}
		total += n
	}
	if total != u.Bytes {
		return nil, llm.Errorf(llm.KindInvalidRequest, "The parts listed add up to %d bytes, but the upload %s was created with 'bytes' %d.", total, u.ID, u.Bytes)
	}
	content := make([]byte, 0, total)
	for _, pid := range partIDs {
		b, err := us.PartContent(r.Context(), u.ID, pid)
		if err != nil {
			return nil, err
		}
		content = append(content, b...)
	}
	if int64(len(content)) != total { // a part changed under us: never a file of the wrong size
		return nil, llm.Errorf(llm.KindUnavailable, "The upload's parts changed while it was completed; try again.")
	}
	if sum != "" {
		got := md5.Sum(content)
		if want, err := hex.DecodeString(strings.TrimSpace(sum)); err != nil || !bytes.Equal(want, got[:]) {
			e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'md5': the parts' MD5 is %s, not %s.", hex.EncodeToString(got[:]), sum)
			e.Param = "md5"
			return nil, e
		}
	}
	return content, nil
}
