package seal

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
)

// This file makes blind indexes: a value's keyed hash, stored beside its
// sealed copy, that a query compares for equality without opening
// anything (the stored chat completions' metadata pairs). Under a key,
// the hash is HMAC-SHA256 under a key derived from it (HKDF-SHA256, info
// BlindLabel), so that the index tells nothing of a value to whoever
// does not hold the key, only which values are equal; without one (k
// seals nothing), it is the value's SHA-256, since the value itself is
// stored clear then. A rotation changes the derived key with the key:
// Blinds gives a value's index under every key k holds, so that rows
// indexed under a previous key are found until they are sealed anew.

// BlindLabel is the HKDF info of the keys blind indexes are made under:
// no other use of the sealing keys derives the same bytes.
const BlindLabel = "switchyard seal blind index v1"

// blindKey returns the key of the blind indexes made under key.
func blindKey(key []byte) []byte {
	k, err := hkdf.Key(sha256.New, key, nil, BlindLabel, sha256.Size)
	if err != nil { // only for a length HKDF-SHA256 cannot give; 32 it can
		panic("seal: " + err.Error())
	}
	return k
}

// Blind returns the blind index of msg under the current key, or msg's
// SHA-256 when k seals nothing (nil included).
func (k *Keys) Blind(msg []byte) []byte {
	if !k.Sealing() {
		return clearBlind(msg)
	}
	return keyedBlind(k.blind[k.current], msg)
}

// Blinds returns every blind index msg may be stored under while k is
// configured: under the current key, under each previous key, then its
// SHA-256 (rows indexed while encryption was off), in that order.
func (k *Keys) Blinds(msg []byte) [][]byte {
	var out [][]byte
	if k != nil {
		out = make([][]byte, 0, len(k.order)+1)
		for _, id := range k.order {
			out = append(out, keyedBlind(k.blind[id], msg))
		}
	}
	return append(out, clearBlind(msg))
}

func keyedBlind(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

func clearBlind(msg []byte) []byte {
	sum := sha256.Sum256(msg)
	return sum[:]
}

// BlindAs returns the blind index of msg under the key the stored value
// v is sealed under (v's SHA-256 when v is clear, or sealed under a key k
// does not hold), so that whoever can open v finds its index: a value
// and its index are always under the same key.
func (k *Keys) BlindAs(v, msg []byte) []byte {
	if id, ok := Header(v); ok && k != nil {
		if key, held := k.blind[id]; held {
			return keyedBlind(key, msg)
		}
	}
	return clearBlind(msg)
}
