package openai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"time"

	"switchyard/sim"
)

// This file serves OpenAI's Batch API: POST /v1/batches on an uploaded
// file of purpose batch, GET /v1/batches (a list, paged), GET
// /v1/batches/{batch_id}, POST /v1/batches/{batch_id}/cancel. Each line
// of the input is answered at once by the server's own chat handler (so
// faults and directives apply per line), and the batch shows in_progress
// until sim.BatchControl.Delay has passed since its creation, then completed
// with its output file (the 2xx answers) and error file (the others). A
// cancel makes it cancelling (while sim.BatchControl.Hold holds it), then
// cancelled with the files of the lines it had processed
// (sim.BatchControl.Processed): the others are in no file.
// /_sim/batches reads the counters (sim.BatchCounts) and sets the
// control (sim.BatchControl).

// batchEndpoints are the endpoints a batch may name.
var batchEndpoints = map[string]bool{"/v1/responses": true, "/v1/chat/completions": true, "/v1/embeddings": true, "/v1/completions": true, "/v1/moderations": true}

// simBatch is one batch: the Batch object and the answers it reveals
// once ready (all of them) or cancelled (the first processed).
type simBatch struct {
	obj       batchObject
	ready     time.Time
	answers   []batchAnswer
	processed int
}

// batchAnswer is one line's answer: its output or error file's line.
type batchAnswer struct {
	line []byte
	ok   bool
}

// batchObject is OpenAI's Batch object.
type batchObject struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	Endpoint         string            `json:"endpoint"`
	Errors           *json.RawMessage  `json:"errors"`
	InputFileID      string            `json:"input_file_id"`
	CompletionWindow string            `json:"completion_window"`
	Status           string            `json:"status"`
	OutputFileID     *string           `json:"output_file_id"`
	ErrorFileID      *string           `json:"error_file_id"`
	CreatedAt        int64             `json:"created_at"`
	InProgressAt     *int64            `json:"in_progress_at"`
	ExpiresAt        *int64            `json:"expires_at"`
	FinalizingAt     *int64            `json:"finalizing_at"`
	CompletedAt      *int64            `json:"completed_at"`
	FailedAt         *int64            `json:"failed_at"`
	ExpiredAt        *int64            `json:"expired_at"`
	CancellingAt     *int64            `json:"cancelling_at"`
	CancelledAt      *int64            `json:"cancelled_at"`
	RequestCounts    requestCounts     `json:"request_counts"`
	Metadata         map[string]string `json:"metadata"`
}

type requestCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// batchStore holds the batches and the book of their counts.
type batchStore struct {
	mu      sync.Mutex
	batches map[string]*simBatch
	order   []string
	book    sim.BatchBook
}

// createBatch serves POST /v1/batches.
func (s *server) createBatch(c *call) {
	var in struct {
		InputFileID      string            `json:"input_file_id"`
		Endpoint         string            `json:"endpoint"`
		CompletionWindow string            `json:"completion_window"`
		Metadata         map[string]string `json:"metadata"`
	}
	body, ok := c.readBody()
	if !ok {
		return
	}
	if err := json.Unmarshal(body, &in); err != nil {
		c.fail(http.StatusBadRequest, apiError{Message: "We could not parse the JSON body of your request.", Type: "invalid_request_error"})
		return
	}
	bad := func(msg, param string) {
		c.fail(http.StatusBadRequest, apiError{Message: msg, Type: "invalid_request_error", Param: param})
	}
	f := s.files.get(in.InputFileID)
	switch {
	case in.InputFileID == "":
		bad("Missing required parameter: 'input_file_id'.", "input_file_id")
	case !batchEndpoints[in.Endpoint]:
		bad(fmt.Sprintf("Invalid value: '%s'. Supported values are: '/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses' and '/v1/moderations'.", in.Endpoint), "endpoint")
	case in.CompletionWindow != "24h":
		bad(fmt.Sprintf("Invalid value: '%s'. Supported values are: '24h'.", in.CompletionWindow), "completion_window")
	case f == nil:
		c.fail(http.StatusNotFound, apiError{Message: "No such File object: " + in.InputFileID, Type: "invalid_request_error", Param: "input_file_id"})
	case f.Purpose != "batch":
		bad("The input file must have purpose 'batch'.", "input_file_id")
	case s.batches.book.Refused():
		// A 400 at creation, as OpenAI answers one it will not make; the
		// wording is a guess (the API reference documents no example).
		bad("The batch could not be created: its input exceeds this organization's batch limits.", "input_file_id")
	default:
		if b := s.runBatch(in.Endpoint, f, in.Metadata); b != nil {
			c.writeBatch(b)
			return
		}
		c.fail(http.StatusInternalServerError, apiError{Message: "The server had an error while processing your request. Sorry about that!", Type: "server_error"})
	}
}

