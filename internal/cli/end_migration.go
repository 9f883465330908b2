package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/report"
	tgtpg "github.com/yugabyte/yb-voyager-go/internal/target/postgres"
)

// EndMigrationOptions are the inputs of end migration.
type EndMigrationOptions struct {
	IO                   *IO
	Common               commonFlags
	Target               dbconn.Config
	Source               dbconn.Config
	Schemas              string
	BackupSchemaFiles    bool
	BackupDataFiles      bool
	SaveMigrationReports bool
	BackupLogFiles       bool
	BackupDir            string
}

func newEndCmd(io *IO) *cobra.Command {
	o := &EndMigrationOptions{IO: io}
	c := &cobra.Command{
		Use:   "migration",
		Short: "End the migration: back up what you ask for, drop yb-voyager's metadata on the target, clean the export directory",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, &o.Common); err != nil {
				return err
			}
			return RunEndMigration(c.Context(), c, o)
		},
	}
	bindCommon(c, &o.Common, false)
	bindTarget(c, &o.Target)
	bindSource(c, &o.Source, &o.Schemas)
	fl := c.Flags()
	fl.BoolVar(&o.BackupSchemaFiles, "backup-schema-files", false, "copy schema/ to the backup directory")
	fl.BoolVar(&o.BackupDataFiles, "backup-data-files", false, "copy data/ to the backup directory")
	fl.BoolVar(&o.SaveMigrationReports, "save-migration-reports", false, "save reports/ and a data migration report to the backup directory")
	fl.BoolVar(&o.BackupLogFiles, "backup-log-files", false, "copy yb-voyager.log to the backup directory")
	fl.StringVar(&o.BackupDir, "backup-dir", "", "directory for the backups (required when any backup flag is true)")
	return group("end", "End commands", c)
}

// RunEndMigration runs end migration.
func RunEndMigration(ctx context.Context, c *cobra.Command, o *EndMigrationOptions) error {
	anyBackup := o.BackupSchemaFiles || o.BackupDataFiles || o.SaveMigrationReports || o.BackupLogFiles
	if anyBackup && o.BackupDir == "" {
		return usagef("--backup-dir is required when a --backup-* or --save-migration-reports flag is true")
	}
	s, err := openSession(c, &o.Common)
	if err != nil {
		return err
	}
	defer s.close()
	if o.BackupDir != "" {
		if abs, _ := filepath.Abs(o.BackupDir); isWithin(abs, s.dir.Root) {
			return usagef("--backup-dir must be outside the export directory, which end migration cleans")
		}
		if err := os.MkdirAll(o.BackupDir, 0o755); err != nil {
			return fmt.Errorf("create backup dir: %w", err)
		}
	}
	if err := confirm(o.IO, o.Common.Yes, "end migration drops yb-voyager's metadata on the target and deletes the contents of "+s.dir.Root+"; continue?"); err != nil {
		return err
	}
	for _, l := range []string{"export-data", "import-data"} {
		lk, err := s.dir.LockCommand(l)
		if err != nil {
			return fmt.Errorf("%w (end migration needs export data and import data stopped)", err)
		}
		defer lk.Unlock()
	}
	if err := backup(ctx, o, s); err != nil {
		return err
	}
	if err := dropSourceSlot(ctx, o, s); err != nil {
		return err
	}
	if err := dropTargetMetadata(ctx, c, o, s); err != nil {
		return err
	}
	s.log.Info("migration ended; cleaning export directory")
	s.close()
	if err := cleanExportDir(s.dir); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "Migration ended: target metadata dropped, export directory %s cleaned.\n", s.dir.Root)
	return nil
}

func backup(ctx context.Context, o *EndMigrationOptions, s *session) error {
	copies := []struct {
		on   bool
		from string
	}{
		{o.BackupSchemaFiles, exportdir.SchemaDir},
		{o.BackupDataFiles, exportdir.DataDir},
		{o.SaveMigrationReports, exportdir.ReportsDir},
		{o.BackupLogFiles, exportdir.LogFile},
	}
	if o.SaveMigrationReports {
		if err := saveReport(ctx, s); err != nil {
			return err
		}
	}
	for _, cp := range copies {
		if !cp.on {
			continue
		}
		src := s.dir.Path(cp.from)
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if out, err := exec.CommandContext(ctx, "cp", "-a", src, o.BackupDir+"/").CombinedOutput(); err != nil {
			return fmt.Errorf("back up %s to %s: %v: %s", cp.from, o.BackupDir, err, out)
		}
	}
	return nil
}

// saveReport writes the export-side report into reports/ so it is backed up.
func saveReport(ctx context.Context, s *session) error {
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.Migration(ctx)
	if errors.Is(err, exportdir.ErrNoMigration) {
		return nil
	}
	if err != nil {
		return err
	}
	doc, err := exportSide(ctx, store, m)
	if err != nil {
		return err
	}
	f, err := os.Create(s.dir.Path(exportdir.ReportsDir, "data_migration_report.json"))
	if err != nil {
		return fmt.Errorf("write data migration report: %w", err)
	}
	defer f.Close()
	return report.PrintJSON(f, doc)
}

func dropTargetMetadata(ctx context.Context, c *cobra.Command, o *EndMigrationOptions, s *session) error {
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	m, err := store.Migration(ctx)
	store.Close()
	if errors.Is(err, exportdir.ErrNoMigration) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg, err := recordedConfig(o.Target, o.Target.User != "", m.TargetSettings, "target")
	if err != nil {
		s.log.Info("no target recorded; nothing to drop on the target")
		return nil
	}
	tgt, err := tgtpg.Open(ctx, cfg, 1, s.log)
	if err != nil {
		return fmt.Errorf("%w (end migration drops yb-voyager's metadata on the target; set TARGET_DB_PASSWORD if it needs a password)", err)
	}
	defer tgt.Close()
	return tgt.DropMetadata(ctx)
}

func cleanExportDir(d *exportdir.Dir) error {
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

func isWithin(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || !filepath.IsAbs(rel) && len(rel) >= 2 && rel[:2] != "..")
}

// dropSourceSlot removes a live export's replication slot and publication
// if cutover did not already: a forgotten slot makes the source keep WAL forever.
func dropSourceSlot(ctx context.Context, o *EndMigrationOptions, s *session) error {
	store, err := s.dir.OpenStore()
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.Migration(ctx)
	if errors.Is(err, exportdir.ErrNoMigration) {
		return nil
	}
	if err != nil {
		return err
	}
	dropped, err := exporter.ReleaseAbandoned(ctx, store, exportdir.SourceToTarget, func() (capture.ChangeSource, error) {
		cfg, err := recordedConfig(o.Source, o.Source.Type != "", m.SourceSettings, "source")
		if err != nil {
			return nil, err
		}
		if o.Source.Type != "" {
			if err := finishSource(&cfg, o.Schemas); err != nil {
				return nil, err
			}
		}
		src, _, err := openSource(ctx, cfg)
		return src, err
	})
	if err != nil {
		return err
	}
	if dropped != "" {
		fmt.Fprintf(o.IO.Out, "Dropped %s on the source.\n", dropped)
	}
	return nil
}
