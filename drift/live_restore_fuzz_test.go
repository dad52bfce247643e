package drift

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// snapshotBytes is a store.Snapshots holding one snapshot's bytes.
type snapshotBytes []byte

func (s snapshotBytes) SaveSnapshot(context.Context, string, time.Time, []byte) error { return nil }

func (s snapshotBytes) LoadSnapshot(context.Context, string) ([]byte, time.Time, error) {
	return s, time.Time{}, nil
}

// FuzzRestoreLiveDemotions: any stored snapshot of the live demotions is
// refused with an error or restored: one demotion on its route for each
// path it holds, and no other.
func FuzzRestoreLiveDemotions(f *testing.F) {
	for _, s := range []string{
		`[{"path":{"route":"auto","category":"code","deployment":"gpt-4o"},"since":"2026-05-04T12:00:00Z","reason":"quality drift in live traffic on route auto, category code: refusal_rate","evidence":[{"metric":"refusal_rate","p":0.001}],"reference":{}}]`,
		`[{"path":{"route":"auto","category":"code","deployment":"a"}},{"path":{"route":"auto","category":"code","deployment":"a"},"reason":"again"}]`,
		`[]`, `null`, `{}`, `[{}]`, `[1]`, `[{"since":"yesterday"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ld := &LiveDemoter{Demoter: &Demoter{}, Snapshots: snapshotBytes(data)}
		if err := ld.Restore(context.Background()); err != nil {
			return
		}
		var kept []*liveDemotion
		if err := json.Unmarshal(data, &kept); err != nil {
			t.Fatalf("restored a snapshot that does not decode: %v", err)
		}
		paths := map[Path]bool{}
		for _, k := range kept {
			if k != nil {
				paths[k.Path] = true
			}
		}
		list := ld.Demoter.List()
		if len(list) != len(paths) {
			t.Fatalf("%d demotions restored of %d paths", len(list), len(paths))
		}
		for _, dm := range list {
			if p := (Path{Route: dm.Route, Category: dm.Category, Deployment: dm.Deployment}); !paths[p] || dm.Source != SourceLive {
				t.Fatalf("restored %+v, not one of the snapshot's paths", dm)
			}
		}
	})
}
