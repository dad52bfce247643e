package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/open"
)

const responsesUsage = `Usage:
  switchyard responses reencrypt [--config switchyard.yaml]

Rewrites the stored responses and conversations kept in the configuration's
store under its responses.encryption keys (docs/security.md#encryption-at-rest):
what a previous key sealed, and what was stored clear, is sealed under key;
with no key (only previous_keys), everything is written clear again. Run it
after a rotation, then drop the old key from previous_keys. Routers may keep
serving meanwhile; a response saved or deleted during the run is left as
that left it.
`

// responsesCmd runs the responses command: reencrypt.
func responsesCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "reencrypt" {
		fmt.Fprint(stderr, responsesUsage)
		return 2
	}
	fs := newFlagSet("responses reencrypt")
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, responsesUsage) }
	path := fs.String("config", "switchyard.yaml", "the configuration: its store section and its responses.encryption keys")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := reencrypt(ctx, *path, stdout); err != nil {
		fmt.Fprintf(stderr, "switchyard responses reencrypt: %v\n", err)
		return 1
	}
	return 0
}

// reencrypt rewrites the stored content of the store the configuration
// at path names under its keys, and says what it did on out.
func reencrypt(ctx context.Context, path string, out io.Writer) error {
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	if !cfg.Store.Enabled() {
		return fmt.Errorf("%s keeps no store (store.driver: none): there is nothing to reencrypt", path)
	}
	keys, err := cfg.Responses.Encryption.Keys()
	if err != nil {
		return err
	}
	st, err := open.Open(ctx, &cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	cs, ok := st.(store.ContentSealer)
	if !ok {
		return fmt.Errorf("the %s store keeps no stored responses", cfg.Store.Driver)
	}
	cs.SealWith(keys)
	n, err := cs.ResealContent(ctx)
	if keys.Sealing() {
		fmt.Fprintf(out, "%d stored values encrypted anew under key %s\n", n.Rewritten, keys.Current())
	} else {
		fmt.Fprintf(out, "%d stored values written clear (responses.encryption has no key)\n", n.Rewritten)
	}
	if err != nil {
		return err
	}
	if n.Unreadable > 0 {
		return fmt.Errorf("%d stored values did not open, and were left as they are: encrypted under a key missing from responses.encryption.previous_keys, or altered (the router's log names the key when it reads them)", n.Unreadable)
	}
	return nil
}
