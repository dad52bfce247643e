package state

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"time"
)

// This file holds the argument checks both back ends share, so that they
// refuse exactly the same calls.

// Check returns an error wrapping ErrInvalid if req breaks the contract of
// Budgets.Reserve, or nil.
func (req BudgetRequest) Check() error {
	switch {
	case req.Key == "":
		return fmt.Errorf("%w: empty budget key", ErrInvalid)
	case req.Amount < 0:
		return fmt.Errorf("%w: negative amount %d", ErrInvalid, req.Amount)
	case req.Limit < 1:
		return fmt.Errorf("%w: limit %d < 1", ErrInvalid, req.Limit)
	case req.Amount > MaxAmount || req.Limit > MaxAmount:
		return fmt.Errorf("%w: amount or limit above %d", ErrInvalid, int64(MaxAmount))
	case req.TTL <= 0:
		return fmt.Errorf("%w: reservation ttl %s <= 0", ErrInvalid, req.TTL)
	}
	return CheckPeriod(req.Period)
}

// CheckPeriod returns an error wrapping ErrInvalid unless p is valid.
func CheckPeriod(p Period) error {
	if !p.Valid() {
		return fmt.Errorf("%w: unknown period %q (want day or month)", ErrInvalid, string(p))
	}
	return nil
}

// CheckSettle returns an error wrapping ErrInvalid for a reservation that
// no Reserve returned or a negative actual amount.
func CheckSettle(r Reservation, actual int64) error {
	switch {
	case r.Key == "" || r.ID == "":
		return fmt.Errorf("%w: reservation without key or id", ErrInvalid)
	case actual < 0 || actual > MaxAmount:
		return fmt.Errorf("%w: actual amount %d not in [0, %d]", ErrInvalid, actual, int64(MaxAmount))
	}
	return CheckPeriod(r.Period)
}

// CheckRate returns an error for arguments that break the contract of
// RateLimiter.Allow: ErrInvalid, or ErrCostExceedsLimit when cost > limit.
func CheckRate(key string, cost, limit int64, window time.Duration) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty rate limit key", ErrInvalid)
	case cost < 1:
		return fmt.Errorf("%w: cost %d < 1", ErrInvalid, cost)
	case limit < 1 || limit > MaxAmount:
		return fmt.Errorf("%w: limit %d not in [1, %d]", ErrInvalid, limit, int64(MaxAmount))
	case window < time.Millisecond:
		return fmt.Errorf("%w: window %s < 1ms", ErrInvalid, window)
	case cost > limit:
		return fmt.Errorf("%w: cost %d > limit %d", ErrCostExceedsLimit, cost, limit)
	}
	return nil
}

// CheckAdjust returns an error wrapping ErrInvalid for arguments that
// break the contract of RateLimiter.Adjust.
func CheckAdjust(key string, delta, limit int64, window time.Duration) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty rate limit key", ErrInvalid)
	case delta > MaxAmount || delta < -MaxAmount:
		return fmt.Errorf("%w: delta %d not within ±%d", ErrInvalid, delta, int64(MaxAmount))
	case limit < 1 || limit > MaxAmount:
		return fmt.Errorf("%w: limit %d not in [1, %d]", ErrInvalid, limit, int64(MaxAmount))
	case window < time.Millisecond:
		return fmt.Errorf("%w: window %s < 1ms", ErrInvalid, window)
	}
	return nil
}

// CheckKeyTTL returns an error wrapping ErrInvalid for an empty key or a
// ttl below one millisecond (the resolution of both back ends).
func CheckKeyTTL(key string, ttl time.Duration) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty key", ErrInvalid)
	case ttl < time.Millisecond:
		return fmt.Errorf("%w: ttl %s < 1ms", ErrInvalid, ttl)
	}
	return nil
}

// CheckFloats validates AddFloats's arguments: CheckKeyTTL's, every
// field name non-empty and every delta finite.
func CheckFloats(key string, deltas map[string]float64, ttl time.Duration) error {
	if err := CheckKeyTTL(key, ttl); err != nil {
		return err
	}
	for k, d := range deltas {
		if k == "" {
			return fmt.Errorf("%w: empty field name", ErrInvalid)
		}
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("%w: field %q: delta %v is not finite", ErrInvalid, k, d)
		}
	}
	return nil
}

// CheckOnce validates AddFloatsOnce's once: a writer and a positive
// sequence number of at most MaxAmount.
func CheckOnce(once Once) error {
	if once.Writer == "" || once.Seq <= 0 || once.Seq > MaxAmount {
		return fmt.Errorf("%w: once %+v: want a writer and a sequence number in [1, 2^53]", ErrInvalid, once)
	}
	return nil
}

// NewID returns a random identifier for a reservation or lease, unique
// across processes with overwhelming probability.
func NewID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	return hex.EncodeToString(b[:])
}
