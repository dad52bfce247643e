package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// The Batch API with openai-go, unchanged, run by the router itself:
// batches of chat and of embedding requests uploaded, created, polled to
// completed; their output and error files downloaded and read (every
// custom_id once, the answers' bodies, the refused lines); each request
// recorded as a live request of the batch's key and tenant; listed;
// another tenant kept out; a finished batch not cancellable; a running
// one cancelled with its partial output; an input that does not check
// failing the batch with OpenAI's errors; on both store back ends.

// batchLine is a line of an input file.
func batchLine(id, url, body string) string {
	return `{"custom_id":"` + id + `","method":"POST","url":"` + url + `","body":` + body + "}\n"
}

// chatLine is a chat request line of model asking prompt.
func chatLine(id, model, prompt string) string {
	return batchLine(id, "/v1/chat/completions", `{"model":"`+model+`","messages":[{"role":"user","content":"`+prompt+`"}]}`)
}

// newBatch uploads input and creates a batch of it to endpoint.
func newBatch(t *testing.T, c openai.Client, endpoint openai.BatchNewParamsEndpoint, input string, md map[string]string) *openai.Batch {
	t.Helper()
	f := uploadFile(t, c, "input.jsonl", input, openai.FilePurposeBatch)
	b, err := c.Batches.New(ctxT(t), openai.BatchNewParams{InputFileID: f.ID, Endpoint: endpoint,
		CompletionWindow: openai.BatchNewParamsCompletionWindow24h, Metadata: shared.Metadata(md)})
	if err != nil {
		t.Fatalf("create batch: %v", err)
	}
	return b
}

