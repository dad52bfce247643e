package openai

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// This file serves the part of OpenAI's Files API a batch needs: POST
// /v1/files (multipart: file, purpose), GET /v1/files/{file_id} and GET
// /v1/files/{file_id}/content; the batches' output and error files are
// kept here too. Files live in memory for the server's life.

// file is one stored file.
type file struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	Bytes     int    `json:"bytes"`
	CreatedAt int64  `json:"created_at"`
	ExpiresAt *int64 `json:"expires_at"`
	Filename  string `json:"filename"`
	Purpose   string `json:"purpose"`
	Status    string `json:"status"`
	// StatusDetails is always null (deprecated).
	StatusDetails *string `json:"status_details"`
	content       []byte
}

// filePurposes are the purposes an upload may name.
var filePurposes = map[string]bool{"assistants": true, "batch": true, "fine-tune": true, "vision": true, "user_data": true, "evals": true}

// fileStore holds the uploaded and generated files.
type fileStore struct {
	mu    sync.Mutex
	files map[string]*file
}

func (fs *fileStore) put(f *file) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.files == nil {
		fs.files = map[string]*file{}
	}
	fs.files[f.ID] = f
}

func (fs *fileStore) get(id string) *file {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.files[id]
}

// newFile stores content as a new file and returns it.
func (fs *fileStore) newFile(name, purpose string, content []byte) *file {
	f := &file{ID: "file-" + randAlnum(22), Object: "file", Bytes: len(content), CreatedAt: time.Now().Unix(),
		Filename: name, Purpose: purpose, Status: "processed", content: content}
	fs.put(f)
	return f
}

// uploadFile serves POST /v1/files.
func (s *server) uploadFile(c *call) {
	if err := c.r.ParseMultipartForm(maxBody); err != nil {
		c.fail(http.StatusBadRequest, apiError{Message: "The request must be multipart/form-data with a 'file' and a 'purpose'.", Type: "invalid_request_error"})
		return
	}
	purpose := c.r.FormValue("purpose")
	if !filePurposes[purpose] {
		c.fail(http.StatusBadRequest, apiError{Message: fmt.Sprintf("'%s' is not one of ['fine-tune', 'assistants', 'batch', 'user_data', 'vision', 'evals'] - 'purpose'", purpose), Type: "invalid_request_error", Param: "purpose"})
		return
	}
	part, header, err := c.r.FormFile("file")
	if err != nil {
		c.fail(http.StatusBadRequest, apiError{Message: "Missing required parameter: 'file'.", Type: "invalid_request_error", Param: "file"})
		return
	}
	defer part.Close()
	data, err := io.ReadAll(part)
	if err != nil {
		c.fail(http.StatusBadRequest, apiError{Message: "The file could not be read.", Type: "invalid_request_error", Param: "file"})
		return
	}
	f := s.files.newFile(header.Filename, purpose, data)
	b, _ := json.Marshal(f)
	c.writeJSON(http.StatusOK, b)
}

// lookupFile returns the file of the path's file_id, or answers 404.
func (s *server) lookupFile(c *call) *file {
	id := c.r.PathValue("file_id")
	f := s.files.get(id)
	if f == nil {
		c.fail(http.StatusNotFound, apiError{Message: "No such File object: " + id, Type: "invalid_request_error", Param: "id"})
	}
	return f
}

// getFile serves GET /v1/files/{file_id}.
func (s *server) getFile(c *call) {
	if f := s.lookupFile(c); f != nil {
		b, _ := json.Marshal(f)
		c.writeJSON(http.StatusOK, b)
	}
}

// fileContent serves GET /v1/files/{file_id}/content.
func (s *server) fileContent(c *call) {
	if f := s.lookupFile(c); f != nil {
		c.header(http.StatusOK, "application/octet-stream")
		c.w.Write(f.content)
	}
}
