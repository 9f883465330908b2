#!/usr/bin/env bash
# Live-migration (CDC) benchmark: how fast yb-voyager applies a backlog of
# change events compared with PostgreSQL's native logical replication, and
# how far the target trails the source under a steady 5,000 inserts/s.
#
#   bench/cdc.sh [N]             # or: make bench
#
#   N / BENCH_EVENTS     change events in part 1 (default 1000000)
#   BENCH_JOBS           parallel apply channels of import data (default 2)
#   BENCH_SEED_ROWS      rows in the table before the changes (default 200000)
#   BENCH_LAG_SECONDS    length of the part 2 load (default 30)
#   BENCH_STALL_SECONDS  a wait fails when its counter has not moved for this
#                        long (default 180)
#   BENCH_KEEP_WORK      set to 1 to keep bench/work/cdc (logs, export dirs)
#
# It re-executes itself under bin/testenv, which starts a throwaway source and
# target PostgreSQL cluster and stops them when the script ends.
#
# Part 1, apply rate, ours vs native logical replication, the same changes:
#   source table t(id bigint primary key, a int, b text, c timestamptz) with
#   BENCH_SEED_ROWS rows; two target databases with the table and the seed
#   rows: tgt_ours (loaded by our snapshot) and tgt_native (seed rows copied
#   over, then CREATE SUBSCRIPTION ... WITH (copy_data = false, enabled =
#   false), whose slot is created there and then). Our export data
#   (--export-type snapshot-and-changes) exports the snapshot and streams;
#   import data imports the snapshot, is stopped (SIGTERM) once it starts
#   applying changes, with none to apply yet. Then N change events (50 %
#   inserts, 35 % updates, 15 % deletes, one row each, COMMIT every 100) are
#   generated once, on the source, for both; a marker row in a table that only
#   the native publication carries follows them. Once export data status shows
#   all N events in the queue:
#     ours    import data (--parallel-jobs BENCH_JOBS) is started again and
#             timed from its start to the moment the target's applied count
#             (ybvoyager_cdc_table_stats) reaches N: pure apply of the N
#             events, the snapshot having been imported by the first run
#     native  ALTER SUBSCRIPTION ... ENABLE, timed to the moment the marker row
#             is visible on tgt_native (one apply worker applies in commit
#             order: every change before it is in); the moment the slot's
#             confirmed_flush_lsn passes the source's post-generation WAL
#             position is reported too
#   Our live migration is cut over before the native run, so nothing of ours
#   runs during it. So that no autovacuum shares the machine with either
#   timed run, the source table is vacuumed after the generation, tgt_ours is
#   dropped once verified, and each run waits until no autovacuum worker runs. Source, tgt_ours and tgt_native must then agree on row
#   count and sum(hashtextextended(t::text, 0)). Goal: ours >= 2x native.
#
# Part 2, sustained lag: a fresh live migration of l(id bigserial primary key,
#   payload text, created_at timestamptz default clock_timestamp()), export
#   and import both running. A generator inserts 50 rows every 10 ms (5,000
#   rows/s, paced against the clock) for BENCH_LAG_SECONDS while a sampler on
#   the target reads max(created_at) every 100 ms; a sample's lag = the
#   target's clock_timestamp() - the newest created_at visible there (both
#   clusters on this machine: one clock). Goal: p99 < 1 s. Peak RSS of export
#   data and import data from GNU time.
# Results are printed only (not appended to bench/RESULTS.md).
set -euo pipefail
export LC_ALL=C PGTZ=UTC

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

live_knobs 200000 "$@"

# ---------------------------------------------------------------------------
# Outside testenv: check prerequisites, then re-execute under bin/testenv.
# ---------------------------------------------------------------------------
if [ -z "${BENCH_IN_TESTENV:-}" ]; then
	need_tools psql pg_dump
	need_time
	reexec_under_testenv "$N"
fi

# ---------------------------------------------------------------------------
# Inside testenv.
# ---------------------------------------------------------------------------
testenv_addresses pg
PGUSER_=postgres
PGPASS_=postgres
export PGPASSWORD=$PGPASS_ SOURCE_DB_PASSWORD=$PGPASS_ TARGET_DB_PASSWORD=$PGPASS_
export PGCONNECT_TIMEOUT=10

