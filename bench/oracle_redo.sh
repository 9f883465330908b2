#!/usr/bin/env bash
# Oracle SQL_REDO parser throughput on one core: the HR sample schema's
# INSERTs rewritten as LogMiner writes them, parsed again and again
# (internal/source/oracle/redo BenchmarkParse). No Oracle server is needed;
# the apply of the parsed changes goes through the same queue and importer
# as every other source, measured by bench/cdc.sh and bench/mysql_cdc.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(GOMAXPROCS=1 go test ./internal/source/oracle/redo -run XXX -bench BenchmarkParse -benchtime 3s -count 3 -cpu 1)
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk '/^Benchmark/ { for (i = 1; i < NF; i++) if ($(i+1) == "rows/s") r += $i; n++ }
	END { if (n) printf "oracle redo parser: %.0f statements/s on one core (mean of %d runs)\n", r / n, n }'
