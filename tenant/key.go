// Package tenant knows who is calling and holds them to what they may do:
// client and admin keys (from the configuration file, and managed keys
// kept hashed in the store), the tenants they belong to, the routes and
// deployments each may ask for, and the limits on their traffic
// (requests and tokens per minute, requests at once), shared by every
// router process through the state back end.
//
// A Keyring answers "whose key is this?" from memory on every request;
// it reloads the managed keys from the store in the background when they
// change. A Manager creates, lists, revokes and rotates managed keys. A
// Limiter admits a request under its key's and its tenant's limits and
// settles what it used.
//
// See docs/tenants.md.
package tenant

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// A managed key reads "sy-" + its id + "_" + its secret, e.g.
// sy-4kq7m2xw9c1p_3J9…: the id (IDLen characters of lowercase base32)
// names the key in lists and commands; the secret is 32 random bytes,
// base64url. Only the SHA-256 of the whole key is stored: the key is
// shown once, when created.
const (
	// KeyPrefix starts every managed key.
	KeyPrefix = "sy-"
	// IDLen is the length of a key's id.
	IDLen = 12
	// secretLen is the length of the secret part: 32 bytes, base64url.
	secretLen = 43
	// KeyLen is the length of a whole managed key.
	KeyLen = len(KeyPrefix) + IDLen + 1 + secretLen
)

// idAlphabet is lowercase base32 without the letters easily misread.
const idAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewKey returns a fresh managed key and its id, from crypto/rand.
func NewKey() (key, id string) {
	var raw [IDLen]byte
	rand.Read(raw[:]) // crypto/rand.Read never fails (Go 1.24+)
	b := make([]byte, 0, KeyLen)
	b = append(b, KeyPrefix...)
	// 31 letters: rejection-free but slightly uneven (256 % 31 = 8);
	// the id is public and needs only to be unique, not uniform.
	for _, r := range raw {
		b = append(b, idAlphabet[int(r)%len(idAlphabet)])
	}
	id = string(b[len(KeyPrefix):])
	var secret [32]byte
	rand.Read(secret[:])
	b = append(b, '_')
	b = base64.RawURLEncoding.AppendEncode(b, secret[:])
	return string(b), id
}

// ParseKey returns the id of a managed key, and false when s does not
// have a managed key's shape (a configured key, or garbage). It does not
// say whether the key exists.
func ParseKey(s string) (id string, ok bool) {
	if len(s) != KeyLen || !strings.HasPrefix(s, KeyPrefix) || s[len(KeyPrefix)+IDLen] != '_' {
		return "", false
	}
	id = s[len(KeyPrefix) : len(KeyPrefix)+IDLen]
	if !ValidID(id) {
		return "", false
	}
	for i := len(KeyPrefix) + IDLen + 1; i < len(s); i++ {
		if !isBase64URL(s[i]) {
			return "", false
		}
	}
	return id, true
}

// ValidID reports whether s is a well-formed key id.
func ValidID(s string) bool {
	if len(s) != IDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(idAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

func isBase64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// Hash returns the SHA-256 of key, as stored.
func Hash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// Shown is how lists show a managed key: its prefix and id, never the
// secret, e.g. "sy-4kq7m2xw9c1p_…".
func Shown(id string) string { return KeyPrefix + id + "_…" }
