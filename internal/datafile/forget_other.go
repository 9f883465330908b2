//go:build !linux

package datafile

// Forget is advice that only Linux takes (see forget_linux.go).
func Forget(path string) {}
