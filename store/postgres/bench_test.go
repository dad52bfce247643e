package postgres_test

import (
	"context"
	"testing"

	"switchyard/store/postgres"
	"switchyard/store/storetest"
)

// BenchmarkWritePostgres: go test ./store/postgres/ -run '^$' -bench WritePostgres -benchtime 100000x
func BenchmarkWritePostgres(b *testing.B) {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkWriter(b, s)
}

// BenchmarkSaveResponsePostgres: go test ./store/postgres/ -run '^$' -bench SaveResponsePostgres -benchtime 2000x
func BenchmarkSaveResponsePostgres(b *testing.B) {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkSaveResponse(b, s)
}

// BenchmarkSaveResponseTurn50Postgres: go test ./store/postgres/ -run '^$' -bench SaveResponseTurn50Postgres -benchtime 200x
func BenchmarkSaveResponseTurn50Postgres(b *testing.B) {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkSaveResponseTurn(b, s, 50)
}

// BenchmarkResponseChainDepthPostgres: go test ./store/postgres/ -run '^$' -bench ResponseChainDepthPostgres -benchtime 200x
func BenchmarkResponseChainDepthPostgres(b *testing.B) {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkResponseChainDepth(b, s)
}

// BenchmarkConversationAppendPostgres: go test ./store/postgres/ -run '^$' -bench ConversationAppendPostgres -benchtime 500x
func BenchmarkConversationAppendPostgres(b *testing.B) {
	s, err := postgres.Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkConversationAppend(b, s)
}
