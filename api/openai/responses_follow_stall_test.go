package openai_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/background"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// stallingEvents is sqlResponses whose reads of a response's events stop
// answering (they wait for their context's end) from the call numbered
// stallFrom on, while the response itself still loads: a database that
// stalled between two statements.
type stallingEvents struct {
	sqlResponses
	calls, stallFrom atomic.Int32 // stallFrom 0: never
}

func (s *stallingEvents) Events(ctx context.Context, id string, after int64) ([]store.EventBatch, error) {
	if n := s.calls.Add(1); s.stallFrom.Load() > 0 && n >= s.stallFrom.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.sqlResponses.Events(ctx, id, after)
}

// GET /v1/responses/{id}?stream=true of a streamed background response
// that ended reads its events from the store: with those reads stalled,
// it answers a 503 store_unavailable within the store's timeout
// (Handler.StoreTimeout) when the first read stalls, and ends the stream
// when a later one does (the SDKs resume with starting_after). Both
// waited for the database until the request's deadline
// (server.request_timeout), the stream holding its connection silent.
func TestResumeBoundedWhenTheStoreStalls(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bg.db"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	run := background.New(background.Options{Log: db, Lease: 3 * time.Second, Logger: log})
	rs := &stallingEvents{sqlResponses: sqlResponses{db}}
	m := http.NewServeMux()
	(&apiopenai.Handler{Backend: &fakeBackend{}, Responses: rs, Background: run, Logger: log, StoreTimeout: 100 * time.Millisecond}).Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		run.Close(ctx)
		db.Close()
	})
	client := sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
	s := client.Responses.NewStreaming(context.Background(), backgroundParams())
	var id string
	for s.Next() {
		id = s.Current().Response.ID
	}
	if id == "" {
		t.Fatalf("no response streamed: %v", s.Err())
	}
	settle(t, client, id)

	for _, tc := range []struct {
		name      string
		stallFrom int32 // the Events call that stalls, counted from the retrieval's first
		status    int
		body      string
	}{
		{"the first read", 1, http.StatusServiceUnavailable, `"store_unavailable"`},
		{"a read of the stream", 2, http.StatusOK, ""},
	} {
		rs.calls.Store(0)
		rs.stallFrom.Store(tc.stallFrom)
		done := make(chan struct{})
		var status int
		var body []byte
		go func() {
			defer close(done)
			resp, err := http.Get(srv.URL + "/v1/responses/" + id + "?stream=true")
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			body, _ = io.ReadAll(resp.Body)
			status = resp.StatusCode
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			srv.CloseClientConnections() // ends the handler, so that the server closes
			t.Fatalf("%s stalled: GET ?stream=true did not end", tc.name)
		}
		if status != tc.status || !strings.Contains(string(body), tc.body) {
			t.Errorf("%s stalled: %d %s; want %d %s", tc.name, status, body, tc.status, tc.body)
		}
	}
}
