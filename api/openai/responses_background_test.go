package openai_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/background"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// sqlResponses keeps the responses of one tenant in SQLite, as the
// server's store does for each caller: a ResponseStore and a
// BackgroundStore.
type sqlResponses struct{ db *sqlite.DB }

const testTenant = "acme"

var scopeT = store.TenantScope(testTenant)

func (s sqlResponses) Storing() bool { return true }

func (s sqlResponses) Save(ctx context.Context, r *store.Response) error {
	r.Tenant, r.Created = testTenant, time.Now()
	r.Expires = r.Created.Add(time.Hour)
	return s.db.SaveResponse(ctx, r)
}

func (s sqlResponses) Load(ctx context.Context, id string) (*store.Response, error) {
	return s.db.GetResponse(ctx, scopeT, id, time.Now())
}

func (s sqlResponses) Chain(ctx context.Context, id string) ([]*store.Response, error) {
	return s.db.ResponseChain(ctx, scopeT, id, time.Now())
}

func (s sqlResponses) Delete(ctx context.Context, id string) error {
	return s.db.DeleteResponse(ctx, scopeT, id, time.Now())
}

func (s sqlResponses) Update(ctx context.Context, u *store.BackgroundUpdate) error {
	u.Tenant = testTenant
	return s.db.UpdateBackground(ctx, u)
}

func (s sqlResponses) Cancel(ctx context.Context, id string, object []byte) (bool, error) {
	return s.db.CancelResponse(ctx, scopeT, id, object, time.Now())
}

func (s sqlResponses) AppendEvents(ctx context.Context, id string, b store.EventBatch) error {
	return s.db.AppendEvents(ctx, testTenant, id, b)
}

func (s sqlResponses) Events(ctx context.Context, id string, after int64) ([]store.EventBatch, error) {
	return s.db.Events(ctx, scopeT, id, after, time.Now())
}

// bgServer serves the API over b with background responses kept in a
// SQLite store of the test's own, run by a runner of opts.
func bgServer(t *testing.T, b *fakeBackend, opts background.Options) (*httptest.Server, sdk.Client) {
	t.Helper()
	return bgServerWith(t, b, opts, func(*apiopenai.Handler) {})
}

// bgServerWith is bgServer with the handler set up by configure too.
func bgServerWith(t *testing.T, b *fakeBackend, opts background.Options, configure func(*apiopenai.Handler)) (*httptest.Server, sdk.Client) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "bg.db"))
	if err != nil {
		t.Fatal(err)
	}
	opts.Log, opts.Lease, opts.Logger = db, 3*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil))
	run := background.New(opts)
	m := http.NewServeMux()
	h := &apiopenai.Handler{Backend: b, Responses: sqlResponses{db}, Background: run, Logger: opts.Logger}
	configure(h)
	h.Mount(m)
	srv := httptest.NewServer(m)
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		run.Close(ctx)
		db.Close()
	})
	return srv, sdk.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("k"), option.WithMaxRetries(0))
}

// settle polls the response id until it leaves queued and in_progress.
func settle(t *testing.T, c sdk.Client, id string) *responses.Response {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r, err := c.Responses.Get(context.Background(), id, responses.ResponseGetParams{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != responses.ResponseStatusQueued && r.Status != responses.ResponseStatusInProgress {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still %s", id, r.Status)
		}
	}
}

func backgroundParams() responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: "m", Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("hi")}, Background: sdk.Bool(true)}
}

// A background run that fails ends failed with what its client reads:
// the upstream's error, the timeout of the runner, or, for a run that
// panicked, an internal error (and the router goes on).
func TestBackgroundRunFailures(t *testing.T) {
	upstream := &llm.Error{Kind: llm.KindUpstream, Message: "the upstream broke"}
	for _, c := range []struct {
		name    string
		chat    func(ctx context.Context, _ *llm.Request) (*llm.Response, error)
		timeout time.Duration
		message string
	}{
		{"upstream error", func(context.Context, *llm.Request) (*llm.Response, error) { return nil, upstream }, 0, "the upstream broke"},
		{"panic", func(context.Context, *llm.Request) (*llm.Response, error) { panic("boom") }, 0, "internal error; the request id is"},
		{"timeout", func(ctx context.Context, _ *llm.Request) (*llm.Response, error) { <-ctx.Done(); return nil, ctx.Err() },
			50 * time.Millisecond, "responses.background.timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, client := bgServer(t, &fakeBackend{ChatFunc: c.chat}, background.Options{Timeout: c.timeout})
			created, err := client.Responses.New(context.Background(), backgroundParams())
			if err != nil || created.Status != responses.ResponseStatusQueued {
				t.Fatalf("created: %v %v", created, err)
			}
			got := settle(t, client, created.ID)
			if got.Status != responses.ResponseStatusFailed || !strings.Contains(got.Error.Message, c.message) {
				t.Errorf("ended %s: %s", got.Status, got.RawJSON())
			}
		})
	}
}

// A streamed run that panics mid-stream ends failed, its events with
// response.failed and an error event.
func TestBackgroundStreamPanics(t *testing.T) {
	b := &fakeBackend{StreamFunc: func(ctx context.Context, _ *llm.Request) (llm.Stream, error) {
		return &panicking{llmtest.NewStream(ctx, llmtest.Event{Chunk: &llm.Chunk{Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Li"}}}}})}, nil
	}}
	_, client := bgServer(t, b, background.Options{})
	s := client.Responses.NewStreaming(context.Background(), backgroundParams())
	var types []string
	for s.Next() {
		types = append(types, s.Current().Type)
	}
	if got := strings.Join(types, " "); !strings.HasSuffix(got, "response.output_text.delta response.failed") || s.Err() == nil ||
		!strings.Contains(s.Err().Error(), "internal error") {
		t.Errorf("events %s, then %v", got, s.Err())
	}
}

// panicking is a stream that panics once its events are read.
type panicking struct{ llm.Stream }

func (p *panicking) Next() (*llm.Chunk, error) {
	c, err := p.Stream.Next()
	if errors.Is(err, io.EOF) {
		panic("boom")
	}
	return c, err
}

// A running response cannot be continued; deleting it stops its run.
func TestBackgroundRunningResponse(t *testing.T) {
	stopped := make(chan struct{})
	b := &fakeBackend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
		<-ctx.Done()
		close(stopped)
		return nil, ctx.Err()
	}}
	_, client := bgServer(t, b, background.Options{})
	created, err := client.Responses.New(context.Background(), backgroundParams())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r, err := client.Responses.Get(context.Background(), created.ID, responses.ResponseGetParams{})
		if err == nil && r.Status == responses.ResponseStatusInProgress {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not in progress: %v %v", r, err)
		}
	}
	_, err = client.Responses.New(context.Background(), responses.ResponseNewParams{Model: "m", PreviousResponseID: sdk.String(created.ID),
		Input: responses.ResponseNewParamsInputUnion{OfString: sdk.String("and?")}})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "previous_response_id" || !strings.Contains(apiErr.Message, "still in progress") {
		t.Errorf("continuing a running response: %v", err)
	}
	if err := client.Responses.Delete(context.Background(), created.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the run went on after its response was deleted")
	}
}