SUB=bench_native_sub   # the native subscription (and its slot on the source)
PUB=bench_native       # the native publication
SUB_DB=""              # set while the subscription exists: the target database holding it

# drop_subscription: on exit after a failure, drops the subscription (and its
# slot) if it still exists.
drop_subscription() {
	[ -n "$SUB_DB" ] || return 0
	PGOPTIONS='-c statement_timeout=20s' psql -X -q -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" -d "$SUB_DB" \
		-c "DROP SUBSCRIPTION IF EXISTS $SUB" >/dev/null 2>&1 || true
}
# On exit: the background processes (BG_PIDS: GNU time, yb-voyager or psql)
# are stopped, then the subscription dropped.
EXIT_HOOK=drop_subscription
use_work_dir

src_psql() { psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" "$@"; }
tgt_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$TGT_HOST" -p "$TGT_PORT" -U "$PGUSER_" "$@"; }

# fingerprint PSQL DB TABLE: "rows hash" of a table.
fingerprint() {
	"$1" -d "$2" -At -F ' ' -c "SELECT count(*), coalesce(sum(hashtextextended(r::text, 0)), 0) FROM $3 AS r"
}

SRC_FLAGS_FOR() { # SRC_FLAGS_FOR DB: sets SRC_FLAGS
	SRC_FLAGS=(--source-db-type postgresql --source-db-host "$SRC_HOST" --source-db-port "$SRC_PORT"
		--source-db-user "$PGUSER_" --source-db-name "$1")
}

# quiesce: waits (up to 60 s) until no autovacuum worker runs on either
# cluster, so that a timed run does not start sharing the machine with one.
quiesce() {
	local i q="SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
	for ((i = 0; i < 600; i++)); do
		[ "$(src_psql -d postgres -At -c "$q")" = 0 ] && [ "$(tgt_psql -d postgres -At -c "$q")" = 0 ] && return 0
		sleep 0.1
	done
	log "autovacuum still running after 60 s; timing anyway"
}

PG_VERSION=$(src_psql -d postgres -At -c "SHOW server_version")
log "source PostgreSQL $PG_VERSION on $SRC_HOST:$SRC_PORT, target on $TGT_HOST:$TGT_PORT;" \
	"N=$N events, BENCH_JOBS=$JOBS, seed rows $SEED, lag load ${LAG_SECONDS}s at $LAG_RATE rows/s"

# ===========================================================================
# Part 1: apply rate, ours vs native logical replication.
# ===========================================================================
log "part 1: creating $SEED rows in bench.public.t on the source"
src_psql -d postgres -c "CREATE DATABASE bench"
src_psql -d bench <<SQL
CREATE TABLE public.t (id bigint PRIMARY KEY, a int, b text, c timestamptz);
INSERT INTO public.t
SELECT i, ((i * 7919) % 1000003)::int, md5(i::text),
       timestamptz '2020-01-01 00:00:00+00' + i * interval '1 second'
FROM generate_series(1::bigint, ${SEED}::bigint) AS i;
VACUUM ANALYZE public.t;
-- Only the native publication carries this table: its row, inserted after the
-- changes, tells when native replication has applied all of them.
CREATE SCHEMA bench_marker;
CREATE TABLE bench_marker.done (id int PRIMARY KEY);
CREATE PUBLICATION $PUB FOR TABLE public.t, bench_marker.done;
SQL
pg_dump --schema-only --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-t public.t -d bench >"$WORK/schema1.sql"

log "part 1: target databases tgt_ours (the table) and tgt_native (the table, the seed rows, a disabled subscription)"
for db in tgt_ours tgt_native; do
	tgt_psql -d postgres -c "CREATE DATABASE $db"
	tgt_psql -d "$db" -f "$WORK/schema1.sql" >/dev/null
done
tgt_psql -d tgt_native -c "CREATE SCHEMA bench_marker" -c "CREATE TABLE bench_marker.done (id int PRIMARY KEY)"
src_psql -d bench -c "COPY public.t TO STDOUT" | tgt_psql -d tgt_native -c "COPY public.t FROM STDIN"
tgt_psql -d tgt_native -c "VACUUM ANALYZE public.t"
SUB_DB=tgt_native
tgt_psql -d tgt_native -c "CREATE SUBSCRIPTION $SUB
	CONNECTION 'host=$SRC_HOST port=$SRC_PORT user=$PGUSER_ password=$PGPASS_ dbname=bench'
	PUBLICATION $PUB WITH (copy_data = false, enabled = false)"
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SUB'")" = 1 ] ||
	die "CREATE SUBSCRIPTION did not create slot $SUB on the source"

EXP1="$WORK/export1"
mkdir -p "$EXP1"
SRC_FLAGS_FOR bench
tgt_flags tgt_ours
log "part 1: ours: export data --export-type snapshot-and-changes (snapshot of $SEED rows, then streaming)"
start_export p1-export "$EXP1" wait
EXP1_PID=$EXP_PID
log "part 1: ours: export data is streaming ($(grep -o 'slot [a-z0-9_]*' "$WORK/p1-export.log" | head -n 1))"

log "part 1: ours: import data, first run: the snapshot only (stopped with SIGTERM once it starts applying changes)"
start_import p1-import-snapshot "$EXP1"
stop_ours "$IMP_PID" p1-import-snapshot "$EXP1"
log "part 1: ours: $(grep -m 1 'Snapshot imported' "$WORK/p1-import-snapshot.log") (exit status $STOP_RC on SIGTERM)"
got=$(tgt_psql -d tgt_ours -At -c "SELECT count(*) FROM public.t")
[ "$got" = "$SEED" ] || fail_ours "$EXP1" "part 1: tgt_ours has $got rows after the snapshot, expected $SEED" "$WORK/p1-import-snapshot.log"
got=$(tgt_psql -d tgt_ours -At -c "$APPLIED_SQL")
[ "$got" = 0 ] || die "part 1: $got change events applied before any change was made"

# The changes: event i is an insert, update or delete by (7 i) mod 20 (0-9,
# 10-16, 17-19: 50/35/15 %), each on exactly one row, so that the source
# produces exactly N events. Live ids stay one contiguous range [lo, hi]:
# inserts append at hi + 1, deletes remove lo, updates pick a random id in it.
log "part 1: generating $N change events on the source (COMMIT every 100; the subscription is disabled, import data stopped)"
g0=$EPOCHREALTIME
src_psql -d bench -c "DO \$g\$
DECLARE lo bigint; hi bigint; k bigint; r int;
BEGIN
	SELECT min(id), max(id) INTO lo, hi FROM public.t;
	FOR i IN 1..$N LOOP
		r := (i * 7) % 20;
		IF r < 10 THEN
			hi := hi + 1;
			INSERT INTO public.t VALUES (hi, i::int, md5(i::text), clock_timestamp());
		ELSIF r < 17 THEN
			k := lo + floor(random() * (hi - lo + 1))::bigint;
			UPDATE public.t SET a = a + 1, b = md5(b), c = clock_timestamp() WHERE id = k;
		ELSE
			DELETE FROM public.t WHERE id = lo;
			lo := lo + 1;
		END IF;
		IF i % 100 = 0 THEN
			COMMIT;
		END IF;
	END LOOP;
END \$g\$"
g1=$EPOCHREALTIME
src_psql -d bench -c "INSERT INTO bench_marker.done VALUES (1)"
GEN_LSN=$(src_psql -d postgres -At -c "SELECT pg_current_wal_lsn()")
GEN_S=$(elapsed "$g0" "$g1")
log "part 1: generated $N events in ${GEN_S}s ($(per_sec "$N" "$GEN_S") events/s); source WAL now at $GEN_LSN"
read -r SRC_ROWS SRC_HASH < <(fingerprint src_psql bench public.t)
# The generation left ~500,000 dead rows on the source: vacuum them now, so
# that no autovacuum of them runs during either timed apply.
src_psql -d bench -c "VACUUM ANALYZE public.t"

log "part 1: ours: waiting until export data status shows all $N events in the queue"
last=-1 moved=$SECONDS next_log=$((SECONDS + 10))
while :; do
	ev=$(export_events "$EXP1")
	[ "$ev" -ge "$N" ] && break
	kill -0 "$EXP1_PID" 2>/dev/null || fail_ours "$EXP1" "part 1: export data exited while streaming" "$WORK/p1-export.log"
	if [ "$ev" != "$last" ]; then
		last=$ev moved=$SECONDS
	elif [ $((SECONDS - moved)) -ge "$STALL" ]; then
		fail_ours "$EXP1" "part 1: export data stuck at $ev of $N events for $STALL s" "$WORK/p1-export.log"
	fi
	if [ "$SECONDS" -ge "$next_log" ]; then
		log "part 1: ours: $ev of $N events in the queue"
		next_log=$((SECONDS + 10))
	fi
	sleep 0.5
done
[ "$ev" -eq "$N" ] || fail_ours "$EXP1" "part 1: export data counts $ev events, $N were made" "$WORK/p1-export.log"
OPS=$(export_ops "$EXP1")
QUEUE_BYTES=$(du -sb "$EXP1/data/queue" | awk '{ print $1 }')
log "part 1: ours: all $N events in the queue ($(mb $((QUEUE_BYTES / 1024))) MB on disk; $OPS)"

quiesce
checkpoint
log "part 1: ours: import data, second run (--parallel-jobs $JOBS): timed from its start until $N events are applied"
apply_timed p1 "$EXP1" tgt_ours "$N" "part 1: ours"
IMP1_PID=$IMP_PID OURS_S=$APPLY_S OURS_RATE=$APPLY_RATE
log "part 1: ours: $N events applied in ${OURS_S}s = $OURS_RATE events/s"
read -r OURS_ROWS OURS_HASH < <(fingerprint tgt_psql tgt_ours public.t)
[ "$OURS_ROWS $OURS_HASH" = "$SRC_ROWS $SRC_HASH" ] ||
	fail_ours "$EXP1" "part 1: tgt_ours differs from the source: rows/hash $OURS_ROWS/$OURS_HASH vs $SRC_ROWS/$SRC_HASH" "$WORK/p1-import.log"
log "part 1: ours: tgt_ours equals the source ($OURS_ROWS rows, hash $OURS_HASH)"

log "part 1: ours: initiate cutover to target; export data and import data must exit 0"
cutover_ours p1 "$EXP1" "$EXP1_PID" "$IMP1_PID" "part 1"
P1_EXP_KB=$(peak_rss_kb p1-export)
P1_IMP_KB=$(peak_rss_kb p1-import)
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name <> '$SUB'")" = 0 ] ||
	die "part 1: our replication slot is still on the source after cutover"
