// Package inject scores chat requests for prompt injection and jailbreak
// attempts, on the CPU in microseconds, with no I/O: instruction
// overrides ("ignore previous instructions"), role-play jailbreaks (the
// DAN family, developer mode), system-prompt extraction, requests for
// what the system prompt guards, encoded or disguised payloads (base64,
// hex, %-escapes, rot13, leetspeak, look-alike letters, invisible and tag
// characters, spaced letters: decoded or folded and scanned again), and
// instructions hidden in tool results, where they weigh more.
//
// The score combines hand-written linguistic features, whose weights start
// from the author's prior, with a small learned model (hashed words, word
// pairs and word-class n-grams, logistic regression), trained by
// `switchyard guard train` (package switchyard/guard/inject/train) and
// embedded. docs/security.md gives the method, the held-out measurements
// and the command that reproduces them.
package inject
