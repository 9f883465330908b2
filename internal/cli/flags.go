package cli

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine/engines"
)

// commonFlags are taken by every command that works on an export directory.
type commonFlags struct {
	ExportDir       string
	LogLevel        string
	ConfigFile      string
	Yes             bool
	DisablePB       bool
	SendDiagnostics bool
}

func bindCommon(c *cobra.Command, f *commonFlags, withPB bool) {
	fl := c.Flags()
	fl.StringVarP(&f.ExportDir, "export-dir", "e", "", "export directory: holds the migration's state, schema, data and reports (required)")
	fl.StringVarP(&f.LogLevel, "log-level", "l", "info", "log level for yb-voyager.log: trace, debug, info, warn, error")
	fl.StringVarP(&f.ConfigFile, "config-file", "c", "", "YAML config file (flags override it)")
	fl.BoolVarP(&f.Yes, "yes", "y", false, "assume yes for every confirmation prompt")
	fl.BoolVar(&f.SendDiagnostics, "send-diagnostics", false, "accepted for compatibility; yb-voyager never sends diagnostics")
	if withPB {
		fl.BoolVar(&f.DisablePB, "disable-pb", false, "do not draw progress bars")
	}
}

// sourceFlags binds the source connection flags.
func bindSource(c *cobra.Command, cfg *dbconn.Config, schemas *string) {
	fl := c.Flags()
	fl.StringVar(&cfg.Type, "source-db-type", "", "source database type: postgresql, mysql or oracle (required)")
	fl.StringVar(&cfg.Host, "source-db-host", "localhost", "source database host")
	fl.IntVar(&cfg.Port, "source-db-port", 0, "source database port (default 5432 for postgresql, 3306 for mysql, 1521 for oracle)")
	fl.StringVar(&cfg.User, "source-db-user", "", "source database user")
	fl.StringVar(&cfg.Password, "source-db-password", "", "source database password (or SOURCE_DB_PASSWORD, or a prompt on a terminal)")
	fl.StringVar(&cfg.DBName, "source-db-name", "", "source database name")
	fl.StringVar(schemas, "source-db-schema", "", "source schema(s): a comma-separated list for postgresql (default public); exactly one for oracle; not applicable for mysql")
	fl.StringVar(&cfg.SSLMode, "source-ssl-mode", "prefer", "SSL mode: disable, allow, prefer, require, verify-ca, verify-full")
	fl.StringVar(&cfg.SSLCert, "source-ssl-cert", "", "client certificate file for SSL")
	fl.StringVar(&cfg.SSLKey, "source-ssl-key", "", "client key file for SSL")
	fl.StringVar(&cfg.SSLRootCert, "source-ssl-root-cert", "", "root certificate file for SSL")
	fl.StringVar(&cfg.Oracle.SID, "oracle-db-sid", "", "Oracle System Identifier (SID) of the source database (oracle)")
	fl.StringVar(&cfg.Oracle.TNSAlias, "oracle-tns-alias", "", "TNS alias of the source database, read from tnsnames.ora in TNS_ADMIN (oracle)")
	fl.StringVar(&cfg.Oracle.Home, "oracle-home", "", "ORACLE_HOME: its network/admin holds tnsnames.ora when TNS_ADMIN is not set (oracle)")
	fl.StringVar(&cfg.Oracle.CDBName, "oracle-cdb-name", "", "service name of the container database of a pluggable source (oracle, live migration)")
	fl.StringVar(&cfg.Oracle.CDBSID, "oracle-cdb-sid", "", "SID of the container database of a pluggable source (oracle, live migration)")
	fl.StringVar(&cfg.Oracle.CDBTNSAlias, "oracle-cdb-tns-alias", "", "TNS alias of the container database of a pluggable source (oracle, live migration)")
}

// bindTarget binds the target connection flags.
func bindTarget(c *cobra.Command, cfg *dbconn.Config) {
	fl := c.Flags()
	cfg.Type = "yugabytedb"
	fl.StringVar(&cfg.Host, "target-db-host", "127.0.0.1", "target database host")
	fl.IntVar(&cfg.Port, "target-db-port", 5433, "target database port")
	fl.StringVar(&cfg.User, "target-db-user", "", "target database user")
	fl.StringVar(&cfg.Password, "target-db-password", "", "target database password (or TARGET_DB_PASSWORD, or a prompt on a terminal)")
	fl.StringVar(&cfg.DBName, "target-db-name", "yugabyte", "target database name")
	fl.StringVar(&cfg.SSLMode, "target-ssl-mode", "prefer", "SSL mode: disable, allow, prefer, require, verify-ca, verify-full")
	fl.StringVar(&cfg.SSLCert, "target-ssl-cert", "", "client certificate file for SSL")
	fl.StringVar(&cfg.SSLKey, "target-ssl-key", "", "client key file for SSL")
	fl.StringVar(&cfg.SSLRootCert, "target-ssl-root-cert", "", "root certificate file for SSL")
}

// finishSource validates the source flags after config and env are
// applied; what applies to which engine is the engine's to say.
func finishSource(deps *Deps, cfg *dbconn.Config, schemas string) error {
	eng, err := deps.Engine(cfg.Type)
	if err != nil {
		var unknown engines.ErrUnknown
		if errors.As(err, &unknown) {
			return usageError{err}
		}
		return err
	}
	cfg.Type = eng.Name()
	cfg.Schemas = nil
	for _, s := range strings.Split(schemas, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.Schemas = append(cfg.Schemas, strings.Trim(s, `"`))
		}
	}
	if err := eng.Configure(cfg); err != nil {
		return usageError{err}
	}
	if cfg.Offline {
		return nil
	}
	if cfg.User == "" {
		return usagef("--source-db-user is required")
	}
	return nil
}

func finishTarget(cfg *dbconn.Config) error {
	if cfg.User == "" {
		return usagef("--target-db-user is required")
	}
	return nil
}
