package mysql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// kind groups PostgreSQL types by how a default literal is written for them.
type kind int

const (
	kOther kind = iota
	kInt
	kNumeric
	kFloat
	kBool
	kBit
	kString
	kBytea
	kDate
	kTimestamp
	kTime
	kJSON
	kEnum
	kSet
	kUUID
)

// mapped is the PostgreSQL side of a column's type.
type mapped struct {
	typ    string   // PostgreSQL type; empty for an enum (the caller names the type)
	kind   kind     //
	labels []string // enum labels
	note   string   // why the column needs a look, if it does
}

// mapType maps a column's MySQL type to PostgreSQL (see the table in doc.go).
// jsonText marks a MariaDB JSON column (longtext with CHECK json_valid).
func mapType(c Column, jsonText bool) mapped {
	ct := strings.ToLower(c.ColumnType)
	unsigned := strings.Contains(ct, "unsigned") || strings.Contains(ct, "zerofill")
	switch dt := strings.ToLower(c.DataType); dt {
	case "tinyint":
		return mapped{typ: "smallint", kind: kInt}
	case "smallint":
		return mapped{typ: pick(unsigned, "integer", "smallint"), kind: kInt}
	case "mediumint":
		return mapped{typ: "integer", kind: kInt}
	case "int", "integer":
		return mapped{typ: pick(unsigned, "bigint", "integer"), kind: kInt}
	case "bigint":
		if unsigned {
			return mapped{typ: "numeric(20)", kind: kNumeric}
		}
		return mapped{typ: "bigint", kind: kInt}
	case "decimal", "numeric", "dec", "fixed":
		p, okP := intAttr(c.NumericPrecision, ct, 0)
		s, _ := intAttr(c.NumericScale, ct, 1)
		if !okP {
			return mapped{typ: "numeric", kind: kNumeric}
		}
		return mapped{typ: fmt.Sprintf("numeric(%d,%d)", p, s), kind: kNumeric}
	case "float":
		return mapped{typ: "real", kind: kFloat}
	case "double", "real", "double precision":
		return mapped{typ: "double precision", kind: kFloat}
	case "bit":
		n, ok := intAttr(c.NumericPrecision, ct, 0)
		if !ok {
			n = 1
		}
		if n == 1 {
			return mapped{typ: "boolean", kind: kBool}
		}
		return mapped{typ: fmt.Sprintf("bit varying(%d)", n), kind: kBit}
	case "char", "varchar":
		n, ok := intAttr(c.CharMaxLen, ct, 0)
		if !ok || n < 1 {
			return mapped{typ: "text", kind: kString, note: dt + "(0) has no PostgreSQL equivalent; mapped to text"}
		}
		return mapped{typ: fmt.Sprintf("%s(%d)", pick(dt == "char", "char", "varchar"), n), kind: kString}
	case "tinytext", "text", "mediumtext", "longtext":
		if jsonText {
			return mapped{typ: "jsonb", kind: kJSON}
		}
		return mapped{typ: "text", kind: kString}
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return mapped{typ: "bytea", kind: kBytea}
	case "date":
		return mapped{typ: "date", kind: kDate}
	case "datetime":
		return mapped{typ: fmt.Sprintf("timestamp(%d) without time zone", fsp(c, ct)), kind: kTimestamp}
	case "timestamp":
		return mapped{typ: fmt.Sprintf("timestamp(%d) with time zone", fsp(c, ct)), kind: kTimestamp}
	case "time":
		return mapped{typ: fmt.Sprintf("time(%d)", fsp(c, ct)), kind: kTime, note: timeNote}
	case "year":
		return mapped{typ: "smallint", kind: kInt}
	case "enum":
		return mapped{kind: kEnum, labels: typeLabels(c.ColumnType)}
	case "set":
		return mapped{typ: "text[]", kind: kSet,
			note: "SET mapped to text[]: a value 'a,b' becomes the array {a,b}; membership checks are not enforced"}
	case "json":
		return mapped{typ: "jsonb", kind: kJSON}
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
		"geometrycollection", "geomcollection":
		return mapped{typ: "text", kind: kOther,
			note: "spatial type " + dt + " mapped to text; use PostGIS geometry types on the target for spatial data"}
	case "uuid":
		return mapped{typ: "uuid", kind: kUUID}
	case "inet4", "inet6":
		return mapped{typ: "inet", kind: kString}
	}
	return mapped{typ: "text", kind: kOther, note: fmt.Sprintf("type %s has no known PostgreSQL mapping; mapped to text", c.ColumnType)}
}

// timeNote is noted for every TIME column: whether its values fit
// PostgreSQL time is not known until export data reads them.
const timeNote = "MySQL TIME holds durations (-838:59:59 to 838:59:59), PostgreSQL time only 00:00:00 to 24:00:00: " +
	"if the column stores durations or negative values, change its type to interval in tables/table.sql " +
	"(or ALTER TABLE ... ALTER COLUMN ... TYPE interval on the target); export data names the columns that need it"

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

var typeArgs = regexp.MustCompile(`^[a-z ]+\(([^)]*)\)`)

// intAttr is the information_schema attribute v, or else the i-th number in
// COLUMN_TYPE's parentheses ("decimal(10,2)": 0 is 10, 1 is 2).
func intAttr(v *int64, columnType string, i int) (int64, bool) {
	if v != nil {
		return *v, true
	}
	m := typeArgs.FindStringSubmatch(columnType)
	if m == nil {
		return 0, false
	}
	parts := strings.Split(m[1], ",")
	if i >= len(parts) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(parts[i]), 10, 64)
	return n, err == nil
}

// fsp is the fractional seconds precision of a temporal column (0..6).
func fsp(c Column, ct string) int64 {
	n, ok := intAttr(c.DatetimePrecision, ct, 0)
	if !ok || n < 0 || n > 6 {
		return 0
	}
	return n
}

// typeLabels parses the quoted values of enum(...) or set(...) in COLUMN_TYPE
// (a quote inside a value is doubled).
func typeLabels(columnType string) []string {
	open := strings.IndexByte(columnType, '(')
	if open < 0 {
		return nil
	}
	s := columnType[open+1:]
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		var b strings.Builder
		for i++; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
		}
		out = append(out, b.String())
	}
	return out
}

var generatedExtra = regexp.MustCompile(`(?i)\b(VIRTUAL|STORED|PERSISTENT)\s+GENERATED\b`)

func isGenerated(c Column) bool {
	return generatedExtra.MatchString(c.Extra)
}

func isAutoIncrement(c Column) bool {
	return strings.Contains(strings.ToLower(c.Extra), "auto_increment")
}

func isOnUpdateNow(c Column) bool {
	return strings.Contains(strings.ToLower(c.Extra), "on update")
}
