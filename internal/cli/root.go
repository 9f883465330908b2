// Package cli wires yb-voyager's commands: each command is an Options struct
// (dependencies, then flag values), a constructor that binds flags, and a run
// function that does the work and can be tested without a terminal. This is
// the only package that knows about cobra; it maps errors to exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK        = 0
	ExitFailure   = 1
	ExitUsage     = 2
	ExitCancelled = 130
)

// IO is where a command reads and writes; tests pass buffers.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	IsTTY  bool
	Getenv func(string) string
}

// StdIO is the process's own streams.
func StdIO() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, IsTTY: isTerminal(os.Stdin), Getenv: os.Getenv}
}

// usageError marks errors in how the command was called.
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// NewRoot builds the command tree with the real dependencies.
func NewRoot(io *IO) *cobra.Command { return NewRootWith(io, DefaultDeps()) }

// NewRootWith builds the command tree with deps.
func NewRootWith(io *IO, deps *Deps) *cobra.Command {
	root := &cobra.Command{
		Use:           "yb-voyager",
		Short:         "Migrate PostgreSQL, MySQL and Oracle databases to YugabyteDB",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newExportCmd(io, deps),
		newImportCmd(io, deps),
		newAnalyzeSchemaCmd(io, deps, nil),
		newFinalizeCmd(io, deps, nil),
		newGetCmd(io, deps),
		newInitiateCmd(io, deps, nil),
		newCutoverCmd(io, deps, nil),
		newArchiveCmd(io, deps, nil),
		newEndCmd(io, deps, nil),
		newCompareCmd(io, deps, nil),
		newVersionCmd(io),
	)
	return root
}

// Execute runs the command line and returns the process exit code. Errors
// are printed as one line on stderr.
func Execute(ctx context.Context, args []string, io *IO) int {
	return ExecuteWith(ctx, args, io, DefaultDeps())
}

// ExecuteWith is Execute with deps.
func ExecuteWith(ctx context.Context, args []string, io *IO, deps *Deps) int {
	root := NewRootWith(io, deps)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	msg := strings.TrimSpace(err.Error())
	var ue usageError
	switch {
	case errors.As(err, &ue) || isCobraUsage(msg):
		fmt.Fprintln(io.Err, "Error: "+msg)
		return ExitUsage
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		// The command stopped because it was asked to; what it was doing
		// when the signal came ("context canceled") is in the log.
		fmt.Fprintln(io.Err, "Interrupted: rerun the same command to resume where it stopped.")
		return ExitCancelled
	}
	fmt.Fprintln(io.Err, "Error: "+msg)
	return ExitFailure
}

func isCobraUsage(msg string) bool {
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "required flag") || strings.HasPrefix(msg, "invalid argument") ||
		strings.Contains(msg, "accepts ") && strings.Contains(msg, " arg(s)")
}

// group makes a command that only holds sub-commands; run bare it shows help
// and fails, so a typo never looks like success.
func group(use, short string, children ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			_ = c.Help()
			return usagef("%q needs a sub-command", c.CommandPath())
		},
	}
	c.AddCommand(children...)
	return c
}
