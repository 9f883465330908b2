// Package dbconn owns database connection settings: what the user gave on the
// command line, how they become a driver configuration, and how they are
// shown without secrets. A Config's password is never serialised or printed.
package dbconn

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Config holds the settings for one database (source or target).
type Config struct {
	Type        string   `json:"db_type"` // postgresql, mysql, oracle; "yugabytedb" for targets
	Host        string   `json:"host"`
	Port        int      `json:"port"`
	User        string   `json:"user"`
	Password    string   `json:"-"`
	DBName      string   `json:"db_name"`
	Schemas     []string `json:"schemas,omitempty"`
	SSLMode     string   `json:"ssl_mode,omitempty"`
	SSLCert     string   `json:"ssl_cert,omitempty"`
	SSLKey      string   `json:"ssl_key,omitempty"`
	SSLRootCert string   `json:"ssl_root_cert,omitempty"`
	Oracle      Oracle   `json:"oracle,omitempty"`
	// TargetSchema, for a target, is where unqualified names land (an
	// Oracle source's schema, --target-db-schema): the session's
	// search_path.
	TargetSchema string `json:"target_schema,omitempty"`
	// Offline: no connection will be made (export schema from DDL files),
	// so connection flags are not required.
	Offline bool `json:"-"`
}

// Oracle holds the settings that only an Oracle source has.
type Oracle struct {
	SID         string `json:"sid,omitempty"`           // --oracle-db-sid
	TNSAlias    string `json:"tns_alias,omitempty"`     // --oracle-tns-alias
	Home        string `json:"home,omitempty"`          // --oracle-home
	CDBName     string `json:"cdb_name,omitempty"`      // --oracle-cdb-name
	CDBSID      string `json:"cdb_sid,omitempty"`       // --oracle-cdb-sid
	CDBTNSAlias string `json:"cdb_tns_alias,omitempty"` // --oracle-cdb-tns-alias
}

// Redacted is the JSON form stored in the metainfo store and reports: no password.
func (c Config) Redacted() string {
	b, _ := json.Marshal(c)
	return string(b)
}

// String names the database for humans: user@host:port/db.
func (c Config) String() string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.DBName)
}

// pgDSN builds a keyword/value connection string with every value quoted, so
// that no user-supplied value can inject another keyword.
func (c Config) pgDSN() string {
	kv := []string{
		"host=" + dsnQuote(c.Host),
		"port=" + strconv.Itoa(c.Port),
		"dbname=" + dsnQuote(c.DBName),
		"application_name=yb-voyager",
	}
	if c.User != "" {
		kv = append(kv, "user="+dsnQuote(c.User))
	}
	add := func(k, v string) {
		if v != "" {
			kv = append(kv, k+"="+dsnQuote(v))
		}
	}
	add("sslmode", c.SSLMode)
	add("sslcert", c.SSLCert)
	add("sslkey", c.SSLKey)
	add("sslrootcert", c.SSLRootCert)
	return strings.Join(kv, " ")
}

func dsnQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// PgxConfig returns a pgx connection config. The password is set on the
// parsed config, never placed in a string that could be logged.
func (c Config) PgxConfig() (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(c.pgDSN())
	if err != nil {
		return nil, fmt.Errorf("connection settings for %s: %w", c, err)
	}
	cfg.Password = c.Password
	if c.TargetSchema != "" {
		cfg.RuntimeParams["search_path"] = `"` + strings.ReplaceAll(c.TargetSchema, `"`, `""`) + `"`
	}
	return cfg, nil
}

// Connect opens one PostgreSQL-protocol connection.
func (c Config) Connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := c.PgxConfig()
	if err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, Explain(c, err)
	}
	return conn, nil
}

// Pool opens a pool of at most size PostgreSQL-protocol connections.
func (c Config) Pool(ctx context.Context, size int) (*pgxpool.Pool, error) {
	ccfg, err := c.PgxConfig()
	if err != nil {
		return nil, err
	}
	pcfg, err := pgxpool.ParseConfig("")
	if err != nil {
		return nil, err
	}
	pcfg.ConnConfig = ccfg
	pcfg.MaxConns = int32(max(size, 1))
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, Explain(c, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, Explain(c, err)
	}
	return pool, nil
}
