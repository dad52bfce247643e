package sqlite_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/storetest"
)

// BenchmarkWriteSQLite: go test ./store/sqlite/ -run '^$' -bench WriteSQLite -benchtime 200000x
func BenchmarkWriteSQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	storetest.BenchmarkWriter(b, s)
}

// BenchmarkSaveResponseSQLite: go test ./store/sqlite/ -run '^$' -bench SaveResponseSQLite -benchtime 2000x
func BenchmarkSaveResponseSQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	storetest.BenchmarkSaveResponse(b, s)
}

// BenchmarkWriteIDOrder writes rows in batches of 80 (a router's batch at
// 400 requests/s every 200 ms) into a table that already holds 100,000,
// with request ids made as the router made them before (12 random bytes)
// and as it makes them now (the Unix second, then 8 random bytes; 400
// requests a second here). Random ids put each row on a random page of
// the primary key's index.
//
//	go test ./store/sqlite/ -run '^$' -bench WriteIDOrder -benchtime 20000x
func BenchmarkWriteIDOrder(b *testing.B) {
	for _, order := range []string{"random", "time-ordered"} {
		b.Run(order, func(b *testing.B) {
			s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
			defer s.Close()
			ids := &idMaker{timeOrdered: order == "time-ordered"}
			writeBatches(b, s, 100_000, ids)
			b.ReportAllocs()
			b.ResetTimer()
			writeBatches(b, s, b.N, ids)
		})
	}
}

// idMaker makes request ids, random or led by a second that advances
// every 400 ids.
type idMaker struct {
	timeOrdered bool
	n           int
}

func (m *idMaker) next() string {
	var b [12]byte
	rand.Read(b[:])
	if m.timeOrdered {
		binary.BigEndian.PutUint32(b[:4], uint32(1_800_000_000+m.n/400))
	}
	m.n++
	return "req_" + hex.EncodeToString(b[:])
}

// writeBatches writes n sample rows with ids from ids, 80 to a batch.
func writeBatches(b *testing.B, s store.Store, n int, ids *idMaker) {
	ctx := context.Background()
	batch := make([]*store.Request, 0, 80)
	for i := range n {
		r := storetest.Sample(ids.n)
		r.ID = ids.next()
		batch = append(batch, r)
		if len(batch) == cap(batch) || i == n-1 {
			if err := s.Write(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkSaveResponseTurn50SQLite: go test ./store/sqlite/ -run '^$' -bench SaveResponseTurn50SQLite -benchtime 200x
func BenchmarkSaveResponseTurn50SQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	storetest.BenchmarkSaveResponseTurn(b, s, 50)
}

// BenchmarkResponseChainDepthSQLite: go test ./store/sqlite/ -run '^$' -bench ResponseChainDepthSQLite -benchtime 200x
func BenchmarkResponseChainDepthSQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	storetest.BenchmarkResponseChainDepth(b, s)
}

// BenchmarkConversationAppendSQLite: go test ./store/sqlite/ -run '^$' -bench ConversationAppendSQLite -benchtime 500x
func BenchmarkConversationAppendSQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	storetest.BenchmarkConversationAppend(b, s)
}

// BenchmarkWriteFeedbackSQLite writes one explicit rating per op, as each
// POST /v1/feedback does.
//
//	go test ./store/sqlite/ -run '^$' -bench WriteFeedbackSQLite -benchtime 5000x
func BenchmarkWriteFeedbackSQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	ctx := context.Background()
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f := &store.Feedback{RequestID: fmt.Sprintf("req_%08d", i), Time: now, Kind: store.KindExplicit, Value: 1,
			Evidence: store.Evidence{Thumbs: "up"}}
		if err := s.WriteFeedback(ctx, []*store.Feedback{f}); err != nil {
			b.Fatal(err)
		}
	}
}