// awaitBatch polls the batch id until its status is one of want, and
// returns it.
func awaitBatch(t *testing.T, c openai.Client, id string, want ...openai.BatchStatus) *openai.Batch {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := c.Batches.Get(ctxT(t), id)
		if err != nil {
			t.Fatalf("get batch: %v", err)
		}
		if slices.Contains(want, b.Status) {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %s is %s after 15 s, want %v: %s", id, b.Status, want, b.RawJSON())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fileLines downloads the file id and returns its lines by custom_id.
func fileLines(t *testing.T, c openai.Client, id string) map[string]map[string]any {
	t.Helper()
	resp, err := c.Files.Content(ctxT(t), id)
	if err != nil {
		t.Fatalf("download %s: %v", id, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("a line of %s is not JSON: %q", id, l)
		}
		cid, _ := m["custom_id"].(string)
		if _, dup := out[cid]; dup {
			t.Errorf("custom_id %s twice in %s", cid, id)
		}
		out[cid] = m
	}
	return out
}

// lineBody is the response body of an output line.
func lineBody(l map[string]any) (status float64, body map[string]any, requestID string) {
	r, _ := l["response"].(map[string]any)
	if r == nil {
		return 0, nil, ""
	}
	status, _ = r["status_code"].(float64)
	body, _ = r["body"].(map[string]any)
	requestID, _ = r["request_id"].(string)
	return status, body, requestID
}

func TestBatchesAPI(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			e, _ := storedEnv(t, b.open(t), localBatches)
			c, other := e.Client, e.clientWith(respKeyB)
			input := chatLine("one", "gpt-4o-mini", "Capital of Peru?") + chatLine("two", "claude-haiku-4-5", "Capital of Chile?") +
				"\n" + batchLine("streamed", "/v1/chat/completions", `{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}`) +
				chatLine("unknown", "no-such-model", "hi") + batchLine("bad", "/v1/chat/completions", `{"model":"gpt-4o-mini"}`)
			created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, input, map[string]string{"job": "capitals"})
			if !strings.HasPrefix(created.ID, "batch_") || created.Object != "batch" || created.Status != openai.BatchStatusValidating ||
				created.CompletionWindow != "24h" || created.Metadata["job"] != "capitals" || created.ExpiresAt-created.CreatedAt != 86400 {
				t.Fatalf("created = %s", created.RawJSON())
			}
			done := awaitBatch(t, c, created.ID, openai.BatchStatusCompleted)
			if done.RequestCounts.Total != 5 || done.RequestCounts.Completed != 2 || done.RequestCounts.Failed != 3 ||
				done.InProgressAt == 0 || done.FinalizingAt == 0 || done.CompletedAt == 0 || done.OutputFileID == "" || done.ErrorFileID == "" ||
				done.Usage.TotalTokens == 0 || !strings.Contains(done.RawJSON(), `"cost_usd":`) {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			out := fileLines(t, c, done.OutputFileID)
			if len(out) != 2 {
				t.Fatalf("output lines %v, want one and two", out)
			}
			// Each line priced as a live request; the batch's cost their sum.
			var total float64
			for _, l := range out {
				cost, _ := l["response"].(map[string]any)["cost_usd"].(float64)
				if cost <= 0 {
					t.Errorf("a line without its cost: %v", l)
				}
				total += cost
			}
			var sum struct {
				CostUSD float64 `json:"cost_usd"`
			}
			if json.Unmarshal([]byte(done.RawJSON()), &sum); math.Abs(sum.CostUSD-total) > 1e-12 {
				t.Errorf("the batch's cost_usd %v, its lines' %v", sum.CostUSD, total)
			}
			var ids []string
			for _, id := range []string{"one", "two"} {
				status, body, rid := lineBody(out[id])
				choices, _ := body["choices"].([]any)
				if status != 200 || body["object"] != "chat.completion" || len(choices) != 1 || !strings.HasPrefix(rid, "req_") ||
					!strings.HasPrefix(out[id]["id"].(string), "batch_req_") || out[id]["error"] != nil {
					t.Errorf("output line %s = %v", id, out[id])
				}
				ids = append(ids, rid)
			}
			errs := fileLines(t, c, done.ErrorFileID)
			if fault, _ := errs["streamed"]["error"].(map[string]any); fault["code"] != "stream_not_supported" || errs["streamed"]["response"] != nil {
				t.Errorf("the streamed line's error = %v", errs["streamed"])
			}
			if status, body, _ := lineBody(errs["unknown"]); status < 400 || body["error"] == nil {
				t.Errorf("the unknown model's line = %v", errs["unknown"])
			}
			// A request refused before the backend is recorded as a live one.
			status, _, badID := lineBody(errs["bad"])
			if status != 400 {
				t.Errorf("the bad line = %v", errs["bad"])
			}
			if f, err := c.Files.Get(ctxT(t), done.OutputFileID); err != nil || f.Purpose != "batch_output" || f.Filename != created.ID+"_output.jsonl" {
				t.Errorf("the output file = %+v, %v", f, err)
			}

			// Each request was a live request of the batch's key.
			ids = append(ids, badID)
			for _, rec := range e.recorded(t, 4) {
				if i := slices.Index(ids, rec.RequestID); i >= 0 {
					if want := map[bool]int{true: 400, false: 200}[rec.RequestID == badID]; rec.Tenant != respTenantA || rec.Caller != "acme-app" || rec.Status != want {
						t.Errorf("record of %s: tenant %q caller %q status %d", rec.RequestID, rec.Tenant, rec.Caller, rec.Status)
					}
					ids = slices.Delete(ids, i, i+1)
				}
			}
			if len(ids) != 0 {
				t.Errorf("requests %v not recorded", ids)
			}

			emb := newBatch(t, c, openai.BatchNewParamsEndpointV1Embeddings,
				batchLine("e1", "/v1/embeddings", `{"model":"text-embedding-3-small","input":"rivers"}`)+
					batchLine("e2", "/v1/embeddings", `{"model":"text-embedding-3-small","input":["seas","lakes"]}`), nil)
			embDone := awaitBatch(t, c, emb.ID, openai.BatchStatusCompleted)
			if embDone.RequestCounts.Completed != 2 || embDone.ErrorFileID != "" {
				t.Fatalf("embeddings batch = %s", embDone.RawJSON())
			}
			for id, n := range map[string]int{"e1": 1, "e2": 2} {
				_, body, _ := lineBody(fileLines(t, c, embDone.OutputFileID)[id])
				if data, _ := body["data"].([]any); len(data) != n {
					t.Errorf("embedding line %s = %v", id, body)
				}
			}

			var listed []string
			pager := c.Batches.ListAutoPaging(ctxT(t), openai.BatchListParams{Limit: openai.Int(1)})
			for pager.Next() {
				listed = append(listed, pager.Current().ID)
			}
			if pager.Err() != nil || !slices.Equal(listed, []string{emb.ID, created.ID}) {
				t.Errorf("list = %v, %v; want newest first", listed, pager.Err())
			}
			_, err := c.Batches.Cancel(ctxT(t), created.ID)
			wantAPIError(t, "cancel of a completed batch", err, 400, "batch_not_cancellable")

			// Another tenant finds none of it.
			if _, err := other.Batches.Get(ctxT(t), created.ID); !is404(err) {
				t.Errorf("tenant B's Get: %v; want 404", err)
			}
			if _, err := other.Batches.Cancel(ctxT(t), created.ID); !is404(err) {
				t.Errorf("tenant B's Cancel: %v; want 404", err)
			}
			if p, err := other.Batches.List(ctxT(t), openai.BatchListParams{}); err != nil || len(p.Data) != 0 {
				t.Errorf("tenant B's List = %v, %v", p, err)
			}
			if _, err := other.Batches.New(ctxT(t), openai.BatchNewParams{InputFileID: created.InputFileID, Endpoint: openai.BatchNewParamsEndpointV1ChatCompletions,
				CompletionWindow: openai.BatchNewParamsCompletionWindow24h}); !is404(err) {
				t.Errorf("tenant B's batch of tenant A's file: %v; want 404", err)
			}
			if _, err := other.Files.Content(ctxT(t), done.OutputFileID); !is404(err) {
				t.Errorf("tenant B reads the output file: %v; want 404", err)
			}
		})
	}
}

