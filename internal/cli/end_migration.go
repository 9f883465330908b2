package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	"github.com/yugabyte/yb-voyager-go/internal/exporter"
	"github.com/yugabyte/yb-voyager-go/internal/report"
)

// EndMigrationOptions are the inputs of end migration.
type EndMigrationOptions struct {
	commonFlags
	Target               dbconn.Config
	Source               dbconn.Config
	Schemas              string
	BackupSchemaFiles    bool
	BackupDataFiles      bool
	SaveMigrationReports bool
	BackupLogFiles       bool
	BackupDir            string
}

func newEndCmd(io *IO, deps *Deps, runF func(*EndMigrationOptions) error) *cobra.Command {
	sp := spec{use: "migration", store: true,
		short: "End the migration: back up what you ask for, drop yb-voyager's metadata on the target, clean the export directory"}
	c := command(io, deps, sp, &EndMigrationOptions{}, func(c *cobra.Command, o *EndMigrationOptions) {
		bindTarget(c, &o.Target)
		bindSource(c, &o.Source, &o.Schemas)
		fl := c.Flags()
		fl.BoolVar(&o.BackupSchemaFiles, "backup-schema-files", false, "copy schema/ to the backup directory")
		fl.BoolVar(&o.BackupDataFiles, "backup-data-files", false, "copy data/ to the backup directory")
		fl.BoolVar(&o.SaveMigrationReports, "save-migration-reports", false, "save reports/ and a data migration report to the backup directory")
		fl.BoolVar(&o.BackupLogFiles, "backup-log-files", false, "copy yb-voyager.log to the backup directory")
		fl.StringVar(&o.BackupDir, "backup-dir", "", "directory for the backups (required when any backup flag is true)")
	}, func(o *EndMigrationOptions) error {
		anyBackup := o.BackupSchemaFiles || o.BackupDataFiles || o.SaveMigrationReports || o.BackupLogFiles
		if anyBackup && o.BackupDir == "" {
			return usagef("--backup-dir is required when a --backup-* or --save-migration-reports flag is true")
		}
		return nil
	}, runEndMigration, runF)
	return group("end", "End commands", c)
}

// runEndMigration backs up, releases what the source keeps, drops our
// metadata on the target and cleans the export directory.
func runEndMigration(ctx context.Context, e *env, o *EndMigrationOptions) error {
	if o.BackupDir != "" {
		if abs, _ := filepath.Abs(o.BackupDir); isWithin(abs, e.dir.Root) {
			return usagef("--backup-dir must be outside the export directory, which end migration cleans")
		}
		if err := os.MkdirAll(o.BackupDir, 0o755); err != nil {
			return fmt.Errorf("create backup dir: %w", err)
		}
	}
	if err := confirm(e.io, o.Yes, "end migration drops yb-voyager's metadata on the target and deletes the contents of "+e.dir.Root+"; continue?"); err != nil {
		return err
	}
	for _, l := range []string{"export-data", "import-data"} {
		lk, err := e.dir.LockCommand(l)
		if err != nil {
			return fmt.Errorf("%w (end migration needs export data and import data stopped)", err)
		}
		e.locks = append(e.locks, lk)
	}
	m, ok, err := e.migration(ctx)
	if err != nil {
		return err
	}
	if err := backup(ctx, e, o, m); err != nil {
		return err
	}
	if ok {
		if err := endMigration(ctx, e, o, m); err != nil {
			return err
		}
	}
	e.log.Info("migration ended; cleaning export directory")
	e.close()
	if err := e.dir.Clean(); err != nil {
		return err
	}
	fmt.Fprintf(e.io.Out, "Migration ended: target metadata dropped, export directory %s cleaned.\n", e.dir.Root)
	return nil
}

// endMigration releases what the source keeps for the stream and drops
// the target's metadata.
func endMigration(ctx context.Context, e *env, o *EndMigrationOptions, m *exportdir.Migration) error {
	dropped, err := exporter.ReleaseAbandoned(ctx, e.store, exportdir.SourceToTarget, func() (capture.ChangeSource, error) {
		cfg, err := recordedConfig(o.Source, o.Source.Type != "", m.SourceSettings, "source")
		if err != nil {
			return nil, err
		}
		if o.Source.Type != "" {
			if err := finishSource(e.deps, &cfg, o.Schemas); err != nil {
				return nil, err
			}
		}
		return e.openSource(ctx, cfg)
	})
	if err != nil {
		return err
	}
	if dropped != "" {
		fmt.Fprintf(e.io.Out, "Dropped %s on the source.\n", dropped)
	}
	return dropTargetMetadata(ctx, e, o, m)
}

// backup copies what the flags ask for; m is nil when nothing was recorded.
func backup(ctx context.Context, e *env, o *EndMigrationOptions, m *exportdir.Migration) error {
	if o.SaveMigrationReports && m != nil {
		// The export side of the data migration report goes with reports/.
		doc, err := report.ExportSide(ctx, e.store, m, exportdir.SourceToTarget)
		if err != nil {
			return err
		}
		f, err := os.Create(e.dir.Path(exportdir.ReportsDir, "data_migration_report.json"))
		if err != nil {
			return fmt.Errorf("write data migration report: %w", err)
		}
		err = report.PrintJSON(f, doc)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write data migration report: %w", err)
		}
	}
	var parts []string
	for _, p := range []struct {
		on   bool
		name string
	}{{o.BackupSchemaFiles, exportdir.SchemaDir}, {o.BackupDataFiles, exportdir.DataDir},
		{o.SaveMigrationReports, exportdir.ReportsDir}, {o.BackupLogFiles, exportdir.LogFile}} {
		if p.on {
			parts = append(parts, p.name)
		}
	}
	return e.dir.Backup(ctx, o.BackupDir, parts...)
}

func dropTargetMetadata(ctx context.Context, e *env, o *EndMigrationOptions, m *exportdir.Migration) error {
	cfg, err := recordedConfig(o.Target, o.Target.User != "", m.TargetSettings, "target")
	if err != nil {
		e.log.Info("no target recorded; nothing to drop on the target")
		return nil
	}
	tgt, err := e.openTarget(ctx, cfg, 1)
	if err != nil {
		return fmt.Errorf("%w (end migration drops yb-voyager's metadata on the target; set TARGET_DB_PASSWORD if it needs a password)", err)
	}
	defer tgt.Close()
	return tgt.DropMetadata(ctx)
}

func isWithin(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || !filepath.IsAbs(rel) && len(rel) >= 2 && rel[:2] != "..")
}
