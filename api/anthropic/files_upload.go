package anthropic

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"switchyard/llm"
)

// fileUpload is what an upload of POST /v1/files carries: the part
// file, its bytes and filename (the only part the API reads).
type fileUpload struct {
	filename string
	content  []byte
}

// readFileUpload reads the upload of r, its file at most maxBytes.
func readFileUpload(r *http.Request, maxBytes int64) (*fileUpload, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, llm.Errorf(llm.KindInvalidRequest, "Uploads must be sent as multipart/form-data with the part 'file'.")
	}
	return readUploadParts(multipart.NewReader(r.Body, params["boundary"]), maxBytes)
}

// unnamedFile is the filename of a file part sent without one.
const unnamedFile = "unnamed"

// readUploadParts reads the parts of an upload: exactly one file, at
// most maxBytes (more is a 413), its filename the part's last path
// element (multipart.Part.FileName) or unnamedFile; other parts are
// skipped.
func readUploadParts(mr *multipart.Reader, maxBytes int64) (*fileUpload, error) {
	var u *fileUpload
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, uploadBodyError(err)
		}
		if p.FormName() == "file" {
			if u != nil {
				return nil, llm.Errorf(llm.KindInvalidRequest, "file: Send one 'file' part only.")
			}
			u = &fileUpload{filename: p.FileName()}
			var buf bytes.Buffer
			n, err := io.Copy(&buf, io.LimitReader(p, maxBytes+1))
			if err != nil {
				return nil, uploadBodyError(err)
			}
			if n > maxBytes {
				return nil, llm.Errorf(llm.KindTooLarge, "file: The file is larger than this router accepts: at most %d bytes (batches.max_file_bytes).", maxBytes)
			}
			u.content = buf.Bytes()
		}
		p.Close()
	}
	if u == nil {
		return nil, llm.Errorf(llm.KindInvalidRequest, "file: Field required")
	}
	if u.filename == "" {
		u.filename = unnamedFile // as the API names a file sent without a name
	}
	return u, nil
}

// uploadBodyError is the error of a body that failed to arrive or
// decode: a body over http.MaxBytesReader's limit is a 413.
func uploadBodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return llm.Errorf(llm.KindTooLarge, "The upload is larger than this router accepts: at most %d bytes.", mbe.Limit)
	}
	return llm.Errorf(llm.KindInvalidRequest, "The multipart body could not be read: %s", err.Error())
}
