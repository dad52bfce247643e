package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// Run runs the conformance suite; open returns a new, empty store for
// each subtest, closed by the suite.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"WriteSkipsStoredIDs", testDuplicate},
		{"Filters", testFilters},
		{"Pagination", testPagination},
		{"BadQueries", testBadQueries},
		{"TenantIsolation", testTenantIsolation},
		{"Stats", testStats},
		{"StatsByTime", testStatsByTime},
		{"Retention", testRetention},
		{"FeedbackRoundTrip", testFeedbackRoundTrip},
		{"FeedbackLastRatingCounts", testFeedbackLastRatingCounts},
		{"FeedbackTenantIsolation", testFeedbackTenantIsolation},
		{"FeedbackPagination", testFeedbackPagination},
		{"Outcomes", testOutcomes},
		{"FeedbackRetention", testFeedbackRetention},
		{"Snapshots", testSnapshots},
		{"DriftRuns", testDriftRuns},
		{"DriftPins", testDriftPins},
		{"DriftRunPages", testDriftRunPages},
		{"SignalRows", testSignalRows},
		{"KeysRoundTrip", testKeysRoundTrip},
		{"KeysTenantScope", testKeysTenantScope},
		{"KeysRevokeRotate", testKeysRevokeRotate},
		{"KeysConcurrentRotate", testKeysConcurrentRotate},
		{"ResponsesRoundTrip", testResponsesRoundTrip},
		{"ResponsesScope", testResponsesScope},
		{"ResponsesExpiry", testResponsesExpiry},
		{"ResponsesChain", testResponsesChain},
		{"ResponsesChainTenant", testResponsesChainTenant},
		{"ResponsesAncestorExpiry", testResponsesAncestorExpiry},
		{"ResponsesDeleteMiddle", testResponsesDeleteMiddle},
		{"ResponsesSaveRacesErasure", testResponsesSaveRacesErasure},
		{"BackgroundUpdates", testBackgroundUpdates},
		{"BackgroundCancel", testBackgroundCancel},
		{"BackgroundExpiry", testBackgroundExpiry},
		{"BackgroundEvents", testBackgroundEvents},
		{"ConversationsRoundTrip", testConversationsRoundTrip},
		{"ConversationItemsPages", testConversationItemsPages},
		{"ConversationsScope", testConversationsScope},
		{"ConversationItemFind", testConversationItemFind},
		{"ConversationsConcurrentAppends", testConversationsConcurrentAppends},
		{"ConversationsResponseChain", testConversationsResponseChain},
		{"ConversationsErasure", testConversationsErasure},
		{"ConversationsSaveRacesErasure", testConversationsSaveRacesErasure},
		{"ChatCompletionsRoundTrip", testChatRoundTrip},
		{"ChatCompletionsScope", testChatScope},
		{"ChatCompletionsList", testChatList},
		{"ChatCompletionsListManyFiltered", testChatListManyFiltered},
		{"ChatCompletionsExpiry", testChatExpiry},
		{"ChatCompletionsListRare", testChatListRare},
		{"ChatCompletionsFilterAfterUpdate", testChatFilterAfterUpdate},
		{"FilesRoundTrip", testFilesRoundTrip},
		{"FilesScope", testFilesScope},
		{"FilesList", testFilesList},
		{"FilesExpiry", testFilesExpiry},
		{"UploadsRoundTrip", testUploadsRoundTrip},
		{"UploadsCancel", testUploadsCancel},
		{"UploadsScope", testUploadsScope},
		{"UploadsExpiry", testUploadsExpiry},
		{"UploadsParallelParts", testUploadsParallelParts},
		{"BatchesRoundTrip", testBatchesRoundTrip},
		{"BatchesUpdates", testBatchesUpdates},
		{"BatchesLeases", testBatchesLeases},
		{"BatchesLines", testBatchesLines},
		{"BatchesDelete", testBatchesDelete},
		{"BatchesFilter", testBatchesFilter},
		{"BatchesForwards", testBatchesForwards},
		{"BatchesRetries", testBatchesRetries},
		{"BatchUses", testBatchUses},
	}
	for _, h := range historyTests {
		tests = append(tests, struct {
			name string
			fn   func(*testing.T, store.Store)
		}{h.name, func(t *testing.T, s store.Store) { h.fn(t, s) }})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

func write(t *testing.T, s store.Store, rows ...*store.Request) {
	t.Helper()
	if err := s.Write(context.Background(), rows); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

func list(t *testing.T, s store.Store, scope store.Scope, f store.Filter) store.Page {
	t.Helper()
	p, err := s.List(context.Background(), scope, f)
	if err != nil {
		t.Fatalf("List(%+v): %v", f, err)
	}
	return p
}

func ids(rows []*store.Request) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func testRoundTrip(t *testing.T, s store.Store) {
	full := Sample(1)
	full.Time = full.Time.Add(123 * time.Nanosecond)
	full.ErrorKind, full.StreamFailed, full.ResumedFrom, full.Pinned = "upstream", true, "req_x", "o3"
	full.Signals = store.Signals{FormatChecked: true, Refusal: true, ContentFilter: true, Truncated: true,
		Empty: true, InvalidToolCalls: 2, AnswerChars: 7}
	full.Attempts[1].ResumedFrom, full.Attempts[1].Hedge = "req_x#0", true
	full.Bodies = SampleBodies()
	empty := &store.Request{ID: "req_empty", Time: Base, Endpoint: "embeddings", Status: 200}
	write(t, s, full, empty)
	for _, want := range []*store.Request{full, empty} {
		got, err := s.Get(context.Background(), store.TenantScope(want.Tenant), want.ID)
		if err != nil {
			t.Fatalf("Get(%s): %v", want.ID, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Get(%s) =\n%+v\nwant\n%+v", want.ID, got, want)
		}
	}
	// List returns every field but the bodies.
	listed := list(t, s, store.TenantScope(full.Tenant), store.Filter{}).Requests
	withoutBodies := *full
	withoutBodies.Bodies = nil
	if len(listed) != 1 || !reflect.DeepEqual(listed[0], &withoutBodies) {
		t.Errorf("List =\n%+v\nwant\n%+v", listed, []*store.Request{&withoutBodies})
	}
	if _, err := s.Get(context.Background(), store.AllTenants(), "req_missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(missing) error = %v, want ErrNotFound", err)
	}
}

func testDuplicate(t *testing.T, s store.Store) {
	first := Sample(1)
	write(t, s, first)
	again := Sample(1)
	again.Route = "changed"
	write(t, s, again, Sample(2))
	got, err := s.Get(context.Background(), store.AllTenants(), first.ID)
	if err != nil || got.Route != "auto" {
		t.Errorf("after rewriting %s: route %q, %v; want the first row kept", first.ID, got.Route, err)
	}
	if p := list(t, s, store.AllTenants(), store.Filter{}); len(p.Requests) != 2 {
		t.Errorf("List after a duplicate = %v, want 2 rows", ids(p.Requests))
	}
}

func testFilters(t *testing.T, s store.Store) {
	rows := make([]*store.Request, 6)
	for i := range rows {
		rows[i] = Sample(i)
	}
	rows[1].Route, rows[2].Category, rows[3].Deployment = "auto-cheap", "code", "gpt-4o"
	rows[4].Status, rows[4].ErrorKind = 502, "upstream"
	rows[5].StreamFailed, rows[5].ErrorKind = true, "upstream"
	write(t, s, rows...)
	yes, no := true, false
	all := []string{"req_00000005", "req_00000004", "req_00000003", "req_00000002", "req_00000001", "req_00000000"}
	tests := []struct {
		name string
		f    store.Filter
		want []string
	}{
		{"none", store.Filter{}, all},
		{"since", store.Filter{Since: Base.Add(4 * time.Millisecond)}, all[:2]},
		{"until", store.Filter{Until: Base.Add(2 * time.Millisecond)}, all[4:]},
		{"route", store.Filter{Route: "auto-cheap"}, []string{"req_00000001"}},
		{"category", store.Filter{Category: "code"}, []string{"req_00000002"}},
		{"deployment", store.Filter{Deployment: "gpt-4o"}, []string{"req_00000003"}},
		{"status", store.Filter{Status: 502}, []string{"req_00000004"}},
		{"failed", store.Filter{Status: store.StatusError}, all[:2]},
		{"ok", store.Filter{Status: store.StatusOK}, all[2:]},
		{"stream", store.Filter{Stream: &yes}, []string{"req_00000004", "req_00000002", "req_00000000"}},
		{"not stream", store.Filter{Stream: &no}, []string{"req_00000005", "req_00000003", "req_00000001"}},
		{"combined", store.Filter{Route: "auto", Stream: &yes, Status: store.StatusOK}, []string{"req_00000002", "req_00000000"}},
		{"limit", store.Filter{Limit: 2}, all[:2]},
	}
	for _, tt := range tests {
		if got := ids(list(t, s, store.TenantScope("acme"), tt.f).Requests); !slices.Equal(got, tt.want) {
			t.Errorf("%s: List = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// logOf returns s as the log L, failing tb when s keeps no what (is no
// L).
func logOf[L any](tb testing.TB, s store.Store, what string) L {
	tb.Helper()
	l, ok := s.(L)
	if !ok {
		tb.Fatalf("%T keeps no %s (%v)", s, what, reflect.TypeFor[L]())
	}
	return l
}