// A running batch cancelled: no request starts after the cancel, those
// running end, and the partial output file holds what ran.
func TestBatchCancel(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) { localBatches(c); c.Batches.Concurrency = 1 })
	c := e.Client
	var input strings.Builder
	for i := range 20 {
		input.WriteString(chatLine(fmt.Sprint("slow-", i), "gpt-4o-mini", "Say hi. [[sim:slow=150ms]]"))
	}
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, input.String(), nil)
	running := awaitBatch(t, c, created.ID, openai.BatchStatusInProgress)
	for running.RequestCounts.Completed == 0 {
		running = awaitBatch(t, c, created.ID, openai.BatchStatusInProgress)
	}
	cancelling, err := c.Batches.Cancel(ctxT(t), created.ID)
	if err != nil || cancelling.Status != openai.BatchStatusCancelling || cancelling.CancellingAt == 0 {
		t.Fatalf("cancel = %v, %v", cancelling, err)
	}
	done := awaitBatch(t, c, created.ID, openai.BatchStatusCancelled)
	n := done.RequestCounts.Completed
	if n == 0 || n >= 20 || done.CancelledAt == 0 || done.OutputFileID == "" || done.RequestCounts.Total != 20 {
		t.Fatalf("cancelled = %s", done.RawJSON())
	}
	if out := fileLines(t, c, done.OutputFileID); len(out) != int(n) {
		t.Errorf("partial output holds %d lines, the batch says %d", len(out), n)
	}
	again, err := c.Batches.Cancel(ctxT(t), created.ID)
	if err != nil || again.Status != openai.BatchStatusCancelled {
		t.Errorf("a second cancel = %v, %v; want the cancelled batch", again, err)
	}
}

