package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// parseText parses one line of slog's text format (key=value pairs,
// values quoted when they need it) and reports whether it is well formed.
func parseText(line string) (map[string]string, bool) {
	out := map[string]string{}
	rest := strings.TrimSuffix(line, "\n")
	for rest != "" {
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 || strings.ContainsFunc(rest[:eq], unicode.IsSpace) {
			return nil, false
		}
		key, val := rest[:eq], rest[eq+1:]
		var end int
		if strings.HasPrefix(val, `"`) {
			q, err := strconv.QuotedPrefix(val)
			if err != nil {
				return nil, false
			}
			end = len(q)
			out[key], _ = strconv.Unquote(q)
		} else {
			end = strings.IndexByte(val, ' ')
			if end < 0 {
				end = len(val)
			}
			out[key] = val[:end]
		}
		rest = strings.TrimPrefix(val[end:], " ")
	}
	return out, true
}

// TestLoggerFormats: the configured format applies unless the flag sets
// one, and every line of either format parses back to its fields.
func TestLoggerFormats(t *testing.T) {
	tests := []struct {
		configured, flag string
		json             bool
	}{
		{"", "", false},
		{"text", "", false},
		{"json", "", true},
		{"json", "text", false},
		{"", "json", true},
		{"text", "json", true},
	}
	const tricky = `a "quoted" value with spaces, = and a newline
here`
	for _, tt := range tests {
		var buf bytes.Buffer
		log := newLogger(&buf, tt.configured, tt.flag)
		log.Info("request", "request_id", "req_1", "route", tricky, "latency", 1500*time.Millisecond)
		log.Warn("store: write failed", "err", "database is down")
		lines := strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if len(lines) != 2 {
			t.Fatalf("%+v: %d lines, want 2: %q", tt, len(lines), buf.String())
		}
		for i, line := range lines {
			var fields map[string]any
			if tt.json {
				if err := json.Unmarshal([]byte(line), &fields); err != nil {
					t.Fatalf("%+v: line %d is not JSON: %v: %q", tt, i, err, line)
				}
			} else {
				kv, ok := parseText(line)
				if !ok {
					t.Fatalf("%+v: line %d is not key=value text: %q", tt, i, line)
				}
				fields = map[string]any{}
				for k, v := range kv {
					fields[k] = v
				}
			}
			if fields["time"] == nil || fields["level"] == nil || fields["msg"] == nil {
				t.Errorf("%+v: line %d lacks time, level or msg: %v", tt, i, fields)
			}
			if i == 0 && (fields["request_id"] != "req_1" || fields["route"] != tricky) {
				t.Errorf("%+v: fields %v do not round-trip", tt, fields)
			}
		}
	}
}

func TestServeRejectsUnknownLogFormat(t *testing.T) {
	var stderr bytes.Buffer
	if code := serveCmd([]string{"--demo", "--log-format", "xml"}, &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), `--log-format "xml": want text or json`) {
		t.Errorf("stderr = %q", stderr.String())
	}
}

// TestServeLogsEachRequest: serve writes one line per request to its log,
// in the format asked for, with the request's fields — and writes it
// before it exits, however soon after the request it is stopped.
func TestServeLogsEachRequest(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var logs syncBuffer
			_, addr, stop := startServeLogging(t, &logs, "--demo", "--sim-latency", "0", "--addr", "127.0.0.1:0",
				"--store", filepath.Join(t.TempDir(), "demo.db"), "--log-format", format)
			tr := &http.Transport{}
			id, ok := askWhole(tr, "http://"+addr+"/v1/chat/completions", false)
			tr.CloseIdleConnections()
			if code := stop(); code != 0 || !ok {
				t.Fatalf("serve exit %d, answered %v", code, ok)
			}
			var lines []map[string]any
			for line := range strings.Lines(logs.String()) {
				fields := map[string]any{}
				if format == "json" {
					if err := json.Unmarshal([]byte(line), &fields); err != nil {
						t.Fatalf("a line is not JSON: %v: %q", err, line)
					}
				} else {
					kv, ok := parseText(line)
					if !ok {
						t.Fatalf("a line is not key=value text: %q", line)
					}
					for k, v := range kv {
						fields[k] = v
					}
				}
				if fields["msg"] == "request" {
					lines = append(lines, fields)
				}
			}
			if len(lines) != 1 {
				t.Fatalf("%d request lines, want 1:\n%s", len(lines), logs.String())
			}
			l := lines[0]
			if l["request_id"] != id || l["endpoint"] != "chat" || l["route"] != "auto" || l["level"] != "INFO" ||
				l["time"] == nil || l["deployment"] == nil || l["latency"] == nil {
				t.Errorf("request line %v, want request_id %s, endpoint chat, route auto, a deployment and a latency", l, id)
			}
		})
	}
}
