package proc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// directRunner runs binaries as the test process's own user, whatever it
// is, so the process tests need no OS user of a database server.
func directRunner(cfg Config) *Runner {
	if cfg.Server == "" {
		cfg.Server = "testd"
	}
	if cfg.ReadyTimeout == 0 {
		cfg.ReadyTimeout = 10 * time.Second
	}
	return &Runner{cfg: cfg, uid: -1, gid: -1}
}

func TestProcess_ShutdownFirstSignal(t *testing.T) {
	r := directRunner(Config{DeathSignal: syscall.SIGTERM,
		Shutdown: []Step{{Signal: syscall.SIGTERM, Wait: 10 * time.Second}}})
	p, err := r.Start(r.Command("sleep", "60"), filepath.Join(t.TempDir(), "none.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Exited() {
		t.Fatal("process exited right after Start")
	}
	if err := p.Shutdown(); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if !p.Exited() {
		t.Fatal("process still running after Shutdown")
	}
}

func TestProcess_ShutdownKillsGroup(t *testing.T) {
	r := directRunner(Config{Shutdown: []Step{{Signal: syscall.SIGTERM, Wait: 200 * time.Millisecond}}})
	// The shell ignores SIGTERM and its child would outlive it: only the
	// SIGKILL of the whole process group ends both.
	childFile := filepath.Join(t.TempDir(), "child.pid")
	cmd := r.Command("sh", "-c", `trap "" TERM; sleep 60 & echo $! > "$1"; wait`, "sh", childFile)
	p, err := r.Start(cmd, filepath.Join(t.TempDir(), "none.pid"))
	if err != nil {
		t.Fatal(err)
	}
	waitForFile(t, childFile)
	err = p.Shutdown()
	if err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Shutdown = %v, want a killed error", err)
	}
	child, _ := readPID(childFile)
	if !deadOrZombie(child) {
		t.Fatalf("child %d of the killed process survived the group kill", child)
	}
}

func TestProcess_ShutdownSignalsPIDFile(t *testing.T) {
	r := directRunner(Config{Shutdown: []Step{{Signal: syscall.SIGUSR1, Wait: 5 * time.Second}}})
	// The started shell ignores SIGUSR1 (set after starting the child, which
	// would inherit it); the pid file names the child, whose exit ends the
	// shell: only signalling that pid stops it in time.
	pidFile := filepath.Join(t.TempDir(), "server.pid")
	cmd := r.Command("sh", "-c", `sleep 60 & pid=$!; trap "" USR1; echo $pid > "$1"; wait`, "sh", pidFile)
	p, err := r.Start(cmd, pidFile)
	if err != nil {
		t.Fatal(err)
	}
	waitForFile(t, pidFile)
	if err := p.Shutdown(); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

// deadOrZombie reports whether pid has exited (a zombie may wait a while
// for whichever init reaps orphans).
func deadOrZombie(pid int) bool {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err != nil {
			return true
		}
		// The state follows the parenthesised command name.
		if _, rest, ok := strings.Cut(string(b), ") "); ok && strings.HasPrefix(rest, "Z") {
			return true
		}
	}
	return false
}

// waitForFile waits until a started script has written path, its sign
// that it has set its signal traps.
func waitForFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not written", path)
		}
	}
}

