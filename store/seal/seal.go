// Package seal encrypts the content the request store keeps of the
// users' conversations at rest (the Responses API's stored responses, the
// Conversations API's items and metadata; docs/security.md#stored-responses):
// AES-256-GCM with a fresh random nonce per value, and the value's place
// (its table, column, tenant and row id) as additional data, so that a
// sealed value copied to another row, column or tenant does not open.
//
// A sealed value starts with a header: the format byte (Format) and the
// id of the key it was sealed under (the first 8 bytes of the key's
// SHA-256), so that values sealed under an earlier key still open while
// that key is among the previous ones (rotation). A value that does not
// start with a header byte is clear (written before encryption was on):
// the store's content is JSON, which never starts with one. It imports
// nothing of the project.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Format is the first byte of a value sealed as this package seals it:
// the header (Format, then the KeyID), the 12-byte nonce, the ciphertext
// and the 16-byte GCM tag.
const Format byte = 1

// KeySize is the size of a key: AES-256.
const KeySize = 32

const (
	idSize     = 8
	headerSize = 1 + idSize
	// Overhead is how much longer a sealed value is than its content:
	// the header, the nonce and the tag.
	Overhead = headerSize + 12 + 16
)

// KeyID names a key in the header of the values sealed under it: the
// first 8 bytes of the key's SHA-256. It says which key a value needs,
// not the key.
type KeyID [idSize]byte

// String is the id in hex, as logs and errors show it.
func (id KeyID) String() string { return hex.EncodeToString(id[:]) }

// IDOf returns the id of key.
func IDOf(key []byte) KeyID {
	sum := sha256.Sum256(key)
	return KeyID(sum[:idSize])
}

// The errors Open returns (besides *MissingKeyError); test them with
// errors.Is.
var (
	// ErrAltered: the value does not open under the key its header
	// names: it was altered, or moved from another row, column or tenant
	// (its additional data differs).
	ErrAltered = errors.New("seal: the sealed value does not open: altered, or moved from another row or tenant")
	// ErrMalformed: the value starts like a sealed one but is too short
	// to be one, or its format is not Format (a newer router's).
	ErrMalformed = errors.New("seal: malformed sealed value")
)

// MissingKeyError is the error of a value sealed under a key the Keys do
// not hold (or of any sealed value when encryption is off).
type MissingKeyError struct{ ID KeyID }

func (e *MissingKeyError) Error() string {
	return "seal: the value is sealed under key " + e.ID.String() + ", which is not configured (responses.encryption.key or previous_keys)"
}

// Sealed reports whether v is a sealed value (or claims to be one): it
// starts with a control byte other than JSON's whitespace. Clear values
// are JSON and never do.
func Sealed(v []byte) bool {
	return len(v) > 0 && v[0] < 0x20 && v[0] != '\t' && v[0] != '\n' && v[0] != '\r'
}

// ParseKey returns the key s writes: 32 bytes as base64 (standard or URL
// alphabet, padded or not: 43 or 44 characters) or as 64 hex digits,
// spaces around it ignored. Its error never holds s.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KeySize {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("is not a key: want 32 bytes written as base64 (44 characters, as `openssl rand -base64 32` prints) or as 64 hex digits; this value has %d characters and is neither", len(s))
}

// Keys seals values under the current key and opens those sealed under
// it or a previous one. A nil *Keys seals nothing (values are stored
// clear) and opens only clear values. Keys is immutable and safe for
// concurrent use.
type Keys struct {
	current KeyID
	// sealing says whether there is a current key.
	sealing bool
	byID    map[KeyID]cipher.AEAD
	// blind holds the key of the blind indexes (Blind) of each key;
	// order is their ids, current first, as New was given them.
	blind map[KeyID][]byte
	order []KeyID
}

// New returns the Keys sealing under current and opening under current
// and each of previous. Every key must be KeySize bytes (ParseKey). A
// nil current seals nothing and opens what previous sealed (encryption
// turned off, the rows sealed before still read).
func New(current []byte, previous ...[]byte) (*Keys, error) {
	k := &Keys{byID: make(map[KeyID]cipher.AEAD, 1+len(previous)), blind: make(map[KeyID][]byte, 1+len(previous))}
	all := previous
	if current != nil {
		k.current, k.sealing = IDOf(current), true
		all = append([][]byte{current}, previous...)
	}
	for i, key := range all {
		if len(key) != KeySize {
			return nil, fmt.Errorf("seal: key %d is %d bytes, want %d", i, len(key), KeySize)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("seal: key %d: %w", i, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("seal: key %d: %w", i, err)
		}
		id := IDOf(key)
		if _, dup := k.byID[id]; !dup {
			k.order = append(k.order, id)
		}
		k.byID[id], k.blind[id] = aead, blindKey(key)
	}
	return k, nil
}

// Current returns the id of the key values are sealed under (zero when
// k seals nothing).
func (k *Keys) Current() KeyID {
	if k == nil {
		return KeyID{}
	}
	return k.current
}

// Sealing reports whether k seals the values it is given: k is not nil
// and has a current key.
func (k *Keys) Sealing() bool { return k != nil && k.sealing }

// Seal returns plain sealed under the current key with ad as additional
// data (Place), in a new slice; plain itself when k seals nothing.
func (k *Keys) Seal(plain, ad []byte) []byte {
	if !k.Sealing() {
		return plain
	}
	aead := k.byID[k.current]
	out := make([]byte, headerSize, headerSize+len(plain)+aead.Overhead())
	out[0] = Format
	copy(out[1:], k.current[:])
	return aead.Seal(out, nil, plain, ad)
}

// Open returns the content of v: v itself when it is clear (not Sealed),
// otherwise v opened with ad, which must be the additional data it was
// sealed with. It returns a *MissingKeyError when k does not hold v's key
// (or k is nil), ErrAltered or ErrMalformed.
func (k *Keys) Open(v, ad []byte) ([]byte, error) {
	if !Sealed(v) {
		return v, nil
	}
	id, ok := Header(v)
	if !ok {
		return nil, ErrMalformed
	}
	var aead cipher.AEAD
	if k != nil {
		aead = k.byID[id]
	}
	if aead == nil {
		return nil, &MissingKeyError{ID: id}
	}
	plain, err := aead.Open(nil, nil, v[headerSize:], ad)
	if err != nil {
		return nil, ErrAltered
	}
	return plain, nil
}

// Header returns the key id of the sealed value v, and false when v is
// not a well-formed sealed value of this Format.
func Header(v []byte) (KeyID, bool) {
	if len(v) < Overhead || v[0] != Format {
		return KeyID{}, false
	}
	return KeyID(v[1:headerSize]), true
}

// Place returns the additional data of a value at its place: the parts
// (table, column, tenant, row id…), each preceded by its length, so that
// no two lists of parts give the same bytes.
func Place(parts ...string) []byte {
	n := 0
	for _, p := range parts {
		n += binary.MaxVarintLen64 + len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = binary.AppendUvarint(out, uint64(len(p)))
		out = append(out, p...)
	}
	return out
}
