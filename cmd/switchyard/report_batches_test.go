package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// TestReportBatches: the report shows the batch lines of its range per
// deployment — forwarded at the batch price or run on the router, their
// cost — in its JSON and its table, as a breakdown: a chat line is one
// request of the rows (counted once there, in_rows here), an embeddings
// line is in no row, and a live request in no batch row. And
// `switchyard requests list --batch` lists one batch's lines.
func TestReportBatches(t *testing.T) {
	path := t.TempDir() + "/requests.db"
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []*store.Request
	for i, l := range []struct {
		batch, mode, dep, endpoint string
		cost                       float64
	}{
		{"", "", "gpt-4o-mini", "chat", 0.5}, // live
		{"batch_a", "provider", "gpt-4o-mini", "chat", 0.25},
		{"batch_a", "provider", "gpt-4o-mini", "chat", 0.25},
		{"batch_b", "router", "gpt-4o-mini", "chat", 1},
		{"batch_b", "router", "text-embedding-3-small", "embeddings", 0.125},
	} {
		r := storetest.Sample(i)
		r.BatchID, r.Explanation.Batch, r.Deployment, r.Endpoint = l.batch, l.mode, l.dep, l.endpoint
		r.CostUSD, r.CostUnknown = l.cost, false
		rows = append(rows, r)
	}
	if err := db.Write(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := runCLI("report", "--store", path, "--since", "2026-03-01", "--json")
	var rep admin.ReportView
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("--json: exit %d, %v: %s%s", code, err, out, errOut)
	}
	var requests int64
	var rowsCost float64
	for _, r := range rep.Rows {
		requests, rowsCost = requests+r.Requests, rowsCost+r.CostUSD
	}
	if requests != 4 || rowsCost != 2 {
		t.Errorf("the rows count %d requests costing %v, want the live one and the three chat lines, $2", requests, rowsCost)
	}
	want := []admin.BatchReportRow{
		{Deployment: "gpt-4o-mini", Batches: 2, Lines: 3, Forwarded: 2, OnRouter: 1, InRows: 3, CostUSD: 1.5, ForwardedCostUSD: 0.5},
		{Deployment: "text-embedding-3-small", Batches: 1, Lines: 1, OnRouter: 1, CostUSD: 0.125},
	}
	if len(rep.Batches) != 2 || rep.Batches[0] != want[0] || rep.Batches[1] != want[1] {
		t.Errorf("batches:\n got %+v\nwant %+v", rep.Batches, want)
	}
	// switchyard requests list --batch lists one batch's lines.
	code, out, errOut = runCLI("requests", "list", "--store", path, "--batch", "batch_a", "--json")
	var list admin.RequestList
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list.Data) != 2 || list.Data[0].BatchID != "batch_a" || list.Data[1].BatchID != "batch_a" {
		t.Errorf("requests list --batch batch_a: exit %d, %v: %s%s", code, err, out, errOut)
	}
	code, out, errOut = runCLI("report", "--store", path, "--since", "2026-03-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, line := range []string{
		"DEPLOYMENT              BATCHES  LINES  FORWARDED  ON ROUTER  IN ROWS  COST    FORWARDED COST",
		"gpt-4o-mini             2        3      2          1          3        $1.50   $0.50",
		"text-embedding-3-small  1        1      0          1          0        $0.125  $0",
		"total                            4      2          2          3        $1.62   $0.50",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
}
