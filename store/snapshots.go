package store

import (
	"context"
	"time"
)

// Snapshots keeps named snapshots of learned state: the adaptive
// scorer's statistics, saved periodically and read back at start (see
// docs/adaptive.md). Each name holds one snapshot; saving replaces it.
//
// SaveSnapshot stores data under name as of at. LoadSnapshot returns the
// data and its time, or ErrNotFound when nothing was saved under name.
type Snapshots interface {
	SaveSnapshot(ctx context.Context, name string, at time.Time, data []byte) error
	LoadSnapshot(ctx context.Context, name string) (data []byte, at time.Time, err error)
}
