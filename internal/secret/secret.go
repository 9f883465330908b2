// Package secret keeps secrets passed as command-line flags out of the
// process's visible command line.
//
// On Linux every user can read any process's command line through
// /proc/<pid>/cmdline, which is what ps shows. That text is the process's
// original argv memory, and Go's os.Args strings point straight into it. Call
// MaskArgs first thing in main: it gives os.Args private copies of the secret
// values, so the program still sees them, and overwrites the original bytes
// with 'x'. The value's length stays visible.
//
// This cannot close the window between exec and the call to MaskArgs (the
// Go runtime's start-up plus package initialisation, usually milliseconds),
// during which another user polling /proc can still read the password, and
// shell history and audit logs keep the full command line regardless. Prefer
// the SOURCE_DB_PASSWORD and TARGET_DB_PASSWORD environment variables (a
// process's environment is readable only by its owner and root) or the
// config file (see package config).
//
// The overwrite happens only on Linux, where it has been verified; elsewhere
// MaskArgs only replaces the os.Args entries.
package secret

import (
	"os"
	"runtime"
	"strings"
	"unsafe"
)

// original is os.Args as the runtime built it, captured during package
// initialisation, before main can replace any entry. Only strings that are
// still these exact strings point into argv memory and may be overwritten.
var original = append([]string(nil), os.Args...)

// MaskArgs hides the values of the named long flags ("source-db-password"),
// given either as "--name value" or as "--name=value". It is not safe to call
// concurrently with any other use of os.Args.
func MaskArgs(flagNames ...string) {
	for i := 1; i < len(os.Args); i++ {
		name, inline := matchFlag(os.Args[i], flagNames)
		switch {
		case name == "":
		case inline:
			maskArg(i, len("--"+name+"="))
		case i+1 < len(os.Args):
			i++
			maskArg(i, 0)
		}
	}
}

// matchFlag reports which of names arg sets, and whether the value is inline
// after "=" rather than in the next argument.
func matchFlag(arg string, names []string) (name string, inline bool) {
	for _, n := range names {
		switch {
		case n == "":
		case arg == "--"+n:
			return n, false
		case strings.HasPrefix(arg, "--"+n+"="):
			return n, true
		}
	}
	return "", false
}

// maskArg gives os.Args[i] a private copy, then overwrites its bytes from
// offset on in the original argv memory.
func maskArg(i, offset int) {
	arg := os.Args[i]
	if len(arg) <= offset {
		return // nothing after "--name="
	}
	os.Args[i] = strings.Clone(arg)
	if runtime.GOOS == "linux" && inArgv(arg) {
		overwrite(arg[offset:])
	}
}

// inArgv reports whether s is one of the runtime's argv strings; anything
// else may be read-only or shared memory.
func inArgv(s string) bool {
	for _, o := range original {
		if len(o) == len(s) && unsafe.StringData(o) == unsafe.StringData(s) {
			return true
		}
	}
	return false
}

// overwrite replaces the bytes of s in place with 'x'. s must not be used as
// a string afterwards by anyone who expects its old value.
func overwrite(s string) {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	for i := range b {
		b[i] = 'x'
	}
}
