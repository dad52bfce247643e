package e2e

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/packages/respjson"

	"switchyard/admin"
	"switchyard/record"
)

// A Message Batch's cost, through anthropic-sdk-go: the MessageBatch
// object carries cost_usd and total_cost_usd and each result of a
// request that ran its own, as fields the SDK does not know and keeps
// (JSON.ExtraFields) without failing to decode the batch or the results;
// each result's cost is its request's record's (a forwarded request at
// the batch price), and the batch's their sum; a request the API handler
// refused (no messages) ran for nothing, and is counted as the batch's
// too. The admin API lists the batch with the deployments its requests
// ran on, and the report counts its requests once, per deployment.
func TestMessageBatchesCost(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	c := anthropicClient(e, respKeyA)
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("claude", "claude-haiku-4-5", "Capital of Peru?"), batchItem("local", "gemini-2.5-flash", "Capital of Ecuador?"),
		{CustomID: "bad", Params: sdk.MessageBatchNewParamsRequestParams{Model: "gemini-2.5-flash", MaxTokens: 64, Messages: []sdk.MessageParam{}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	done := awaitMessageBatch(t, c, created.ID)
	batchCost, batchTotal := extraUSD(t, done.JSON.ExtraFields, "cost_usd"), extraUSD(t, done.JSON.ExtraFields, "total_cost_usd")
	served := map[string]float64{} // by deployment ("": the refused request)
	for _, rec := range e.recorded(t, 3) {
		if rec.BatchID != created.ID {
			t.Errorf("record of %q names the batch %q, want %s", rec.Deployment, rec.BatchID, created.ID)
		}
		served[rec.Deployment] = rec.CostUSD
		if want := map[string]string{"claude-haiku-4-5": record.BatchProvider}[rec.Deployment]; rec.Batch != want && (want != "" || rec.Batch != record.BatchRouter) {
			t.Errorf("record of %q: batch %q", rec.Deployment, rec.Batch)
		}
	}
	sum := 0.0
	for id, r := range messageResults(t, c, created.ID) {
		if id == "bad" { // refused by the API handler: ran, cost nothing
			bad := r.Result.AsErrored()
			if r.Result.Type != "errored" || extraUSD(t, bad.JSON.ExtraFields, "cost_usd") != 0 || extraUSD(t, bad.JSON.ExtraFields, "total_cost_usd") != 0 {
				t.Errorf("result bad = %s", r.RawJSON())
			}
			continue
		}
		ok := r.Result.AsSucceeded()
		if r.Result.Type != "succeeded" || ok.Message.Role != "assistant" {
			t.Fatalf("result %s = %s", id, r.RawJSON())
		}
		cost, total := extraUSD(t, ok.JSON.ExtraFields, "cost_usd"), extraUSD(t, ok.JSON.ExtraFields, "total_cost_usd")
		dep := map[string]string{"claude": "claude-haiku-4-5", "local": "gemini-2.5-flash"}[id]
		if cost <= 0 || math.Abs(cost-served[dep]) > 1e-12 || total != cost {
			t.Errorf("result %s costs %v (total %v), its record %v", id, cost, total, served[dep])
		}
		sum += cost
	}
	if math.Abs(sum-batchCost) > 1e-12 || batchTotal != batchCost {
		t.Errorf("the batch's cost_usd %v (total %v), its results' %v", batchCost, batchTotal, sum)
	}

	awaitBatchRows(t, e, created.ID, 3)
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/batches/"+created.ID, forwardAdmin)
	var v admin.BatchView
	if code != 200 || json.Unmarshal(b, &v) != nil {
		t.Fatalf("GET /admin/batches/%s: %d %s", created.ID, code, b)
	}
	if v.API != "message_batches" || v.Status != "completed" || v.ProcessingStatus != "ended" || v.RequestCounts.Message == nil ||
		*v.RequestCounts.Message != (admin.MessageRequestCounts{Succeeded: 2, Errored: 1}) || v.Runs != "both" || len(v.Deployments) != 3 ||
		v.Deployments[0] != (admin.BatchDeployed{Deployment: "", Lines: 1, OnRouter: 1}) ||
		v.Deployments[1] != (admin.BatchDeployed{Deployment: "claude-haiku-4-5", Lines: 1, Forwarded: 1, CostUSD: served["claude-haiku-4-5"]}) ||
		v.Deployments[2] != (admin.BatchDeployed{Deployment: "gemini-2.5-flash", Lines: 1, OnRouter: 1, CostUSD: served["gemini-2.5-flash"]}) ||
		math.Abs(v.CostUSD-batchCost) > 1e-12 || len(v.ProviderBatches) != 1 || v.ProviderBatches[0].ID == "" {
		t.Errorf("the admin API's batch: %s", b)
	}
	code, b = callAs(t, http.MethodGet, e.URL+"/admin/report", forwardAdmin)
	var rep admin.ReportView
	if code != 200 || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("GET /admin/report: %d %s", code, b)
	}
	var rows int64
	for _, r := range rep.Rows {
		rows += r.Requests
	}
	var lines, inRows int64
	for _, b := range rep.Batches {
		lines, inRows = lines+b.Lines, inRows+b.InRows
	}
	if rows != 3 || len(rep.Batches) != 3 || lines != 3 || inRows != 3 {
		t.Errorf("the report: %d requests in its rows, batches %+v", rows, rep.Batches)
	}
}

// awaitBatchRows polls GET /admin/requests?batch=id (as forwardAdmin)
// until the request log holds n rows of the batch id's lines: the log is
// written off the requests' path.
func awaitBatchRows(t *testing.T, e *env, id string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests?batch="+id, forwardAdmin)
		var page admin.RequestList
		if code == 200 && json.Unmarshal(b, &page) == nil && len(page.Data) == n {
			for _, r := range page.Data {
				if r.BatchID != id {
					t.Fatalf("GET /admin/requests?batch=%s lists a row of batch %q", id, r.BatchID)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the request log has not %d rows of batch %s after 5 s: %d %s", n, id, code, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// extraUSD reads the extra field name of an SDK object as a number.
func extraUSD(t *testing.T, extra map[string]respjson.Field, name string) float64 {
	t.Helper()
	f, ok := extra[name]
	if !ok || f.Raw() == "" { // an extra field is kept raw, never Valid
		t.Fatalf("the SDK kept no %s: %v", name, extra)
	}
	v, err := strconv.ParseFloat(f.Raw(), 64)
	if err != nil {
		t.Fatalf("%s = %q: %v", name, f.Raw(), err)
	}
	return v
}
