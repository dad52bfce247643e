package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/tenant"
)

// This file ends a Realtime API session whose key stops working while it
// is open: revoked, expired, or gone from the configuration. A session is
// one request that may last hours; without this, revoking a leaked key
// would leave the sessions it opened running.

// keyCheckEvery is how often an open session asks the keyring whether its
// key still works: the keyring's own reload interval, so a revocation on
// any router ends the session within about twice that.
const keyCheckEvery = tenant.DefaultInterval

// keyedSession is a Realtime session whose context ends, with the key's
// refusal as the reason told to the client, once its key stops working.
type keyedSession struct {
	apiopenai.RealtimeSession
	ctx    context.Context
	cancel context.CancelFunc
	why    atomic.Pointer[llm.Error] // the key's refusal, once it came
	stop   chan struct{}
	once   sync.Once
}

// watchKey returns sess ending when c's key stops working in ring
// (checked every interval); sess as it is for an anonymous caller.
func watchKey(sess apiopenai.RealtimeSession, ring *tenant.Keyring, c gateway.Caller, every time.Duration) apiopenai.RealtimeSession {
	if ring == nil || c.Name == "" {
		return sess
	}
	ctx, cancel := context.WithCancel(sess.Context())
	k := &keyedSession{RealtimeSession: sess, ctx: ctx, cancel: cancel, stop: make(chan struct{})}
	go k.watch(ring, c, every)
	return k
}

// watch cancels the session's context once ring refuses c's key.
func (k *keyedSession) watch(ring *tenant.Keyring, c gateway.Caller, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-k.ctx.Done():
			return
		case <-t.C:
			if _, status := ring.Current(c.KeyID, c.Tenant, c.Name); status != tenant.Valid {
				k.why.Store(keyRefusal(status, "The key that opened this session no longer works."))
				k.cancel()
				return
			}
		}
	}
}

// Context returns the session's context, which also ends when its key
// stops working.
func (k *keyedSession) Context() context.Context { return k.ctx }

// Interrupted returns the key's refusal when that is what ended the
// session, else the session's own reason.
func (k *keyedSession) Interrupted(err error) error {
	if why := k.why.Load(); why != nil {
		return why
	}
	return k.RealtimeSession.Interrupted(err)
}

// Close stops the watch and closes the session.
func (k *keyedSession) Close(err error) error {
	k.once.Do(func() {
		close(k.stop)
		k.cancel()
	})
	return k.RealtimeSession.Close(err)
}