// runBatch answers the lines of f and keeps the batch; nil when the
// book refuses it.
func (s *server) runBatch(endpoint string, f *file, metadata map[string]string) *batchObject {
	now := time.Now()
	b := &simBatch{obj: batchObject{ID: "batch_" + randHex(32), Object: "batch", Endpoint: endpoint, InputFileID: f.ID,
		CompletionWindow: "24h", Status: "in_progress", CreatedAt: now.Unix(), Metadata: metadata}}
	b.obj.InProgressAt, b.obj.ExpiresAt = new(now.Unix()), new(now.Add(24*time.Hour).Unix())
	for _, raw := range bytes.Split(f.content, []byte("\n")) {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		line, ok := s.answerLine(endpoint, raw)
		b.answers = append(b.answers, batchAnswer{line, ok})
	}
	n := len(b.answers)
	b.obj.RequestCounts.Total = n
	var ok bool
	if b.ready, ok = s.batches.book.Create(n); !ok {
		return nil
	}
	s.batches.mu.Lock()
	defer s.batches.mu.Unlock()
	if s.batches.batches == nil {
		s.batches.batches = map[string]*simBatch{}
	}
	s.batches.batches[b.obj.ID] = b
	s.batches.order = append(s.batches.order, b.obj.ID)
	obj := b.obj
	return &obj
}

// answerLine answers one input line through the server's own handler
// and returns its output or error file's line, and whether it succeeded.
func (s *server) answerLine(endpoint string, raw []byte) ([]byte, bool) {
	var in struct {
		CustomID string          `json:"custom_id"`
		Method   string          `json:"method"`
		URL      string          `json:"url"`
		Body     json.RawMessage `json:"body"`
	}
	reqID := "req_" + randHex(32)
	type response struct {
		StatusCode int             `json:"status_code"`
		RequestID  string          `json:"request_id"`
		Body       json.RawMessage `json:"body"`
	}
	type lineError struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	line := struct {
		ID       string     `json:"id"`
		CustomID string     `json:"custom_id"`
		Response *response  `json:"response"`
		Error    *lineError `json:"error"`
	}{ID: "batch_req_" + randHex(32)}
	if err := json.Unmarshal(raw, &in); err != nil || in.URL != endpoint || in.Method != http.MethodPost {
		line.Error = &lineError{Code: "invalid_request", Message: "The line is not a JSON object with method POST and the batch's url."}
		b, _ := json.Marshal(line)
		return b, false
	}
	line.CustomID = in.CustomID
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, endpoint, bytes.NewReader(in.Body))
	r.Header.Set("Authorization", "Bearer sk-batch")
	r.Header.Set("Content-Type", "application/json")
	s.mux.ServeHTTP(rec, r)
	body := bytes.TrimSpace(rec.Body.Bytes())
	if endpoint == "/v1/responses" && rec.Code == http.StatusOK && s.batches.book.FailResponse() {
		body = failedResponse(body)
	}
	line.Response = &response{StatusCode: rec.Code, RequestID: reqID, Body: body}
	b, _ := json.Marshal(line)
	return b, rec.Code/100 == 2
}

// batch returns the batch of the path's batch_id, or answers 404.
func (s *server) batch(c *call) *simBatch {
	id := c.r.PathValue("batch_id")
	s.batches.mu.Lock()
	b := s.batches.batches[id]
	s.batches.mu.Unlock()
	if b == nil {
		c.fail(http.StatusNotFound, apiError{Message: "No batch found with id '" + id + "'.", Type: "invalid_request_error"})
	}
	return b
}

// getBatch serves GET /v1/batches/{batch_id}.
func (s *server) getBatch(c *call) {
	if b := s.batch(c); b != nil {
		s.batches.book.Polled()
		c.writeBatch(s.advance(b))
	}
}

// cancelBatch serves POST /v1/batches/{batch_id}/cancel: a batch not yet
// completed is cancelling, and cancelled from the next read on that the
// control does not hold, with the answers of the lines it had processed.
func (s *server) cancelBatch(c *call) {
	b := s.batch(c)
	if b == nil {
		return
	}
	s.batches.book.Cancelled()
	s.batches.mu.Lock()
	if b.obj.Status == "in_progress" && !s.batches.book.Ready(b.ready, time.Now()) {
		b.obj.Status, b.obj.CancellingAt = "cancelling", new(time.Now().Unix())
		b.processed = s.batches.book.Processed(len(b.answers))
	}
	obj := b.obj
	s.batches.mu.Unlock()
	if obj.Status != "cancelling" {
		c.fail(http.StatusConflict, apiError{Message: "Cannot cancel a batch with status '" + obj.Status + "'.", Type: "invalid_request_error"})
		return
	}
	c.writeBatch(&obj)
}

