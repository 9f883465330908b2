package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/yugabyte/yb-voyager-go/internal/config"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
)

// session is what every export-dir command sets up first: flags completed
// from env and config file, the export directory, and the log file.
type session struct {
	dir     *exportdir.Dir
	log     *slog.Logger
	logFile *os.File
	store   *exportdir.Store // set when the command's spec asks for it
	locks   []*exportdir.Lock
}

func (s *session) close() {
	if s.store != nil {
		s.store.Close()
		s.store = nil
	}
	for _, l := range s.locks {
		l.Unlock()
	}
	s.locks = nil
	if s.logFile != nil {
		s.logFile.Close()
		s.logFile = nil
	}
}

// logEnd records why a command stopped: an interrupt (SIGINT or SIGTERM)
// is a normal, resumable end, not a failure.
func (s *session) logEnd(ctx context.Context, what string, err error) {
	if ctx.Err() != nil {
		s.log.Info(what+" interrupted", "err", err)
		return
	}
	s.log.Error(what+" failed", "err", err)
}

// applyConfig fills in flags from env and the config file (flag > env > config > default).
func applyConfig(c *cobra.Command, io *IO, f *commonFlags) error {
	if err := config.Apply(c, f.ConfigFile, io.Getenv); err != nil {
		return usageError{err}
	}
	return nil
}

// openSession validates --export-dir and opens the log.
func openSession(c *cobra.Command, f *commonFlags) (*session, error) {
	if f.ExportDir == "" {
		return nil, usagef("--export-dir is required: create a directory (mkdir $HOME/export-dir) and pass --export-dir $HOME/export-dir")
	}
	dir, err := exportdir.Open(f.ExportDir)
	if err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(dir.LogPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open log file: %w", err)
	}
	level, err := parseLevel(f.LogLevel)
	if err != nil {
		lf.Close()
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(lf, &slog.HandlerOptions{Level: level})).With("pid", os.Getpid(), "command", c.CommandPath())
	log.Info("start", "args", redactArgs(os.Args[1:]))
	return &session{dir: dir, log: log, logFile: lf}, nil
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "trace", "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, usagef("--log-level %q is not valid: use trace, debug, info, warn or error", s)
}

// redactArgs hides the value of every password flag.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	hideNext := false
	for i, a := range args {
		switch {
		case hideNext:
			out[i], hideNext = "********", false
		case strings.Contains(a, "password") && strings.Contains(a, "="):
			out[i] = a[:strings.Index(a, "=")+1] + "********"
		case strings.Contains(a, "password"):
			out[i], hideNext = a, true
		default:
			out[i] = a
		}
	}
	return out
}

// promptPassword asks on the terminal when no password was given anywhere.
func promptPassword(io *IO, what string, pw *string) error {
	if *pw != "" || !io.IsTTY {
		return nil
	}
	fmt.Fprintf(io.Err, "Password to connect to %s (press Enter for none): ", what)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(io.Err)
	if err != nil {
		return fmt.Errorf("read password: %w", err)
	}
	*pw = string(b)
	return nil
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// confirm asks a yes/no question unless --yes was given; without a terminal
// it refuses rather than guessing.
func confirm(io *IO, yes bool, question string) error {
	if yes {
		return nil
	}
	if !io.IsTTY {
		return usagef("%s: pass --yes to confirm (no terminal to ask on)", question)
	}
	fmt.Fprintf(io.Err, "%s [y/N]: ", question)
	var ans string
	fmt.Fscanln(io.In, &ans)
	if a := strings.ToLower(strings.TrimSpace(ans)); a == "y" || a == "yes" {
		return nil
	}
	return fmt.Errorf("aborted: not confirmed")
}
