package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"sync"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store/seal"
	wireresp "switchyard/wire/responses"
)

// This file holds the keys of the Responses API's reasoning items'
// encrypted_content (docs/responses.md#reasoning-items): the thinking
// behind an answer, sealed for the caller's tenant so that a stateless
// client can send it back. They are the keys of responses.encryption
// (key seals, previous_keys open too), so that every replica sharing
// them opens what another made; without a key, a random one made at
// start, which only this process holds (its blobs stop opening on a
// restart or on another replica: the turn then goes without thinking).

// reasoningSealers returns the Handler.Reasoning of enc: a Sealer per
// tenant, made once. It fails only for keys that do not validate.
func reasoningSealers(enc *config.Encryption, log *slog.Logger) (func(context.Context) *wireresp.Sealer, error) {
	current := make([]byte, seal.KeySize)
	if enc.Key != "" {
		k, err := seal.ParseKey(enc.Key)
		if err != nil {
			return nil, fmt.Errorf("responses.encryption.key: %w", err)
		}
		current = k
	} else {
		rand.Read(current) // never fails (crypto/rand)
		log.Info("responses: reasoning items' encrypted_content is sealed under a key made at start; set responses.encryption.key, the same on every replica, for it to open on other replicas and after a restart")
	}
	previous := make([][]byte, 0, len(enc.PreviousKeys))
	for i, s := range enc.PreviousKeys {
		k, err := seal.ParseKey(s)
		if err != nil {
			return nil, fmt.Errorf("responses.encryption.previous_keys[%d]: %w", i, err)
		}
		previous = append(previous, k)
	}
	keys, err := seal.New(current, previous...)
	if err != nil {
		return nil, err
	}
	var byTenant sync.Map // tenant name → *wireresp.Sealer; the tenants are configured, so few
	return func(ctx context.Context) *wireresp.Sealer {
		tenant := gateway.CallerFrom(ctx).Tenant
		if s, ok := byTenant.Load(tenant); ok {
			return s.(*wireresp.Sealer)
		}
		s, _ := byTenant.LoadOrStore(tenant, wireresp.NewSealer(keys, tenant))
		return s.(*wireresp.Sealer)
	}, nil
}
