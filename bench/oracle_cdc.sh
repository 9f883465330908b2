#!/usr/bin/env bash
# Oracle live-migration benchmark without an Oracle server: how fast
# yb-voyager turns a backlog of LogMiner rows into queue events (SQL_REDO
# parsing, transaction buffering, value conversion, the queue) and applies
# them to PostgreSQL. The rows come from a synthetic source
# (YB_VOYAGER_ORACLE_SYNTHETIC, internal/source/oracle/synthetic.go): a
# V$LOGMNR_CONTENTS-shaped file, so only the server's cost is missing.
#
#   bench/oracle_cdc.sh [N]
#
#   N / BENCH_EVENTS     change events (default 1000000)
#   BENCH_JOBS           apply channels of import data (default 2)
#   BENCH_SEED_ROWS      rows in the snapshot (default 10000)
#   BENCH_STALL_SECONDS  a wait fails when its counter has not moved for this long (default 180)
#   BENCH_NO_RESULTS     set to 1 not to append to bench/RESULTS.md
#   BENCH_KEEP_WORK      set to 1 to keep bench/work/oracle_cdc
#
# HR.T(ID NUMBER(18) PRIMARY KEY, A NUMBER(9), B VARCHAR2(32), C TIMESTAMP(6))
# with BENCH_SEED_ROWS snapshot rows; export schema (--source-ddl-file) and
# import schema create it on the target. export data and import data take
# the snapshot and are stopped; then N events (50 % inserts, 35 % updates,
# 15 % deletes, one row each, COMMIT every 100, as cdc.sh) are written as
# LogMiner rows in LogMiner's SQL_REDO form, and:
#   export  export data again, timed until export data status counts N events
#   apply   import data again, timed until the target has applied N events
# then cutover, and the target's row count must be the stream's.
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

live_knobs 10000 "$@"

if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	need_tools psql awk
	need_time
	reexec_under_testenv "$N"
fi
testenv_addresses pg
export PGPASSWORD=postgres TARGET_DB_PASSWORD=postgres SOURCE_DB_PASSWORD=unused PGCONNECT_TIMEOUT=10
use_work_dir

tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U postgres "$@"; }

SYN="$WORK/synthetic"
mkdir -p "$SYN"
export YB_VOYAGER_ORACLE_SYNTHETIC=$SYN
echo 'CREATE TABLE "HR"."T" ("ID" NUMBER(18) PRIMARY KEY, "A" NUMBER(9), "B" VARCHAR2(32), "C" TIMESTAMP(6));' >"$SYN/tables.sql"
echo 1000 >"$SYN/scn"
awk -v n="$SEED" 'BEGIN { for (i = 1; i <= n; i++)
	printf "INSERT INTO t (id, a, b, c) VALUES (%d, %d, '"'"'b%d'"'"', TO_TIMESTAMP('"'"' 2020-01-01 00:00:00.000000000'"'"'));\n", i, i, i }' >"$SYN/snapshot.sql"
: >"$SYN/redo.tsv"
SRC_FLAGS=(--source-db-type oracle --source-db-schema hr --source-db-host synthetic --source-db-user ybvoyager --oracle-db-sid SYN)
EXP="$WORK/export"
mkdir -p "$EXP"
tgt_psql -d postgres -c "CREATE DATABASE tgt_ours"
tgt_flags tgt_ours
"$BIN" export schema --export-dir "$EXP" --source-db-type oracle --source-db-schema hr --source-ddl-file "$SYN/tables.sql" >"$WORK/schema.log" 2>&1 &&
	"$BIN" import schema --export-dir "$EXP" "${TGT_FLAGS[@]}" --target-db-schema hr >>"$WORK/schema.log" 2>&1 ||
	fail_ours "$EXP" "export schema / import schema failed" "$WORK/schema.log"

log "snapshot of $SEED rows: export data and import data, both stopped before any change"
start_export snap-export "$EXP" wait
start_import snap-import "$EXP"
stop_ours "$IMP_PID" snap-import "$EXP"
stop_ours "$EXP_PID" snap-export "$EXP"

