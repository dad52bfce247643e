package logreplay

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"switchyard/store"
	"switchyard/store/sqlite"
)

// BenchmarkEvaluate values the policies a route of three deployments gets
// (static, three always, six λ) on a log of 100,000 decisions: go test
// -run XXX -bench Evaluate ./learn/logreplay.
func BenchmarkEvaluate(b *testing.B) {
	w := newWorld(0.3)
	ds := w.sample(1, 100_000)
	ps := policies(w.deps, []float64{w.lambda}, Spec{Lambdas: DefaultLambdas, Explore: AsLogged})
	for _, boot := range []struct {
		name string
		n    int
	}{{"delta", 0}, {"bootstrap200", 200}} {
		b.Run(boot.name, func(b *testing.B) {
			for b.Loop() {
				Evaluate(ds, ps, Options{Bootstrap: boot.n})
			}
		})
	}
}

// BenchmarkLoad reads 20,000 decisions and their feedback from an SQLite
// request log: go test -run XXX -bench Load ./learn/logreplay.
func BenchmarkLoad(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "requests.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n = 20_000
	rows := make([]*store.Request, 0, n)
	var fb []*store.Feedback
	for i := range n {
		id := fmt.Sprintf("r-%06d", i)
		rows = append(rows, decided(id, "auto", []string{"dear", "cheap"}[i%2], 0.5))
		if i%3 != 0 {
			fb = append(fb, &store.Feedback{RequestID: id, Tenant: "acme", Time: t0, Kind: store.KindExplicit, Value: 1})
		}
	}
	ctx := context.Background()
	if err := db.Write(ctx, rows); err != nil {
		b.Fatal(err)
	}
	if err := db.WriteFeedback(ctx, fb); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		log, err := Load(ctx, db, Query{Scope: store.AllTenants()})
		if err != nil || len(log.Routes) != 1 || len(log.Routes[0].Decisions) != n {
			b.Fatalf("%v, %+v", err, log)
		}
	}
}
