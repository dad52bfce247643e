package server

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// Every stored-response write is counted by outcome and timed (the
// response's last bytes wait for it); a write that fails is counted as
// failed, not only logged; one whose parent is no longer kept is counted
// apart (it is written again whole).
func TestResponseSavesAreCounted(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Responses: config.Responses{Retention: config.DefaultResponsesRetention}}
	reg := prometheus.NewRegistry()
	s := newResponseStore(db, func() *config.Config { return cfg }, slog.New(slog.DiscardHandler), reg, newStoredContent(func() *config.Config { return cfg }, slog.New(slog.DiscardHandler), nil))
	r := &store.Response{ID: "resp_1", Model: "m", Status: "completed", Object: []byte(`{}`), Input: []byte(`[]`), Output: []byte(`[]`)}
	if err := s.Save(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	child := *r
	child.ID, child.Parent = "resp_child", "resp_gone"
	if err := s.Save(context.Background(), &child); !errors.Is(err, store.ErrParentNotFound) {
		t.Fatalf("a save continuing an unknown response: %v", err)
	}
	db.Close()
	r.ID = "resp_2"
	if err := s.Save(context.Background(), r); err == nil {
		t.Fatal("a save to a closed store succeeded")
	}
	if ok, failed := testutil.ToFloat64(s.saved.WithLabelValues("ok")), testutil.ToFloat64(s.saved.WithLabelValues("failed")); ok != 1 || failed != 1 {
		t.Errorf("saved ok %v, failed %v; want 1 and 1", ok, failed)
	}
	if gone := testutil.ToFloat64(s.saved.WithLabelValues("parent_gone")); gone != 1 {
		t.Errorf("saved parent_gone %v, want 1", gone)
	}
	if n := testutil.CollectAndCount(reg, "switchyard_responses_save_seconds"); n != 1 {
		t.Errorf("save time series: %d", n)
	}
}
