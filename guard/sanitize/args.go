package sanitize

import (
	"bytes"
	"encoding/json"
	"strings"
)

// This file sanitizes tool calls' arguments: JSON text that the client
// parses and hands to one of its functions, which may fetch a URL with
// no click at all (a browsing tool, a webhook). A prompt injection can
// make the model call one with the conversation in the URL, or with the
// system prompt as an argument.

// argsRemoved replaces a URL neutralized in an argument (a JSON string:
// no Markdown there).
const argsRemoved = "[link removed]"

// Args sanitizes one tool call's arguments, given piece by piece: text
// outside JSON strings goes out as it comes, and each string is held until
// it closes, then decoded and judged whole — its bare URLs to hosts off the
// allowlist that carry data replaced by "[link removed]" (the string
// encoded again, so the arguments stay valid JSON), its words watched for
// the system prompt. With leaks cut, a string that completes a leak is
// dropped, with everything after it: the arguments end there. Not safe
// for concurrent use.
type Args struct {
	hosts *Hosts // nil: URLs are kept
	leak  *leaker
	cut   bool // a leak ends the arguments
	// inString and escaped follow the JSON text; held is the string being
	// read, its opening quote included.
	inString, escaped bool
	held              []byte
	urls              int
	done              bool
}

// NewArgs starts the arguments of one tool call of an answer to a
// request whose system prompt is system; nil when s neither neutralizes
// links nor watches leaks (a nil *Args passes everything).
func (s *Sanitizer) NewArgs(system string) *Args {
	if !s.Active() {
		return nil
	}
	a := &Args{cut: s.leak == LeakCut}
	if s.links {
		a.hosts = &s.hosts
	}
	if s.leak != LeakOff {
		if set := newShingles(system); set != nil {
			a.leak = &leaker{set: set}
		}
	}
	return a
}

// Write takes the next piece of the arguments and returns the text that
// may go to the client now; "" after a cut.
func (a *Args) Write(piece string) string {
	if a == nil {
		return piece
	}
	if a.done {
		return ""
	}
	var out []byte
	for i := 0; i < len(piece); i++ {
		c := piece[i]
		if !a.inString {
			j := strings.IndexByte(piece[i:], '"')
			if j < 0 {
				out = append(out, piece[i:]...)
				break
			}
			out = append(out, piece[i:i+j]...)
			i += j
			a.inString, a.held = true, append(a.held[:0], '"')
			continue
		}
		a.held = append(a.held, c)
		switch {
		case a.escaped:
			a.escaped = false
		case c == '\\':
			a.escaped = true
		case c == '"':
			a.inString = false
			s, ok := a.judge(a.held, true)
			if !ok {
				return string(out)
			}
			out = append(out, s...)
		}
	}
	return string(out)
}

// Close ends the arguments and returns the rest that may go to the
// client: a string left open, judged as it is.
func (a *Args) Close() string {
	if a == nil || a.done || !a.inString {
		return ""
	}
	a.inString = false
	s, _ := a.judge(a.held, false)
	a.done = true
	return string(s)
}

// Cut reports that the arguments were cut at a leak.
func (a *Args) Cut() bool { return a != nil && a.done && a.leak != nil && a.leak.found && a.cut }

// Findings returns what was found so far: the URLs neutralized, and a
// leak.
func (a *Args) Findings() Findings {
	if a == nil {
		return Findings{}
	}
	return Findings{URLs: a.urls, Leak: a.leak != nil && a.leak.found}
}

// judge returns the JSON string raw (closed or not) as it may go out,
// and false when it completes a leak in cut mode (it must not go out).
func (a *Args) judge(raw []byte, closed bool) ([]byte, bool) {
	text, decoded := decodeString(raw, closed)
	if a.leak != nil {
		a.leak.write([]byte(text+" "), false)
		if a.leak.found && a.cut {
			a.done = true
			return nil, false
		}
	}
	if a.hosts == nil {
		return raw, true
	}
	clean, n := neutralizeURLs(text, a.hosts)
	if n == 0 {
		return raw, true
	}
	a.urls += n
	if !decoded { // not valid JSON: its text cannot be encoded back as it was
		return []byte(`"` + argsRemoved + `"`), true
	}
	return encodeString(clean, closed), true
}

// decodeString returns the text of the JSON string raw (its opening
// quote included; its closing one too when closed), and false when it is
// not a valid JSON string (the text is then raw's bytes as they are).
func decodeString(raw []byte, closed bool) (string, bool) {
	q := raw
	if !closed {
		q = append(bytes.Clone(raw), '"')
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return string(raw[1:]), false
	}
	return s, true
}

// encodeString encodes s as a JSON string, without its closing quote
// when it was not closed.
func encodeString(s string, closed bool) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	out := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if !closed {
		out = out[:len(out)-1]
	}
	return out
}

// neutralizeURLs replaces, in text (a whole value, not Markdown), each
// bare URL bare would neutralize by argsRemoved; it returns the text and
// how many it replaced.
func neutralizeURLs(text string, hosts *Hosts) (string, int) {
	b := []byte(text)
	var out []byte
	n, last := 0, 0
	for k := 0; k < len(b); k++ {
		if !mayStart[b[k]] || !boundary(b, k, false) {
			continue
		}
		open, _ := opensURL(b[k:], true)
		if open == 0 {
			continue
		}
		end, _ := bareEnd(b[k:], open, true, &endsArgURL)
		v := judgeBare(b[k:k+end], hosts)
		if !v.refuse {
			k += end - 1
			continue
		}
		out = append(append(out, b[last:k]...), argsRemoved...)
		n++
		last = k + v.n
		k = last - 1
	}
	if n == 0 {
		return text, 0
	}
	return string(append(out, b[last:]...)), n
}
