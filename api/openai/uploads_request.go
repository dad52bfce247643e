package openai

import (
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// This file reads the requests of the Uploads API (uploads.go): the JSON
// bodies of POST /v1/uploads and …/complete, and the multipart body of
// …/parts (its part data, as the OpenAI SDKs send it), each checked as
// OpenAI documents it.

// maxPartBytes bounds one part of an upload (OpenAI's: 64 MB).
const maxPartBytes = 64 << 20

// uploadRequest is the body of POST /v1/uploads.
type uploadRequest struct {
	Bytes        *int64  `json:"bytes"`
	Filename     *string `json:"filename"`
	MimeType     *string `json:"mime_type"`
	Purpose      *string `json:"purpose"`
	ExpiresAfter *struct {
		Anchor  string `json:"anchor"`
		Seconds int64  `json:"seconds"`
	} `json:"expires_after"`
}

// purposeMimeTypes are the MIME types an upload of a purpose may declare,
// where OpenAI documents a list: file search's supported files for
// assistants, the supported images for vision. Other purposes take any
// well-formed MIME type (OpenAI documents none for them).
var purposeMimeTypes = map[string][]string{
	"assistants": {"text/x-c", "text/x-c++", "text/x-csharp", "text/css", "application/msword",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/x-golang", "text/html", "text/x-java",
		"text/javascript", "application/json", "text/markdown", "application/pdf", "text/x-php",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation", "text/x-python", "text/x-script.python",
		"text/x-ruby", "application/x-sh", "text/x-tex", "application/typescript", "text/plain"},
	"vision": {"image/png", "image/jpeg", "image/gif", "image/webp"},
}

// decodeUploadRequest decodes and checks the body of POST /v1/uploads,
// its bytes at most maxBytes.
func decodeUploadRequest(b []byte, maxBytes int64) (*uploadRequest, error) {
	var q uploadRequest
	if err := json.Unmarshal(b, &q); err != nil {
		return nil, wire.BodyError(err, "", "https://platform.openai.com/docs/api-reference/uploads/create")
	}
	return &q, q.check(maxBytes)
}

// check reports what is wrong with an upload request.
func (q *uploadRequest) check(maxBytes int64) error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"filename", q.Filename}, {"purpose", q.Purpose}, {"mime_type", q.MimeType}} {
		if f.v == nil || *f.v == "" {
			return paramError(f.name, "Missing required parameter: '"+f.name+"'.")
		}
	}
	switch {
	case q.Bytes == nil:
		return paramError("bytes", "Missing required parameter: 'bytes'.")
	case *q.Bytes < 0:
		return paramError("bytes", "Invalid 'bytes': a number of bytes, at least 0.")
	case *q.Bytes > maxBytes:
		// A 400, not a 413: the request is small, its declared size is
		// the value refused, before any byte of the file was sent.
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'bytes': %d is larger than this router accepts for a file: at most %d bytes (batches.max_file_bytes).", *q.Bytes, maxBytes)
		e.Param, e.Code = "bytes", "file_too_large"
		return e
	case !slices.Contains(filePurposes, *q.Purpose):
		return paramError("purpose", "Invalid value for 'purpose': '"+*q.Purpose+"'. Supported values are: 'assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'.")
	}
	mt, _, err := mime.ParseMediaType(*q.MimeType)
	if err != nil || !strings.Contains(mt, "/") {
		return paramError("mime_type", "Invalid 'mime_type': '"+*q.MimeType+"' is not a MIME type.")
	}
	if allowed, ok := purposeMimeTypes[*q.Purpose]; ok && !slices.Contains(allowed, mt) {
		return paramError("mime_type", "Invalid 'mime_type': '"+*q.MimeType+"' is not supported for purpose '"+*q.Purpose+"'.")
	}
	if a := q.ExpiresAfter; a != nil {
		if a.Anchor != "created_at" {
			return paramError("expires_after.anchor", "Invalid 'expires_after.anchor': the only anchor is 'created_at'.")
		}
		if a.Seconds < minExpiresAfter || a.Seconds > maxExpiresAfter {
			return paramError("expires_after.seconds", "Invalid 'expires_after.seconds': an integer between 3600 (one hour) and 2592000 (30 days).")
		}
	}
	return nil
}

// completeRequest is the body of POST /v1/uploads/{id}/complete.
type completeRequest struct {
	PartIDs *[]string `json:"part_ids"`
	MD5     string    `json:"md5"`
}

// decodeCompleteRequest decodes and checks the body of a completion: its
// part ids are required, each listed once.
func decodeCompleteRequest(b []byte) (*completeRequest, error) {
	var q completeRequest
	if err := json.Unmarshal(b, &q); err != nil {
		return nil, wire.BodyError(err, "", "https://platform.openai.com/docs/api-reference/uploads/complete")
	}
	if q.PartIDs == nil {
		return nil, paramError("part_ids", "Missing required parameter: 'part_ids'.")
	}
	seen := make(map[string]bool, len(*q.PartIDs))
	for _, id := range *q.PartIDs {
		if seen[id] {
			return nil, paramError("part_ids", "Invalid 'part_ids': the part '"+id+"' is listed more than once.")
		}
		seen[id] = true
	}
	return &q, nil
}

// readPartRequest reads the part data of a POST /v1/uploads/{id}/parts,
// at most max bytes: more than maxPartBytes is a 413, more than max (the
// bytes the upload still takes) a 400.
func readPartRequest(r *http.Request, max int64) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, paramError("data", "Parts must be sent as multipart/form-data with the part 'data'.")
	}
	return readPartData(multipart.NewReader(r.Body, params["boundary"]), max)
}

// readPartData reads the part data of mr (other parts skipped), at most
// max bytes.
func readPartData(mr *multipart.Reader, max int64) ([]byte, error) {
	var data []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err, "The multipart body could not be read: "+err.Error())
		}
		if p.FormName() != "data" {
			p.Close()
			continue
		}
		if data != nil {
			return nil, paramError("data", "Send one 'data' part only.")
		}
		if data, err = readData(p, max); err != nil {
			return nil, err
		}
		p.Close()
	}
	if data == nil {
		return nil, paramError("data", "Missing required parameter: 'data'.")
	}
	return data, nil
}

// readData reads a part's data, at most max bytes (never more than
// maxPartBytes).
func readData(p *multipart.Part, max int64) ([]byte, error) {
	limit := min(max, maxPartBytes)
	data, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, bodyError(err, "The multipart body could not be read: "+err.Error())
	}
	switch n := int64(len(data)); {
	case n > maxPartBytes:
		e := llm.Errorf(llm.KindTooLarge, "The part is larger than an upload's part may be: at most %d bytes (64 MB).", maxPartBytes)
		e.Param, e.Code = "data", "part_too_large"
		return nil, e
	case n > max:
		return nil, errUploadFull(max)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// errUploadFull is the error of a part larger than the left bytes an
// upload still takes.
func errUploadFull(left int64) *llm.Error {
	return paramError("data", "The part would take the upload past the 'bytes' it was created with: it takes at most "+
		strconv.FormatInt(left, 10)+" more bytes.")
}
