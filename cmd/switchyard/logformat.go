package main

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

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
	format := configured
	if flag != "" {
		format = flag
	}
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == config.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
