#!/usr/bin/env bash
# Ingestion bulk CSV import against plain `psql \copy`, same file, same run.
#
#   bench/ingestion/run.sh [ROWS]     ROWS defaults to 1000000; ROWS/10 is measured first to show memory stays flat
#
# Starts (or reuses) PostgreSQL and RabbitMQ with deploy/local/servers.sh, builds the Ingestion service in Release,
# then for each size: generates the file (bench/ingestion/generate.py, under .data/bench/), creates a throw-away
# database, starts the service on it, warms it up with the 500-row seed file, times POST /api/imports of the file
# with curl while sampling the service's RSS, stops the service, times `psql \copy` of the same file into a typed
# plain table in the same database, and drops the database. Prints a Markdown table at the end (also written to
# .data/bench/ingestion-results.md); the service log, RSS samples, response and PostgreSQL's statements over 500 ms
# for each size are kept in .data/bench/ingestion-<rows>-*.
#
# Settings:
#   BENCH_SIZES    sizes to measure, e.g. "100000 1000000" (overrides ROWS)
#   BENCH_SEED     generator seed (20240601)
#   BENCH_RELAY    1 keeps the outbox relay on; off by default, so that publishing the 2 events per loan after the
#                  commit does not share the 2 cores with the measurement (the relay is not part of the request)
#   BENCH_EXPLAIN  1 logs the plans of the import's statements over 1 s (EXPLAIN ANALYZE, BUFFERS, trigger times) to
#                  .data/bench/ingestion-<rows>-postgres.log; the timings then include that overhead
#   and the settings of deploy/local/servers.sh (LR_SERVER_DATA_DIR, LR_PG_PORT, LR_RABBIT_PORT, LR_RABBIT_MGMT_PORT,
#   LR_RABBIT_DIST_PORT, LR_RABBIT_NODENAME) to run on a private pair of servers rather than reuse the shared ones.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

rows=${1:-1000000}
[[ $rows =~ ^[0-9]+$ && $rows -ge 10 ]] || { echo "run.sh: ROWS must be a whole number of at least 10" >&2; exit 2; }
read -r -a sizes <<<"${BENCH_SIZES:-$((rows / 10)) $rows}"
seed=${BENCH_SEED:-20240601}
out=$root/.data/bench
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '[bench] %s\n' "$*" >&2; }

# ------------------------------------------------------------------------------------------------ clean-up
svc_pid='' sampler_pid='' db=''
stop_service() {
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=''; fi
  if [ -n "$svc_pid" ]; then
    kill -TERM "$svc_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$svc_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -KILL "$svc_pid" 2>/dev/null || true
    wait "$svc_pid" 2>/dev/null || true
    svc_pid=''
  fi
}
drop_db() {
  if [ -n "$db" ]; then pg -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; db=''; fi
}
cleanup() {
  trap - EXIT INT TERM
  stop_service
  drop_db
  lr_servers_stop   # only the servers this shell started
}

source deploy/local/servers.sh
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

lr_servers_start
pg_bin=$(_lr_pg_bin)
# Superuser over TCP, as the service connects.
pg() { PGPASSWORD=$LR_PG_ADMIN_PASSWORD PGOPTIONS='-c client_min_messages=warning' "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 \
         -h 127.0.0.1 -p "$LR_PG_PORT" -U postgres "$@"; }
pg_log=$LR_SERVER_DATA/pg/server.log

say "building services/Ingestion (Release)"
dotnet build services/Ingestion -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dll=$root/services/Ingestion/bin/Release/net10.0/LoanRecovery.Ingestion.dll

rss_kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
per_sec() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
# CPU time in clock ticks: of one process; of the PostgreSQL server (the postmaster with the children it reaped, plus
# the live ones), which on a busy machine says more than the wall time.
ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }' || echo 0; }
pg_ticks() {
  local pm child total; pm=$(head -n 1 "$LR_SERVER_DATA/pg/postmaster.pid"); total=$(ticks "$pm")
  for child in $(pgrep -P "$pm"); do total=$((total + $(ticks "$child"))); done
  echo "$total"
}
hz=$(getconf CLK_TCK)
cpu_s() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }'; }
load() { cut -d ' ' -f 1 /proc/loadavg; }
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

