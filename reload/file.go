package reload

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
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
	data, err := os.ReadFile(path)
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
	data, err := os.ReadFile(m.opts.Path)
	if err != nil {
		err = fmt.Errorf("reload: read %s: %w", m.opts.Path, err)
		m.refused(ctx, Change{Actor: "file", Source: store.SourceFile}, err)
		return Result{}, err
	}
	return m.apply(ctx, Change{Text: data, Actor: "file", Source: store.SourceFile}, fromFile, &fileRead{sum: sha256.Sum256(data)})
}

// FileChanged reports whether the file's bytes differ from those last
// read (and applied or refused).
func (m *Manager) FileChanged() (bool, error) {
	data, err := os.ReadFile(m.opts.Path)
	if err != nil {
		return false, err
	}
	return sha256.Sum256(data) != m.cur.Load().fileSum, nil
}

// Watch reloads the file each time its bytes change, checking every
// interval, until ctx ends. A file that does not validate is refused once,
// and again only after it changes once more.
func (m *Manager) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if changed, err := m.FileChanged(); err != nil || !changed {
			continue
		}
		if _, err := m.ReloadFile(ctx); err != nil {
			m.markRead()
		}
	}
}

// markRead notes the file's current bytes as read, so that a watch does
// not refuse the same bad file over and over.
func (m *Manager) markRead() {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, err := os.ReadFile(m.opts.Path)
	if err != nil {
		return
	}
	cur := *m.cur.Load()
	cur.fileSum = sha256.Sum256(data)
	m.cur.Store(&cur)
}
