package exportdir

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Lock is an exclusive, per-command advisory lock on the export directory. It
// is an flock, so the kernel releases it when the process dies (kill -9
// included): a crashed run never leaves a stale lock behind.
type Lock struct {
	f *os.File
}

// LockCommand takes the lock for command (for example "export-data"). A
// second process running the same command on the same directory gets a clear
// error naming the holder's pid.
func (d *Dir) LockCommand(command string) (*Lock, error) {
	p := d.Path(MetainfoDir, "."+command+".lck")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(p)
		f.Close()
		pid := strings.TrimSpace(string(holder))
		return nil, fmt.Errorf("another yb-voyager process (pid %s) is already running %q on export dir %s: wait for it to finish or stop it first",
			orUnknown(pid), strings.ReplaceAll(command, "-", " "), d.Root)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Lock{f: f}, nil
}

// Unlock releases the lock.
func (l *Lock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
	l.f = nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// Running reports whether a live process holds the lock for command. It
// reads the holder's pid instead of probing the lock, so it can never make
// the holder's own lock attempt fail.
func (d *Dir) Running(command string) bool {
	b, err := os.ReadFile(d.Path(MetainfoDir, "."+command+".lck"))
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return false
	}
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.Contains(string(cmdline), "yb-voyager")
}