// listBatches serves GET /v1/batches: the batches newest first, at most
// limit (1 to 100, default 20) after the batch after.
func (s *server) listBatches(c *call) {
	q := c.r.URL.Query()
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			c.fail(http.StatusBadRequest, apiError{Message: "Invalid 'limit': integer between 1 and 100 expected.", Type: "invalid_request_error", Param: "limit"})
			return
		}
		limit = n
	}
	s.batches.mu.Lock()
	ids := slices.Clone(s.batches.order)
	s.batches.mu.Unlock()
	slices.Reverse(ids)
	if after := q.Get("after"); after != "" {
		i := slices.Index(ids, after)
		if i < 0 {
			c.fail(http.StatusNotFound, apiError{Message: "No batch found with id '" + after + "'.", Type: "invalid_request_error", Param: "after"})
			return
		}
		ids = ids[i+1:]
	}
	more := len(ids) > limit
	ids = ids[:min(len(ids), limit)]
	data := []*batchObject{}
	for _, id := range ids {
		s.batches.mu.Lock()
		b := s.batches.batches[id]
		s.batches.mu.Unlock()
		data = append(data, s.advance(b))
	}
	page := map[string]any{"object": "list", "data": data, "has_more": more, "first_id": nil, "last_id": nil}
	if len(data) > 0 {
		page["first_id"], page["last_id"] = data[0].ID, data[len(data)-1].ID
	}
	body, _ := json.Marshal(page)
	c.writeJSON(http.StatusOK, body)
}

// advance moves b on as time says (cancelled once cancelling and not
// held, with the files of the lines it processed; completed with its
// files once ready) and returns a copy of its object.
func (s *server) advance(b *simBatch) *batchObject {
	s.batches.mu.Lock()
	defer s.batches.mu.Unlock()
	now := time.Now()
	switch {
	case b.obj.Status == "cancelling" && !s.batches.book.Holding():
		b.obj.Status, b.obj.CancelledAt = "cancelled", new(now.Unix())
		s.writeFiles(b, b.answers[:b.processed])
	case b.obj.Status == "in_progress" && s.batches.book.Ready(b.ready, now):
		b.obj.Status = "completed"
		b.obj.FinalizingAt, b.obj.CompletedAt = new(now.Unix()), new(now.Unix())
		s.writeFiles(b, b.answers)
	}
	obj := b.obj
	return &obj
}

// writeFiles writes the output file (the 2xx answers) and error file
// (the others) of answers, a file with no line not at all, and counts
// them in b's request counts.
func (s *server) writeFiles(b *simBatch, answers []batchAnswer) {
	var out, errs bytes.Buffer
	for _, a := range answers {
		dst := &out
		if a.ok {
			b.obj.RequestCounts.Completed++
		} else {
			dst = &errs
			b.obj.RequestCounts.Failed++
		}
		dst.Write(a.line)
		dst.WriteByte('\n')
	}
	if out.Len() > 0 {
		b.obj.OutputFileID = &s.files.newFile(b.obj.ID+"_output.jsonl", "batch_output", out.Bytes()).ID
	}
	if errs.Len() > 0 {
		b.obj.ErrorFileID = &s.files.newFile(b.obj.ID+"_error.jsonl", "batch_output", errs.Bytes()).ID
	}
}

// writeBatch answers 200 with the Batch object o.
func (c *call) writeBatch(o *batchObject) {
	b, _ := json.Marshal(o)
	c.writeJSON(http.StatusOK, b)
}

// failedResponse is the Response object body as a response that failed
// on the way ends (sim.BatchControl.FailResponses): status failed, no
// output, error server_error in OpenAI's words (a response.failed
// payload: "The model failed to generate a response.", as a Swift
// OpenAI client's tests quote one), its usage kept.
func failedResponse(body []byte) []byte {
	var r map[string]json.RawMessage
	if json.Unmarshal(body, &r) != nil {
		return body
	}
	r["status"], r["output"] = json.RawMessage(`"failed"`), json.RawMessage(`[]`)
	r["error"] = json.RawMessage(`{"code":"server_error","message":"The model failed to generate a response."}`)
	out, err := json.Marshal(r)
	if err != nil {
		return body
	}
	return out
}
