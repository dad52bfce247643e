package bench

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// exited returns a routerProc whose process has already exited with
// status code.
func exited(t *testing.T, code string) *routerProc {
	t.Helper()
	cmd := exec.Command("sh", "-c", "exit "+code)
	err := cmd.Run()
	waited := make(chan struct{})
	close(waited)
	return &routerProc{cmd: cmd, cancel: func() {}, waited: waited, waitErr: err, logPath: filepath.Join(t.TempDir(), "none.log")}
}

// stopRouters names the router of each unclean exit, and returns nil
// when both exited cleanly.
func TestStopRouters(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("runs sh")
	}
	pair := [2]Target{RecordOff, RecordOn}
	for _, tt := range []struct {
		off, on string
		want    []string // parts of the error; nil: no error
		absent  string
	}{
		{"0", "0", nil, ""},
		{"3", "0", []string{"record-off: bench: router exit: exit status 3"}, "record-on"},
		{"0", "4", []string{"record-on: bench: router exit: exit status 4"}, "record-off"},
		{"3", "4", []string{"record-off: bench: router exit: exit status 3", "; record-on: bench: router exit: exit status 4"}, ""},
	} {
		err := stopRouters(map[Target]*routerProc{RecordOff: exited(t, tt.off), RecordOn: exited(t, tt.on)}, pair)
		if tt.want == nil {
			if err != nil {
				t.Errorf("exits %s, %s: %v, want nil", tt.off, tt.on, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("exits %s, %s: no error", tt.off, tt.on)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("exits %s, %s: %q lacks %q", tt.off, tt.on, err, w)
			}
		}
		if tt.absent != "" && strings.Contains(err.Error(), tt.absent) {
			t.Errorf("exits %s, %s: %q names %s, which exited cleanly", tt.off, tt.on, err, tt.absent)
		}
	}
}
