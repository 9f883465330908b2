package secret

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var maskedFlags = []string{"source-db-password", "target-db-password"}

// TestMain turns the test binary into the child process of
// TestMaskArgsHidesPasswordsFromProc when SECRET_CHILD=1. It runs before the
// testing package parses flags, so the child's arguments can be anything.
func TestMain(m *testing.M) {
	if os.Getenv("SECRET_CHILD") == "1" {
		runChild()
		return
	}
	os.Exit(m.Run())
}

// runChild masks its arguments, prints os.Args as JSON and waits until the
// parent closes stdin (or 30 seconds pass).
func runChild() {
	MaskArgs(maskedFlags...)
	MaskArgs(maskedFlags...) // a second call must be harmless
	if err := json.NewEncoder(os.Stdout).Encode(os.Args); err != nil {
		os.Exit(1)
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
	}
}

func TestMaskArgsHidesPasswordsFromProc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc/<pid>/cmdline")
	}
	args := []string{"export", "data", "--source-db-host", "db1",
		"--source-db-password", "Src-S3cret", "--target-db-password=Tgt-S3cret",
		"--table-list=a,b", "--source-db-password"}
	child := exec.Command(os.Args[0], args...)
	child.Env = append(os.Environ(), "SECRET_CHILD=1")
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = child.Wait() }()

	var seen []string // the child's os.Args after masking
	if err := json.NewDecoder(bufio.NewReader(stdout)).Decode(&seen); err != nil {
		t.Fatalf("reading the child's os.Args: %v", err)
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", child.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	visible := strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00")

	if !slices.Equal(seen[1:], args) {
		t.Errorf("child's os.Args = %q, want the real values %q", seen[1:], args)
	}
	want := slices.Clone(args)
	want[5], want[6] = "xxxxxxxxxx", "--target-db-password=xxxxxxxxxx"
	if !slices.Equal(visible[1:], want) {
		t.Errorf("/proc cmdline = %q, want %q", visible[1:], want)
	}
	if strings.Contains(string(raw), "S3cret") {
		t.Errorf("/proc cmdline still shows a password: %q", raw)
	}
}

// TestMaskArgsLeavesOtherMemoryAlone checks that strings not from argv (here
// read-only literals, which would fault if written) are only replaced.
func TestMaskArgsLeavesOtherMemoryAlone(t *testing.T) {
	saved := os.Args
	defer func() { os.Args = saved }()
	os.Args = []string{"prog", "--source-db-password", "literal-pw", "--target-db-password=lit2",
		"--target-db-password=", "--other", "x", "--"}
	want := slices.Clone(os.Args)
	MaskArgs(maskedFlags...)
	MaskArgs("", "other")
	if !slices.Equal(os.Args, want) {
		t.Errorf("os.Args = %q, want %q", os.Args, want)
	}
}
