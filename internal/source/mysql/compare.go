package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
	"github.com/yugabyte/yb-voyager-go/internal/verify"
)

// The source side of compare data for a MySQL/MariaDB source (see doc.go,
// "compare data"): each side renders every row as the normalised text
// verify describes, chosen here from the MySQL column type, and JSON
// columns go through verify's JSON pass.

// setupTimeout bounds connecting to the MySQL source (a server that never
// answers the handshake, or a port that is not MySQL's).
const setupTimeout = 30 * time.Second

// compareSource is a MySQL database as the source side of a comparison.
type compareSource struct{ src *Source }

// OpenCompare opens the source side of compare data with workers connections.
func OpenCompare(ctx context.Context, cfg dbconn.Config, workers int) (verify.Source, error) {
	openCtx, cancel := context.WithTimeout(ctx, setupTimeout)
	src, err := Open(openCtx, cfg)
	cancel()
	if err != nil {
		return nil, verify.WrapSourceSetup(err)
	}
	src.db.SetMaxOpenConns(max(workers, 1))
	return &compareSource{src: src}, nil
}

func (c *compareSource) Close() { c.src.Close() }

// myJob is one chunk's queries on both sides, and (for tables with JSON
// columns) the queries of the JSON pass.
type myJob struct {
	db                     *sql.DB
	cond                   string // the range in PostgreSQL spelling
	srcSQL, tgtSQL         string
	srcJSONSQL, tgtJSONSQL string // "" when the table has no JSON column
}

func (j *myJob) Range() string { return j.cond }

// Run checksums the chunk on both sides at once, then runs the JSON pass.
func (j *myJob) Run(ctx context.Context, tgt *pgxpool.Pool) (*verify.Sums, *verify.Sums, error) {
	return verify.Both(func() (*verify.Sums, error) {
		s, err := myChecksum(ctx, j.db, j.srcSQL)
		if err == nil && j.srcJSONSQL != "" {
			err = myJSONSum(ctx, j.db, j.srcJSONSQL, &s.H1)
		}
		return s, err
	}, func() (*verify.Sums, error) {
		s, err := verify.NormChecksum(ctx, tgt, j.tgtSQL)
		if err == nil && j.tgtJSONSQL != "" {
			err = verify.TargetJSONSum(ctx, tgt, j.tgtJSONSQL, &s.H1)
		}
		return s, err
	})
}