// An input that does not check fails the batch with OpenAI's errors, each
// with its line; a create that is wrong is refused at once.
func TestBatchValidation(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), localBatches)
	c := e.Client
	input := chatLine("a", "gpt-4o-mini", "hi") + "not json\n" + chatLine("a", "gpt-4o-mini", "again") +
		batchLine("b", "/v1/embeddings", `{"model":"x","input":"y"}`) + `{"custom_id":"c","url":"/v1/chat/completions","body":{}}` + "\n"
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil)
	failed := awaitBatch(t, c, created.ID, openai.BatchStatusFailed)
	var got []string
	for _, e := range failed.Errors.Data {
		got = append(got, fmt.Sprintf("%d:%s", e.Line, e.Code))
	}
	want := []string{"2:invalid_json_line", "3:duplicate_custom_id", "4:mismatched_url", "5:missing_required_parameter"}
	if !slices.Equal(got, want) || failed.FailedAt == 0 || failed.OutputFileID != "" {
		t.Errorf("errors = %v, want %v: %s", got, want, failed.RawJSON())
	}

	notBatch := uploadFile(t, c, "notes.jsonl", "{}\n", openai.FilePurposeUserData)
	for _, tt := range []struct {
		name, body string
		status     int
		param      string
	}{
		{"unknown file", `{"input_file_id":"file-nope","endpoint":"/v1/chat/completions","completion_window":"24h"}`, 404, "input_file_id"},
		{"not a batch file", `{"input_file_id":"` + notBatch.ID + `","endpoint":"/v1/chat/completions","completion_window":"24h"}`, 400, "input_file_id"},
		{"unknown endpoint", `{"input_file_id":"` + created.InputFileID + `","endpoint":"/v1/images/generations","completion_window":"24h"}`, 400, "endpoint"},
		{"window", `{"input_file_id":"` + created.InputFileID + `","endpoint":"/v1/chat/completions","completion_window":"1h"}`, 400, "completion_window"},
		{"no file", `{"endpoint":"/v1/chat/completions","completion_window":"24h"}`, 400, "input_file_id"},
		{"not json", `{`, 400, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+"/v1/batches", strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+respKeyA)
			req.Header.Set("Content-Type", "application/json")
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Body.Close()
			wantErrorShape(t, r, tt.status, tt.param, "")
		})
	}
	for _, path := range []string{"/v1/batches/batch_nope"} {
		if code, b := callAs(t, http.MethodGet, e.URL+path, respKeyA); code != 404 || !strings.Contains(string(b), "No such Batch object") {
			t.Errorf("GET %s: %d %s", path, code, b)
		}
	}
	if code, b := bodyAs(t, http.MethodPost, e.URL+"/v1/batches/batch_nope/cancel", respKeyA, "{}"); code != 404 {
		t.Errorf("cancel of an unknown batch: %d %s", code, b)
	}
}

// A batch runs as the key that created it: once that key is revoked, the
// requests not yet sent fail as the key's live requests would (401
// key_revoked, in the error file); those sent before keep their answers.
func TestBatchKeyRevoked(t *testing.T) {
	t.Parallel()
	e := tenantEnv(t, storeBackends[0].open(t), func(c *config.Config) { localBatches(c); c.Batches.Concurrency = 1 })
	k := createKey(t, e, `{"tenant":"`+tenantA+`","name":"batcher"}`)
	c := e.clientWith(k.Key)
	var input strings.Builder
	for i := range 10 {
		input.WriteString(chatLine(fmt.Sprint("r-", i), "plain", "Say hi. [[sim:slow=200ms]]"))
	}
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, input.String(), nil)
	awaitProgress(t, c, created.ID, 2)
	if code, b := bodyAs(t, http.MethodDelete, e.URL+"/admin/keys/"+k.ID, adminAll, ""); code != 200 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	// The key is revoked: the batch is read by another key of the tenant's.
	done := awaitBatch(t, e.clientWith(keyA), created.ID, openai.BatchStatusCompleted)
	ok, failed := done.RequestCounts.Completed, done.RequestCounts.Failed
	if ok < 2 || failed == 0 || ok+failed != 10 {
		t.Fatalf("after the revocation: %s", done.RawJSON())
	}
	for cid, l := range fileLines(t, e.clientWith(keyA), done.ErrorFileID) {
		status, body, _ := lineBody(l)
		fault, _ := body["error"].(map[string]any)
		if status != 401 || fault["code"] != "key_revoked" {
			t.Errorf("line %s after the revocation = %v", cid, l)
		}
	}
}