func TestProcess_WaitReady(t *testing.T) {
	r := directRunner(Config{Shutdown: []Step{{Signal: syscall.SIGKILL, Wait: time.Second}},
		PortInUse: []string{"Address already in use"}})
	start := func(t *testing.T, script string) *Process {
		p, err := r.Start(r.Command("sh", "-c", script), filepath.Join(t.TempDir(), "none.pid"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Shutdown() })
		return p
	}
	ctx := context.Background()
	t.Run("ready after a few probes", func(t *testing.T) {
		p, calls := start(t, "sleep 60"), 0
		probe := func(context.Context) error {
			if calls++; calls < 3 {
				return errors.New("not yet")
			}
			return nil
		}
		if err := p.WaitReady(ctx, 1, probe, func() string { return "" }); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("port in use", func(t *testing.T) {
		p := start(t, "exit 1")
		tail := func() string { return "\nlog: bind: Address already in use" }
		err := p.WaitReady(ctx, 1, func(context.Context) error { return errors.New("refused") }, tail)
		if !errors.Is(err, ErrPortInUse) {
			t.Fatalf("WaitReady = %v, want ErrPortInUse", err)
		}
	})
	t.Run("other exit", func(t *testing.T) {
		p := start(t, "exit 3")
		err := p.WaitReady(ctx, 1, func(context.Context) error { return errors.New("refused") }, func() string { return "" })
		if err == nil || errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), "exited during startup") {
			t.Fatalf("WaitReady = %v, want an early exit that is not ErrPortInUse", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		p := start(t, "sleep 60")
		ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		err := p.WaitReady(ctx, 1, func(context.Context) error { return errors.New("refused") }, func() string { return "" })
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "refused") {
			t.Fatalf("WaitReady = %v, want deadline exceeded naming the last probe error", err)
		}
	})
}

func TestRunner_CommandContextWrapsRunuser(t *testing.T) {
	r := &Runner{cfg: Config{OSUser: "svc"}, runuser: "/usr/sbin/runuser", uid: 1, gid: 1}
	cmd := r.CommandContext(context.Background(), "/opt/bin/server", "-x")
	want := []string{"/usr/sbin/runuser", "-u", "svc", "--", "/opt/bin/server", "-x"}
	if strings.Join(cmd.Args, " ") != strings.Join(want, " ") {
		t.Fatalf("Args = %q, want %q", cmd.Args, want)
	}
	if cmd.Cancel == nil || cmd.WaitDelay == 0 {
		t.Fatal("cancel through runuser must relay SIGTERM and bound the wait")
	}
	if attr := r.sysProcAttr(); attr.Pdeathsig != syscall.SIGTERM || !attr.Setpgid {
		t.Fatalf("sysProcAttr = %+v, want own group and SIGTERM on parent death", attr)
	}
}

func TestWithFreePort(t *testing.T) {
	other := errors.New("other")
	tests := []struct {
		name      string
		errs      []error // returned by successive launches
		wantCalls int
		wantErr   error
	}{
		{"first port works", []error{nil}, 1, nil},
		{"retry after port in use", []error{ErrPortInUse, nil}, 2, nil},
		{"gives up after attempts", []error{ErrPortInUse, ErrPortInUse, ErrPortInUse, nil}, 3, ErrPortInUse},
		{"other error is final", []error{other, nil}, 1, other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := WithFreePort(3, func(port int) error {
				if port <= 0 {
					t.Fatalf("port %d", port)
				}
				calls++
				return tt.errs[calls-1]
			})
			if calls != tt.wantCalls || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("calls=%d err=%v, want calls=%d err=%v", calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
}

func TestReadPID(t *testing.T) {
	tests := []struct {
		content string
		want    int
		ok      bool
	}{
		{"1234\n/var/lib/data\n5432\n", 1234, true},
		{" 77 ", 77, true},
		{"", 0, false},
		{"0\n", 0, false},
		{"abc\n", 0, false},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		path := filepath.Join(dir, "x.pid")
		if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if got, ok := readPID(path); got != tt.want || ok != tt.ok {
			t.Errorf("readPID(%q) = %d, %v, want %d, %v", tt.content, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := readPID(filepath.Join(dir, "missing.pid")); ok {
		t.Error("readPID of a missing file succeeded")
	}
}

func TestTail(t *testing.T) {
	dir := t.TempDir()
	blank, long := filepath.Join(dir, "blank"), filepath.Join(dir, "long")
	if err := os.WriteFile(blank, []byte(" \n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(long, []byte(strings.Repeat("x", 5000)+"END\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Tail("log", blank) + Tail("log", filepath.Join(dir, "missing")); got != "" {
		t.Fatalf("Tail of blank and missing files = %q, want empty", got)
	}
	got := Tail("server log", long)
	if !strings.HasPrefix(got, "\nserver log ("+long+", tail):\n") || !strings.HasSuffix(got, "END") || len(got) > 2048+100 {
		t.Fatalf("Tail = %q...", got[:80])
	}
}

type fakeServer struct {
	addr  string
	stops int
}

func (f *fakeServer) Stop() error { f.stops++; return nil }

// fatalRecorder records Fatalf instead of ending the test, so that Get's
// failures can be checked.
type fatalRecorder struct {
	testing.TB
	fatal string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) { f.fatal = fmt.Sprintf(format, args...) }

func TestShared_GetStopAll(t *testing.T) {
	opens := map[string]int{}
	reg := Shared[*fakeServer]{
		Pkg: "fake", What: "server", Roles: []string{"source", "target", "broken"}, EnvPrefix: "YBV_FAKE",
		External: func(role, host string, port int) *fakeServer {
			return &fakeServer{addr: fmt.Sprintf("%s:%d", host, port)}
		},
		Start: func(role string) (*fakeServer, error) {
			opens[role]++
			if role == "broken" {
				return nil, errors.New("no server")
			}
			return &fakeServer{}, nil
		},
	}
	t.Setenv("YBV_FAKE_TARGET_HOST", "db.local")
	t.Setenv("YBV_FAKE_TARGET_PORT", "5433")
	a := reg.Get(t, "source")
	if b := reg.Get(t, "source"); a != b || opens["source"] != 1 {
		t.Fatalf("second Get started again (starts=%v) or returned another server", opens)
	}
	if ext := reg.Get(t, "target"); ext.addr != "db.local:5433" || opens["target"] != 0 {
		t.Fatalf("Get of a role named by the environment = %+v (starts=%v), want db.local:5433 not started", ext, opens)
	}
	for _, tt := range []struct{ role, want string }{
		{"broken", "fake: broken server unavailable: no server"},
		{"broken", "fake: broken server unavailable: no server"}, // remembered, not started again
		{"other", `fake: unknown server role "other"`},
	} {
		rec := &fatalRecorder{TB: t}
		reg.Get(rec, tt.role)
		if !strings.HasPrefix(rec.fatal, tt.want) {
			t.Errorf("Get(%q) failed with %q, want %q", tt.role, rec.fatal, tt.want)
		}
	}
	if opens["broken"] != 1 {
		t.Fatalf("broken role started %d times, want a failed start remembered", opens["broken"])
	}
	if err := reg.StopAll(); err != nil || a.stops != 1 {
		t.Fatalf("StopAll = %v, stops = %d, want the started server stopped once", err, a.stops)
	}
	if c := reg.Get(t, "source"); c == a {
		t.Fatal("Get after StopAll returned the stopped server")
	}
}

func TestEnvAddr(t *testing.T) {
	tests := []struct {
		host, port string
		wantHost   string
		wantPort   int
		wantErr    string
	}{
		{"", "", "", 0, ""},
		{"db.local", "5433", "db.local", 5433, ""},
		{"db.local", "", "", 0, "both YBV_X_SOURCE_HOST and YBV_X_SOURCE_PORT must be set"},
		{"", "5433", "", 0, "both"},
		{"db.local", "70000", "", 0, "YBV_X_SOURCE_PORT=\"70000\" is not a valid port"},
		{"db.local", "x", "", 0, "not a valid port"},
	}
	for _, tt := range tests {
		t.Setenv("YBV_X_SOURCE_HOST", tt.host)
		t.Setenv("YBV_X_SOURCE_PORT", tt.port)
		host, port, err := EnvAddr("YBV_X", "source")
		if host != tt.wantHost || port != tt.wantPort || (err == nil) != (tt.wantErr == "") ||
			(err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("EnvAddr with %q:%q = %q, %d, %v, want %q, %d, %q", tt.host, tt.port, host, port, err, tt.wantHost, tt.wantPort, tt.wantErr)
		}
	}
}

func TestUniqueName(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z][a-z0-9_]*_[0-9a-f]{8}$`)
	for _, prefix := range []string{"PgTest-Smoke", "9lives", "", strings.Repeat("Long", 30), "ünï"} {
		name, err := UniqueName(prefix)
		if err != nil {
			t.Fatal(err)
		}
		if !valid.MatchString(name) || len(name) > 49 {
			t.Errorf("UniqueName(%q) = %q: not a short unquoted identifier", prefix, name)
		}
	}
	if got := SafeIdent("My-Test 1"); got != "my_test_1" {
		t.Errorf("SafeIdent = %q, want my_test_1", got)
	}
}