log "part 1: ours: cut over; peak RSS export data $(mb "$P1_EXP_KB") MB, import data (apply run) $(mb "$P1_IMP_KB") MB"

# tgt_ours is verified and done with: dropped now, so that no autovacuum of
# its ~500,000 dead rows shares the machine with the native run.
tgt_psql -d postgres -c "DROP DATABASE tgt_ours"
quiesce
checkpoint
log "part 1: native: ALTER SUBSCRIPTION $SUB ENABLE: timed until its marker row (committed after the $N events) is on tgt_native"
n0=$EPOCHREALTIME
tgt_psql -d tgt_native -c "ALTER SUBSCRIPTION $SUB ENABLE"
# These values go from 0 to 1 at once: allow at least 1,000 events/s before failing.
wait_value "part 1: native: marker rows" tgt_psql tgt_native "SELECT count(*) FROM bench_marker.done" 1 "" $((STALL + N / 1000))
n1=$EPOCHREALTIME
wait_value "part 1: native: slot confirmed_flush_lsn past $GEN_LSN" src_psql postgres \
	"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SUB' AND confirmed_flush_lsn >= '$GEN_LSN'" 1 "" $((STALL + N / 1000))
n2=$EPOCHREALTIME
NATIVE_S=$(elapsed "$n0" "$n1")
NATIVE_SLOT_S=$(elapsed "$n0" "$n2")
NATIVE_RATE=$(per_sec "$N" "$NATIVE_S")
log "part 1: native: $N events applied in ${NATIVE_S}s = $NATIVE_RATE events/s (slot caught up at ${NATIVE_SLOT_S}s)"
read -r NATIVE_ROWS NATIVE_HASH < <(fingerprint tgt_psql tgt_native public.t)
[ "$NATIVE_ROWS $NATIVE_HASH" = "$SRC_ROWS $SRC_HASH" ] ||
	die "part 1: tgt_native differs from the source: rows/hash $NATIVE_ROWS/$NATIVE_HASH vs $SRC_ROWS/$SRC_HASH"
