package oracle

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
)

// Source is a connected Oracle database: export schema reads it through
// the catalog (catalog.go), export data through the snapshot
// (live_snapshot.go) and LogMiner (live_capture.go, live_miner.go). The
// queries have never run against a live Oracle.
type Source struct {
	db     *sql.DB
	ep     Endpoint
	ctx    Context
	owner  string
	target string                   // the target schema the tables land in
	info   map[string]liveTableInfo // listed tables by their PostgreSQL name
}

var (
	_ engine.Source    = (*Source)(nil)
	_ engine.Announcer = (*Source)(nil)
)

// open resolves the flags to a database and logs in.
func open(ctx context.Context, cfg dbconn.Config) (*Source, error) {
	o := ConnectOptions{Host: cfg.Host, Port: cfg.Port, User: cfg.User, ServiceName: cfg.DBName,
		SID: cfg.Oracle.SID, TNSAlias: cfg.Oracle.TNSAlias, OracleHome: cfg.Oracle.Home,
		TNSAdmin: TNSAdminFromEnv(), Schema: cfg.Schemas[0],
		CDBName: cfg.Oracle.CDBName, CDBSID: cfg.Oracle.CDBSID, CDBTNSAlias: cfg.Oracle.CDBTNSAlias}
	ep, err := Resolve(o)
	if err != nil {
		return nil, err
	}
	db, err := Dial(ctx, ep, o, cfg.Password)
	if err != nil {
		return nil, err
	}
	target := cfg.TargetSchema
	if target == "" {
		target = "public"
	}
	return &Source{db: db, ep: ep, owner: o.Schema, target: target, info: map[string]liveTableInfo{},
		ctx: Context{Endpoint: ep, User: o.User, Schema: o.Schema}}, nil
}

// Announce says which of alias, service and SID named the database.
func (s *Source) Announce() string { return s.ep.Using }

// Identity names the database by its unique name and container, which do
// not change with the host alias used to reach it.
func (s *Source) Identity(ctx context.Context) (string, error) {
	var name, con sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT SYS_CONTEXT('USERENV', 'DB_UNIQUE_NAME'), SYS_CONTEXT('USERENV', 'CON_NAME') FROM DUAL`).Scan(&name, &con)
	if err != nil {
		return "", Explain(err, s.ctx)
	}
	return fmt.Sprintf("oracle %s/%s schema %s", name.String, con.String, s.owner), nil
}

// ExportSchema reads the schema's DDL through DBMS_METADATA and converts it
// as a DDL file would be.
func (s *Source) ExportSchema(ctx context.Context, o engine.SchemaOptions, f schema.Filter) ([]schema.Statement, []schema.Note, error) {
	cat, err := openCatalog(ctx, s.db, s.ctx)
	if err != nil {
		return nil, nil, err
	}
	defer cat.Close()
	return schemaFromCatalog(ctx, cat, s.owner, o, f)
}

func schemaFromCatalog(ctx context.Context, cat Catalog, owner string, o engine.SchemaOptions, f schema.Filter) ([]schema.Statement, []schema.Note, error) {
	stmts, notes, err := readCatalog(ctx, cat, owner, o.CommentsOnObjects)
	if err != nil {
		return nil, notes, err
	}
	out, convNotes := convertFiltered(stmts, owner, o, f)
	return out, append(notes, convNotes...), nil
}

// Close logs out.
func (s *Source) Close() { s.db.Close() }

// Warnings: none; no values are exported yet.
func (s *Source) Warnings() []string { return nil }

// Engine is "oracle".
func (s *Source) Engine() string { return "oracle" }

// Label names the stream.
func (s *Source) Label(string) string { return "LogMiner" }

func (s *Source) catalogCtx() Context {
	c := s.ctx
	c.Doing = "catalog"
	return c
}

// Release: LogMiner keeps nothing on the server for a stream.

func (s *Source) Release(context.Context, string) error { return nil }
func (s *Source) Reconnect(ctx context.Context) error {
	return Explain(s.db.PingContext(ctx), s.ctx)
}
