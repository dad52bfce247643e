package statetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/state"
)

// Bench measures each operation of be, one goroutine and then all
// (RunParallel), on a few hot keys as a busy tenant would. It fails the
// benchmark on any error other than a refusal.
func Bench(b *testing.B, be state.Backend) {
	ctx := context.Background()
	ops := []struct {
		name string
		op   func() error
	}{
		{"ReserveSettle", func() error {
			r, err := be.Reserve(ctx, state.BudgetRequest{Key: "bench", Amount: 10, Limit: state.MaxAmount, Period: state.Month, TTL: time.Minute})
			if err != nil {
				return err
			}
			return be.Settle(ctx, r, 9)
		}},
		{"Allow", func() error {
			_, _, err := be.Allow(ctx, "bench", 1, 1_000_000, time.Minute)
			return err
		}},
		{"AcquireRelease", func() error {
			l, ok, err := be.Acquire(ctx, "bench", 1<<20, time.Minute)
			if err != nil || !ok {
				return errors.Join(err, errors.New("semaphore full"))
			}
			return l.Release(ctx)
		}},
		{"Add", func() error {
			_, err := be.Add(ctx, "bench-n", 1, time.Hour)
			return err
		}},
		{"Get", func() error {
			_, _, err := be.Get(ctx, "bench-n")
			return err
		}},
	}
	for _, o := range ops {
		b.Run(o.name, func(b *testing.B) {
			for b.Loop() {
				if err := o.op(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(o.name+"Parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := o.op(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
