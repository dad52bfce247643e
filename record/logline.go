package record

import (
	"log/slog"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"switchyard/internal/jsonw"
)

// appendLine appends the log line slog's handler — the JSON one if json,
// else the text one — writes for a record of time t, level, msg and
// attrs, made with options that set nothing but the level: the same
// bytes, without the handler's reflection and per-line buffers.
// Differential tests and a fuzz target hold it to slog's output. It
// writes the values of kinds String, Int64, Float64, Bool and Duration
// (all a record's line has) as slog does; those of other kinds as their
// Value.String, quoted.
func appendLine(dst []byte, t time.Time, level slog.Level, msg string, attrs []slog.Attr, json bool) []byte {
	e := lineEncoder{buf: dst, json: json}
	if json {
		e.buf = append(e.buf, '{')
	}
	e.key(slog.TimeKey)
	e.time(t)
	e.key(slog.LevelKey)
	e.string(level.String())
	e.key(slog.MessageKey)
	e.string(msg)
	for _, a := range attrs {
		e.key(a.Key)
		e.value(a.Value)
	}
	if json {
		e.buf = append(e.buf, '}')
	}
	return append(e.buf, '\n')
}

type lineEncoder struct {
	buf  []byte
	json bool
	sep  bool // a separator goes before the next key
}

func (e *lineEncoder) key(k string) {
	switch {
	case !e.sep:
		e.sep = true
	case e.json:
		e.buf = append(e.buf, ',')
	default:
		e.buf = append(e.buf, ' ')
	}
	e.string(k)
	if e.json {
		e.buf = append(e.buf, ':')
	} else {
		e.buf = append(e.buf, '=')
	}
}

func (e *lineEncoder) time(t time.Time) {
	if !e.json {
		e.buf = appendRFC3339Millis(e.buf, t)
		return
	}
	e.buf = append(e.buf, '"')
	e.buf = t.AppendFormat(e.buf, time.RFC3339Nano)
	e.buf = append(e.buf, '"')
}

// appendRFC3339Millis is slog's text time: RFC 3339 truncated to the
// millisecond, always three digits.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...) // drop the 4th digit
}

func (e *lineEncoder) value(v slog.Value) {
	switch v.Kind() {
	case slog.KindString:
		e.string(v.String())
	case slog.KindInt64:
		e.buf = strconv.AppendInt(e.buf, v.Int64(), 10)
	case slog.KindBool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case slog.KindFloat64:
		e.float(v.Float64())
	case slog.KindDuration:
		if e.json {
			e.buf = strconv.AppendInt(e.buf, int64(v.Duration()), 10)
		} else {
			e.buf = append(e.buf, v.Duration().String()...)
		}
	default:
		e.string(v.String())
	}
}

// float writes f as slog does: strconv's shortest 'g' form in text,
// encoding/json's form in JSON, where NaN and infinities are the error
// encoding/json gives.
func (e *lineEncoder) float(f float64) {
	switch {
	case !e.json:
		e.buf = strconv.AppendFloat(e.buf, f, 'g', -1, 64)
	case f != f || f > maxFloat || f < -maxFloat:
		e.string("!ERROR:json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
	default:
		e.buf = appendJSONFloat(e.buf, f)
	}
}

const maxFloat = 1.7976931348623157e308

// appendJSONFloat writes f as encoding/json does.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := max(f, -f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func (e *lineEncoder) string(s string) {
	switch {
	case e.json:
		e.buf = jsonw.LogString(e.buf, s)
	case needsQuoting(s):
		e.buf = strconv.AppendQuote(e.buf, s)
	default:
		e.buf = append(e.buf, s...)
	}
}

// jsonSafe[c] reports whether ASCII c is written as itself inside a JSON
// string.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// needsQuoting reports whether slog's text handler quotes s.
func needsQuoting(s string) bool {
	if s == "" {
		return true
	}
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b != '\\' && (b == ' ' || b == '=' || !jsonSafe[b]) {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}
