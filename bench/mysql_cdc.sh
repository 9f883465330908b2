#!/usr/bin/env bash
# Live-migration (CDC) benchmark from a MySQL/MariaDB source: how fast
# yb-voyager exports a backlog of binlog change events into its queue and
# applies them to PostgreSQL, and how far the target trails the source under
# a steady 5,000 inserts/s. The MySQL counterpart of bench/cdc.sh.
#
#   bench/mysql_cdc.sh [N]
#
#   N / BENCH_EVENTS     change events in part 1 (default 1000000)
#   BENCH_JOBS           parallel jobs of export data and apply channels of
#                        import data (default 2)
#   BENCH_SEED_ROWS      rows in the table before the changes (default 10000)
#   BENCH_LAG_SECONDS    length of the part 2 load (default 30)
#   BENCH_STALL_SECONDS  a wait fails when its counter has not moved for this
#                        long (default 180)
#   BENCH_NO_RESULTS     set to 1 not to append to bench/RESULTS.md
#   BENCH_KEEP_WORK      set to 1 to keep bench/work/mysql_cdc (logs, export dirs)
#
# It re-executes itself under bin/testenv, which starts a throwaway MariaDB
# (the source; binlog on, ROW, FULL) and PostgreSQL clusters (the target is
# used) and stops them when the script ends.
#
# Part 1, export and apply rates: MariaDB table bench.t(id bigint primary
#   key, a int, b varchar(32), c datetime(6)) with BENCH_SEED_ROWS rows;
#   export schema + import schema create it on the target. export data
#   (--export-type snapshot-and-changes) exports the snapshot and starts
#   streaming; import data imports the snapshot and is stopped (SIGTERM) once
#   it starts applying changes; export data is stopped (SIGTERM) too. Then N
#   change events (50 % inserts, 35 % updates, 15 % deletes, one row each,
#   COMMIT every 100, as in cdc.sh) are generated on the source, so that
#   both rates are measured on a backlog:
#     export  export data is started again, timed from its start until the
#             queue reaches its final size (sampled every 50 ms; export data
#             status must then show exactly N events): binlog -> queue
#     apply   import data (--parallel-jobs BENCH_JOBS) is started again and
#             timed from its start until the target's applied count
#             (ybvoyager_cdc_table_stats) reaches N, as in cdc.sh
#   Then cutover; compare data must find the source and target identical.
# Part 2, sustained lag, as in cdc.sh: a fresh live migration of
#   benchlag.l(id bigint auto_increment primary key, payload varchar(32),
#   created_us bigint: the source's clock in microseconds at insert), export
#   and import both running. A generator on MariaDB inserts 50 rows every
#   10 ms (5,000 rows/s, paced against the clock) for BENCH_LAG_SECONDS
#   while a sampler on the target reads max(created_us) every 100 ms; a
#   sample's lag = the target's clock - the newest created_us visible there
#   (both servers on this machine: one clock). Goal: p99 < 1 s.
# Peak RSS of each yb-voyager process from GNU time. Results are printed and
# appended to bench/RESULTS.md.
set -euo pipefail
export LC_ALL=C

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

live_knobs 10000 "$@"

if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	need_tools psql
	need_mariadb_client
	need_time
	reexec_under_testenv "$N"
fi
# Inside testenv.
testenv_addresses mysql
export PGPASSWORD=postgres SOURCE_DB_PASSWORD=mysql TARGET_DB_PASSWORD=postgres PGCONNECT_TIMEOUT=10
MYSQL_CLIENT=$(command -v mariadb || command -v mysql)

use_work_dir

src_sql() { "$MYSQL_CLIENT" --no-defaults -h "$SRC_HOST" -P "$SRC_PORT" -u root --password=mysql "$@"; }
tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U postgres "$@"; }
src_flags() { SRC_FLAGS=(--source-db-type mysql --source-db-host "$SRC_HOST" --source-db-port "$SRC_PORT" --source-db-user root --source-db-name "$1"); }

# migrate_schema SRC_DB TGT_DB DIR: a fresh target database and the source's
# tables in it (export schema + import schema into export dir DIR).
migrate_schema() {
	tgt_psql -d postgres -c "CREATE DATABASE $2"
	mkdir -p "$3"
	src_flags "$1"
	tgt_flags "$2"
	"$BIN" export schema --export-dir "$3" "${SRC_FLAGS[@]}" --yes >"$WORK/$2-schema.log" 2>&1 &&
		"$BIN" import schema --export-dir "$3" "${TGT_FLAGS[@]}" --yes >>"$WORK/$2-schema.log" 2>&1 ||
		fail_ours "$3" "export schema / import schema of $1 failed" "$WORK/$2-schema.log"
}

