package openai

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"switchyard/llm"
)

// This file reads an upload of POST /v1/files: a multipart/form-data body
// with the part file (the bytes, with its filename) and the fields
// purpose and, optionally, expires_after[anchor] and
// expires_after[seconds], as the OpenAI SDKs send them. The file is read
// whole into memory, bounded.

// upload is what an upload carries.
type upload struct {
	filename, purpose string
	content           []byte
	// expiresAfter is expires_after[seconds]; 0 when not sent.
	expiresAfter int64
}

// filePurposes are the purposes a file may be uploaded with (OpenAI's);
// only batch files are used by this router (docs/batches.md).
var filePurposes = []string{"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}

// The bounds of expires_after[seconds] (OpenAI's: one hour to 30 days).
const (
	minExpiresAfter = 3600
	maxExpiresAfter = 30 * 24 * 3600
)

// maxFieldBytes bounds one form field other than the file.
const maxFieldBytes = 1 << 10

// readUploadRequest reads the upload of r, its file at most maxBytes.
func readUploadRequest(r *http.Request, maxBytes int64) (*upload, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, uploadError("", "Uploads must be sent as multipart/form-data with the parts 'file' and 'purpose'.")
	}
	return readUpload(multipart.NewReader(r.Body, params["boundary"]), maxBytes)
}

// readUpload reads the parts of an upload, its file at most maxBytes
// (a larger one is a 413); it checks every field.
func readUpload(mr *multipart.Reader, maxBytes int64) (*upload, error) {
	var (
		u       upload
		hasFile bool
	)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err, "The multipart body could not be read: "+err.Error())
		}
		switch name := p.FormName(); name {
		case "file":
			if hasFile {
				return nil, uploadError("file", "Send one 'file' part only.")
			}
			hasFile, u.filename = true, p.FileName()
			if u.content, err = readPart(p, maxBytes); err != nil {
				return nil, err
			}
		case "purpose", "expires_after[anchor]", "expires_after[seconds]":
			v, err := readPart(p, maxFieldBytes)
			if err != nil {
				return nil, uploadError(name, "The field '"+name+"' is too long.")
			}
			if err := u.set(name, strings.TrimSpace(string(v))); err != nil {
				return nil, err
			}
		}
		p.Close()
	}
	return &u, u.check(hasFile)
}

// readPart reads a part, at most max bytes: more is a 413.
func readPart(p *multipart.Part, max int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(p, max+1))
	if err != nil {
		return nil, bodyError(err, "The multipart body could not be read: "+err.Error())
	}
	if n > max {
		e := llm.Errorf(llm.KindTooLarge, "The file is larger than this router accepts: at most %d bytes (batches.max_file_bytes).", max)
		e.Param, e.Code = "file", "file_too_large"
		return nil, e
	}
	return buf.Bytes(), nil
}

// bodyError is the error of a body that failed to arrive or decode: a
// too large body (http.MaxBytesReader) is a 413.
func bodyError(err error, msg string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		e := llm.Errorf(llm.KindTooLarge, "The upload is larger than this router accepts: at most %d bytes.", mbe.Limit)
		e.Param, e.Code = "file", "file_too_large"
		return e
	}
	var le *llm.Error
	if errors.As(err, &le) {
		return le
	}
	return uploadError("", msg)
}

// set sets the field name of u to v.
func (u *upload) set(name, v string) error {
	switch name {
	case "purpose":
		u.purpose = v
	case "expires_after[anchor]":
		if v != "created_at" {
			return uploadError("expires_after.anchor", "Invalid 'expires_after[anchor]': the only anchor is 'created_at'.")
		}
	case "expires_after[seconds]":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < minExpiresAfter || n > maxExpiresAfter {
			return uploadError("expires_after.seconds", "Invalid 'expires_after[seconds]': an integer between 3600 (one hour) and 2592000 (30 days).")
		}
		u.expiresAfter = n
	}
	return nil
}

// check reports what an upload lacks.
func (u *upload) check(hasFile bool) error {
	switch {
	case !hasFile:
		return uploadError("file", "Missing required parameter: 'file'.")
	case u.purpose == "":
		return uploadError("purpose", "Missing required parameter: 'purpose'.")
	}
	for _, p := range filePurposes {
		if p == u.purpose {
			return nil
		}
	}
	return uploadError("purpose", "Invalid value for 'purpose': '"+u.purpose+"'. Supported values are: "+strings.Join(filePurposes, ", ")+".")
}

// uploadError is a 400 of an upload, about its field param.
func uploadError(param, msg string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "%s", msg)
	e.Param = param
	return e
}
