// Package exportdir owns the export directory: its layout, the per-command
// locks, and the metainfo store (SQLite) that holds the exporter side's durable
// state. Nothing else creates files under the export directory by path
// arithmetic; callers ask Dir for paths.
package exportdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Sub-directories, as the Voyager documentation lays them out.
const (
	ReportsDir  = "reports"
	SchemaDir   = "schema"
	DataDir     = "data"
	MetainfoDir = "metainfo"
	TempDir     = "temp"
	LogFile     = "yb-voyager.log"
)

// Dir is an export directory on disk.
type Dir struct {
	Root string
}

// ErrMissing is returned when the export directory does not exist.
var ErrMissing = errors.New("export directory does not exist")

// Open checks that root exists and is a directory, then creates the standard
// sub-directories if they are missing.
func Open(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("--export-dir is required: create a directory (mkdir $HOME/export-dir) and pass it with --export-dir")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("export dir %q: %w", root, err)
	}
	st, err := os.Stat(abs)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("export directory %s does not exist: create it first (mkdir -p %s)", abs, abs)
	}
	if err != nil {
		return nil, fmt.Errorf("export dir %s: %w", abs, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("export dir %s is not a directory", abs)
	}
	d := &Dir{Root: abs}
	for _, sub := range []string{ReportsDir, SchemaDir, DataDir, MetainfoDir, TempDir} {
		if err := os.MkdirAll(d.Path(sub), 0o755); err != nil {
			return nil, fmt.Errorf("create %s in export dir: %w", sub, err)
		}
	}
	return d, nil
}

// Path joins elements under the export directory root.
func (d *Dir) Path(elem ...string) string {
	return filepath.Join(append([]string{d.Root}, elem...)...)
}

// DataFile is the absolute path of a data file named by its base name.
func (d *Dir) DataFile(name string) string { return d.Path(DataDir, name) }

// LogPath is the log file every command appends to.
func (d *Dir) LogPath() string { return d.Path(LogFile) }

// ClearData removes every exported data file (used by export data --start-clean).
func (d *Dir) ClearData() error {
	entries, err := os.ReadDir(d.Path(DataDir))
	if err != nil {
		return fmt.Errorf("list data dir: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(d.Path(DataDir, e.Name())); err != nil {
			return fmt.Errorf("remove %s: %w", e.Name(), err)
		}
	}
	return nil
}

// Backup copies the named parts of the directory (sub-directories or
// files, e.g. SchemaDir, LogFile) into dest, keeping their names; parts
// that do not exist are skipped.
func (d *Dir) Backup(ctx context.Context, dest string, parts ...string) error {
	for _, p := range parts {
		src := d.Path(p)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if out, err := exec.CommandContext(ctx, "cp", "-a", src, dest+"/").CombinedOutput(); err != nil {
			return fmt.Errorf("back up %s to %s: %v: %s", p, dest, err, out)
		}
	}
	return nil
}

// Clean removes everything in the directory (end migration); the
// directory itself stays.
func (d *Dir) Clean() error {
	entries, err := os.ReadDir(d.Root)
	if err != nil {
		return fmt.Errorf("clean export dir: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(d.Path(e.Name())); err != nil {
			return fmt.Errorf("clean export dir: %w", err)
		}
	}
	return nil
}
