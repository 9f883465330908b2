package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// checkServer checks that the server can feed live migration (change data
// capture from the binary log): binary logging on, binlog_format ROW,
// binlog_row_image FULL, and the replication grants for the user. Each
// failure is one error naming the fix.
func (s *Source) checkServer(ctx context.Context) error {
	var logBin, format string
	if err := s.db.QueryRowContext(ctx, "SELECT @@log_bin, @@binlog_format").Scan(&logBin, &format); err != nil {
		return fmt.Errorf("live migration check: read binlog settings: %w", err)
	}
	if logBin != "1" && !strings.EqualFold(logBin, "ON") {
		return fmt.Errorf("live migration needs the binary log, but log_bin is OFF on the MySQL source: " +
			"enable binary logging: log_bin (with server_id, binlog_format=ROW and binlog_row_image=FULL) in the server configuration, then restart the server")
	}
	if !strings.EqualFold(format, "ROW") {
		return fmt.Errorf("live migration needs binlog_format ROW, but it is %s: SET GLOBAL binlog_format = ROW (and set it in the server configuration so a restart keeps it)", format)
	}
	var image sql.NullString
	if err := s.db.QueryRowContext(ctx, "SELECT @@binlog_row_image").Scan(&image); err != nil {
		return fmt.Errorf("live migration check: read binlog_row_image: %w", err)
	}
	if image.Valid && !strings.EqualFold(image.String, "FULL") {
		return fmt.Errorf("live migration needs binlog_row_image FULL, but it is %s: SET GLOBAL binlog_row_image = FULL (and set it in the server configuration so a restart keeps it)", image.String)
	}
	return s.checkReplicationGrants(ctx)
}

// checkReplicationGrants looks at SHOW GRANTS for global (ON *.*) grants:
// REPLICATION SLAVE to read the binlog, and REPLICATION CLIENT (MariaDB
// 10.5+: BINLOG MONITOR) to read binlog positions and the list of binlogs.
// Privileges granted through roles are not seen.
func (s *Source) checkReplicationGrants(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer conn.Close()
	var grants []string
	err = each(ctx, conn, "SHOW GRANTS", func(r *sql.Rows) error {
		var g string
		if err := r.Scan(&g); err != nil {
			return err
		}
		grants = append(grants, g)
		return nil
	})
	if err != nil {
		return fmt.Errorf("live migration check: SHOW GRANTS: %w", err)
	}
	has := grantsAllow(grants)
	var missing []string
	for _, need := range []struct{ priv, why string }{
		{"RELOAD", "RELOAD (the snapshot's brief global read lock)"},
		{"REPLICATION SLAVE", "REPLICATION SLAVE"},
		{"REPLICATION CLIENT", "REPLICATION CLIENT (MariaDB 10.5+: BINLOG MONITOR)"},
	} {
		if !has[need.priv] {
			missing = append(missing, need.why)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("live migration reads the binary log, but user %q lacks %s: GRANT RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ... (on MariaDB 10.5+ also GRANT BINLOG MONITOR, REPLICATION SLAVE ADMIN ON *.* TO ...)",
		s.cfg.User, strings.Join(missing, ", "))
}

// grantsAllow returns which of the global privileges live export needs
// (RELOAD, REPLICATION SLAVE, REPLICATION CLIENT) the SHOW GRANTS lines
// give, counting the equivalents newer servers use.
func grantsAllow(grants []string) map[string]bool {
	has := map[string]bool{}
	for _, g := range grants {
		u := strings.ToUpper(g)
		if !strings.HasPrefix(u, "GRANT ") {
			continue
		}
		on := strings.Index(u, " ON ")
		if on < 0 || !strings.HasPrefix(strings.TrimSpace(u[on+4:]), "*.*") {
			continue
		}
		for _, p := range strings.Split(u[len("GRANT "):on], ",") {
			switch strings.TrimSpace(p) {
			case "ALL PRIVILEGES", "ALL":
				has["RELOAD"], has["REPLICATION SLAVE"], has["REPLICATION CLIENT"] = true, true, true
			case "RELOAD":
				has["RELOAD"] = true
			case "REPLICATION SLAVE", "REPLICATION REPLICA":
				has["REPLICATION SLAVE"] = true
			case "REPLICATION CLIENT", "BINLOG MONITOR", "SUPER", "REPLICATION SLAVE ADMIN":
				has["REPLICATION CLIENT"] = true
			}
		}
	}
	return has
}

// CheckPosition checks that the binlog file of p still exists on the
// server (SHOW BINARY LOGS): once purged, the changes since p are lost.
func (s *Source) CheckPosition(ctx context.Context, p BinlogPosition) error {
	if p.File == "" {
		return fmt.Errorf("no binlog position recorded: start again with export data --start-clean")
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "SHOW BINARY LOGS")
	if err != nil {
		return fmt.Errorf("SHOW BINARY LOGS (needs REPLICATION CLIENT or BINLOG MONITOR): %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("SHOW BINARY LOGS: %w", err)
	}
	var first string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("SHOW BINARY LOGS: %w", err)
		}
		if first == "" {
			first = vals[0].String
		}
		if vals[0].String == p.File {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("SHOW BINARY LOGS: %w", err)
	}
	return fmt.Errorf("binlog %s was purged (the oldest binlog is now %q): the changes since %s are gone; start again with export data --start-clean",
		p.File, first, p)
}
