// Package redo is the SQL_REDO parser: one DML statement LogMiner
// reconstructed in V$LOGMNR_CONTENTS becomes its operation, its table and
// its column values. It owns nothing else: which rows to read, the
// transaction a row belongs to and the column types are the caller's.
//
// # What it reads
//
// The statement forms of Oracle's LogMiner documentation (Database
// Utilities, "Using LogMiner to Analyze Redo Log Files", Examples 1-4):
//
//	insert into "HR"."JOBS"("JOB_ID","JOB_TITLE") values ('IT_WT','Technical Writer');
//	update "OE"."PRODUCT_INFORMATION" set "WARRANTY_PERIOD" = TO_YMINTERVAL('+05-00')
//	  where "PRODUCT_ID" = '1799' and ROWID = 'AAAHTKAABAAAY9mAAB';
//	delete from "HR"."EMPLOYEES" where "EMPLOYEE_ID" = '205' and "COMMISSION_PCT" IS NULL and ROWID = '...';
//
// in any case, with or without the closing semicolon (NO_SQL_DELIMITER) and
// the ROWID conjunct (NO_ROWID_IN_STMT), in PRINT_PRETTY_SQL's layout
// (where an INSERT reads values "COL" = v, "COL" = v), and without a
// dictionary ("UNKNOWN"."OBJ# 45522", "COL 1", HEXTORAW values). Plain
// script INSERTs read too (INSERT INTO regions VALUES (10, 'Europe')), and
// ParseRows reads the multi-row VALUES (...), (...) of Oracle 23ai scripts.
//
// A value is a literal, NULL, a number as written, one of the conversion
// functions LogMiner writes (TO_DATE, TO_TIMESTAMP, TO_TIMESTAMP_TZ,
// TO_YMINTERVAL, TO_DSINTERVAL, HEXTORAW: kept as function, text and format,
// for the caller to convert with the column's type), EMPTY_CLOB() /
// EMPTY_BLOB() (the LOB's content follows in later LOB_WRITE rows), the
// words Unsupported Type, or a concatenation of literals, UNISTR(...) and
// CHR(n < 128), which is decoded to one UTF-8 text.
//
// # Rules for callers
//
//   - Anything else is an error, never a guess: DDL, LogMiner's PL/SQL LOB
//     writes (DECLARE ... DBMS_LOB.WRITE), SELECT ... FOR UPDATE, other
//     functions and expressions, an UPDATE or DELETE without a WHERE.
//   - An error quotes at most a few dozen bytes of the statement: values are
//     user data and errors end up in logs.
//   - A number and a string look alike: LogMiner quotes numbers ('306') by
//     default and not under PRINT_PRETTY_SQL, so the column's type decides.
//   - Text shares memory with the statement when it can (no copy), so a
//     kept Redo keeps its statement alive.
//   - A SQL_REDO longer than 4000 bytes comes in several rows, CSF = 1 on
//     all but the last: join them with an Assembler before parsing.
package redo