log "writing $N change events as LogMiner rows (COMMIT every 100)"
awk -v n="$N" -v seed="$SEED" 'BEGIN {
	scn = 1000; lo = 1; hi = seed; srand(1)
	for (i = 1; i <= n; i++) {
		if ((i - 1) % 100 == 0) { xid = sprintf("%016X", i); printf "%d\t%s\tSTART\t\t0\t0\t\n", ++scn, xid }
		r = (i * 7) % 20
		if (r < 10) {
			hi++
			printf "%d\t%s\tINSERT\tR%d\t0\t0\tinsert into \"HR\".\"T\"(\"ID\",\"A\",\"B\",\"C\") values ('"'"'%d'"'"','"'"'%d'"'"','"'"'b%d'"'"',TO_TIMESTAMP('"'"' 2026-12-07 10:00:00.123456000'"'"'));\n", ++scn, xid, hi, hi, i, i
		} else if (r < 17) {
			k = lo + int(rand() * (hi - lo + 1))
			printf "%d\t%s\tUPDATE\tR%d\t0\t0\tupdate \"HR\".\"T\" set \"A\" = '"'"'%d'"'"', \"B\" = '"'"'u%d'"'"' where \"ID\" = '"'"'%d'"'"' and ROWID = '"'"'R%d'"'"';\n", ++scn, xid, k, i, i, k, k
		} else {
			printf "%d\t%s\tDELETE\tR%d\t0\t0\tdelete from \"HR\".\"T\" where \"ID\" = '"'"'%d'"'"' and ROWID = '"'"'R%d'"'"';\n", ++scn, xid, lo, lo, lo
			lo++
		}
		if (i % 100 == 0 || i == n) printf "%d\t%s\tCOMMIT\t\t0\t0\t\n", ++scn, xid
	}
	print hi - lo + 1 > "/dev/stderr"
}' >"$SYN/redo.tsv" 2>"$WORK/rows.expected"
EXPECTED=$(cat "$WORK/rows.expected")
log "$(du -m "$SYN/redo.tsv" | cut -f1) MB of LogMiner rows; the stream leaves $EXPECTED rows"

log "export data again: timed until it has exported all $N events"
e0=$EPOCHREALTIME
start_export p1-export "$EXP"
EXP1_PID=$EXP_PID
wait_exported p1-export "$EXP" "$EXP1_PID" "$N"
EXPORT_S=$(elapsed "$e0" "$EXPORTED_AT")
EXPORT_RATE=$(per_sec "$N" "$EXPORT_S")
log "$N events exported in ${EXPORT_S}s = $EXPORT_RATE events/s ($(export_ops "$EXP"))"

tgt_psql -d postgres -c CHECKPOINT
log "import data again (--parallel-jobs $JOBS): timed until $N events are applied"
apply_timed p1 "$EXP" tgt_ours "$N"
log "$N events applied in ${APPLY_S}s = $APPLY_RATE events/s"
cutover_ours p1 "$EXP" "$EXP1_PID" "$IMP_PID"
got=$(tgt_psql -d tgt_ours -At -c "SELECT count(*) FROM hr.t")
[ "$got" = "$EXPECTED" ] || fail_ours "$EXP" "the target has $got rows, the stream leaves $EXPECTED"
EXP_KB=$(peak_rss_kb p1-export)
IMP_KB=$(peak_rss_kb p1-import)
log "cut over; target rows verified ($got); peak RSS export data $(mb "$EXP_KB") MB, import data $(mb "$IMP_KB") MB"

cat <<REPORT
oracle (synthetic LogMiner rows) -> PostgreSQL, $N events, $JOBS channels
  export (rows -> queue): ${EXPORT_S}s, $EXPORT_RATE events/s, peak RSS $(mb "$EXP_KB") MB
  apply  (queue -> PostgreSQL): ${APPLY_S}s, $APPLY_RATE events/s, peak RSS $(mb "$IMP_KB") MB
REPORT
exit_if_no_results
append_results "" <<RESULTS

## oracle_cdc.sh ($(date -u +%Y-%m-%d), $(machine), yb-voyager $(ours_version))
Synthetic LogMiner rows (no Oracle server), $N events, $JOBS channels: export ${EXPORT_S}s ($EXPORT_RATE events/s, $(mb "$EXP_KB") MB),
apply ${APPLY_S}s ($APPLY_RATE events/s, $(mb "$IMP_KB") MB).
RESULTS
