package postgres

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOpenAStalledServer: a server that accepts the connection but never
// answers (a network dropping its packets, a hung server) fails Open
// within the connect timeout, with an error that says so and hides the
// password, instead of holding the router's start until it is killed.
// A DSN's own connect_timeout is kept.
func TestOpenAStalledServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held, never answered
			mu.Unlock()
		}
	})
	defer func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	// Open was held until the caller's context ended: the router's, at
	// start, until SIGTERM.
	ctx, cancel := context.WithTimeout(context.Background(), DefaultConnectTimeout+time.Minute)
	defer cancel()
	db, err := Open(ctx, "postgres://u:hunter2@"+ln.Addr().String()+"/x?sslmode=disable")
	if err == nil {
		db.Close()
		t.Fatal("Open of a server that never answers succeeded")
	}
	if strings.Contains(err.Error(), "hunter2") || ctx.Err() != nil {
		t.Errorf("Open: %v (the caller's context: %v); want it to give up at its connect timeout", err, ctx.Err())
	}
	t.Logf("Open of a stalled server: %v", err)
	start := time.Now()
	if db, err := Open(ctx, "postgres://u@"+ln.Addr().String()+"/x?sslmode=disable&connect_timeout=1"); err == nil {
		db.Close()
		t.Fatal("Open of a server that never answers succeeded")
	}
	if took := time.Since(start); took >= DefaultConnectTimeout {
		t.Errorf("the DSN's connect_timeout=1 was not kept: Open gave up after %v", took)
	}
}