// describe reads the table's row estimate and columns; a missing table is
// not an error (Exists is false).
func (c *compareSource) describe(ctx context.Context, table string) (verify.Relation, []Column, error) {
	ri := verify.Relation{ColTypes: map[string]string{}}
	var rows sql.NullFloat64
	err := c.src.db.QueryRowContext(ctx, `SELECT TABLE_ROWS FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, c.src.database, table).Scan(&rows)
	if errors.Is(err, sql.ErrNoRows) {
		return ri, nil, nil
	}
	if err != nil {
		return ri, nil, fmt.Errorf("describe table %s.%s: %w", c.src.database, table, err)
	}
	conn, err := c.src.db.Conn(ctx)
	if err != nil {
		return ri, nil, fmt.Errorf("connect to MySQL source: %w", err)
	}
	defer conn.Close()
	all, err := readColumns(ctx, conn, c.src.database, c.src.mariadb, table)
	if err != nil {
		return ri, nil, err
	}
	ri.Exists, ri.Reltuples = true, rows.Float64
	for _, col := range all[table] {
		ri.ColTypes[col.Name] = col.DataType
	}
	return ri, all[table], nil
}

// Plan describes the table on the source and builds its jobs.
func (c *compareSource) Plan(ctx context.Context, spec verify.TableSpec, ti verify.Relation, chunkRows int64) ([]verify.Job, error) {
	src, cols, err := c.describe(ctx, spec.Table.Name)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	if err := verify.Present(spec, src, ti); err != nil {
		return nil, err
	}
	byName := map[string]Column{}
	for _, col := range cols {
		byName[col.Name] = col
	}
	// Split the columns into hashed-in-SQL and JSON (compared in Go).
	var myExprs, pgExprs, jsonCols []string
	for _, name := range spec.Columns {
		col := byName[name]
		if col.DataType == "json" || ti.ColTypes[name] == "jsonb" || ti.ColTypes[name] == "json" {
			jsonCols = append(jsonCols, name)
			continue
		}
		my, pg := normExprs(col, ti.ColTypes[name], backtick(name), sqlname.Quote(name))
		myExprs = append(myExprs, my)
		pgExprs = append(pgExprs, pg)
	}
	myFrom := backtick(c.src.database) + "." + backtick(spec.Table.Name)
	pgFrom := spec.Table.Quoted()
	myConds, pgConds, err := c.chunkConds(ctx, spec, src, byName, ti, myFrom, chunkRows)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	jobs := make([]verify.Job, len(myConds))
	for i := range myConds {
		j := &myJob{db: c.src.db, cond: pgConds[i],
			srcSQL: myChecksumSQL(myFrom, myExprs, myConds[i]),
			tgtSQL: verify.NormChecksumSQL(pgFrom, pgExprs, pgConds[i]),
		}
		if len(jsonCols) > 0 {
			var mcols, pcols []string
			for _, n := range jsonCols {
				mcols = append(mcols, backtick(n))
				pcols = append(pcols, sqlname.Quote(n)+"::text")
			}
			j.srcJSONSQL = "SELECT " + strings.Join(mcols, ", ") + " FROM " + myFrom + verify.Where(myConds[i])
			j.tgtJSONSQL = "SELECT " + strings.Join(pcols, ", ") + " FROM " + pgFrom + verify.Where(pgConds[i])
		}
		jobs[i] = j
	}
	return jobs, nil
}

// myIntKeyTypes are the MySQL key types chunking can split (unsigned bigint
// excluded: its values may not fit int64).
var myIntKeyTypes = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true, "bigint": true}

// chunkConds returns the chunk conditions in both dialects (same ranges).
func (c *compareSource) chunkConds(ctx context.Context, spec verify.TableSpec, src verify.Relation, cols map[string]Column,
	tgt verify.Relation, myFrom string, chunkRows int64) (my, pg []string, err error) {
	whole := []string{""}
	if len(spec.PrimaryKey) != 1 || src.Reltuples <= float64(chunkRows) {
		return whole, whole, nil
	}
	keyName := spec.PrimaryKey[0]
	col := cols[keyName]
	if _, onTarget := tgt.ColTypes[keyName]; !onTarget || !myIntKeyTypes[col.DataType] ||
		(col.DataType == "bigint" && strings.Contains(strings.ToLower(col.ColumnType), "unsigned")) {
		return whole, whole, nil
	}
	var mn, mx sql.NullInt64
	q := "SELECT MIN(" + backtick(keyName) + "), MAX(" + backtick(keyName) + ") FROM " + myFrom
	if err := c.src.db.QueryRowContext(ctx, q).Scan(&mn, &mx); err != nil {
		return nil, nil, fmt.Errorf("key range of %s: %w", myFrom, err)
	}
	if !mn.Valid || !mx.Valid {
		return whole, whole, nil
	}
	n := int64(math.Ceil(src.Reltuples / float64(chunkRows)))
	pts := verify.SplitPoints(mn.Int64, mx.Int64, n)
	return verify.RangeConds(backtick(keyName), pts), verify.RangeConds(sqlname.Quote(keyName), pts), nil
}

// Float rendering: "0" for zero, else "<m>e<x>" where m is the value
// rounded to d significant digits as an integer and x = floor(log10(|v|)).
func myFloat(c string, d int) string {
	x := "FLOOR(LOG10(ABS(" + c + ")))"
	return fmt.Sprintf("IF(%s = 0, '0', CONCAT(CAST(ROUND(%s / POW(10, %s - %d)) AS DECIMAL(30,0)), 'e', CAST(%s AS SIGNED)))",
		c, c, x, d-1, x)
}

func pgFloat(c string, d int) string {
	v := c + "::float8"
	x := "floor(log(abs(" + v + ")))"
	return fmt.Sprintf("CASE WHEN %s = 0 THEN '0' ELSE round(%s / power(10::float8, %s - %d))::numeric(30,0)::text || 'e' || %s::int::text END",
		v, v, x, d-1, x)
}

// myZeroDate is NULL for a MySQL zero or partly zero date (exported as
// NULL), else expr.
func myZeroDate(c, expr string) string {
	s := "CAST(" + c + " AS CHAR)"
	return fmt.Sprintf("IF(LEFT(%s, 4) = '0000' OR SUBSTRING(%s, 6, 2) = '00' OR SUBSTRING(%s, 9, 2) = '00', NULL, %s)", s, s, s, expr)
}

// normExprs returns the expressions rendering the column's values as
// normalised text on MySQL (my is the backticked name) and PostgreSQL (pg
// is the double-quoted name), decided by the MySQL column type (and, for
// TIME, the target type pgType). Both are NULL exactly when the value is
// NULL (or a MySQL placeholder export writes as NULL: a zero date, the
// ENUM error value).
func normExprs(c Column, pgType, my, pg string) (string, string) {
	switch c.DataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric":
		return "CAST(" + my + " AS CHAR)", pg + "::text"
	case "year":
		return "CAST(" + my + " + 0 AS CHAR)", pg + "::text"
	case "float":
		return myFloat(my, 6), pgFloat(pg, 6)
	case "double", "real", "double precision":
		return myFloat(my, 15), pgFloat(pg, 15)
	case "bit":
		if c.NumericPrecision == nil || *c.NumericPrecision <= 1 {
			return "CAST(" + my + " + 0 AS CHAR)", pg + "::int::text"
		}
		return fmt.Sprintf("LPAD(BIN(%s + 0), %d, '0')", my, *c.NumericPrecision), pg + "::text"
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return "LOWER(HEX(" + my + "))", "encode(" + pg + ", 'hex')"
	case "char":
		return "RTRIM(CONVERT(" + my + " USING utf8mb4))", "rtrim(" + pg + "::text)"
	case "set":
		return "CONVERT(" + my + " USING utf8mb4)", "array_to_string(" + pg + ", ',')"
	case "date":
		return myZeroDate(my, "DATE_FORMAT("+my+", '%Y-%m-%d')"), "to_char(" + pg + ", 'YYYY-MM-DD')"
	case "datetime":
		return myZeroDate(my, "DATE_FORMAT("+my+", '%Y-%m-%d %H:%i:%s.%f')"),
			"to_char(" + pg + ", 'YYYY-MM-DD HH24:MI:SS.US')"
	case "timestamp":
		return myZeroDate(my, "DATE_FORMAT("+my+", '%Y-%m-%d %H:%i:%s.%f')"),
			"to_char(" + pg + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
	case "time":
		if strings.HasPrefix(pgType, "interval") { // durations: [-]hh..h:mm:ss.ffffff on both sides
			return "TIME_FORMAT(" + my + ", '%H:%i:%s.%f')",
				"CASE WHEN " + pg + " < interval '0' THEN '-' || to_char(-" + pg + ", 'HH24:MI:SS.US') ELSE to_char(" + pg + ", 'HH24:MI:SS.US') END"
		}
		return "TIME_FORMAT(" + my + ", '%H:%i:%s.%f')", "to_char(" + pg + ", 'HH24:MI:SS.US')"
	case "enum": // the error value '' (index 0) is exported as NULL
		return "IF(" + my + " + 0 = 0, NULL, CONVERT(" + my + " USING utf8mb4))", pg + "::text"
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
		"geometrycollection", "geomcollection":
		return "ST_AsText(" + my + ")", pg + "::text"
	case "varchar", "tinytext", "text", "mediumtext", "longtext":
		return "CONVERT(" + my + " USING utf8mb4)", pg + "::text"
	}
	return "CONVERT(" + my + " USING utf8mb4)", pg + "::text"
}

// myChecksumSQL is the MySQL checksum query: count and the sum of the first
// 15 hex digits of md5(row text) as numbers, the sum as decimal text.
func myChecksumSQL(from string, exprs []string, cond string) string {
	row := "CONCAT(" + strings.Join(verify.NormParts(exprs, "COALESCE", "CHAR(31)", "CHAR(30)"), ", ") + ")"
	return "SELECT COUNT(*), CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(" + row +
		"), 1, 15), 16, 10) AS DECIMAL(20,0))), 0) AS CHAR) FROM " + from + verify.Where(cond)
}

// myChecksum runs a myChecksumSQL query.
func myChecksum(ctx context.Context, db *sql.DB, q string) (*verify.Sums, error) {
	s := &verify.Sums{}
	var v string
	if err := db.QueryRowContext(ctx, q).Scan(&s.Rows, &v); err != nil {
		return nil, fmt.Errorf("checksum query: %w", err)
	}
	return s, verify.SetSum(&s.H0, v)
}

// myJSONSum adds the JSON pass of a job on the source to sum.
func myJSONSum(ctx context.Context, db *sql.DB, q string, sum *big.Int) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("json query: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	raw := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range raw {
		dest[i] = &raw[i]
	}
	vals := make([]*string, len(cols))
	acc := &verify.JSONSum{Sum: sum}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("json query: %w", err)
		}
		for i := range raw {
			vals[i] = nil
			if raw[i].Valid {
				vals[i] = &raw[i].String
			}
		}
		acc.Add(vals)
	}
	return rows.Err()
}
