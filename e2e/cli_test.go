package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// switchyardBinary is the switchyard command, built once per test run
// into a temporary directory that TestMain removes.
var switchyardBinary struct {
	once      sync.Once
	dir, path string
	err       error
}

// switchyardCLI returns the path of the switchyard binary, building it on
// first use (with the race detector when the tests have it, so the build
// reuses their compiled packages).
func switchyardCLI(t *testing.T) string {
	t.Helper()
	b := &switchyardBinary
	b.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			b.err = err
			return
		}
		if b.dir, b.err = os.MkdirTemp("", "switchyard-e2e-"); b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "switchyard")
		args := []string{"build", "-o", b.path}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command(goTool, append(args, "switchyard/cmd/switchyard")...).CombinedOutput()
		if err != nil {
			b.err = errors.New(err.Error() + ": " + string(out))
		}
	})
	if b.err != nil {
		t.Fatalf("build the switchyard command: %v", b.err)
	}
	return b.path
}

// removeSwitchyardCLI deletes the binary built for the tests, if any.
func removeSwitchyardCLI() {
	if switchyardBinary.dir != "" {
		os.RemoveAll(switchyardBinary.dir)
	}
}

// runCLI runs the switchyard command and returns its exit code, standard
// output and standard error.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	// A hang guard, not a timing check: a race-built binary on a loaded
	// 2-core machine can take tens of seconds to list a thousand rows.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, switchyardCLI(t), args...)
	// A binary built with the race detector sleeps a second at exit unless
	// told not to.
	cmd.Env = append(os.Environ(), "SWITCHYARD_ADMIN_KEY=", "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run switchyard %v: %v", args, err)
	}
	return code, out.String(), errOut.String()
}
