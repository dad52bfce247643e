package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/api/openai/batch"
	"switchyard/config"
	"switchyard/store"
	"switchyard/store/storetest"
)

// TestBatchesProcessingStatus: GET /admin/batches?processing_status=
// lists the Message Batches in Anthropic's processing statuses (each the
// Batch object's statuses it stands for), filtered by the store's query
// on SQLite and PostgreSQL, a full page at a time; with status= too,
// those in both. A word Anthropic does not use, api=openai, and a status
// none of them stands for are 400s naming processing_status.
func TestBatchesProcessingStatus(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		batchFixtureOn(t, s)
		expires := storetest.Base.Add(24 * time.Hour).Unix()
		for i, b := range []struct{ id, status string }{
			{"msgbatch_d", store.BatchCancelling}, {"msgbatch_e", store.BatchExpired},
			{"batch_f", store.BatchCancelling}, {"msgbatch_g", store.BatchValidating},
		} {
			created := storetest.Base.Add(time.Duration(10+i) * time.Minute)
			o := &batch.Object{ID: b.id, Endpoint: "/v1/messages", Status: b.status, CreatedAt: created.Unix(), ExpiresAt: &expires}
			if err := s.(store.BatchLog).SaveBatch(context.Background(), &store.Batch{ID: b.id, Tenant: acme, KeyName: "app",
				Created: created, Expires: fixedNow.Add(time.Hour), Status: b.status, Object: o.Marshal()}); err != nil {
				t.Fatal(err)
			}
		}
		all := newMux(s, &Principal{Name: "ops", Role: config.RoleViewer})
		for query, want := range map[string][]string{
			"processing_status=in_progress":                          {"msgbatch_g", "msgbatch_b"},
			"processing_status=in_progress&limit=1":                  {"msgbatch_g", "msgbatch_b"},
			"processing_status=canceling":                            {"msgbatch_d"},
			"processing_status=ended":                                {"msgbatch_e"},
			"processing_status=ended,%20canceling&api=anthropic":     {"msgbatch_e", "msgbatch_d"},
			"processing_status=in_progress&status=validating":        {"msgbatch_g"},
			"processing_status=in_progress,ended&status=in_progress": {"msgbatch_b"},
			"processing_status=,":                                    {"msgbatch_g", "batch_f", "msgbatch_e", "msgbatch_d", "batch_c", "msgbatch_b", "batch_a"},
		} {
			if got := listBatchIDs(t, all, query); !slices.Equal(got, want) {
				t.Errorf("%s: %v; want %v", query, got, want)
			}
		}
		for query, says := range map[string]string{
			"processing_status=done":                          `"done" is not a Message Batch's processing status (allowed: in_progress, canceling, ended)`,
			"processing_status=canceling&api=openai":          "api=openai",
			"processing_status=ended&status=in_progress":      "status=in_progress",
			"processing_status=cancelling":                    `"cancelling"`,
			"processing_status=ended&processing_status=ended": "",
		} {
			e := wantError(t, do(all, "/admin/batches?"+query), http.StatusBadRequest, "", "processing_status")
			if !strings.Contains(e.Error.Message, says) {
				t.Errorf("%s: %s; want it to say %s", query, e.Error.Message, says)
			}
		}
	})
}

// listBatchIDs follows the pages of GET /admin/batches?query (at most
// five) and returns the ids listed, checking no page is empty with a
// next.
func listBatchIDs(t *testing.T, h http.Handler, query string) []string {
	t.Helper()
	var ids []string
	for cursor, pages := "", 0; pages < 5; pages++ {
		var page BatchList
		decode(t, do(h, "/admin/batches?"+query+map[bool]string{true: "&cursor=" + cursor}[cursor != ""]), &page)
		ids = append(ids, batchIDsOf(page.Data)...)
		if page.Next != "" && len(page.Data) == 0 {
			t.Errorf("%s: an empty page with a next", query)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	return ids
}
