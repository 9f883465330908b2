// Command yb-voyager migrates databases to YugabyteDB. main only sets up the
// signal-aware context and hands over to internal/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"syscall"

	"github.com/yugabyte/yb-voyager-go/internal/cli"
	"github.com/yugabyte/yb-voyager-go/internal/secret"
)

func main() {
	secret.MaskArgs("source-db-password", "target-db-password")
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// Change apply allocates many short-lived values: trade heap for less
		// GC CPU (GOGC 800 took a sixth off import data's CPU on the CDC
		// benchmark), under a soft ceiling that keeps the footprint bounded.
		debug.SetGCPercent(800)
		debug.SetMemoryLimit(160 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := profile(os.Getenv("YBV_CPUPROFILE"))
	code := cli.Execute(ctx, os.Args[1:], cli.StdIO())
	stopProfile()
	stop()
	os.Exit(code)
}

// profile writes a CPU profile to path (a developer's tool for benchmarks).
func profile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path + "." + strconv.Itoa(os.Getpid()))
	if err != nil || pprof.StartCPUProfile(f) != nil {
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
