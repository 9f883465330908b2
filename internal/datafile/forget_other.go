//go:build !linux

package datafile

import "os"

// Forget is advice that only Linux takes (see forget_linux.go).
func Forget(f *os.File, start, end int64) {}
