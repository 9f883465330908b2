package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/engine/engines"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
	tgtpg "github.com/yugabyte/yb-voyager-go/internal/target/postgres"
)

// Deps are what commands take from outside: the clock and the openers of
// databases. NewRoot uses the real ones; tests may give their own.
type Deps struct {
	Now        func() time.Time
	Engine     func(name string) (engine.Engine, error)
	OpenTarget func(ctx context.Context, cfg dbconn.Config, conns int, log *slog.Logger) (*tgtpg.Target, error)
}

// DefaultDeps are the real clock, engines and target.
func DefaultDeps() *Deps { return &Deps{Now: time.Now, Engine: engines.For, OpenTarget: tgtpg.Open} }

// options is what every command's Options has: the common flags.
type options interface{ common() *commonFlags }

func (f *commonFlags) common() *commonFlags { return f }

// spec is what a command sets up before its run function: always the
// session (export directory and log file); the metainfo store when store
// is set; and the export-directory locks it names, one process per lock.
type spec struct {
	use, short string
	store      bool
	locks      []string
	pb         bool // takes --disable-pb
}

// env is what a run function works with.
type env struct {
	*session
	io      *IO
	deps    *Deps
	changed func(flag string) bool // the flag was given on the command line
	cmdPath string
}

// command is the one prologue of every export-directory command: flags
// bound by bind; on run, the config file and environment fill in flags,
// check validates flag values before anything is opened, then the session,
// store and locks are set up and run is called. With runF set (tests), runF
// is called with the parsed options instead of all of that.
func command[O options](io *IO, deps *Deps, sp spec, o O, bind func(*cobra.Command, O),
	check func(O) error, run func(context.Context, *env, O) error, runF func(O) error) *cobra.Command {
	c := &cobra.Command{
		Use:   sp.use,
		Short: sp.short,
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := applyConfig(c, io, o.common()); err != nil {
				return err
			}
			if check != nil {
				if err := check(o); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(o)
			}
			e, err := openEnv(c, io, deps, sp, o.common())
			if err != nil {
				return err
			}
			defer e.close()
			err = run(c.Context(), e, o)
			if err != nil {
				e.logEnd(c.Context(), c.CommandPath(), err)
			}
			return err
		},
	}
	bindCommon(c, o.common(), sp.pb)
	if bind != nil {
		bind(c, o)
	}
	return c
}

// openEnv sets up what sp asks for.
func openEnv(c *cobra.Command, io *IO, deps *Deps, sp spec, f *commonFlags) (*env, error) {
	s, err := openSession(c, f)
	if err != nil {
		return nil, err
	}
	for _, name := range sp.locks {
		lk, err := s.dir.LockCommand(name)
		if err != nil {
			s.close()
			return nil, err
		}
		s.locks = append(s.locks, lk)
	}
	if sp.store {
		if s.store, err = s.dir.OpenStore(); err != nil {
			s.close()
			return nil, err
		}
	}
	return &env{session: s, io: io, deps: deps, changed: func(n string) bool { return c.Flags().Changed(n) }, cmdPath: c.CommandPath()}, nil
}

// openTarget connects to the target with conns connections.
// Unless cfg names one, the target schema import schema recorded (where an
// Oracle source's unqualified names went) is the session's search_path, so
// that what runs after import schema finds them.
func (e *env) openTarget(ctx context.Context, cfg dbconn.Config, conns int) (*tgtpg.Target, error) {
	if cfg.TargetSchema == "" {
		cfg.TargetSchema = e.recordedTargetSchema(ctx)
	}
	return e.deps.OpenTarget(ctx, cfg, conns, e.log)
}

// recordedTargetSchema is the schema import schema created unqualified
// names in (an Oracle source's objects), "" when none was recorded.
func (e *env) recordedTargetSchema(ctx context.Context) string {
	if e.store == nil {
		return ""
	}
	m, ok, err := e.migration(ctx)
	if err != nil || !ok || m.TargetSettings == "" {
		return ""
	}
	var rec dbconn.Config
	if json.Unmarshal([]byte(m.TargetSettings), &rec) != nil {
		return ""
	}
	return rec.TargetSchema
}

// openSource connects to the source through its engine.
// A source whose tables land in a schema chosen at import schema (Oracle)
// names them there: cfg.TargetSchema carries the recorded one.
func (e *env) openSource(ctx context.Context, cfg dbconn.Config) (engine.Source, error) {
	if cfg.TargetSchema == "" {
		cfg.TargetSchema = e.recordedTargetSchema(ctx)
	}
	eng, err := e.deps.Engine(cfg.Type)
	if err != nil {
		return nil, err
	}
	src, err := eng.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if a, ok := src.(engine.Announcer); ok {
		fmt.Fprintln(e.io.Out, a.Announce())
	}
	return src, nil
}

// migration reads the migration record; ok is false when nothing has been
// recorded in the export directory.
func (e *env) migration(ctx context.Context) (*exportdir.Migration, bool, error) {
	m, err := e.store.Migration(ctx)
	if err == exportdir.ErrNoMigration {
		return nil, false, nil
	}
	return m, err == nil, err
}
