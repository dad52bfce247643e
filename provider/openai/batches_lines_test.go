package openai

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// TestBatchResultsResponsesLines: the lines of a provider batch of
// /v1/responses, one by one: an answer; a failed response by its error's
// kind (a server error retryable, so the line runs again on the router; a
// refused prompt not, so it is the line's answer, its usage billed); an incomplete one an
// answer cut short; a status and an error line; and a line whose answer
// cannot be read (a response still in progress, an output item of the
// wrong shape, a body that is no object) that line's own retryable error:
// one bad line does not fail the others, which the provider answered and
// billed. A line no custom id names answers none and fails nothing.
func TestBatchResultsResponsesLines(t *testing.T) {
	ok := func(id, status, extra string) string {
		return `{"id":"batch_req_` + id + `","custom_id":"` + id + `","response":{"status_code":200,"request_id":"req_1","body":{"id":"resp_` + id +
			`","object":"response","status":"` + status + `","model":"gpt-5.5-pro",` + extra + `"output":[{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hi","annotations":[]}]}],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}},"error":null}`
	}
	lines := []string{
		ok("answer", "completed", ""),
		ok("cut", "incomplete", `"incomplete_details":{"reason":"max_output_tokens"},`),
		`{"custom_id":"failed","response":{"status_code":200,"body":{"id":"resp_f","object":"response","status":"failed","error":{"code":"server_error","message":"boom"},"output":[]}}}`,
		`{"custom_id":"refused","response":{"status_code":200,"body":{"id":"resp_r","object":"response","status":"failed","error":{"code":"invalid_prompt","message":"Invalid prompt: flagged."},"output":[],"usage":{"input_tokens":7,"output_tokens":2,"total_tokens":9}}}}`,
		`{"custom_id":"status","response":{"status_code":500,"body":{"error":{"message":"The server had an error","type":"server_error"}}}}`,
		`{"custom_id":"expired","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}`,
		ok("running", "in_progress", ""),
		`{"custom_id":"shape","response":{"status_code":200,"body":{"id":"resp_s","object":"response","status":"completed","output":[7]}}}`,
		`{"custom_id":"nobody","response":{"status_code":200,"body":"nope"}}`,
		`{"custom_id":"","response":{"status_code":200,"body":{}}}`,
		`{"custom_id":"torn","response":{"status_code":200,"bo`,
	}
	c := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/content") {
			io.WriteString(w, strings.Join(lines, "\n")+"\n")
			return
		}
		io.WriteString(w, `{"id":"batch_1","object":"batch","endpoint":"/v1/responses","status":"completed","output_file_id":"file-out","error_file_id":null}`)
	}), KindOpenAI, "/v1", testKey)
	rs, err := c.BatchResults(t.Context(), "batch_1")
	if err != nil {
		t.Fatalf("BatchResults: %v", err)
	}
	by := map[string]provider.BatchResult{}
	for _, r := range rs {
		by[r.CustomID] = r
	}
	if len(by) != 9 {
		t.Errorf("%d results, want 9: %+v", len(by), rs)
	}
	for id, finish := range map[string]llm.FinishReason{"answer": llm.FinishStop, "cut": llm.FinishLength} {
		if r := by[id].Response; r == nil || r.Choices[0].FinishReason != finish || r.Usage == nil || r.Usage.PromptTokens != 3 {
			t.Errorf("%s: %+v", id, by[id])
		}
	}
	for id, kind := range map[string]llm.ErrorKind{"failed": llm.KindUpstream, "status": llm.KindUpstream, "expired": llm.KindUpstream,
		"running": llm.KindUpstream, "shape": llm.KindUpstream, "nobody": llm.KindUpstream, "refused": llm.KindInvalidRequest} {
		r := by[id]
		if r.Err == nil || r.Response != nil || r.Err.Kind != kind || r.Err.Retryable != (id != "refused") {
			t.Errorf("%s: %+v (err %+v), want a %s error", id, r, r.Err, kind)
		}
		if (r.Usage != nil) != (id == "refused") {
			t.Errorf("%s: usage %+v", id, r.Usage)
		}
	}
	if u := by["refused"].Usage; u == nil || u.PromptTokens != 7 || u.CompletionTokens != 2 {
		t.Errorf("the failed response's usage: %+v, want what it reports, to bill", u)
	}
}