results=()
for n in "${sizes[@]}"; do
  file=$out/ingestion-$n.csv
  [ "$seed" = 20240601 ] || file=$out/ingestion-$n-seed$seed.csv
  if [ ! -s "$file" ]; then
    say "generating $n rows"
    python3 bench/ingestion/generate.py --rows "$n" --seed "$seed" --out "$file" >/dev/null
  fi
  bytes=$(stat -c %s "$file")
  tag=ingestion-$n
  log=$out/$tag-service.log

  # ------------------------------------------------------------------------------ throw-away database
  db=lr_bench_ingestion_$$_$n
  pg -d postgres -c "CREATE DATABASE \"$db\""
  pg -d "$db" -f deploy/postgres/02-schemas.sql
  # Statements over 500 ms go to the server log: where the import's time goes, per step.
  pg -d postgres -c "ALTER DATABASE \"$db\" SET log_min_duration_statement = 500"
  if [ "${BENCH_EXPLAIN:-0}" = 1 ]; then  # and their plans, with row counts, times and buffers (slows them down)
    pg -d postgres -c "ALTER DATABASE \"$db\" SET session_preload_libraries = 'auto_explain'" \
      -c "ALTER DATABASE \"$db\" SET auto_explain.log_min_duration = '1s'" \
      -c "ALTER DATABASE \"$db\" SET auto_explain.log_analyze = on" \
      -c "ALTER DATABASE \"$db\" SET auto_explain.log_buffers = on" \
      -c "ALTER DATABASE \"$db\" SET auto_explain.log_triggers = on"
  fi

  # ------------------------------------------------------------------------------ the service
  port=$(free_port)
  relay=false; [ "${BENCH_RELAY:-0}" = 1 ] && relay=true
  say "$n rows: starting Ingestion on 127.0.0.1:$port, database $db (relay enabled: $relay)"
  # From the project folder, its content root (appsettings.json), as `dotnet run` and run.sh start it.
  (cd services/Ingestion && Postgres__Database=$db Messaging__RelayEnabled=$relay \
    exec dotnet "$dll" --urls "http://127.0.0.1:$port") >"$log" 2>&1 &
  svc_pid=$!
  base=http://127.0.0.1:$port
  deadline=$((SECONDS + 120))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready" || true)" = 200 ]; do
    kill -0 "$svc_pid" 2>/dev/null || { tail -n 40 "$log" >&2; say "the service exited"; exit 1; }
    [ $SECONDS -lt $deadline ] || { tail -n 40 "$log" >&2; say "the service was not ready in 120 s"; exit 1; }
    sleep 0.5
  done
  rss_ready=$(rss_kb "$svc_pid" VmRSS)

  # Warm-up: the seed file (ids LN_1..., disjoint from the generated LN_B...) takes the import path through JIT once.
  curl -sS -f -o /dev/null --data-binary @"$LR_SHARED_DATA/loan-recovery.csv" -H 'Content-Type: text/csv' "$base/api/imports"
  sleep 1
  rss_base=$(rss_kb "$svc_pid" VmRSS)
  hwm_base=$(rss_kb "$svc_pid" VmHWM)

  pg -d postgres -c "CHECKPOINT"   # each measurement starts with no dirty buffers, as each \copy does
  samples=$out/$tag-rss.tsv
  ( t0=$(now); while kill -0 "$svc_pid" 2>/dev/null; do
      printf '%s\t%s\n' "$(secs "$t0" "$(now)")" "$(rss_kb "$svc_pid" VmRSS)"; sleep 0.25
    done ) >"$samples" &
  sampler_pid=$!
  log_from=$(stat -c %s "$pg_log" 2>/dev/null || echo 0)

  say "$n rows: POST /api/imports ($bytes bytes)"
  response=$out/$tag-response.json
  load0=$(load) svc_t0=$(ticks "$svc_pid") pg_t0=$(pg_ticks)
  t0=$(now)
  code=$(curl -sS -o "$response" -w '%{http_code}' --data-binary @"$file" -H 'Content-Type: text/csv' \
           -H "X-File-Name: $(basename "$file")" "$base/api/imports" || true)
  t1=$(now)
  svc_cpu=$(cpu_s $(($(ticks "$svc_pid") - svc_t0))) pg_cpu=$(cpu_s $(($(pg_ticks) - pg_t0))) load1=$(load)
  kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=''
  hwm=$(rss_kb "$svc_pid" VmHWM)
  rss_after=$(rss_kb "$svc_pid" VmRSS)
  if [ "$code" != 200 ]; then
    say "$n rows: import answered HTTP $code after $(secs "$t0" "$t1") s"; cat "$response" >&2 || true
    tail -n 60 "$log" >&2; exit 1
  fi
  import_s=$(secs "$t0" "$t1")
  read_rows=$(json_field "$response" rowsRead) accepted=$(json_field "$response" accepted)
  unchanged=$(json_field "$response" unchanged) rejected=$(json_field "$response" rejected)
  sample_max=$(awk -F'\t' '$2 > m { m = $2 } END { print m + 0 }' "$samples")
  counts=$(pg -d "$db" -At -F ' ' -c "SELECT (SELECT count(*) FROM ingestion.borrower), (SELECT count(*) FROM ingestion.loan),
             (SELECT count(*) FROM ingestion.historical_outcome), (SELECT count(*) FROM ingestion.outbox_message)")
  stop_service

  # Where the time went: the statements PostgreSQL logged for this database while the import ran.
  steps=$out/$tag-statements.log
  tail -c +"$((log_from + 1))" "$pg_log" >"$out/$tag-postgres.log" || true
  grep -a 'duration:' "$out/$tag-postgres.log" | cut -c1-200 >"$steps" || true

  # ------------------------------------------------------------------------------ psql \copy, same file
  pg -d "$db" -c "CREATE TABLE public.bench_copy (
      borrower_id text, age integer, gender text, employment_type text, monthly_income numeric, num_dependents integer,
      loan_id text, loan_amount numeric, loan_tenure integer, interest_rate numeric, loan_type text, collateral_value numeric,
      outstanding_loan_amount numeric, monthly_emi numeric, payment_history text, num_missed_payments integer,
      days_past_due integer, recovery_status text, collection_attempts integer, collection_method text,
      legal_action_taken boolean)"
  # Three times (emptied in between; the median is reported): on a shared machine one run can be unlucky.
  copy_runs=()
  for attempt in 1 2 3; do
    pg -d "$db" -c "TRUNCATE public.bench_copy" -c "CHECKPOINT"
    say "$n rows: psql \\copy ($attempt/3)"
    cload0=$(load) cpg_t0=$(pg_ticks)
    c0=$(now)
    pg -d "$db" -c "\\copy public.bench_copy FROM '$file' WITH (FORMAT csv, HEADER true)"
    c1=$(now)
    copy_runs+=("$(secs "$c0" "$c1") $(cpu_s $(($(pg_ticks) - cpg_t0))) $cload0 $(load)")
  done
  copied=$(pg -d "$db" -At -c "SELECT count(*) FROM public.bench_copy")
  read -r copy_s copy_cpu cload0 cload1 < <(printf '%s\n' "${copy_runs[@]}" | sort -n | sed -n 2p)
  say "$n rows: \\copy runs (s, PostgreSQL CPU s, load before, after): $(printf '[%s] ' "${copy_runs[@]}")"
  drop_db

  ratio=$(awk -v a="$import_s" -v b="$copy_s" 'BEGIN { printf "%.1f", a / b }')
  say "$n rows: import ${import_s} s ($(per_sec "$n" "$import_s") rows/s), peak RSS $(mb "$hwm") MB (before $(mb "$rss_base") MB," \
      "sampled max $(mb "$sample_max") MB); response read=$read_rows accepted=$accepted unchanged=$unchanged rejected=$rejected;" \
      "database borrower/loan/outcome/outbox = $counts; \\copy ${copy_s} s ($(per_sec "$copied" "$copy_s") rows/s, $copied rows)"
  say "$n rows: CPU during the import: service ${svc_cpu} s, PostgreSQL ${pg_cpu} s (load average $load0 -> $load1);" \
      "during \\copy: PostgreSQL ${copy_cpu} s (load average $cload0 -> $cload1)"
  say "$n rows: RSS at ready $(mb "$rss_ready") MB, peak before the import $(mb "$hwm_base") MB, after the import $(mb "$rss_after") MB"
  results+=("| $(printf "%'d" "$n") | $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB | $import_s | $(printf "%'d" "$(per_sec "$n" "$import_s")") | $(mb "$hwm") | $(mb "$rss_base") | $(mb "$sample_max") | $copy_s | $(printf "%'d" "$(per_sec "$copied" "$copy_s")") | ${ratio}× | $svc_cpu + $pg_cpu | $copy_cpu | $load0–$load1 |")
  { echo "### $n rows: statements over 500 ms"; cat "$steps"; } >&2
done

{
  echo "| rows | file | import s | import rows/s | peak RSS MB (VmHWM) | RSS before MB | RSS sampled max MB | \\copy s | \\copy rows/s | import / \\copy | import CPU s (service + PostgreSQL) | \\copy CPU s (PostgreSQL) | load average |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${results[@]}"
} | tee "$out/ingestion-results.md"
