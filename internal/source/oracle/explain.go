package oracle

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/sijms/go-ora/v2/network"
)

// Context is what was being done when Oracle answered with an error, so
// that the explanation can name the flag or the grant that fixes it.
type Context struct {
	Endpoint Endpoint
	User     string
	Schema   string
	// Doing: "" (logging in), "catalog" (reading the data dictionary or
	// DBMS_METADATA), "flashback" (reading AS OF SCN).
	Doing string
}

// ExplainedError is an Oracle error turned into one line with its fix; the
// original stays reachable with errors.Unwrap.
type ExplainedError struct {
	Line string
	Err  error
}

func (e *ExplainedError) Error() string { return e.Line }
func (e *ExplainedError) Unwrap() error { return e.Err }

var oraCode = regexp.MustCompile(`ORA-(\d{5})`)

// Code returns the ORA- number of an error, 0 when it has none.
func Code(err error) int {
	var oe *network.OracleError
	if errors.As(err, &oe) && oe.ErrCode != 0 {
		return oe.ErrCode
	}
	if err == nil {
		return 0
	}
	if m := oraCode.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// Explain turns an error from go-ora into one line naming the problem and
// the fix. Errors it does not recognise keep Oracle's own text.
func Explain(err error, c Context) error {
	if err == nil {
		return nil
	}
	line := explain(err, c)
	if line == "" {
		return fmt.Errorf("oracle (%s): %w", c.Endpoint.Where, err)
	}
	return &ExplainedError{Line: line, Err: err}
}

func explain(err error, c Context) string {
	user := strings.ToUpper(c.User)
	role := strings.ToUpper(c.Schema) + "_reader_role"
	which := "--source-db-name"
	if c.Endpoint.Alias != "" {
		which = "the SERVICE_NAME of TNS alias " + c.Endpoint.Alias
	}
	switch code := Code(err); code {
	case 1017:
		return fmt.Sprintf("Oracle refused the login of user %s (ORA-01017: invalid username or password): check --source-db-user and the password (--source-db-password or SOURCE_DB_PASSWORD)", user)
	case 28000:
		return fmt.Sprintf("Oracle account %s is locked (ORA-28000): a DBA can unlock it with ALTER USER %s ACCOUNT UNLOCK;", user, user)
	case 28001:
		return fmt.Sprintf("the password of Oracle account %s has expired (ORA-28001): set a new one with ALTER USER %s IDENTIFIED BY <new password>;", user, user)
	case 1045:
		return fmt.Sprintf("Oracle user %s may not log in (ORA-01045: no CREATE SESSION): GRANT CONNECT TO %s; (see docs/oracle.md, source preparation)", user, user)
	case 12514:
		return fmt.Sprintf("the listener at %s does not know service %q (ORA-12514): check %s (lsnrctl services lists the services it knows)", c.Endpoint.Where, c.Endpoint.ServiceName, which)
	case 12505:
		return fmt.Sprintf("the listener at %s does not know SID %q (ORA-12505): check --oracle-db-sid (lsnrctl status lists the instances), or name the database by its service with --source-db-name", c.Endpoint.Where, c.Endpoint.SID)
	case 12541, 12543, 12545, 12170:
		return unreachable(c, fmt.Sprintf("ORA-%05d", code))
	case 1555:
		return "Oracle could no longer read the snapshot (ORA-01555: snapshot too old): the undo it needs was overwritten; raise UNDO_RETENTION (ALTER SYSTEM SET UNDO_RETENTION = <seconds longer than the export>) or give the undo tablespace more room, then rerun export data (finished chunks are kept)"
	case 8181:
		return "the snapshot SCN is not valid on this database (ORA-08181): start the export again with --start-clean"
	case 1466:
		return "a table's definition changed after the snapshot SCN (ORA-01466): rerun export data with --start-clean, and do not change the tables' DDL while the export runs"
	case 942, 1031, 31603:
		if c.Doing == "flashback" {
			return fmt.Sprintf("Oracle user %s may not read tables as of an SCN (ORA-%05d): GRANT FLASHBACK ANY TABLE TO %s; (see docs/oracle.md)", user, code, user)
		}
		if c.Doing == "catalog" {
			return fmt.Sprintf("Oracle user %s cannot read the catalog of schema %s (ORA-%05d): GRANT SELECT_CATALOG_ROLE TO %s; GRANT SELECT ANY DICTIONARY TO %s; and GRANT %s TO %s; (see docs/oracle.md, source preparation)", user, strings.ToUpper(c.Schema), code, role, role, role, user)
		}
	}
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	switch {
	case errors.As(err, &ue):
		return fmt.Sprintf("the certificate of the Oracle server at %s is not signed by a CA in the wallet %s: add the server's CA certificate to the wallet (orapki wallet add -trusted_cert)", c.Endpoint.Where, c.Endpoint.WalletDir)
	case errors.As(err, &he):
		return fmt.Sprintf("the certificate of the Oracle server at %s is for another host (%v): use the host name the certificate names in the TNS alias", c.Endpoint.Where, he)
	}
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return fmt.Sprintf("cannot resolve the Oracle host %q: check --source-db-host (or HOST in the TNS alias)", dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return unreachable(c, "connection refused")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return unreachable(c, "timed out")
	}
	if c.Doing == "" && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)) {
		flags := "--source-db-host and --source-db-port"
		if c.Endpoint.Alias != "" {
			flags = "HOST and PORT of TNS alias " + c.Endpoint.Alias
		}
		return fmt.Sprintf("the server at %s closed the connection during the Oracle login: it may not be an Oracle listener; check %s", c.Endpoint.Where, flags)
	}
	return ""
}

func unreachable(c Context, what string) string {
	flags := "--source-db-host and --source-db-port"
	if c.Endpoint.Alias != "" {
		flags = "HOST and PORT of TNS alias " + c.Endpoint.Alias
	}
	return fmt.Sprintf("no Oracle listener answers at %s (%s): check %s, that the listener runs (lsnrctl status) and that no firewall blocks the port", c.Endpoint.Where, what, flags)
}
