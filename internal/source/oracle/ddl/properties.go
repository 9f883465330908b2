package ddl

// tableProperties reads what follows the column list: the clauses that
// change the table's meaning (ORGANIZATION INDEX, ON COMMIT, PARTITION BY)
// are kept, the physical ones (TABLESPACE, STORAGE, SEGMENT CREATION,
// PCTFREE, LOGGING, COMPRESS, LOB storage, ...) are listed in Dropped.
func (c *cursor) tableProperties(t *Table) error {
	for !c.eof() {
		p := c.peek()
		switch {
		case c.accept("ORGANIZATION", "INDEX"):
			t.IndexOrganized = true
		case c.accept("ORGANIZATION", "HEAP"):
		case c.accept("ORGANIZATION", "EXTERNAL"):
			return c.errorf("external tables (ORGANIZATION EXTERNAL) are not converted: their data lives in files outside the database")
		case c.accept("ON", "COMMIT", "DELETE", "ROWS"):
			t.OnCommit = "DELETE ROWS"
		case c.accept("ON", "COMMIT", "PRESERVE", "ROWS"):
			t.OnCommit = "PRESERVE ROWS"
		case p.Is("PARTITION") && c.peekN(1).Is("BY"):
			part, err := c.partitioning()
			if err != nil {
				return err
			}
			t.Partitioning = part
		case p.Is("AS") && (c.peekN(1).Is("SELECT") || c.peekN(1).Is("WITH")):
			return c.errorf("CREATE TABLE ... AS SELECT is not converted: create the table with its columns")
		case p.Kind == Punct && p.Text == "(":
			if _, err := c.skipGroup(); err != nil {
				return err
			}
		case p.Kind == Word:
			if physical[p.Upper()] {
				t.Dropped = appendOnce(t.Dropped, p.Upper())
			}
			c.next()
		default:
			c.next()
		}
	}
	return nil
}

// physical lists the words that start a storage or physical clause, named
// in the conversion notes when dropped.
var physical = map[string]bool{
	"TABLESPACE": true, "STORAGE": true, "SEGMENT": true, "PCTFREE": true, "PCTUSED": true, "INITRANS": true, "MAXTRANS": true,
	"LOGGING": true, "NOLOGGING": true, "COMPRESS": true, "NOCOMPRESS": true, "CACHE": true, "NOCACHE": true, "PARALLEL": true,
	"NOPARALLEL": true, "MONITORING": true, "NOMONITORING": true, "LOB": true, "ROW": true, "FLASHBACK": true, "RESULT_CACHE": true,
	"INMEMORY": true, "NOINMEMORY": true, "PCTTHRESHOLD": true, "OVERFLOW": true, "INCLUDING": true, "MAPPING": true, "CLUSTER": true,
	"ROWDEPENDENCIES": true, "NOROWDEPENDENCIES": true, "COLUMN": true, "XMLTYPE": true, "VARRAY": true, "NESTED": true,
}

// partitioning reads PARTITION BY method (cols) [INTERVAL (e)]
// [SUBPARTITION BY ...] [(PARTITION name VALUES ..., ...)].
func (c *cursor) partitioning() (*Partitioning, error) {
	start := c.peek().Pos
	c.pos += 2 // PARTITION BY
	p := &Partitioning{Method: c.next().Upper()}
	switch p.Method {
	case "RANGE", "LIST", "HASH":
		cols, err := c.names()
		if err != nil {
			return nil, err
		}
		p.Columns = cols
	case "REFERENCE":
		if _, err := c.skipGroup(); err != nil {
			return nil, err
		}
	case "SYSTEM":
	default:
		return nil, c.errorf("unknown partitioning method %s", p.Method)
	}
	for !c.eof() {
		switch {
		case c.accept("INTERVAL"):
			iv, err := c.skipGroup()
			if err != nil {
				return nil, err
			}
			p.Interval = iv
		case c.accept("SUBPARTITION", "BY"):
			p.Sub = c.next().Upper()
			if c.peek().Text == "(" {
				_, _ = c.skipGroup()
			}
		case c.peek().Text == "(":
			list, err := c.skipGroup()
			if err != nil {
				return nil, err
			}
			parts, err := partitionList(list)
			if err != nil {
				return nil, err
			}
			p.Partitions = parts
			p.Text = c.text[start:c.toks[c.pos-1].End]
			return p, nil
		case c.peek().Kind == Word && (c.peek().Is("ENABLE") || c.peek().Is("DISABLE")):
			p.Text = c.text[start:c.toks[c.pos-1].End]
			return p, nil
		default:
			c.next() // PARTITIONS n, STORE IN (...), SUBPARTITION TEMPLATE ...
		}
	}
	p.Text = c.text[start:]
	return p, nil
}

// partitionList reads PARTITION name VALUES LESS THAN (...) | VALUES (...)
// [physical attributes] [(subpartitions)], ...
func partitionList(text string) ([]Partition, error) {
	c := newCursor(text)
	var out []Partition
	for !c.eof() {
		if !c.accept("PARTITION") {
			c.next()
			continue
		}
		var part Partition
		if n, ok := c.peek().Ident(); ok && !c.peek().Is("VALUES") {
			part.Name = n
			c.next()
		}
		if c.accept("VALUES") {
			from := c.peek().Pos
			c.accept("LESS", "THAN")
			if _, err := c.skipGroup(); err != nil {
				return nil, err
			}
			part.Values = "VALUES " + text[from:c.toks[c.pos-1].End]
		}
		out = append(out, part)
		// Skip the partition's attributes and subpartitions.
		for !c.eof() && !(c.peek().Kind == Punct && c.peek().Text == ",") {
			if c.peek().Text == "(" {
				_, _ = c.skipGroup()
				continue
			}
			c.next()
		}
		c.accept(",")
	}
	return out, nil
}