MY_VERSION=$(src_sql -N -B -e "SELECT VERSION()")
PG_VERSION=$(tgt_psql -d postgres -At -c "SHOW server_version")
log "source MariaDB $MY_VERSION on $SRC_HOST:$SRC_PORT, target PostgreSQL $PG_VERSION on $TGT_HOST:$TGT_PORT;" \
	"N=$N events, BENCH_JOBS=$JOBS, seed rows $SEED, lag load ${LAG_SECONDS}s at $LAG_RATE rows/s"

# ===========================================================================
# Part 1: export and apply rates on a backlog of N events.
# ===========================================================================
log "part 1: $SEED rows in bench.t on the source; the table on tgt_ours"
src_sql <<SQL
CREATE DATABASE bench;
USE bench;
CREATE TABLE t (id bigint PRIMARY KEY, a int, b varchar(32), c datetime(6));
INSERT INTO t SELECT seq, seq, MD5(seq), '2020-01-01' + INTERVAL seq SECOND FROM seq_1_to_$SEED;
SQL
EXP1="$WORK/export1"
migrate_schema bench tgt_ours "$EXP1"

log "part 1: export data (snapshot, then streaming) and import data (snapshot), both stopped before any change"
start_export p1-export-snapshot "$EXP1" wait
start_import p1-import-snapshot "$EXP1"
stop_ours "$IMP_PID" p1-import-snapshot "$EXP1"
stop_ours "$EXP_PID" p1-export-snapshot "$EXP1"
got=$(tgt_psql -d tgt_ours -At -c "SELECT count(*) FROM public.t")
[ "$got" = "$SEED" ] || fail_ours "$EXP1" "part 1: tgt_ours has $got rows after the snapshot, expected $SEED"
got=$(tgt_psql -d tgt_ours -At -c "$APPLIED_SQL")
[ "$got" = 0 ] || die "part 1: $got change events applied before any change was made"

# The changes, as in cdc.sh: event i is an insert, update or delete by
# (7 i) mod 20 (0-9, 10-16, 17-19: 50/35/15 %), each on exactly one row, so
# that the binlog holds exactly N row events. Live ids stay one contiguous
# range [lo, hi]: inserts append at hi + 1, deletes remove lo, updates pick
# a random id in it (and always change the row).
log "part 1: generating $N change events on the source (COMMIT every 100; export data and import data stopped)"
g0=$EPOCHREALTIME
src_sql bench <<SQL
DELIMITER //
BEGIN NOT ATOMIC
	DECLARE lo, hi, k BIGINT;
	DECLARE i, r INT DEFAULT 1;
	SELECT MIN(id), MAX(id) INTO lo, hi FROM t;
	START TRANSACTION;
	WHILE i <= $N DO
		SET r = (i * 7) % 20;
		IF r < 10 THEN
			SET hi = hi + 1;
			INSERT INTO t VALUES (hi, i, MD5(i), NOW(6));
		ELSEIF r < 17 THEN
			SET k = lo + FLOOR(RAND() * (hi - lo + 1));
			UPDATE t SET a = a + 1, b = MD5(b), c = NOW(6) WHERE id = k;
		ELSE
			DELETE FROM t WHERE id = lo;
			SET lo = lo + 1;
		END IF;
		IF i % 100 = 0 THEN
			COMMIT;
			START TRANSACTION;
		END IF;
		SET i = i + 1;
	END WHILE;
	COMMIT;
END //
DELIMITER ;
SQL
g1=$EPOCHREALTIME
GEN_S=$(elapsed "$g0" "$g1")
SRC_ROWS=$(src_sql -N -B -e "SELECT count(*) FROM bench.t")
log "part 1: generated $N events in ${GEN_S}s ($(per_sec "$N" "$GEN_S") events/s); bench.t has $SRC_ROWS rows"

log "part 1: export data again: timed from its start until the queue stops growing with all $N events"
B0=$(queue_bytes "$EXP1")
e0=$EPOCHREALTIME
start_export p1-export "$EXP1"
EXP1_PID=$EXP_PID
wait_exported p1-export "$EXP1" "$EXP1_PID" "$N"
EXPORT_S=$(elapsed "$e0" "$EXPORTED_AT")
EXPORT_RATE=$(per_sec "$N" "$EXPORT_S")
OPS=$(export_ops "$EXP1")
log "part 1: $N events exported in ${EXPORT_S}s = $EXPORT_RATE events/s" \
	"($(mb $(((QUEUE_BYTES - B0) / 1024))) MB of queue; $OPS)"

