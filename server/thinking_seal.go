package server

import (
	"context"
	"time"

	"switchyard/config"
	"switchyard/provider/thinking"
	"switchyard/store/seal"
)

// The thinking memory's shared tier keeps the model's thinking about the
// users' requests in Redis for up to its ttl. With a responses.encryption
// key set (the key every replica shares), its values are sealed there as
// stored responses are: AES-GCM, a key id per value, previous keys still
// opening; without one they are kept as they are (docs/state.md).

// sealedThinking is a thinking.Store whose values are sealed under keys.
type sealedThinking struct {
	thinking.Store
	keys *seal.Keys
}

// thinkingPlace is the additional data of the entry under key: a value
// never opens under another key.
func thinkingPlace(key string) []byte { return seal.Place("thinking", "shared", key) }

// Set seals value, then stores it.
func (s sealedThinking) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return s.Store.Set(ctx, key, s.keys.Seal(value, thinkingPlace(key)), ttl)
}

// Get returns the value stored under key, opened; a value that does not
// open (another key, altered, kept clear before sealing was set) is a
// miss.
func (s sealedThinking) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, ok, err := s.Store.Get(ctx, key)
	if err != nil || !ok {
		return nil, false, err
	}
	if _, sealed := seal.Header(v); !sealed {
		return nil, false, nil
	}
	plain, err := s.keys.Open(v, thinkingPlace(key))
	if err != nil {
		return nil, false, nil
	}
	return plain, true, nil
}

// thinkingStore returns the shared tier's store over st: sealed under
// enc's keys when a key is set, else st itself.
func thinkingStore(enc *config.Encryption, st thinking.Store) (thinking.Store, error) {
	if enc.Key == "" {
		return st, nil
	}
	keys, err := enc.Keys()
	if err != nil {
		return nil, err
	}
	return sealedThinking{Store: st, keys: keys}, nil
}