log "part 1: native: tgt_native equals the source ($NATIVE_ROWS rows, hash $NATIVE_HASH)"
tgt_psql -d tgt_native -c "DROP SUBSCRIPTION $SUB"
SUB_DB=""
src_psql -d bench -c "DROP PUBLICATION $PUB"
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots")" = 0 ] ||
	die "part 1: replication slots left on the source after DROP SUBSCRIPTION"
log "part 1: native: subscription, its slot and the publication dropped"
RATIO=$(awk -v a="$NATIVE_S" -v b="$OURS_S" 'BEGIN { printf "%.2f", a / b }') # (N/ours) / (N/native)
G_RATE=$(awk -v r="$RATIO" 'BEGIN { print (r >= 2) ? "PASS" : "MISS" }')
rm -rf "$EXP1/data"
tgt_psql -d postgres -c "DROP DATABASE tgt_native"

# ===========================================================================
# Part 2: sustained lag at a fixed 5,000 events/s.
# ===========================================================================
log "part 2: a fresh live migration of benchlag.public.l"
src_psql -d postgres -c "CREATE DATABASE benchlag"
src_psql -d benchlag -c "CREATE TABLE public.l (id bigserial PRIMARY KEY, payload text,
	created_at timestamptz NOT NULL DEFAULT clock_timestamp())"