tgt_psql -d postgres -c CHECKPOINT
log "part 1: import data again (--parallel-jobs $JOBS): timed from its start until $N events are applied"
apply_timed p1 "$EXP1" tgt_ours "$N"
log "part 1: $N events applied in ${APPLY_S}s = $APPLY_RATE events/s"

log "part 1: initiate cutover to target; export data and import data must exit 0; then compare data"
cutover_ours p1 "$EXP1" "$EXP1_PID" "$IMP_PID"
"$BIN" compare data --export-dir "$EXP1" "${TGT_FLAGS[@]}" --yes >"$WORK/p1-compare.log" 2>&1 ||
	fail_ours "$EXP1" "part 1: compare data found differences between bench.t and tgt_ours" "$WORK/p1-compare.log"
P1_EXP_KB=$(peak_rss_kb p1-export)
P1_IMP_KB=$(peak_rss_kb p1-import)
log "part 1: cut over; compare data: identical ($SRC_ROWS rows); peak RSS export data $(mb "$P1_EXP_KB") MB, import data $(mb "$P1_IMP_KB") MB"
rm -rf "$EXP1/data"
tgt_psql -d postgres -c "DROP DATABASE tgt_ours"

# ===========================================================================
# Part 2: sustained lag at a fixed 5,000 events/s.
# ===========================================================================
log "part 2: a fresh live migration of benchlag.l"
src_sql -e "CREATE DATABASE benchlag; CREATE TABLE benchlag.l (id bigint AUTO_INCREMENT PRIMARY KEY,
	payload varchar(32), created_us bigint NOT NULL)"
EXP2="$WORK/export2"
migrate_schema benchlag tgt_lag "$EXP2"
tgt_psql -d tgt_lag -c "CREATE INDEX l_created_us ON public.l (created_us)" # for the sampler's max()
start_export p2-export "$EXP2" wait
start_import p2-import "$EXP2"
log "part 2: export data and import data running; sampling the target every 100 ms," \
	"generating $LAG_RATE rows/s (50 every 10 ms) for ${LAG_SECONDS}s"
lag_sampler "$TGT_HOST" "$TGT_PORT" postgres tgt_lag $((LAG_SECONDS + 3)) "SELECT max(created_us) / 1000000.0 FROM public.l"
sleep 0.3

# The generator: batch k (50 rows, one transaction) is due at t0 + 10 k ms;
# it sleeps only when ahead of that schedule, so the rate does not drift.
src_sql -N -B benchlag >"$WORK/generator.out" 2>"$WORK/generator.log" <<SQL || {
SET time_zone = '+00:00';
DELIMITER //
BEGIN NOT ATOMIC
	DECLARE t0, nt, now_s DECIMAL(20, 6);
	DECLARE k BIGINT DEFAULT 0;
	SET t0 = UNIX_TIMESTAMP(SYSDATE(6));
	gen: LOOP
		SET nt = t0 + k * 0.01;
		IF nt >= t0 + $LAG_SECONDS THEN
			LEAVE gen;
		END IF;
		SET now_s = UNIX_TIMESTAMP(SYSDATE(6));
		IF now_s < nt THEN
			DO SLEEP(nt - now_s);
		END IF;
		START TRANSACTION;
		INSERT INTO l (payload, created_us)
			SELECT MD5(CONCAT(k, '.', seq)), CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS SIGNED) FROM seq_1_to_50;
		COMMIT;
		SET k = k + 1;
	END LOOP;
	SELECT 'gen', t0, UNIX_TIMESTAMP(SYSDATE(6)), k * 50;
END //
DELIMITER ;
SQL
	show_log "$WORK/generator.log"
	die "part 2: the generator failed"
}
read -r _ GEN_START GEN_END GEN_ROWS < <(grep '^gen' "$WORK/generator.out")
[ -n "${GEN_ROWS:-}" ] || {
	show_log "$WORK/generator.out"
	die "part 2: no summary line from the generator"
}
lag_finish "$EXP2" "$EXP_PID" "$IMP_PID"
P2_EXP_KB=$(peak_rss_kb p2-export)
P2_IMP_KB=$(peak_rss_kb p2-import)
L_SRC=$(src_sql -N -B -e "SELECT count(*), sum(id), sum(created_us) FROM benchlag.l" | tr '\t' ' ')
L_TGT=$(tgt_psql -d tgt_lag -At -F ' ' -c "SELECT count(*), sum(id), sum(created_us) FROM public.l")
[ "$L_SRC" = "$L_TGT" ] || fail_ours "$EXP2" "part 2: tgt_lag differs from the source: $L_TGT vs $L_SRC" "$WORK/p2-import.log"
log "part 2: cut over; tgt_lag equals the source (${L_SRC%% *} rows, same sum(id) and sum(created_us))"

