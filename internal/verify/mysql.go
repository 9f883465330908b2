package verify

import (
	"bytes"
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	srcmy "github.com/yugabyte/yb-voyager-go/internal/source/mysql"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// MySQL/MariaDB source: both sides render every row as a normalised text
// (see doc.go, "MySQL sources") and sum the first 60 bits of its md5.

// Row text separators: a NULL marker and a column separator that never occur
// in normalised values of their own.
const (
	myNullMarker = "\x1e" // chr(30)
	mySep        = "\x1f" // chr(31)
)

// myColumn is a source column as information_schema describes it.
type myColumn struct {
	name, dataType, columnType string
	precision                  sql.NullInt64 // numeric precision (bit width for bit)
}

// myTable is what the source says about a table.
type myTable struct {
	exists bool
	rows   float64 // information_schema.tables.table_rows (an estimate)
	cols   map[string]myColumn
}

// myChunk is one job of a MySQL comparison: the checksum queries of both
// sides, and (for tables with JSON columns) the queries of the JSON pass.
type myChunk struct {
	*chunk
	srcSQL, tgtSQL         string
	srcJSONSQL, tgtJSONSQL string // "" when the table has no JSON column
}

// mySetupTimeout bounds connecting to the MySQL source (a server that never
// answers the handshake, or a port that is not MySQL's).
const mySetupTimeout = 30 * time.Second

// compareMySQL is Compare for a MySQL/MariaDB source.
func compareMySQL(ctx context.Context, o Options) ([]Result, error) {
	switch o.Target.Type {
	case "", "postgresql", "yugabytedb":
	default:
		return nil, fmt.Errorf("compare data: target database type %q is not supported (only postgresql and yugabytedb)", o.Target.Type)
	}
	openCtx, cancel := context.WithTimeout(ctx, mySetupTimeout)
	src, err := srcmy.Open(openCtx, o.Source)
	cancel()
	if err != nil {
		return nil, wrapSetup("source", err)
	}
	defer src.Close()
	src.DB().SetMaxOpenConns(o.Workers)
	tgt, err := o.Target.Pool(ctx, o.Workers)
	if err != nil {
		return nil, wrapSetup("target", err)
	}
	defer tgt.Close()

	plans := make([]*tablePlan, len(o.Tables))
	jobsOf := make([][]*myChunk, len(o.Tables))
	forEach(len(plans), o.Workers, func(i int) {
		plans[i], jobsOf[i] = planMySQLTable(ctx, src.DB(), src.Database(), tgt, o.Tables[i], o.ChunkRows)
	})
	var jobs []*myChunk
	for i, p := range plans {
		if p.err == nil {
			jobs = append(jobs, jobsOf[i]...)
		}
	}
	forEach(len(jobs), o.Workers, func(i int) { jobs[i].run(ctx, src.DB(), tgt) })
	return results(ctx, plans)
}

func backtick(ident string) string { return "`" + strings.ReplaceAll(ident, "`", "``") + "`" }

// describeMySQL reads the table's row estimate and columns from
// information_schema; a missing table is not an error (exists is false).
func describeMySQL(ctx context.Context, db *sql.DB, database, table string) (myTable, error) {
	mt := myTable{cols: map[string]myColumn{}}
	var rows sql.NullFloat64
	err := db.QueryRowContext(ctx, `SELECT TABLE_ROWS FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, database, table).Scan(&rows)
	if errors.Is(err, sql.ErrNoRows) {
		return mt, nil
	}
	if err != nil {
		return mt, fmt.Errorf("describe table %s.%s: %w", database, table, err)
	}
	mt.exists, mt.rows = true, rows.Float64
	rs, err := db.QueryContext(ctx, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, database, table)
	if err != nil {
		return mt, fmt.Errorf("describe columns of %s.%s: %w", database, table, err)
	}
	defer rs.Close()
	for rs.Next() {
		var c myColumn
		if err := rs.Scan(&c.name, &c.dataType, &c.columnType, &c.precision); err != nil {
			return mt, fmt.Errorf("describe columns of %s.%s: %w", database, table, err)
		}
		c.dataType, c.columnType = strings.ToLower(c.dataType), strings.ToLower(c.columnType)
		mt.cols[c.name] = c
	}
	return mt, rs.Err()
}

// planMySQLTable describes the table on both sides and builds its jobs.
func planMySQLTable(ctx context.Context, db *sql.DB, database string, tgt *pgxpool.Pool, spec TableSpec, chunkRows int64) (*tablePlan, []*myChunk) {
	p := &tablePlan{spec: spec}
	src, err := describeMySQL(ctx, db, database, spec.Table.Name)
	if err != nil {
		p.err = fmt.Errorf("source: %w", err)
		return p, nil
	}
	ti, err := describe(ctx, tgt, spec.Table)
	if err != nil {
		p.err = fmt.Errorf("target: %w", err)
		return p, nil
	}
	srcInfo := relInfo{exists: src.exists, colTypes: map[string]string{}}
	for n, c := range src.cols {
		srcInfo.colTypes[n] = c.dataType
	}
	if p.err = errors.Join(checkPresent("source", srcInfo, spec), checkPresent("target", ti, spec)); p.err != nil {
		return p, nil
	}

	// Split the columns into hashed-in-SQL and JSON (compared in Go).
	var myExprs, pgExprs, jsonCols []string
	for _, name := range spec.Columns {
		c := src.cols[name]
		if c.dataType == "json" || ti.colTypes[name] == "jsonb" || ti.colTypes[name] == "json" {
			jsonCols = append(jsonCols, name)
			continue
		}
		my, pg := normExprs(c, ti.colTypes[name], backtick(name), sqlname.Quote(name))
		myExprs = append(myExprs, my)
		pgExprs = append(pgExprs, pg)
	}

	myFrom := backtick(database) + "." + backtick(spec.Table.Name)
	pgFrom := spec.Table.Quoted()
	myConds, pgConds, err := myChunkConds(ctx, db, spec, src, ti, myFrom, chunkRows)
	if err != nil {
		p.err = fmt.Errorf("source: %w", err)
		return p, nil
	}
	var jobs []*myChunk
	for i := range myConds {
		c := &chunk{cond: pgConds[i]}
		j := &myChunk{chunk: c,
			srcSQL: myChecksumSQL(myFrom, myExprs, myConds[i]),
			tgtSQL: pgNormChecksumSQL(pgFrom, pgExprs, pgConds[i]),
		}
		if len(jsonCols) > 0 {
			var mcols, pcols []string
			for _, n := range jsonCols {
				mcols = append(mcols, backtick(n))
				pcols = append(pcols, sqlname.Quote(n)+"::text")
			}
			j.srcJSONSQL = "SELECT " + strings.Join(mcols, ", ") + " FROM " + myFrom + where(myConds[i])
			j.tgtJSONSQL = "SELECT " + strings.Join(pcols, ", ") + " FROM " + pgFrom + where(pgConds[i])
		}
		p.chunks = append(p.chunks, c)
		jobs = append(jobs, j)
	}
	return p, jobs
}

func where(cond string) string {
	if cond == "" {
		return ""
	}
	return " WHERE " + cond
}

// myIntKeyTypes are the MySQL key types chunking can split (unsigned bigint
// excluded: its values may not fit int64).
var myIntKeyTypes = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true, "bigint": true}

// myChunkConds returns the chunk conditions in both dialects (same ranges).
func myChunkConds(ctx context.Context, db *sql.DB, spec TableSpec, src myTable, tgt relInfo, myFrom string, chunkRows int64) (my, pg []string, err error) {
	whole := []string{""}
	if len(spec.PrimaryKey) != 1 || src.rows <= float64(chunkRows) {
		return whole, whole, nil
	}
	keyName := spec.PrimaryKey[0]
	c := src.cols[keyName]
	if _, onTarget := tgt.colTypes[keyName]; !onTarget || !myIntKeyTypes[c.dataType] ||
		(c.dataType == "bigint" && strings.Contains(c.columnType, "unsigned")) {
		return whole, whole, nil
	}
	var mn, mx sql.NullInt64
	q := "SELECT MIN(" + backtick(keyName) + "), MAX(" + backtick(keyName) + ") FROM " + myFrom
	if err := db.QueryRowContext(ctx, q).Scan(&mn, &mx); err != nil {
		return nil, nil, fmt.Errorf("key range of %s: %w", myFrom, err)
	}
	if !mn.Valid || !mx.Valid {
		return whole, whole, nil
	}
	n := int64(math.Ceil(src.rows / float64(chunkRows)))
	pts := splitPoints(mn.Int64, mx.Int64, n)
	return rangeConds(backtick(keyName), pts), rangeConds(sqlname.Quote(keyName), pts), nil
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
func normExprs(c myColumn, pgType, my, pg string) (string, string) {
	switch c.dataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric":
		return "CAST(" + my + " AS CHAR)", pg + "::text"
	case "year":
		return "CAST(" + my + " + 0 AS CHAR)", pg + "::text"
	case "float":
		return myFloat(my, 6), pgFloat(pg, 6)
	case "double", "real", "double precision":
		return myFloat(my, 15), pgFloat(pg, 15)
	case "bit":
		if !c.precision.Valid || c.precision.Int64 <= 1 {
			return "CAST(" + my + " + 0 AS CHAR)", pg + "::int::text"
		}
		return fmt.Sprintf("LPAD(BIN(%s + 0), %d, '0')", my, c.precision.Int64), pg + "::text"
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
	parts := []string{"''"}
	for i, e := range exprs {
		if i > 0 {
			parts = append(parts, "CHAR(31)")
		}
		parts = append(parts, "COALESCE("+e+", CHAR(30))")
	}
	row := "CONCAT(" + strings.Join(parts, ", ") + ")"
	return "SELECT COUNT(*), CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(" + row +
		"), 1, 15), 16, 10) AS DECIMAL(20,0))), 0) AS CHAR) FROM " + from + where(cond)
}

// pgNormChecksumSQL is the PostgreSQL counterpart of myChecksumSQL.
func pgNormChecksumSQL(from string, exprs []string, cond string) string {
	parts := []string{"''"}
	for i, e := range exprs {
		if i > 0 {
			parts = append(parts, "chr(31)")
		}
		parts = append(parts, "coalesce("+e+", chr(30))")
	}
	row := "(" + strings.Join(parts, " || ") + ")"
	return "SELECT count(*), coalesce(sum(('x' || substr(md5(" + row +
		"), 1, 15))::bit(60)::bigint::numeric), 0)::text FROM " + from + where(cond)
}

// run checksums the chunk on both sides at once, then runs the JSON pass.
func (j *myChunk) run(ctx context.Context, db *sql.DB, tgt *pgxpool.Pool) {
	var wg sync.WaitGroup
	var srcErr, tgtErr error
	wg.Go(func() {
		j.src, srcErr = myChecksum(ctx, db, j.srcSQL)
		if srcErr == nil && j.srcJSONSQL != "" {
			srcErr = myJSONSum(ctx, db, j.srcJSONSQL, &j.src.h1)
		}
	})
	j.tgt, tgtErr = pgNormChecksum(ctx, tgt, j.tgtSQL)
	if tgtErr == nil && j.tgtJSONSQL != "" {
		tgtErr = pgJSONSum(ctx, tgt, j.tgtJSONSQL, &j.tgt.h1)
	}
	wg.Wait()
	switch {
	case srcErr != nil:
		j.err = fmt.Errorf("source: %w", srcErr)
	case tgtErr != nil:
		j.err = fmt.Errorf("target: %w", tgtErr)
	}
}

func parseSum(s *sums, v string) error {
	if _, ok := s.h0.SetString(v, 10); !ok {
		return fmt.Errorf("checksum query returned non-integer sum %q", v)
	}
	return nil
}

func myChecksum(ctx context.Context, db *sql.DB, q string) (*sums, error) {
	s := &sums{}
	var v string
	if err := db.QueryRowContext(ctx, q).Scan(&s.rows, &v); err != nil {
		return nil, fmt.Errorf("checksum query: %w", err)
	}
	return s, parseSum(s, v)
}

func pgNormChecksum(ctx context.Context, pool *pgxpool.Pool, q string) (*sums, error) {
	s := &sums{}
	var v string
	err := withConn(ctx, pool, func(tx pgx.Tx) error { return tx.QueryRow(ctx, q).Scan(&s.rows, &v) })
	if err != nil {
		return nil, fmt.Errorf("checksum query: %w", err)
	}
	return s, parseSum(s, v)
}

// jsonAccumulator sums the row hashes of the canonical JSON values.
type jsonAccumulator struct {
	sum *big.Int
	buf []byte
	n   big.Int
}

func (a *jsonAccumulator) add(vals []*string) {
	a.buf = a.buf[:0]
	for i, v := range vals {
		if i > 0 {
			a.buf = append(a.buf, mySep...)
		}
		if v == nil {
			a.buf = append(a.buf, myNullMarker...)
			continue
		}
		a.buf = append(a.buf, canonicalJSON(*v)...)
	}
	a.sum.Add(a.sum, rowHash(&a.n, a.buf))
}

// rowHash is the first 15 hex digits of md5(b) as a number.
func rowHash(n *big.Int, b []byte) *big.Int {
	h := md5.Sum(b)
	n.SetString(hex.EncodeToString(h[:])[:15], 16)
	return n
}

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
	acc := &jsonAccumulator{sum: sum}
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
		acc.add(vals)
	}
	return rows.Err()
}

func pgJSONSum(ctx context.Context, pool *pgxpool.Pool, q string, sum *big.Int) error {
	return withConn(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("json query: %w", err)
		}
		defer rows.Close()
		acc := &jsonAccumulator{sum: sum}
		n := len(rows.FieldDescriptions())
		vals := make([]*string, n)
		dest := make([]any, n)
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rows.Next() {
			for i := range vals {
				vals[i] = nil
			}
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("json query: %w", err)
			}
			acc.add(vals)
		}
		return rows.Err()
	})
}

// canonicalJSON renders a JSON document canonically: object keys sorted
// (the last of duplicate keys kept, as jsonb does), no whitespace, numbers
// as exact rationals (so 1, 1.0 and 1e0 are equal), strings re-escaped.
// Text that is not JSON is returned as is, prefixed so it cannot equal a
// canonical document.
func canonicalJSON(s string) []byte {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return append([]byte("!"), s...)
	}
	var b bytes.Buffer
	writeCanonical(&b, v)
	return b.Bytes()
}

func writeCanonical(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			writeCanonical(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		if r, ok := jsonRat(string(t)); ok {
			b.WriteString(r.RatString())
		} else {
			b.WriteString(string(t))
		}
	case string:
		sb, _ := json.Marshal(t)
		b.Write(sb)
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case nil:
		b.WriteString("null")
	}
}

// jsonRat parses a JSON number exactly, refusing huge exponents (whose
// exact value would take unbounded memory).
func jsonRat(n string) (*big.Rat, bool) {
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		if e, err := strconv.Atoi(strings.TrimPrefix(n[i+1:], "+")); err != nil || e > 400 || e < -400 {
			return nil, false
		}
	}
	return new(big.Rat).SetString(n)
}
