package anthropic

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeBatches keeps one batch, "msgbatch_a", in progress or ended.
type fakeBatches struct {
	ended   bool
	created []BatchRequest
}

func (f *fakeBatches) MaxBytes() int64  { return 4096 }
func (f *fakeBatches) MaxRequests() int { return 3 }

func (f *fakeBatches) Create(_ context.Context, reqs []BatchRequest) (*MessageBatch, error) {
	f.created = reqs
	return &MessageBatch{ID: "msgbatch_a", Type: "message_batch", ProcessingStatus: BatchInProgress}, nil
}

func (f *fakeBatches) Get(_ context.Context, id string) (*MessageBatch, error) {
	if id != "msgbatch_a" {
		return nil, ErrBatchNotFound
	}
	return &MessageBatch{ID: id, Type: "message_batch"}, nil
}

func (f *fakeBatches) List(_ context.Context, before, after string, _ int) ([]*MessageBatch, bool, error) {
	if before+after != "" && before+after != "msgbatch_a" {
		return nil, false, ErrBatchNotFound
	}
	return nil, false, nil
}

func (f *fakeBatches) Cancel(ctx context.Context, id string) (*MessageBatch, error) {
	return f.Get(ctx, id)
}

func (f *fakeBatches) Delete(ctx context.Context, id string) error {
	if _, err := f.Get(ctx, id); err != nil {
		return err
	}
	if !f.ended {
		return ErrBatchNotEnded
	}
	return nil
}

func (f *fakeBatches) Results(ctx context.Context, id string, w io.Writer) error {
	if !f.ended {
		return ErrBatchNotEnded
	}
	_, err := io.WriteString(w, `{"custom_id":"a","result":{"type":"canceled"}}`+"\n")
	return err
}

