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
// the batch price), and the batch's their sum. The admin API lists the
// batch with the deployments its requests ran on, and the report counts
// its requests once, per deployment.
func TestMessageBatchesCost(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	c := anthropicClient(e, respKeyA)
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("claude", "claude-haiku-4-5", "Capital of Peru?"), batchItem("local", "gemini-2.5-flash", "Capital of Ecuador?"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	done := awaitMessageBatch(t, c, created.ID)
	batchCost, batchTotal := extraUSD(t, done.JSON.ExtraFields, "cost_usd"), extraUSD(t, done.JSON.ExtraFields, "total_cost_usd")
	served := map[string]float64{} // by request id
	for _, rec := range e.recorded(t, 2) {
		if rec.BatchID != created.ID {
			t.Errorf("record of %s names the batch %q, want %s", rec.Deployment, rec.BatchID, created.ID)
		}
		served[rec.Deployment] = rec.CostUSD
		if want := map[string]string{"claude-haiku-4-5": record.BatchProvider, "gemini-2.5-flash": record.BatchRouter}[rec.Deployment]; rec.Batch != want {
			t.Errorf("record of %s: batch %q, want %q", rec.Deployment, rec.Batch, want)
		}
	}
	sum := 0.0
	for id, r := range messageResults(t, c, created.ID) {
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

	awaitBatchRows(t, e, created.ID, 2)
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/batches/"+created.ID, forwardAdmin)
	var v admin.BatchView
	if code != 200 || json.Unmarshal(b, &v) != nil {
		t.Fatalf("GET /admin/batches/%s: %d %s", created.ID, code, b)
	}
	if v.API != "message_batches" || v.Status != "completed" || v.Runs != "both" || len(v.Deployments) != 2 ||
		v.Deployments[0] != (admin.BatchDeployed{Deployment: "claude-haiku-4-5", Lines: 1, Forwarded: 1, CostUSD: served["claude-haiku-4-5"]}) ||
		v.Deployments[1] != (admin.BatchDeployed{Deployment: "gemini-2.5-flash", Lines: 1, OnRouter: 1, CostUSD: served["gemini-2.5-flash"]}) ||
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
	if rows != 2 || len(rep.Batches) != 2 || rep.Batches[0].Lines+rep.Batches[1].Lines != 2 || rep.Batches[0].InRows+rep.Batches[1].InRows != 2 {
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
