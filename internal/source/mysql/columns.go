package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// readColumns is the one reader of information_schema.COLUMNS: the
// columns of table (of every table when table is ""), by table, in ordinal
// order, as schema export, the snapshot, the binlog stream and compare data
// all see them.
func readColumns(ctx context.Context, conn *sql.Conn, database string, mariadb bool, table string) (map[string][]Column, error) {
	genExpr := "''"
	if hasColumn(ctx, conn, "COLUMNS", "GENERATION_EXPRESSION") {
		genExpr = "COALESCE(GENERATION_EXPRESSION, '')"
	}
	q := `SELECT TABLE_NAME, COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,
			COALESCE(EXTRA, ''), ` + genExpr + `, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE,
			DATETIME_PRECISION, COALESCE(COLUMN_COMMENT, ''), COALESCE(CHARACTER_SET_NAME, '')
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`
	args := []any{database}
	if table != "" {
		q += " AND TABLE_NAME = ?"
		args = append(args, table)
	}
	out := map[string][]Column{}
	err := each(ctx, conn, q+" ORDER BY TABLE_NAME, ORDINAL_POSITION", func(rows *sql.Rows) error {
		var tname, nullable string
		var def sql.NullString
		var charLen, prec, scale, dtPrec sql.NullInt64
		var c Column
		if err := rows.Scan(&tname, &c.Name, &c.DataType, &c.ColumnType, &nullable, &def, &c.Extra,
			&c.GenerationExpr, &charLen, &prec, &scale, &dtPrec, &c.Comment, &c.Charset); err != nil {
			return err
		}
		c.Nullable = nullable == "YES"
		c.CharMaxLen, c.NumericPrecision, c.NumericScale, c.DatetimePrecision =
			optInt(charLen), optInt(prec), optInt(scale), optInt(dtPrec)
		c.Charset = strings.ToLower(c.Charset)
		if isGenerated(c) {
			def = sql.NullString{}
		}
		c.Default, c.DefaultIsExpr = normalizeDefault(def, c.Extra, c.DataType, mariadb)
		out[tname] = append(out[tname], c)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("read columns of MySQL database %q: %w", database, err)
	}
	return out, nil
}

// hasColumn reports whether information_schema.<table> has column col (it
// differs between MySQL and MariaDB releases).
func hasColumn(ctx context.Context, conn *sql.Conn, table, col string) bool {
	rows, err := conn.QueryContext(ctx, "SELECT "+col+" FROM information_schema."+table+" LIMIT 0")
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

func optInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}
