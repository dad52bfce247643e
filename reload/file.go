package reload

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"switchyard/config"
	"switchyard/store"
)

// This file reads the configuration file: at start, on a reload (SIGHUP)
// and when a watch sees it change.

// File is a configuration file read and parsed.
type File struct {
	Data    []byte
	Config  *config.Config
	Secrets config.Secrets
}

// ReadFile reads and parses the configuration file at path; mistakes come
// back as config.Errors naming it.
func ReadFile(path string, getenv func(string) (string, bool)) (*File, error) {
	data, err := config.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseFile(data, path, getenv)
}

// ParseFile parses data as the text of the configuration file at path
// ("" for a configuration without a file, such as the demo's, which
// ReloadFile then cannot read again); mistakes come back as
// config.Errors.
func ParseFile(data []byte, path string, getenv func(string) (string, bool)) (*File, error) {
	cfg, secrets, err := config.ParseText(data, config.ParseOptions{Path: path, Getenv: getenv})
	if err != nil {
		return nil, err
	}
	return &File{Data: data, Config: cfg, Secrets: secrets}, nil
}

// fileRead is the file as a reload read it.
type fileRead struct {
	sum [sha256.Size]byte
}

// ReloadFile reads the file again and applies it, as the file: its
// security section may change, and the router is rebuilt even when the
// text is unchanged (a learned model file may have been retrained). A
// file that does not validate is refused and logged; the running
// configuration stays.
func (m *Manager) ReloadFile(ctx context.Context) (Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opts.Path == "" {
		return Result{}, errors.New("reload: this router's configuration has no file to read again")
	}
	data, err := config.ReadFile(m.opts.Path)
	if err != nil {
		err = fmt.Errorf("reload: read %s: %w", m.opts.Path, err)
		m.refused(ctx, Change{Actor: "file", Source: store.SourceFile}, err)
		m.metrics.reloaded(err)
		return Result{}, err
	}
	return m.reloadText(ctx, data)
}

// reloadText applies data as the file's text; m.mu is held. A text that
// is refused is noted as read all the same, so that a watch does not
// refuse it again before the file changes.
func (m *Manager) reloadText(ctx context.Context, data []byte) (Result, error) {
	sum := sha256.Sum256(data)
	res, err := m.apply(ctx, Change{Text: data, Actor: "file", Source: store.SourceFile}, fromFile, &fileRead{sum: sum})
	if err != nil {
		cur := *m.cur.Load()
		cur.fileSum = sum
		m.cur.Store(&cur)
	}
	m.metrics.reloaded(err)
	return res, err
}

// FileChanged reports whether the file's bytes differ from those last
// read (and applied or refused).
func (m *Manager) FileChanged() (bool, error) {
	data, err := config.ReadFile(m.opts.Path)
	if err != nil {
		return false, err
	}
	return sha256.Sum256(data) != m.cur.Load().fileSum, nil
}

// Watch reloads the file each time its bytes change, checking every
// interval, until ctx ends: once the new bytes are the same at two checks
// in a row, so that a file caught half written is not applied. A file
// that does not validate is refused once, and again only after it
// changes once more.
func (m *Manager) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	w := &watcher{m: m}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.check(ctx)
	}
}

// watcher is Watch's state between two checks.
type watcher struct {
	m *Manager
	// seen is the SHA-256 of the file's bytes at the last check.
	seen [sha256.Size]byte
}

// check applies the file when its bytes differ from those last read and
// are those the previous check saw.
func (w *watcher) check(ctx context.Context) {
	data, err := config.ReadFile(w.m.opts.Path)
	if err != nil {
		return
	}
	sum, last := sha256.Sum256(data), w.seen
	w.seen = sum
	if sum != last || sum == w.m.cur.Load().fileSum {
		return
	}
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	if sum != w.m.cur.Load().fileSum { // not read by a SIGHUP meanwhile
		w.m.reloadText(ctx, data) // logs and audits what it did
	}
}
