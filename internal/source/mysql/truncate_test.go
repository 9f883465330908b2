package mysql

import (
	"fmt"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/source"
)

func TestParseTruncate(t *testing.T) {
	tests := []struct {
		q            string
		schema, name string
		ok           bool
	}{
		{"TRUNCATE items", "db", "items", true},
		{"truncate table items", "db", "items", true},
		{"  TrUnCaTe   TABLE\n`items`  ", "db", "items", true},
		{"TRUNCATE TABLE`it``ems`;", "db", "it`ems", true},
		{"TRUNCATE shop.items", "shop", "items", true},
		{"TRUNCATE `my db` . `Items` ;", "my db", "Items", true},
		{`TRUNCATE TABLE "shop"."items"`, "shop", "items", true},
		{"/* app */ TRUNCATE TABLE items /* why */", "db", "items", true},
		{"TRUNCATE café", "db", "café", true},
		{"TRUNCATE $t_1", "db", "$t_1", true},
		{"TRUNCATE TABLE table_x", "db", "table_x", true},
		{"TRUNCATE tablex", "db", "tablex", true},
		{"TRUNCATEitems", "", "", false},
		{"TRUNCATE TABLE", "", "", false},
		{"TRUNCATE", "", "", false},
		{"TRUNCATE TABLE `items", "", "", false},
		{"TRUNCATE TABLE ``", "", "", false},
		{"TRUNCATE TABLE items, other", "", "", false},
		{"TRUNCATE TABLE shop.", "", "", false},
		{"/*!40000 TRUNCATE items */", "", "", false},
		{"ALTER TABLE items TRUNCATE PARTITION p0", "", "", false},
		{"SELECT TRUNCATE(1.5, 0)", "", "", false},
		{"DROP TABLE items", "", "", false},
	}
	for _, tt := range tests {
		schema, name, ok := parseTruncate(tt.q, "db")
		if ok != tt.ok || ok && (schema != tt.schema || name != tt.name) {
			t.Errorf("parseTruncate(%q) = %q, %q, %v; want %q, %q, %v", tt.q, schema, name, ok, tt.schema, tt.name, tt.ok)
		}
	}
}

// TestStreamBinlogTruncate: TRUNCATE of a migrated table, however written,
// is a truncate event in a transaction of its own; TRUNCATE of other tables
// (same name in another database included) and DDL on them are ignored.
func TestStreamBinlogTruncate(t *testing.T) {
	srv, db, s := openTest(t, streamSetup)
	otherDB := srv.CreateDatabase(t, "oth")
	srv.Exec(t, otherDB, "CREATE TABLE items (id int primary key)")
	ctx := ctxT(t)
	tables := []source.Table{table(t, s, "items"), table(t, s, "nopk")}
	from, err := s.MasterPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO items VALUES (1, 'one')",
		"TRUNCATE items",
		"truncate table `other`",
		fmt.Sprintf("TRUNCATE TABLE `%s`.items", otherDB),
		"ALTER TABLE other ADD COLUMN extra int",
		fmt.Sprintf("/* app */ truncate TABLE `%s`.`nopk`;", db),
		"INSERT INTO items VALUES (2, 'two')",
	} {
		srv.Exec(t, db, q)
	}
	want := [][]string{
		{`I public.items key[-] new[id="1",v="one"]`},
		{`T public.items key[-] new[-]`},
		{`T public.nopk key[-] new[-]`},
		{`I public.items key[-] new[id="2",v="two"]`},
	}
	sink := &recSink{}
	if err := stream(t, s, from, tables, sink, len(want)); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(sink.txs); got != fmt.Sprint(want) {
		t.Fatalf("streamed transactions:\n%v\nwant:\n%v", sink.txs, want)
	}
	for i := 1; i < len(sink.nexts); i++ {
		if !sink.nexts[i-1].Less(sink.nexts[i]) {
			t.Errorf("commit positions not increasing: %v then %v", sink.nexts[i-1], sink.nexts[i])
		}
	}
	if tx := sink.events[1].TxTime; tx == 0 {
		t.Errorf("truncate event has no commit time")
	}
}
