package proc

import (
	"fmt"
	"os"
	"testing"
)

// Harness names a harness's StopAll, for RunAndStop's messages.
type Harness struct {
	Name string
	Stop func() error
}

// RunAndStop is a test binary's TestMain: it runs the tests, then stops
// the shared servers they started; a failed stop fails an otherwise passing
// run. It does not return.
func RunAndStop(m *testing.M, harnesses ...Harness) {
	code := m.Run()
	for _, s := range harnesses {
		if err := s.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, s.Name+":", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}
