package bench

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal makes the kernel kill the router if the harness
// dies first, so an interrupted run leaves no router behind.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