pg_dump --schema-only --no-owner --no-privileges -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-t public.l -d benchlag >"$WORK/schema2.sql"
tgt_psql -d postgres -c "CREATE DATABASE tgt_lag"
tgt_psql -d tgt_lag -f "$WORK/schema2.sql" >/dev/null
tgt_psql -d tgt_lag -c "CREATE INDEX l_created_at ON public.l (created_at)" # for the sampler's max()

EXP2="$WORK/export2"
mkdir -p "$EXP2"
SRC_FLAGS_FOR benchlag
tgt_flags tgt_lag
start_export p2-export "$EXP2" wait
start_import p2-import "$EXP2"
EXP2_PID=$EXP_PID IMP2_PID=$IMP_PID
log "part 2: export data and import data running; sampling the target every 100 ms," \
	"generating $LAG_RATE rows/s (50 every 10 ms) for ${LAG_SECONDS}s"

# The sampler: every 100 ms (against the clock), the target's time and the
# newest created_at it shows. It runs 3 s longer than the generator; samples
# outside the generator's run are dropped.
lag_sampler "$TGT_HOST" "$TGT_PORT" "$PGUSER_" tgt_lag $((LAG_SECONDS + 3)) \
	"SELECT extract(epoch FROM max(created_at)) FROM public.l"
sleep 0.3

# The generator: batch k (50 rows, one transaction) is due at t0 + 10 k ms;
# it sleeps only when ahead of that schedule, so the rate does not drift.
PGOPTIONS='-c client_min_messages=notice' psql -X -q -v ON_ERROR_STOP=1 -h "$SRC_HOST" -p "$SRC_PORT" -U "$PGUSER_" \
	-d benchlag -c "DO \$l\$
DECLARE t0 timestamptz := clock_timestamp(); k bigint := 0; nt timestamptz;
BEGIN
	RAISE NOTICE 'gen_start %', extract(epoch FROM t0);
	LOOP
		nt := t0 + k * interval '10 ms';
		EXIT WHEN nt >= t0 + interval '$LAG_SECONDS s';
		IF clock_timestamp() < nt THEN
			PERFORM pg_sleep(extract(epoch FROM nt - clock_timestamp()));
		END IF;
		INSERT INTO public.l (payload) SELECT md5(k::text || '.' || g) FROM generate_series(1, 50) AS g;
		COMMIT;
		k := k + 1;
	END LOOP;
	RAISE NOTICE 'gen_end % %', extract(epoch FROM clock_timestamp()), k * 50;
END \$l\$" >"$WORK/generator.out" 2>"$WORK/generator.log" || {
	show_log "$WORK/generator.log"
	die "part 2: the generator failed"
}
read -r GEN_START < <(awk '/gen_start/ { print $NF }' "$WORK/generator.log")
read -r GEN_END GEN_ROWS < <(awk '/gen_end/ { print $(NF - 1), $NF }' "$WORK/generator.log")
if [ -z "$GEN_START" ] || [ -z "$GEN_ROWS" ]; then
	show_log "$WORK/generator.log"
	die "part 2: no start/end lines from the generator"
