package main

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"switchyard/config"
)

// checkLogFormat returns an error unless format is "" or one of
// config.LogFormats.
func checkLogFormat(format string) error {
	if format != "" && !slices.Contains(config.LogFormats, format) {
		return fmt.Errorf("--log-format %q: want %s", format, strings.Join(config.LogFormats, " or "))
	}
	return nil
}

// newLogger returns the router's logger writing to w: JSON lines for
// config.LogJSON, key=value text otherwise. flag, when set, overrides the
// configured format.
func newLogger(w io.Writer, configured, flag string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if logJSON(configured, flag) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logJSON reports whether the log is JSON lines: flag, when set,
// overrides the configured format.
func logJSON(configured, flag string) bool {
	if flag != "" {
		return flag == config.LogJSON
	}
	return configured == config.LogJSON
}

// lockedWriter serializes the writes to w of the router's logger and of
// its request log lines (record.LineSink), which write from different
// goroutines: each Write reaches w whole, whatever w is.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
