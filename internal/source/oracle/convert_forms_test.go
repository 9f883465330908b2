package oracle

import (
	"strings"
	"testing"

	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/testharness/pgtest"
)

// DBMS_METADATA.GET_DDL's forms (SQLTERMINATOR on, as documented), with
// the features of the mapping: converted, then created in PostgreSQL.
const metadataDDL = `
  CREATE SEQUENCE  "SALES"."ORDER_SEQ"  MINVALUE 1 MAXVALUE 9999999999999999999999999999 INCREMENT BY 1 START WITH 1001 CACHE 20 NOORDER  NOCYCLE  NOKEEP  NOSCALE  GLOBAL ;

  CREATE TABLE "SALES"."CUSTOMERS" 
   (	"ID" NUMBER(10,0) GENERATED ALWAYS AS IDENTITY MINVALUE 1 MAXVALUE 9999999999999999999999999999 INCREMENT BY 1 START WITH 1 CACHE 20 NOORDER  NOCYCLE  NOKEEP  NOSCALE  NOT NULL ENABLE, 
	"Name" VARCHAR2(100 CHAR) NOT NULL ENABLE, 
	 CONSTRAINT "CUSTOMERS_PK" PRIMARY KEY ("ID")
  USING INDEX PCTFREE 10 INITRANS 2 MAXTRANS 255 COMPUTE STATISTICS 
  TABLESPACE "USERS"  ENABLE
   ) SEGMENT CREATION IMMEDIATE 
  PCTFREE 10 PCTUSED 40 INITRANS 1 MAXTRANS 255 
 NOCOMPRESS LOGGING
  STORAGE(INITIAL 65536 NEXT 1048576 MINEXTENTS 1 MAXEXTENTS 2147483645
  PCTINCREASE 0 FREELISTS 1 FREELIST GROUPS 1
  BUFFER_POOL DEFAULT FLASH_CACHE DEFAULT CELL_FLASH_CACHE DEFAULT)
  TABLESPACE "USERS" ;

  CREATE TABLE "SALES"."ORDERS" 
   (	"ORDER_ID" NUMBER DEFAULT "SALES"."ORDER_SEQ"."NEXTVAL" NOT NULL ENABLE, 
	"CUSTOMER_ID" NUMBER(10,0), 
	"STATUS" VARCHAR2(10 BYTE) DEFAULT 'NEW' NOT NULL ENABLE, 
	"ORDERED_AT" DATE DEFAULT SYSDATE NOT NULL ENABLE, 
	"UPDATED_AT" TIMESTAMP (6) WITH LOCAL TIME ZONE DEFAULT SYSTIMESTAMP, 
	"AMOUNT" NUMBER(12,2) DEFAULT 0, 
	"TAX" NUMBER(12,2) GENERATED ALWAYS AS ("AMOUNT"*0.2) VIRTUAL , 
	"TOKEN" RAW(16) DEFAULT SYS_GUID(), 
	"NOTES" CLOB, 
	"SPAN" INTERVAL DAY (3) TO SECOND (6), 
	 CONSTRAINT "ORDERS_AMOUNT_CK" CHECK ("AMOUNT" >= 0) ENABLE, 
	 CONSTRAINT "ORDERS_PK" PRIMARY KEY ("ORDER_ID", "ORDERED_AT")
  USING INDEX  ENABLE, 
	 CONSTRAINT "ORDERS_CUST_FK" FOREIGN KEY ("CUSTOMER_ID")
	  REFERENCES "SALES"."CUSTOMERS" ("ID") ON DELETE SET NULL ENABLE NOVALIDATE
   ) 
  TABLESPACE "USERS" 
 LOB ("NOTES") STORE AS SECUREFILE (
  TABLESPACE "USERS" ENABLE STORAGE IN ROW CHUNK 8192)
  PARTITION BY RANGE ("ORDERED_AT") INTERVAL (NUMTOYMINTERVAL(1,'MONTH'))
 (PARTITION "P2025"  VALUES LESS THAN (TO_DATE(' 2026-01-01 00:00:00', 'SYYYY-MM-DD HH24:MI:SS', 'NLS_CALENDAR=GREGORIAN')) SEGMENT CREATION IMMEDIATE 
  TABLESPACE "USERS" , 
 PARTITION "P2026"  VALUES LESS THAN (TO_DATE(' 2027-01-01 00:00:00', 'SYYYY-MM-DD HH24:MI:SS', 'NLS_CALENDAR=GREGORIAN')) SEGMENT CREATION DEFERRED 
  TABLESPACE "USERS" ) ;

  CREATE INDEX "SALES"."ORDERS_STATUS_IX" ON "SALES"."ORDERS" ("STATUS", "ORDERED_AT" DESC) 
  PCTFREE 10 INITRANS 2 MAXTRANS 255 COMPUTE STATISTICS 
  TABLESPACE "USERS" LOCAL ;
  CREATE INDEX "SALES"."CUST_NAME_UPPER_IX" ON "SALES"."CUSTOMERS" (UPPER("Name")) ;
  CREATE BITMAP INDEX "SALES"."ORDERS_CUST_BX" ON "SALES"."ORDERS" ("CUSTOMER_ID") LOCAL ;
  CREATE UNIQUE INDEX "OTHER"."X" ON "OTHER"."T" ("A") ;

  CREATE TABLE "SALES"."REGION_CODES" 
   (	"CODE" CHAR(2 BYTE), "REGION" VARCHAR2(10)) 
  PARTITION BY LIST ("REGION") 
 (PARTITION "P_EAST"  VALUES ('EAST', 'NORTHEAST'), 
 PARTITION "P_REST"  VALUES (DEFAULT)) ;
  CREATE TABLE "SALES"."EVENTS" ("ID" NUMBER(18,0), "AT" TIMESTAMP (9)) PARTITION BY HASH ("ID") (PARTITION "H1", PARTITION "H2", PARTITION "H3") ;
  CREATE GLOBAL TEMPORARY TABLE "SALES"."SCRATCH" ("K" NUMBER) ON COMMIT PRESERVE ROWS ;
  CREATE OR REPLACE FORCE EDITIONABLE VIEW "SALES"."OPEN_ORDERS" ("ORDER_ID", "STATUS_TEXT") AS 
  SELECT o.order_id, DECODE(o.status, 'NEW', 'open', 'closed') FROM "SALES"."ORDERS" o WHERE NVL(o.amount, 0) > 0 WITH READ ONLY;
  CREATE MATERIALIZED VIEW "SALES"."ORDER_TOTALS" ("CUSTOMER_ID", "TOTAL")
  SEGMENT CREATION IMMEDIATE
  ORGANIZATION HEAP PCTFREE 10 PCTUSED 40 INITRANS 1 MAXTRANS 255 
  TABLESPACE "USERS" 
  BUILD IMMEDIATE
  USING INDEX 
  REFRESH COMPLETE ON DEMAND
  USING DEFAULT LOCAL ROLLBACK SEGMENT
  USING ENFORCED CONSTRAINTS DISABLE ON QUERY COMPUTATION DISABLE QUERY REWRITE
  AS SELECT customer_id, SUM(amount) FROM "SALES"."ORDERS" GROUP BY customer_id;
  CREATE OR REPLACE VIEW "SALES"."TOP10" AS SELECT * FROM (SELECT * FROM "SALES"."ORDERS" ORDER BY "AMOUNT" DESC) WHERE ROWNUM <= 10;
  CREATE OR REPLACE VIEW "SALES"."FIRST10" AS SELECT * FROM "SALES"."ORDERS" WHERE ROWNUM <= 10 ORDER BY "AMOUNT";
  COMMENT ON COLUMN "SALES"."ORDERS"."STATUS" IS 'NEW, PAID or SHIPPED; it''s free text';
  COMMENT ON TABLE "SALES"."ORDERS" IS 'Orders';
`