fi
lag_finish "$EXP2" "$EXP2_PID" "$IMP2_PID" "part 2"
P2_EXP_KB=$(peak_rss_kb p2-export)
P2_IMP_KB=$(peak_rss_kb p2-import)
read -r L_SRC < <(fingerprint src_psql benchlag public.l)
read -r L_TGT < <(fingerprint tgt_psql tgt_lag public.l)
[ "$L_SRC" = "$L_TGT" ] || fail_ours "$EXP2" "part 2: tgt_lag differs from the source: $L_TGT vs $L_SRC" "$WORK/p2-import.log"
[ "$(src_psql -d postgres -At -c "SELECT count(*) FROM pg_replication_slots")" = 0 ] ||
	die "part 2: a replication slot is left on the source after cutover"
log "part 2: cut over; tgt_lag equals the source (${L_SRC% *} rows); no slot left on the source"

# ===========================================================================
# Report.
# ===========================================================================
COMMIT=$(ours_version)
MAX_KB=$P1_EXP_KB
for k in "$P1_IMP_KB" "$P2_EXP_KB" "$P2_IMP_KB"; do [ "$k" -gt "$MAX_KB" ] && MAX_KB=$k; done

echo
echo "CDC benchmark: $(machine), PostgreSQL $PG_VERSION" \
	"(source and target clusters on this machine), yb-voyager $COMMIT"
echo
echo "1. Apply rate: a backlog of N=$N change events on t ($SEED seed rows; exported: $OPS)"
printf '   %-52s %9s %12s\n' "" "seconds" "events/s"
printf '   %-52s %9s %12s\n' "ours: import data, $JOBS apply channels" "$OURS_S" "$OURS_RATE"
printf '   %-52s %9s %12s\n' "native logical replication (1 apply worker)" "$NATIVE_S" "$NATIVE_RATE"
echo "   ratio ours / native (events/s) = $RATIO"
echo "   $G_RATE  ours applies at >= 2x native logical replication ($RATIO)"
echo "   verified: source, tgt_ours and tgt_native each have $SRC_ROWS rows, sum(hashtextextended(t::text, 0)) = $SRC_HASH"
echo "   info: native slot's confirmed_flush_lsn passed the post-generation WAL position at ${NATIVE_SLOT_S}s"
echo "   info: the $N events were generated in ${GEN_S}s ($(per_sec "$N" "$GEN_S") events/s, COMMIT every 100);" \
	"queue on disk $(mb $((QUEUE_BYTES / 1024))) MB"
echo "   peak RSS: export data $(mb "$P1_EXP_KB") MB, import data (apply run) $(mb "$P1_IMP_KB") MB;" \
	"CPU of the apply run of import data over its life: $(cpu_s p1-import) s (user + system)"
echo
print_lag_report
echo
echo "Largest peak RSS of a yb-voyager process: $(mb "$MAX_KB") MB (GNU time, whole process life)"
echo
fold -s -w 100 <<'NOTES'
Method, part 1: the N events (50/35/15 % inserts/updates/deletes, one row each, COMMIT every 100) are generated once on the source while our export streams them into its queue and the disabled native subscription's slot retains them. Ours: import data first imports the snapshot and is stopped (SIGTERM) when it starts applying, with nothing to apply; once export data status shows all N events in the queue, import data is started again and timed from its start (process start-up included, no snapshot work left) until the target's applied count (ybvoyager_cdc_table_stats, updated in the same transactions as the changes) reaches N. Native: timed from ALTER SUBSCRIPTION ... ENABLE until a marker row, committed on the source after the N events in a table only the native publication carries, is visible on its target (PostgreSQL 15 applies a subscription with one worker, in commit order). Both ends are polled on the server every 5 ms. Our live migration is cut over before the native run; the source table is vacuumed after the generation and tgt_ours dropped once verified, and each timed run starts with no autovacuum worker running and after a CHECKPOINT on both clusters. Part 2: lag sample = target clock_timestamp() - max(created_at) visible on the target, every 100 ms while the generator runs (before the first row arrives: time since the generator started); both clusters share this machine's clock.
NOTES
