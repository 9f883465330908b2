package oracle

// connect.go and explain.go decide which database the flags name and how
// go-ora reaches it, and turn what Oracle answers into one line a DBA can
// act on; the TNS files are read by package tns. Dial is the only function
// here that opens a connection.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	go_ora "github.com/sijms/go-ora/v2"

	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/tns"
)

// DefaultPort is the listener's default port.
const DefaultPort = 1521

// ConnectOptions is what the command line says about the source database.
type ConnectOptions struct {
	Host        string
	Port        int
	User        string
	ServiceName string // --source-db-name
	SID         string // --oracle-db-sid
	TNSAlias    string // --oracle-tns-alias
	OracleHome  string // --oracle-home
	TNSAdmin    string // $TNS_ADMIN
	Schema      string // --source-db-schema
	// The container database of a pluggable one, for LogMiner (recorded,
	// used by the live path).
	CDBName, CDBSID, CDBTNSAlias string
}

// Endpoint is the database the options name, resolved.
type Endpoint struct {
	// Using says, for the terminal, which of alias / service name / SID is
	// used and why the others are not.
	Using string
	// Where lists the listener addresses, for error messages.
	Where       string
	ServiceName string
	SID         string
	Alias       string
	TCPS        bool
	WalletDir   string
	descriptor  string
	host        string
	port        int
}

// Resolve picks the database as Voyager does when several are named: the
// TNS alias, then the service name (--source-db-name), then the SID.
func Resolve(o ConnectOptions) (Endpoint, error) {
	port := o.Port
	if port == 0 {
		port = DefaultPort
	}
	ignored := func(winner string) string {
		var others []string
		if winner != "alias" && o.TNSAlias != "" {
			others = append(others, "--oracle-tns-alias")
		}
		if winner != "service" && o.ServiceName != "" {
			others = append(others, "--source-db-name")
		}
		if winner != "sid" && o.SID != "" {
			others = append(others, "--oracle-db-sid")
		}
		if len(others) == 0 {
			return ""
		}
		return " (" + strings.Join(others, " and ") + " not used: " + map[string]string{"alias": "the TNS alias", "service": "the service name"}[winner] + " comes first)"
	}
	switch {
	case o.TNSAlias != "":
		dir, from, err := tns.AdminDir(o.TNSAdmin, o.OracleHome)
		if err != nil {
			return Endpoint{}, err
		}
		cfg, err := tns.Load(dir, from, o.OracleHome)
		if err != nil {
			return Endpoint{}, err
		}
		d, err := cfg.Lookup(o.TNSAlias)
		if err != nil {
			return Endpoint{}, err
		}
		e := Endpoint{Alias: d.Alias, ServiceName: d.ServiceName, SID: d.SID, TCPS: d.TCPS, WalletDir: d.WalletDir, descriptor: d.Text}
		var addrs []string
		for _, a := range d.Addresses {
			addrs = append(addrs, a.String())
		}
		e.Where = strings.Join(addrs, ", ")
		e.Using = fmt.Sprintf("Connecting to Oracle through TNS alias %s (%s line %d: %s)%s", d.Alias, d.File, d.Line, e.Where, ignored("alias"))
		if d.TCPS {
			if d.WalletDir == "" {
				return Endpoint{}, fmt.Errorf("TNS alias %s uses TCPS but no wallet was found: put the wallet (cwallet.sso or ewallet.p12) in %s, or name it with WALLET_LOCATION in sqlnet.ora", d.Alias, dir)
			}
			e.Using += "; TLS with the wallet in " + d.WalletDir
		}
		return e, nil
	case o.Host == "":
		return Endpoint{}, errors.New("--source-db-host is required for Oracle unless --oracle-tns-alias names the database")
	case o.ServiceName != "":
		e := Endpoint{ServiceName: o.ServiceName, host: o.Host, port: port, Where: o.Host + ":" + strconv.Itoa(port)}
		e.Using = fmt.Sprintf("Connecting to Oracle service %s at %s%s", o.ServiceName, e.Where, ignored("service"))
		return e, nil
	case o.SID != "":
		e := Endpoint{SID: o.SID, host: o.Host, port: port, Where: o.Host + ":" + strconv.Itoa(port)}
		e.Using = fmt.Sprintf("Connecting to Oracle SID %s at %s", o.SID, e.Where)
		return e, nil
	}
	return Endpoint{}, errors.New("name the Oracle database with one of --source-db-name (its service name), --oracle-db-sid or --oracle-tns-alias")
}

// DSN is the go-ora connection URL. It holds the password: it is passed to
// the driver and never printed or stored.
func (e Endpoint) DSN(user, password string) string {
	opts := map[string]string{}
	if e.WalletDir != "" {
		opts["WALLET"] = e.WalletDir
	}
	if e.descriptor != "" {
		return go_ora.BuildJDBC(user, password, e.descriptor, opts)
	}
	if e.SID != "" {
		opts["SID"] = e.SID
	}
	if len(opts) == 0 {
		opts = nil
	}
	return go_ora.BuildUrl(e.host, e.port, e.ServiceName, user, password, opts)
}

// Dial opens and pings the database; an error comes back explained.
func Dial(ctx context.Context, e Endpoint, o ConnectOptions, password string) (*sql.DB, error) {
	db, err := sql.Open("oracle", e.DSN(o.User, password))
	if err != nil {
		return nil, fmt.Errorf("oracle: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, Explain(err, Context{Endpoint: e, User: o.User, Schema: o.Schema})
	}
	return db, nil
}

// Schema checks --source-db-schema for Oracle (exactly one schema) and
// returns it as the catalog spells it: an unquoted name in upper case, a
// "quoted" one as written.
func Schema(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errors.New("--source-db-schema is required for Oracle: name the one schema to migrate (for example HR)")
	case strings.Contains(s, ","):
		return "", fmt.Errorf("--source-db-schema %q names several schemas: for Oracle it takes only one; migrate one schema at a time", s)
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		return s[1 : len(s)-1], nil
	}
	return strings.ToUpper(s), nil
}

// TNSAdminFromEnv reads the directory an Oracle client would search, so
// that the CLI needs no knowledge of Oracle's environment.
func TNSAdminFromEnv() string { return os.Getenv("TNS_ADMIN") }