func TestConvertMetadataFormsIntoPostgres(t *testing.T) {
	stmts, _, finds := ddl.Split("metadata.sql", []byte(metadataDDL))
	if len(finds) != 0 {
		t.Fatal(finds)
	}
	out, notes := Convert(stmts, ConvertOptions{Schema: "SALES", TargetSchema: "sales", Comments: true})
	c := pgtest.Shared(t, pgtest.RoleTarget)
	db := c.CreateDatabase(t, "oracle_forms")
	c.Exec(t, db, "CREATE SCHEMA sales")
	var all []string
	for _, typ := range schema.Order {
		for _, st := range out {
			if st.Type == typ {
				c.Exec(t, db, st.Text)
				all = append(all, st.Text)
			}
		}
	}
	text := strings.Join(all, ";\n")
	for _, want := range []string{
		`CREATE SEQUENCE "sales"."order_seq" INCREMENT BY 1 MINVALUE 1 START WITH 1001 CACHE 20`,
		`"id" bigint GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1) NOT NULL`,
		`"Name" varchar(100) NOT NULL`,
		`"order_id" numeric DEFAULT nextval('"sales"."order_seq"') NOT NULL`,
		`"ordered_at" timestamp(0) without time zone DEFAULT LOCALTIMESTAMP(0) NOT NULL`,
		`"tax" numeric(12,2) GENERATED ALWAYS AS ("amount"*0.2) STORED`,
		`"token" bytea DEFAULT decode(replace(gen_random_uuid()::text, '-', ''), 'hex')`,
		`"span" interval day to second(6)`,
		`CHECK ("amount" >= 0)`,
		`PARTITION BY RANGE ("ordered_at")`,
		`CREATE TABLE "sales"."p2026" PARTITION OF "sales"."orders" FOR VALUES FROM ('2026-01-01 00:00:00') TO ('2027-01-01 00:00:00')`,
		`CREATE TABLE "sales"."p_rest" PARTITION OF "sales"."region_codes" DEFAULT`,
		`CREATE TABLE "sales"."h3" PARTITION OF "sales"."events" FOR VALUES WITH (MODULUS 3, REMAINDER 2)`,
		`ON DELETE SET NULL`,
		`CREATE INDEX "orders_status_ix" ON "sales"."orders" ("status", "ordered_at" DESC)`,
		`CREATE INDEX "cust_name_upper_ix" ON "sales"."customers" ((UPPER("Name")))`,
		`CREATE TABLE "sales"."scratch" (`,
		`COMMENT ON COLUMN "sales"."orders"."status" IS 'NEW, PAID or SHIPPED; it''s free text'`,
		`CREATE VIEW "sales"."open_orders" ("order_id", "status_text") AS
SELECT o.order_id, (CASE WHEN o.status IS NOT DISTINCT FROM 'NEW' THEN 'open' ELSE 'closed' END) FROM "sales"."orders" o WHERE COALESCE(o.amount, 0) > 0`,
		`CREATE MATERIALIZED VIEW "sales"."order_totals" ("customer_id", "total") AS
SELECT customer_id, SUM(amount) FROM "sales"."orders" GROUP BY customer_id`,
		`CREATE VIEW "sales"."top10" AS
SELECT * FROM (SELECT * FROM "sales"."orders" ORDER BY "amount" DESC) AS subquery1 LIMIT 10`,
		`: not translated: ROWNUM other than a top-level ROWNUM <= N`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %s\n%s", want, text)
		}
	}
	if strings.Contains(text, "TABLESPACE") || strings.Contains(text, "STORAGE") || strings.Contains(text, `"other"`) {
		t.Errorf("physical clauses or another owner's objects leaked:\n%s", text)
	}
	for _, n := range [][2]string{
		{"TABLE sales.orders", "storage clauses dropped: TABLESPACE, LOB"},
		{"TABLE sales.orders", "interval partitioning"},
		{"COLUMN sales.orders.tax", "STORED here"},
		{"INDEX sales.orders_cust_bx", "BITMAP"},
		{"CREATE INDEX OTHER.X", "belongs to schema OTHER, not SALES; skipped"},
		{"SEQUENCE sales.order_seq", "MAXVALUE 9999999999999999999999999999 is beyond bigint"},
		{"COLUMN sales.events.at", "keeps 9 fractional digits"},
		{"TABLE sales.orders", "ORDERS_CUST_FK is NOVALIDATE in Oracle: validated here"},
		{"TABLE sales.scratch", "global temporary table"},
		{"VIEW sales.open_orders", "WITH READ ONLY"},
		{"MATERIALIZED VIEW sales.order_totals", "clauses dropped (refresh it with REFRESH MATERIALIZED VIEW): SEGMENT"},
		{"VIEW sales.first10", ": not translated (ROWNUM"},
	} {
		if !hasNote(notes, n[0], n[1]) {
			t.Errorf("no note %q on %q", n[1], n[0])
		}
	}
	// The partitioned table routes rows by the converted bounds.
	c.Exec(t, db, `INSERT INTO sales.customers ("Name") VALUES ('a'); INSERT INTO sales.orders (customer_id, ordered_at, amount) VALUES (1, '2026-06-01', 10)`)
	if n := c.QueryInt(t, db, `SELECT count(*) FROM sales.p2026`); n != 1 {
		t.Errorf("row in p2026: %d", n)
	}
}
