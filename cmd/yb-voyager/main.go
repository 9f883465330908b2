// Command yb-voyager migrates databases to YugabyteDB. main only sets up the
// signal-aware context and hands over to internal/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/yugabyte/yb-voyager-go/internal/cli"
	"github.com/yugabyte/yb-voyager-go/internal/secret"
)

func main() {
	secret.MaskArgs("source-db-password", "target-db-password")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Execute(ctx, os.Args[1:], cli.StdIO())
	stop()
	os.Exit(code)
}
