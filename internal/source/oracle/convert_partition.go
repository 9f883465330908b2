package oracle

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// partitioning writes PARTITION BY for the parent and one CREATE TABLE ...
// PARTITION OF per Oracle partition. A table whose partitions cannot be
// written is created unpartitioned, with a note.
func (v *converter) partitioning(tobj string, t *ddl.Table, b *strings.Builder) {
	p := t.Partitioning
	switch p.Method {
	case "RANGE", "LIST", "HASH":
	default:
		v.caveat(schema.Table, v.qname(t.Object.Name), tobj, "ORACLE_PARTITIONING", fmt.Sprintf("%s partitioning has no PostgreSQL counterpart: the table is created unpartitioned", p.Method))
		return
	}
	parts, err := v.partitions(t)
	if err != nil {
		v.caveat(schema.Table, v.qname(t.Object.Name), tobj, "ORACLE_PARTITIONING", fmt.Sprintf("its partitions could not be converted (%v): the table is created unpartitioned", err))
		return
	}
	fmt.Fprintf(b, " PARTITION BY %s (%s)", p.Method, v.columns(p.Columns))
	v.partitioned[t.Object.Name] = true
	if p.Interval != "" {
		v.caveat(schema.Table, v.qname(t.Object.Name), tobj, "ORACLE_PARTITIONING", "interval partitioning: range partitions are created for the partitions that exist; Oracle's automatic new partitions are not (add them ahead of the data)")
	}
	if p.Sub != "" {
		v.caveat(schema.Table, v.qname(t.Object.Name), tobj, "ORACLE_PARTITIONING", fmt.Sprintf("composite partitioning (subpartitions by %s): only the top level is created", p.Sub))
	}
	for _, k := range t.Constraints {
		if (k.Kind == "PRIMARY KEY" || k.Kind == "UNIQUE") && !covers(k.Columns, p.Columns) {
			v.caveat(schema.Table, v.qname(t.Object.Name), tobj, "ORACLE_PARTITIONING", fmt.Sprintf("%s %s does not include the partition key (%s): PostgreSQL requires it to; add the columns to the key or drop the partitioning", k.Kind, k.Name, strings.Join(p.Columns, ", ")))
		}
	}
	for _, part := range parts {
		v.emit(schema.Partition, v.qname(part.name), part.text)
	}
}

type pgPartition struct{ name, text string }

func (v *converter) partitions(t *ddl.Table) ([]pgPartition, error) {
	p := t.Partitioning
	if len(p.Partitions) == 0 {
		return nil, fmt.Errorf("no partitions are named")
	}
	var out []pgPartition
	lower := "MINVALUE"
	for i, part := range p.Partitions {
		name := part.Name
		if name == "" {
			name = fmt.Sprintf("%s_P%d", t.Object.Name, i+1)
		}
		var bound string
		switch p.Method {
		case "RANGE":
			vals, err := v.boundValues(strings.TrimPrefix(part.Values, "VALUES LESS THAN"))
			if err != nil {
				return nil, err
			}
			if len(vals) != len(p.Columns) {
				return nil, fmt.Errorf("partition %s has %d bound values for %d columns", name, len(vals), len(p.Columns))
			}
			from := lower
			if len(vals) > 1 && lower == "MINVALUE" {
				from = strings.TrimSuffix(strings.Repeat("MINVALUE, ", len(vals)), ", ")
			}
			upper := strings.Join(vals, ", ")
			bound = fmt.Sprintf("FOR VALUES FROM (%s) TO (%s)", from, upper)
			lower = upper
		case "LIST":
			inner := strings.TrimSpace(strings.TrimPrefix(part.Values, "VALUES"))
			if strings.EqualFold(strings.Trim(inner, "() "), "DEFAULT") {
				bound = "DEFAULT"
				break
			}
			vals, err := v.boundValues(inner)
			if err != nil {
				return nil, err
			}
			bound = fmt.Sprintf("FOR VALUES IN (%s)", strings.Join(vals, ", "))
		case "HASH":
			bound = fmt.Sprintf("FOR VALUES WITH (MODULUS %d, REMAINDER %d)", len(p.Partitions), i)
		}
		out = append(out, pgPartition{name, fmt.Sprintf("CREATE TABLE %s PARTITION OF %s %s", v.rel(name), v.rel(t.Object.Name), bound)})
	}
	return out, nil
}

// boundValues reads a partition bound list "(v, v, ...)": numbers, strings,
// MAXVALUE, DATE/TIMESTAMP literals and DBMS_METADATA's TO_DATE(' ...',
// 'SYYYY-MM-DD HH24:MI:SS', 'NLS_CALENDAR=GREGORIAN').
func (v *converter) boundValues(text string) ([]string, error) {
	toks := ddl.Tokens(strings.TrimSpace(text))
	if len(toks) < 2 || toks[0].Text != "(" || toks[len(toks)-1].Text != ")" {
		return nil, fmt.Errorf("bound %q is not a bracketed list", text)
	}
	toks = toks[1 : len(toks)-1]
	var out []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Text == ",":
			continue
		case t.Kind == ddl.Number:
			out = append(out, t.Text)
		case t.Text == "-" && i+1 < len(toks) && toks[i+1].Kind == ddl.Number:
			out = append(out, "-"+toks[i+1].Text)
			i++
		case t.Kind == ddl.String:
			out = append(out, sqlname.QuoteLiteral(t.Text))
		case t.Is("MAXVALUE"):
			out = append(out, "MAXVALUE")
		case t.Is("NULL"):
			out = append(out, "NULL")
		case (t.Is("DATE") || t.Is("TIMESTAMP")) && i+1 < len(toks) && toks[i+1].Kind == ddl.String:
			out = append(out, sqlname.QuoteLiteral(strings.TrimSpace(toks[i+1].Text)))
			i++
		case t.Is("TO_DATE") && i+3 < len(toks) && toks[i+1].Text == "(" && toks[i+2].Kind == ddl.String:
			out = append(out, sqlname.QuoteLiteral(strings.TrimSpace(toks[i+2].Text)))
			for i < len(toks) && toks[i].Text != ")" {
				i++
			}
		default:
			return nil, fmt.Errorf("bound value %q is not translated", t.Text)
		}
	}
	return out, nil
}

func covers(key, part []string) bool {
	for _, p := range part {
		found := false
		for _, k := range key {
			found = found || k == p
		}
		if !found {
			return false
		}
	}
	return true
}
