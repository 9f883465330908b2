package oracle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	go_ora "github.com/sijms/go-ora/v2"
	"github.com/sijms/go-ora/v2/network"
)

func tnsDir(t *testing.T, text string, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tnsnames.ora"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const pdb = "PDB1 =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCP)(HOST = ora1.example.com)(PORT = 1531))\n    (CONNECT_DATA = (SERVICE_NAME = pdb1.example.com)))\n"

func TestResolvePriority(t *testing.T) {
	dir := tnsDir(t, pdb)
	e, err := Resolve(ConnectOptions{Host: "h", ServiceName: "svc", SID: "ORCL", TNSAlias: "pdb1", TNSAdmin: dir})
	if err != nil {
		t.Fatal(err)
	}
	if e.Alias != "PDB1" || e.ServiceName != "pdb1.example.com" || e.Where != "ora1.example.com:1531" {
		t.Errorf("%+v", e)
	}
	for _, want := range []string{"through TNS alias PDB1", filepath.Join(dir, "tnsnames.ora") + " line 1", "--source-db-name and --oracle-db-sid not used: the TNS alias comes first"} {
		if !strings.Contains(e.Using, want) {
			t.Errorf("Using %q lacks %q", e.Using, want)
		}
	}

	e, err = Resolve(ConnectOptions{Host: "h", ServiceName: "svc", SID: "ORCL"})
	if err != nil || e.ServiceName != "svc" || e.SID != "" || e.Where != "h:1521" || !strings.Contains(e.Using, "service svc at h:1521 (--oracle-db-sid not used: the service name comes first)") {
		t.Errorf("service over SID: %+v %v", e, err)
	}
	e, err = Resolve(ConnectOptions{Host: "h", Port: 1600, SID: "ORCL"})
	if err != nil || e.SID != "ORCL" || e.Using != "Connecting to Oracle SID ORCL at h:1600" {
		t.Errorf("SID: %+v %v", e, err)
	}
	for _, tc := range []struct {
		o    ConnectOptions
		want string
	}{
		{ConnectOptions{Host: "h"}, "name the Oracle database with one of --source-db-name"},
		{ConnectOptions{SID: "X"}, "--source-db-host is required"},
		{ConnectOptions{TNSAlias: "pdb1"}, "set TNS_ADMIN"},
		{ConnectOptions{TNSAlias: "nope", TNSAdmin: dir}, `"nope" is not defined in ` + filepath.Join(dir, "tnsnames.ora")},
		{ConnectOptions{TNSAlias: "x", TNSAdmin: tnsDir(t, "x = (DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=s)))\n")}, "uses TCPS but no wallet was found"},
	} {
		if _, err := Resolve(tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}

// The descriptor and options we build are read by go-ora itself as we mean
// them: its own parser finds the addresses, the service or SID, and TLS.
func TestDSNAsGoOraReadsIt(t *testing.T) {
	alias := "SECURE = (DESCRIPTION = (FAILOVER=on)\n  (ADDRESS_LIST = (ADDRESS = (PROTOCOL = TCPS)(HOST = a.example.com)(PORT = 2484))\n    (ADDRESS = (PROTOCOL = TCPS)(HOST = b.example.com)(PORT = 2485)))\n  (CONNECT_DATA = (SERVICE_NAME = sales.example.com))\n  (SECURITY = (SSL_SERVER_CERT_DN = \"CN=a.example.com\")))\n"
	dir := tnsDir(t, pdb+alias)
	cases := []struct {
		o                 ConnectOptions
		service, sid, srv string
		tls               bool
	}{
		{ConnectOptions{Host: "db.example.com", Port: 1522, ServiceName: "orclpdb1"}, "orclpdb1", "", "db.example.com:1522", false},
		{ConnectOptions{Host: "db.example.com", SID: "ORCL"}, "", "ORCL", "db.example.com:1521", false},
		{ConnectOptions{TNSAlias: "pdb1", TNSAdmin: dir}, "pdb1.example.com", "", "ora1.example.com:1531", false},
	}
	for _, tc := range cases {
		e, err := Resolve(tc.o)
		if err != nil {
			t.Fatal(err)
		}
		dsn := e.DSN("ybvoyager", "p@ss/w:rd?&")
		cfg, err := go_ora.ParseConfig(dsn)
		if err != nil {
			t.Fatalf("%+v: go-ora cannot read %q: %v", tc.o, dsn, err)
		}
		if cfg.ServiceName != tc.service || cfg.SID != tc.sid || cfg.UserID != "ybvoyager" || cfg.Password != "p@ss/w:rd?&" {
			t.Errorf("%+v: go-ora read service %q sid %q user %q password ok=%v", tc.o, cfg.ServiceName, cfg.SID, cfg.UserID, cfg.Password == "p@ss/w:rd?&")
		}
		if got := fmt.Sprintf("%s:%d", cfg.Servers[0].Addr, cfg.Servers[0].Port); got != tc.srv {
			t.Errorf("%+v: server %s, want %s", tc.o, got, tc.srv)
		}
	}

	// TCPS through an alias: both addresses, in order, marked TCPS; the
	// wallet directory goes to go-ora's WALLET option.
	e, err := Resolve(ConnectOptions{TNSAlias: "secure", TNSAdmin: tnsDir(t, alias, "cwallet.sso")})
	if err != nil {
		t.Fatal(err)
	}
	if !e.TCPS || !strings.Contains(e.Using, "TLS with the wallet in") {
		t.Errorf("%+v", e)
	}
	dsn := e.DSN("u", "p")
	if !strings.Contains(dsn, "WALLET=") {
		t.Errorf("no wallet in the URL: %s", dsn)
	}
	// go-ora opens the wallet while parsing; read the descriptor without it.
	cfg, err := go_ora.ParseConfig(go_ora.BuildJDBC("u", "p", e.descriptor, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Servers) != 2 || cfg.Servers[1].Addr != "b.example.com" || cfg.Servers[1].Port != 2485 || !strings.EqualFold(cfg.Servers[0].Protocol, "tcps") || cfg.ServiceName != "sales.example.com" {
		t.Errorf("go-ora read %+v", cfg.Servers)
	}
}

func TestSchema(t *testing.T) {
	for in, want := range map[string]string{"hr": "HR", " Sales ": "SALES", `"MixedCase"`: "MixedCase"} {
		if got, err := Schema(in); err != nil || got != want {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	for in, want := range map[string]string{"": "--source-db-schema is required for Oracle", "hr,sales": "for Oracle it takes only one"} {
		if _, err := Schema(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestExplain(t *testing.T) {
	svc := Context{Endpoint: Endpoint{Where: "db:1521", ServiceName: "orclpdb1"}, User: "ybvoyager", Schema: "hr"}
	sid := Context{Endpoint: Endpoint{Where: "db:1521", SID: "ORCL"}, User: "ybvoyager"}
	alias := Context{Endpoint: Endpoint{Where: "a:1521", Alias: "PDB1", ServiceName: "pdb1"}, User: "u"}
	cat, fb := svc, svc
	cat.Doing, fb.Doing = "catalog", "flashback"
	ora := func(code int) error { return &network.OracleError{ErrCode: code} }
	cases := []struct {
		err  error
		c    Context
		want string
	}{
		{ora(1017), svc, "refused the login of user YBVOYAGER (ORA-01017"},
		{errors.New("ORA-01017: invalid username/password; logon denied"), svc, "check --source-db-user and the password"},
		{ora(28000), svc, "ALTER USER YBVOYAGER ACCOUNT UNLOCK;"},
		{ora(28001), svc, "has expired (ORA-28001)"},
		{ora(1045), svc, "GRANT CONNECT TO YBVOYAGER;"},
		{ora(12514), svc, `does not know service "orclpdb1" (ORA-12514): check --source-db-name`},
		{ora(12514), alias, "check the SERVICE_NAME of TNS alias PDB1"},
		{ora(12505), sid, `does not know SID "ORCL" (ORA-12505): check --oracle-db-sid`},
		{ora(12541), svc, "no Oracle listener answers at db:1521 (ORA-12541): check --source-db-host and --source-db-port"},
		{ora(12541), alias, "check HOST and PORT of TNS alias PDB1"},
		{ora(942), cat, "GRANT SELECT_CATALOG_ROLE TO HR_reader_role; GRANT SELECT ANY DICTIONARY TO HR_reader_role; and GRANT HR_reader_role TO YBVOYAGER;"},
		{errors.New("ORA-31603: object \"EMPLOYEES\" of type TABLE not found in schema \"HR\""), cat, "cannot read the catalog of schema HR (ORA-31603)"},
		{ora(1031), fb, "GRANT FLASHBACK ANY TABLE TO YBVOYAGER;"},
		{&net.DNSError{Name: "nohost.invalid", Err: "no such host"}, svc, `cannot resolve the Oracle host "nohost.invalid"`},
		{ora(1555), fb, "raise UNDO_RETENTION"},
		{ora(1466), fb, "definition changed after the snapshot SCN"},
		{fmt.Errorf("read: %w", io.EOF), svc, "the server at db:1521 closed the connection during the Oracle login: it may not be an Oracle listener"},
	}
	for _, tc := range cases {
		err := Explain(tc.err, tc.c)
		var ex *ExplainedError
		if !errors.As(err, &ex) || !strings.Contains(ex.Line, tc.want) || strings.Contains(ex.Line, "\n") {
			t.Errorf("%v: %v, want %q", tc.err, err, tc.want)
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%v: the cause is lost", tc.err)
		}
	}
	if err := Explain(ora(904), svc); !strings.Contains(err.Error(), "ORA-00904") {
		t.Errorf("an unknown code keeps Oracle's text: %v", err)
	}
}

// A real go-ora connection attempt at a port nobody listens on: the user
// sees one line naming the address and the flags, and never the password.
func TestDialNoListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	o := ConnectOptions{Host: "127.0.0.1", Port: port, User: "ybvoyager", ServiceName: "orclpdb1"}
	e, err := Resolve(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = Dial(ctx, e, o, "Secr3t-Pw")
	if err == nil {
		t.Fatal("connected to nothing")
	}
	want := fmt.Sprintf("no Oracle listener answers at 127.0.0.1:%d (connection refused): check --source-db-host and --source-db-port", port)
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Secr3t-Pw") {
		t.Errorf("got %q, want %q", err, want)
	}
}
