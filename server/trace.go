package server

import "net/http"

// maxTraceParent bounds the traceparent kept: version 00 is 55 bytes; a
// later version may append fields, but not without bound.
const maxTraceParent = 256

// traceParent returns the request's W3C traceparent header when it sent
// exactly one of a valid shape; a missing or malformed one is ignored (a
// new trace begins, as the W3C Trace Context recommendation says).
func traceParent(h http.Header) (string, bool) {
	vs := h["Traceparent"] // the canonical key: no allocation
	if len(vs) != 1 || !validTraceParent(vs[0]) {
		return "", false
	}
	return vs[0], true
}

// validTraceParent reports whether v is a W3C traceparent:
// version "-" trace-id "-" parent-id "-" flags, in lowercase hex, with 2,
// 32, 16 and 2 digits; the version is not ff, the ids are not all zeros;
// version 00 has nothing more, a later version may add "-" and fields.
func validTraceParent(v string) bool {
	if len(v) < 55 || len(v) > maxTraceParent || v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return false
	}
	if !lowerHex(v[0:2]) || v[0:2] == "ff" || !lowerHex(v[3:35]) || !lowerHex(v[36:52]) || !lowerHex(v[53:55]) {
		return false
	}
	if allZeros(v[3:35]) || allZeros(v[36:52]) {
		return false
	}
	if v[0:2] == "00" {
		return len(v) == 55
	}
	return len(v) == 55 || v[55] == '-'
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func allZeros(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