// serveBatch serves method path with body on a Handler of bs.
func serveBatch(bs MessageBatches, method, path, body string) *httptest.ResponseRecorder {
	h := &Handler{Backend: &fakeBackend{}, Batches: bs}
	mux := http.NewServeMux()
	h.Mount(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
	return w
}

// errorOf reads an Anthropic error body: its error's type and message.
func errorOf(t *testing.T, w *httptest.ResponseRecorder) (typ, msg string) {
	t.Helper()
	var e struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Type != "error" {
		t.Fatalf("not an Anthropic error: %q", w.Body)
	}
	return e.Error.Type, e.Error.Message
}

func TestMessageBatchErrors(t *testing.T) {
	const ok = `{"custom_id":"a","params":{"model":"m"}}`
	for _, c := range []struct {
		name, method, path, body string
		bs                       MessageBatches
		status                   int
		typ, msg                 string
	}{
		{"not JSON", "POST", "/v1/messages/batches", `{"requests":`, &fakeBatches{}, 400, "invalid_request_error", "not valid JSON"},
		{"two values", "POST", "/v1/messages/batches", `{"requests":[` + ok + `]} {}`, &fakeBatches{}, 400, "invalid_request_error", "more than one"},
		{"no requests", "POST", "/v1/messages/batches", `{}`, &fakeBatches{}, 400, "invalid_request_error", "requests: Field required"},
		{"requests not a list", "POST", "/v1/messages/batches", `{"requests":{}}`, &fakeBatches{}, 400, "invalid_request_error", "requests: Input should be a valid list, not a JSON object"},
		{"a request not an object", "POST", "/v1/messages/batches", `{"requests":[` + ok + `,5]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.1: Input should be a valid dictionary, not a JSON number"},
		{"custom_id a number", "POST", "/v1/messages/batches", `{"requests":[` + ok + `,{"custom_id":5,"params":{}}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.1.custom_id: Input should be a valid string, not a JSON number"},
		{"body a list", "POST", "/v1/messages/batches", `[]`, &fakeBatches{}, 400, "invalid_request_error", "the body must be an object, not a JSON array"},
		{"empty requests", "POST", "/v1/messages/batches", `{"requests":[]}`, &fakeBatches{}, 400, "invalid_request_error", "at least 1"},
		{"too many", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"a","params":{}},{"custom_id":"b","params":{}},{"custom_id":"c","params":{}},{"custom_id":"d","params":{}}]}`, &fakeBatches{}, 400, "invalid_request_error", "at most 3"},
		{"too large", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"a","params":{"x":"` + strings.Repeat("x", 5000) + `"}}]}`, &fakeBatches{}, 413, "request_too_large", "4096"},
		{"no custom_id", "POST", "/v1/messages/batches", `{"requests":[{"params":{}}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.0.custom_id: Field required"},
		{"empty custom_id", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"","params":{}}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.0.custom_id: String should match"},
		{"custom_id with a dot", "POST", "/v1/messages/batches", `{"requests":[` + ok + `,{"custom_id":"a.b","params":{}}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.1.custom_id"},
		{"custom_id of 65", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"` + strings.Repeat("a", 65) + `","params":{}}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.0.custom_id"},
		{"duplicate custom_id", "POST", "/v1/messages/batches", `{"requests":[` + ok + `,` + ok + `]}`, &fakeBatches{}, 400, "invalid_request_error", "also requests.0's"},
		{"params missing", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"a"}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.0.params"},
		{"params a list", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"a","params":[1]}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.0.params: Input should be an object"},
		{"params null", "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"a","params":null}]}`, &fakeBatches{}, 400, "invalid_request_error", "requests.0.params"},
		{"no batches", "POST", "/v1/messages/batches", `{"requests":[` + ok + `]}`, nil, 404, "not_found_error", "runs no batches"},
		{"get unknown", "GET", "/v1/messages/batches/msgbatch_b", "", &fakeBatches{}, 404, "not_found_error", "No such message batch: msgbatch_b"},
		{"cancel unknown", "POST", "/v1/messages/batches/msgbatch_b/cancel", "", &fakeBatches{}, 404, "not_found_error", "msgbatch_b"},
		{"delete unknown", "DELETE", "/v1/messages/batches/msgbatch_b", "", &fakeBatches{}, 404, "not_found_error", "msgbatch_b"},
		{"results unknown", "GET", "/v1/messages/batches/msgbatch_b/results", "", &fakeBatches{}, 404, "not_found_error", "msgbatch_b"},
		{"delete running", "DELETE", "/v1/messages/batches/msgbatch_a", "", &fakeBatches{}, 400, "invalid_request_error", "has not ended"},
		{"results running", "GET", "/v1/messages/batches/msgbatch_a/results", "", &fakeBatches{}, 400, "invalid_request_error", "has not ended"},
		{"list bad limit", "GET", "/v1/messages/batches?limit=0", "", &fakeBatches{}, 400, "invalid_request_error", "limit"},
		{"list both cursors", "GET", "/v1/messages/batches?before_id=a&after_id=b", "", &fakeBatches{}, 400, "invalid_request_error", "both"},
		{"list after unknown", "GET", "/v1/messages/batches?after_id=msgbatch_b", "", &fakeBatches{}, 404, "not_found_error", "msgbatch_b"},
		{"unknown path", "PUT", "/v1/messages/batches/msgbatch_a", "", &fakeBatches{}, 404, "not_found_error", "Unknown request URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := serveBatch(c.bs, c.method, c.path, c.body)
			typ, msg := errorOf(t, w)
			if w.Code != c.status || typ != c.typ || !strings.Contains(msg, c.msg) {
				t.Errorf("%d %s %q, want %d %s containing %q", w.Code, typ, msg, c.status, c.typ, c.msg)
			}
		})
	}
}

func TestMessageBatchAnswers(t *testing.T) {
	bs := &fakeBatches{}
	w := serveBatch(bs, "POST", "/v1/messages/batches", `{"requests":[{"custom_id":"a-1_B","params":{"model":"m"}},{"custom_id":"b","params":{}}]}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id":"msgbatch_a"`) || len(bs.created) != 2 ||
		bs.created[0].CustomID != "a-1_B" || string(bs.created[0].Params) != `{"model":"m"}` {
		t.Fatalf("create: %d %s, %+v", w.Code, w.Body, bs.created)
	}
	if w := serveBatch(bs, "GET", "/v1/messages/batches", ""); w.Code != 200 || w.Body.String() != `{"data":[],"has_more":false,"first_id":null,"last_id":null}` {
		t.Errorf("list: %d %s", w.Code, w.Body)
	}
	bs.ended = true
	if w := serveBatch(bs, "DELETE", "/v1/messages/batches/msgbatch_a", ""); w.Code != 200 || w.Body.String() != `{"id":"msgbatch_a","type":"message_batch_deleted"}` {
		t.Errorf("delete: %d %s", w.Code, w.Body)
	}
	w = serveBatch(bs, "GET", "/v1/messages/batches/msgbatch_a/results", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/x-jsonl" || !strings.Contains(w.Body.String(), `"canceled"`) {
		t.Errorf("results: %d %v %s", w.Code, w.Header(), w.Body)
	}
}

// A batch body with bytes after its JSON object is not JSON, and is
// refused: encoding/json's Decoder.More reports no more after a closing
// "}" or "]", which let such a body through.
func TestDecodeBatchRequestsRefusesTrailingBytes(t *testing.T) {
	const body = `{"requests":[{"custom_id":"a","params":{"model":"m","max_tokens":1,"messages":[]}}]}`
	if _, err := DecodeBatchRequests([]byte(body+" \n"), 5); err != nil {
		t.Fatalf("white space after the body: %v", err)
	}
	for _, tail := range []string{"}", "]", " ]", "x", "{}"} {
		if _, err := DecodeBatchRequests([]byte(body+tail), 5); err == nil {
			t.Errorf("%q after the body: accepted", tail)
		}
	}
}

func FuzzDecodeBatchRequests(f *testing.F) {
	for _, s := range []string{`{"requests":[{"custom_id":"a","params":{"model":"m","max_tokens":1,"messages":[]}}]}`,
		`{"requests":[{"custom_id":"a","params":{}},{"custom_id":"a","params":{}}]}`, `{"requests":[]}`, `{}`, `[]`, `null`,
		`{"requests":[{"custom_id":"é","params":{}}]}`, `{"requests":[{"custom_id":1,"params":"x"}]}`, `{"requests":null}`,
		`{"requests":[5]}`, `{"requests":{}}`, `{"requests":[null,{"custom_id":1e999}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		reqs, err := DecodeBatchRequests(body, 50)
		if err != nil {
			if reqs != nil {
				t.Fatal("requests with an error")
			}
			return
		}
		if len(reqs) == 0 || len(reqs) > 50 {
			t.Fatalf("%d requests", len(reqs))
		}
		if !json.Valid(body) {
			t.Fatalf("%q is not JSON, yet decoded", body)
		}
		seen := map[string]bool{}
		for _, r := range reqs {
			if !validCustomID(r.CustomID) || seen[r.CustomID] || !json.Valid(r.Params) || r.Params[0] != '{' {
				t.Fatalf("request %+v accepted", r)
			}
			seen[r.CustomID] = true
		}
	})
}

// A Message Batch's requests are routed by their own params: a routing
// header on its creation would steer none of them, and is refused with
// a 400 naming it (as a mistyped one is) before the batch is made; the
// session header passes.
func TestMessageBatchRefusesRoutingHeaders(t *testing.T) {
	const body = `{"requests":[{"custom_id":"a","params":{"model":"m"}}]}`
	h := &Handler{Backend: &fakeBackend{}, Batches: &fakeBatches{}}
	mux := http.NewServeMux()
	h.Mount(mux)
	for header, want := range map[string]string{"x-switchyard-max-cost-usd": "is not read by POST /v1/messages/batches", "x-switchyard-modle": "Unknown header x-switchyard-modle"} {
		r := httptest.NewRequest(http.MethodPost, "/v1/messages/batches", strings.NewReader(body))
		r.Header.Set(header, "0.01")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if typ, msg := errorOf(t, w); w.Code != 400 || typ != "invalid_request_error" || !strings.Contains(msg, want) {
			t.Errorf("%s: %d %s %q, want 400 containing %q", header, w.Code, typ, msg, want)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/v1/messages/batches", strings.NewReader(body))
	r.Header.Set("x-switchyard-session", "s-1")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("with the session header: %d %s", w.Code, w.Body)
	}
}
