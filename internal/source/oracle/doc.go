// Package oracle is the Oracle source engine: connecting (connect.go,
// explain.go, package tns for tnsnames.ora), and converting Oracle DDL to
// PostgreSQL DDL (convert*.go, types.go) from the text package ddl reads —
// a DBA's script (--source-ddl-file) or, on a live source, DBMS_METADATA's
// output; both share every line after the reader.
//
// What is tested, and how: everything here except Dial, the Catalog over
// go-ora (catalog.go) and Source's queries runs without an Oracle server, on Oracle's HR sample schema and the Chinook Oracle
// script (../shared/reference/oracle), on DBMS_METADATA's documented
// output forms, and by fuzzing; converted DDL is created in a real
// PostgreSQL and checked from its catalog. None of it has met a live
// Oracle yet.
//
// # Names
//
// A name Oracle stores in upper case (written unquoted) becomes lower case;
// any other keeps its spelling. Every name is double-quoted in the output.
// Unqualified objects belong to --source-db-schema; objects of another
// owner are skipped with a note. Names are written unqualified; import
// schema creates them in --target-db-schema (public by default, as
// Voyager) through the session's search_path.
//
// # Type mapping (after ora2pg, Voyager's converter)
//
//	Oracle                                  PostgreSQL
//	--------------------------------------  ------------------------------------------------
//	NUMBER, NUMBER(*)                       numeric
//	NUMBER(p) / NUMBER(p,0), p <= 4         smallint
//	  p <= 9 / p <= 18 / p > 18             integer / bigint / numeric(p)
//	NUMBER(p,s), 0 < s <= p                 numeric(p,s)
//	NUMBER(*,s)                             numeric(38,s)
//	NUMBER(p,s), s < 0                      numeric(p-s)   (noted: Oracle rounds new values)
//	NUMBER(p,s), s > p                      numeric(s,s)   (noted)
//	DECIMAL, DEC, NUMERIC                   as NUMBER
//	INTEGER, INT / SMALLINT                 integer / smallint
//	FLOAT, FLOAT(b), REAL, DOUBLE PRECISION double precision   (noted: Oracle keeps 38 digits)
//	BINARY_FLOAT / BINARY_DOUBLE            real / double precision
//	DATE                                    timestamp(0) without time zone
//	TIMESTAMP(n)                            timestamp(n) without time zone   (n > 6: 6, noted)
//	TIMESTAMP(n) WITH TIME ZONE             timestamp(n) with time zone   (noted: the zone region is not kept)
//	TIMESTAMP(n) WITH LOCAL TIME ZONE       timestamp(n) with time zone
//	INTERVAL YEAR(n) TO MONTH               interval year to month
//	INTERVAL DAY(n) TO SECOND(f)            interval day to second(f)
//	VARCHAR2(n [BYTE|CHAR]), NVARCHAR2(n)   varchar(n)   (PostgreSQL counts characters:
//	                                          n bytes always fit)
//	CHAR(n), NCHAR(n)                       char(n)
//	CLOB, NCLOB, LONG                       text
//	BLOB, RAW(n), LONG RAW                  bytea
//	BFILE                                   bytea   (noted: its data is outside the database)
//	XMLTYPE / JSON / BOOLEAN                xml / jsonb / boolean
//	ROWID, UROWID                           text   (noted)
//	SDO_GEOMETRY                            text   (noted: needs PostGIS)
//	object types, VARRAY, nested tables     text   (noted)
//
// # Tables
//
// Keys and checks added by a later ALTER TABLE ... ADD are folded into the
// CREATE TABLE (the target needs the key before data arrives); foreign keys
// become ALTER TABLE ... ADD CONSTRAINT after every table, with ON DELETE,
// DEFERRABLE, and NOVALIDATE as NOT VALID. An index that only backs a
// primary key or unique constraint is left to the constraint (noted).
// Identity columns keep ALWAYS / BY DEFAULT and START WITH / INCREMENT BY
// (ON NULL is noted); virtual columns become STORED generated columns;
// defaults SYSDATE, SYSTIMESTAMP, CURRENT_DATE, USER, SYS_GUID(),
// seq.NEXTVAL and literals are translated, others left off with a note.
// The pre-12c auto-increment idiom, a BEFORE INSERT row trigger that only
// sets the key from a sequence (:NEW.id := seq.NEXTVAL, or SELECT
// seq.NEXTVAL INTO :NEW.id FROM DUAL, optionally inside IF :NEW.id IS
// NULL), becomes the column's DEFAULT nextval(...) and is reported.
// Index-organised tables become ordinary tables with their key; global
// temporary tables become ordinary tables (noted); range, list and hash
// partitions become declarative partitions (interval partitioning: the
// existing partitions; subpartitions: the top level; both noted); storage
// clauses are dropped and listed. Sequences keep their options; bounds
// beyond bigint (Oracle's default MAXVALUE) use PostgreSQL's default.
// Comments are exported only with --comments-on-objects.
//
// # Views and PL/SQL
//
// A view's query is translated where that is mechanical (translate.go:
// names, NVL, NVL2, DECODE, SYSDATE, SYSTIMESTAMP, TO_DATE / TO_CHAR with a
// format, TO_NUMBER, SUBSTR with a positive literal start,
// two-argument INSTR, MINUS, FROM DUAL; translate_query.go: a top-level
// ROWNUM <= N of a query level that does not sort, group, aggregate or
// remove duplicates becomes LIMIT N, (+) conditions between comma-listed
// tables become LEFT JOIN ... ON, an unnamed derived table gets a name) and
// checked with the PostgreSQL parser; otherwise (any other ROWNUM or (+)
// form, CONNECT BY, ...) the Oracle text is kept commented out in the views
// file with the reason. WITH READ ONLY is dropped (noted); a materialized view's
// refresh and storage clauses are dropped (noted).
//
// Standalone procedures, functions and DML triggers become PL/pgSQL when
// every declaration and statement has a mechanical counterpart
// (plsql_body.go lists them: assignments, IF/ELSIF/ELSE, nested blocks,
// DML and SELECT INTO through the SQL translator, procedure calls as
// CALL, seq.NEXTVAL as nextval, RAISE_APPLICATION_ERROR(-20nnn, msg) as
// RAISE EXCEPTION with SQLSTATE 45nnn, DBMS_OUTPUT.PUT_LINE as RAISE
// NOTICE, :NEW/:OLD, INSERTING/UPDATING/DELETING as TG_OP); the result is
// checked with PostgreSQL's PL/pgSQL parser. A trigger becomes a trigger
// function <name>_fn and a CREATE TRIGGER, created disabled when Oracle's
// is. Units pin search_path to the schema they are created in. A
// parameter of table.column%TYPE whose column maps to smallint or integer
// is bigint, so that callers passing integers resolve. Anything else
// (loops, cursors, exception handlers, dynamic SQL, packages, object
// types, compound and system triggers) stays PL/SQL, commented out in its
// object type's file with the construct that stopped it. A synonym of a
// table or view of the schema becomes a view selecting everything from it
// (synonyms/synonym.sql, as Voyager); public synonyms, synonyms over a
// database link, of another schema's objects or of other kinds of object
// are kept commented out with the reason. Each with file and line.
package oracle
