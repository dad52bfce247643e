package tenant

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/state"
	"switchyard/state/memory"
	"switchyard/state/redis"
)

// BenchmarkLookup measures the authentication on every request: a key of
// the file among 10 (each compared in constant time), and a managed key
// among 1,000 (found by id, its SHA-256 compared).
func BenchmarkLookup(b *testing.B) {
	ctx := context.Background()
	c := &config.Config{}
	for i := range 10 {
		c.Auth.Keys = append(c.Auth.Keys, config.Key{Key: fmt.Sprintf("ck-file-key-%02d-0123456789abcdef", i), Tenant: "acme"})
	}
	st := openBenchStore(b)
	m := &Manager{Store: st}
	var key string
	for i := range 1000 {
		cr, err := m.Create(ctx, CLI, Spec{Tenant: fmt.Sprintf("t%d", i%10), Limits: config.Limits{RPM: 100}})
		if err != nil {
			b.Fatal(err)
		}
		key = cr.Key
	}
	k := NewKeyring(Options{Config: c, Store: st})
	if err := k.Load(ctx); err != nil {
		b.Fatal(err)
	}
	b.Run("file key of 10", func(b *testing.B) {
		for b.Loop() {
			if _, s := k.Lookup(c.Auth.Keys[9].Key); s != Valid {
				b.Fatal(s)
			}
		}
	})
	b.Run("managed key of 1000", func(b *testing.B) {
		for b.Loop() {
			if _, s := k.Lookup(key); s != Valid {
				b.Fatal(s)
			}
		}
	})
}

// BenchmarkAdmit measures what a request with every limit pays: requests
// per minute, requests at once and tokens per minute of its key and its
// tenant (six checks), then settling, in memory and on the local Redis
// (checks at once, settling off the request's path, as the router does).
func BenchmarkAdmit(b *testing.B) {
	g := NewGrant("k1", "bot", "acme", config.Access{}, config.Limits{RPM: 1 << 40, TPM: 1 << 40, MaxConcurrent: 1 << 20},
		&config.Tenant{Limits: config.Limits{RPM: 1 << 40, TPM: 1 << 40, MaxConcurrent: 1 << 20}})
	backends := map[string]func(b *testing.B) state.Backend{
		"memory": func(*testing.B) state.Backend { return memory.New(memory.Options{}) },
		"redis": func(b *testing.B) state.Backend {
			r, err := redis.New(redis.Options{Addr: "127.0.0.1:6379", Prefix: fmt.Sprintf("bench-admit-%d:", time.Now().UnixNano())})
			if err != nil {
				b.Fatal(err)
			}
			return r
		},
	}
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			st := backends[name](b)
			defer st.Close()
			l := NewLimiter(st, LimiterOptions{Async: name == "redis"}) // as the router runs them
			defer l.Close()
			ctx := context.Background()
			for b.Loop() {
				t, err := l.Admit(ctx, g)
				if err != nil {
					b.Fatal(err)
				}
				if err := t.ReserveTokens(ctx, 500); err != nil {
					b.Fatal(err)
				}
				t.Done(300)
			}
		})
	}
}