# ===========================================================================
# Report.
# ===========================================================================
MAX_KB=$P1_EXP_KB
for k in "$P1_IMP_KB" "$P2_EXP_KB" "$P2_IMP_KB"; do [ "$k" -gt "$MAX_KB" ] && MAX_KB=$k; done
COMMIT=$(ours_version)
QUEUE_MB=$(mb $(((QUEUE_BYTES - B0) / 1024)))
NOTES="Part 1: the N events (50/35/15 % inserts/updates/deletes, one row each, COMMIT every 100) are generated on \
MariaDB while export data and import data are stopped (the snapshot of $SEED rows already imported). Export: export data \
is started again and timed from its start (process start-up included) to the first 50 ms sample at which the queue has \
its final size; export data status must then count exactly N events. Apply: import data is started again and timed from \
its start until the target's applied count (ybvoyager_cdc_table_stats, updated in the same transactions as the changes) \
reaches N, polled on the server every 5 ms, as in bench/cdc.sh. compare data after cutover: identical. Part 2: lag sample \
= target clock - the newest created_us (source clock at insert) visible on the target, every 100 ms while the generator \
runs (before the first row arrives: time since the generator started); both servers share this machine's clock."

echo
echo "MySQL CDC benchmark: $(machine), MariaDB $MY_VERSION -> PostgreSQL $PG_VERSION (both on this machine), yb-voyager $COMMIT"
echo
echo "1. A backlog of N=$N binlog change events on t ($SEED seed rows; exported: $OPS)"
printf '   %-52s %9s %12s\n' "" "seconds" "events/s"
printf '   %-52s %9s %12s\n' "export data: binlog -> queue" "$EXPORT_S" "$EXPORT_RATE"
printf '   %-52s %9s %12s\n' "import data: apply, $JOBS channels" "$APPLY_S" "$APPLY_RATE"
echo "   verified: compare data after cutover (source and target: $SRC_ROWS rows, identical)"
echo "   info: generated in ${GEN_S}s ($(per_sec "$N" "$GEN_S") events/s); queue on disk $QUEUE_MB MB"
echo "   peak RSS: export data $(mb "$P1_EXP_KB") MB, import data (apply run) $(mb "$P1_IMP_KB") MB;" \
	"CPU: export data $(cpu_s p1-export) s, import data $(cpu_s p1-import) s (user + system)"
echo
print_lag_report
echo
echo "Largest peak RSS of a yb-voyager process: $(mb "$MAX_KB") MB (GNU time, whole process life)"
echo
echo "$NOTES" | fold -s -w 100

{
	echo
	echo "## MySQL CDC, $(date -u '+%Y-%m-%d %H:%M UTC') (bench/mysql_cdc.sh $N, $JOBS apply channels, $(nproc) CPUs)"
	echo
	echo "MariaDB $MY_VERSION -> PostgreSQL $PG_VERSION on $(machine); yb-voyager $COMMIT."
	echo
	echo "| measure | ours (MariaDB binlog source) |"
	echo "|---|---|"
	echo "| export a backlog of $N binlog change events into the queue ($OPS) | ${EXPORT_S} s = $EXPORT_RATE events/s ($QUEUE_MB MB of queue) |"
	echo "| apply the $N queued change events | ${APPLY_S} s = $APPLY_RATE events/s |"
	echo "| lag at $LAG_RATE events/s for ${LAG_SECONDS} s ($SAMPLES samples, achieved $GEN_RATE rows/s) | p50 $LAG_P50 ms, p99 **$LAG_P99 ms**, max $LAG_MAX ms — goal p99 < 1 s: $G_LAG |"
	echo "| peak RSS | export data $(mb "$P1_EXP_KB") MB, import data $(mb "$P1_IMP_KB") MB (lag run: $(mb "$P2_EXP_KB") MB, $(mb "$P2_IMP_KB") MB) |"
	echo
	echo "$NOTES"
} | append_results "" # no header: it has always been created by another script
