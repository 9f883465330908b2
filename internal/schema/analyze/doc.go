// Package analyze is the engine of yb-voyager analyze-schema: it reads the
// statements of an exported PostgreSQL schema (schema.LoadDir) and reports
// each one that needs a manual change, or a second look, before it is
// imported into YugabyteDB, with summaries per object type and category.
//
// Analyze first makes a whole-schema pass (checkCtx: tables and their column
// types with domains resolved, partitioned tables, sequence-backed columns,
// and every index, primary key and unique constraint per table), then runs
// each rule on each statement. Rules are data: an ID, category, reason,
// suggestion and doc anchor, plus a small Check function (rules_*.go).
//
// Rules (ID, category):
//
// Tables (rules_tables.go)
//   - ALTER_TABLE_ADD_PK_ON_PARTITIONED_TABLE  unsupported_feature  ALTER TABLE ADD PRIMARY KEY on a partitioned table
//   - EXCLUSION_CONSTRAINTS                    unsupported_feature  EXCLUDE constraints (CREATE TABLE, ALTER TABLE)
//   - DEFERRABLE_CONSTRAINTS                   unsupported_feature  DEFERRABLE primary key / unique constraints
//   - INHERITANCE                              unsupported_feature  INHERITS, ALTER TABLE ... INHERIT
//   - STORED_GENERATED_COLUMNS                 unsupported_feature  GENERATED ALWAYS AS (...) STORED
//   - XML_DATATYPE                             unsupported_datatype column of type xml
//   - XID_DATATYPE                             unsupported_datatype xid, xid8, txid_snapshot, pg_snapshot columns
//   - LARGE_OBJECT_DATATYPE                    unsupported_datatype lo columns
//   - POSTGIS_DATATYPE                         unsupported_datatype geometry, geography, box2d, box3d, raster columns
//   - MULTIRANGE_DATATYPE                      unsupported_datatype int4multirange, ..., tstzmultirange columns
//   - ALTER_TABLE_CLUSTER_ON                   unsupported_feature  ALTER TABLE ... CLUSTER ON
//   - ALTER_TABLE_RULE                         unsupported_feature  ALTER TABLE ... ENABLE/DISABLE RULE
//   - ALTER_TABLE_SET_WITHOUT_OIDS             unsupported_feature  ALTER TABLE ... SET WITHOUT OIDS
//   - ALTER_TABLE_SET_COLUMN_ATTRIBUTE         unsupported_feature  ALTER COLUMN ... SET/RESET (attribute = value)
//   - ALTER_TABLE_ALTER_CONSTRAINT             unsupported_feature  ALTER TABLE ... ALTER CONSTRAINT
//
// SET WITH OIDS is not listed: PostgreSQL 12+ grammar (and so the parser)
// rejects it, so such a file fails to load. ALTER COLUMN ... SET STORAGE is
// not reported.
//
// Other objects (rules_objects.go)
//   - UNLOGGED_TABLE                           migration_caveat     CREATE UNLOGGED TABLE, SET UNLOGGED
//   - TABLESPACE_CLAUSE                        migration_caveat     TABLESPACE / USING INDEX TABLESPACE / SET TABLESPACE
//   - CREATE_TABLESPACE                        unsupported_feature  CREATE TABLESPACE without replica_placement
//   - FOREIGN_TABLE                            migration_caveat     CREATE FOREIGN TABLE (needs server and user mapping)
//   - FOREIGN_SERVER                           migration_caveat     CREATE SERVER / USER MAPPING / FOREIGN DATA WRAPPER
//   - CONSTRAINT_TRIGGER                       unsupported_feature  CREATE CONSTRAINT TRIGGER
//   - REFERENCING_CLAUSE_IN_TRIGGER            unsupported_feature  triggers with REFERENCING transition tables
//   - BEFORE_ROW_TRIGGER_ON_PARTITIONED_TABLE  unsupported_feature  BEFORE ... FOR EACH ROW trigger on a partitioned table
//   - UNSUPPORTED_EXTENSION                    unsupported_feature  CREATE EXTENSION not in supportedExtensions
//
// Indexes (rules_indexes.go)
//   - CONCURRENT_INDEX                         migration_caveat     CREATE INDEX CONCURRENTLY
//   - UNSUPPORTED_INDEX_METHOD                 unsupported_feature  USING gist / brin / spgist
//   - MULTI_COLUMN_GIN_INDEX                   unsupported_feature  GIN index on more than one column
//   - ORDERED_GIN_INDEX                        unsupported_feature  GIN index with ASC/DESC
//   - INDEX_ON_COMPLEX_DATATYPE                unsupported_feature  btree/hash index on json, jsonb, inet, array, ... column
//   - PK_UK_ON_COMPLEX_DATATYPE                unsupported_feature  primary key / unique constraint on such a column
//
// Functions, procedures and DO blocks (rules_functions.go)
//   - ADVISORY_LOCKS                           unsupported_feature  pg_advisory_* / pg_try_advisory_* calls
//   - LISTEN_NOTIFY                            unsupported_feature  LISTEN, UNLISTEN, NOTIFY, pg_notify()
//   - TWO_PHASE_COMMIT                         unsupported_feature  PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED
//   - LARGE_OBJECT_FUNCTIONS                   unsupported_feature  lo_create, lo_import, ... calls; lo_manage triggers
//
// Performance hints (rules_performance.go)
//   - HOTSPOTS_ON_MONOTONIC_KEY                performance_hint     btree index / PK / unique key led by a timestamp,
//     date or sequence-backed column
//   - MISSING_FOREIGN_KEY_INDEX                performance_hint     foreign key columns lead no index of the table
//   - REDUNDANT_INDEXES                        performance_hint     index whose keys prefix another index's keys
//
// Source text export schema could not convert (unconverted.go): each block
// the files still hold (schema.FindUnconverted), so rewriting one in place
// removes its issue
//   - PLSQL_NOT_CONVERTED                      unsupported_feature  Oracle PL/SQL kept commented out
//   - UNCONVERTED_OBJECT                       unsupported_feature  any other object kept commented out (a view
//     whose Oracle SQL has no mechanical translation)
//
// Write renders a Report as json, txt, xml or a self-contained html page.
package analyze
