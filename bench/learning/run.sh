#!/usr/bin/env bash
# Learning over a long run: how much of the gap between the original fixed policy and the oracle the system closes, month
# by month, for the default simulation file and for the one with opposite treatment effects.
#
#   bench/learning/run.sh [LOANS] [MONTHS]     LOANS defaults to 2000, MONTHS to 24
#
# Starts (or reuses) PostgreSQL and RabbitMQ with deploy/local/servers.sh, builds the five services and the simulator in
# Release, then for each simulation file: creates a throw-away database (deploy/postgres/02-schemas.sql) and virtual host,
# so that every file starts from nothing (no model, no policy, no outcome of the other file), starts the five services on
# them with the same shortened clocks as run.sh (an episode is observed for one minute of wall clock, retraining after 100
# new outcomes) and the learning loop's bench settings below, imports a simulated lender's history so that RiskScoring
# cold-starts a first model, runs the simulator through them (`run --sim-config FILE --months MONTHS --table-and-json`),
# saves what the services learned (models, proposals, promotion decisions, policy versions: .data/bench/learning-<file>-
# learned.json), stops the services and drops the database and virtual host. Prints a Markdown table of the gap closed per month at the end (also
# written to .data/bench/learning-results.md); each run's report, JSON line and service logs are kept in
# .data/bench/learning-<file>-*.
#
# Settings:
#   BENCH_SIM_FILES  simulation files, default "services/Simulator/simulation.default.json
#                    services/Simulator/simulation.legal-works-best.json"
#   BENCH_SEED       simulator seed (7); the history's is BENCH_SEED + 1000, StrategyAssignment's draws BENCH_SEED
#   BENCH_HISTORY_LOANS  loans in the imported history (2000); 0 starts without a model
#   BENCH_MONTH_TIMEOUT  the simulator's longest wait in one month, seconds (600)
#   BENCH_NO_BUILD   1 uses the Release builds already there
#   LR_<NAME>_PORT   a service's HTTP port, as in run.sh (defaults from deploy/services.conf)
#   and the settings of deploy/local/servers.sh (LR_SERVER_DATA_DIR, LR_PG_PORT, LR_RABBIT_PORT, LR_RABBIT_MGMT_PORT,
#   LR_RABBIT_DIST_PORT, LR_RABBIT_NODENAME) to run on a private pair of servers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

loans=${1:-2000}
months=${2:-24}
[[ $loans =~ ^[0-9]+$ && $months =~ ^[0-9]+$ ]] || { echo "run.sh: LOANS and MONTHS must be whole numbers" >&2; exit 2; }
read -r -a sim_files <<<"${BENCH_SIM_FILES:-services/Simulator/simulation.default.json services/Simulator/simulation.legal-works-best.json}"
seed=${BENCH_SEED:-7}
history_loans=${BENCH_HISTORY_LOANS:-2000}
out=$root/.data/bench
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Shortened clocks as in run.sh: months pass in seconds. The observation window is longer than run.sh's minute: a month of
# 2,000 loans takes about two minutes of wall clock here (two files side by side on a busy machine), and an episode must
# see the payments of the months after its assignment (a strategy acts from the next month), or every episode measures
# nothing but its contact costs and refinement learns that the cheapest strategy is best. Three minutes is one and a half
# simulated months at that pace, four to five on a quiet machine.
: "${PerformanceTracking__ObservationWindow:=00:03:00}" "${PerformanceTracking__CloseCheckInterval:=00:00:01}"
# A strategy still in arrears is reviewed after the observation window, as in the product (both 90 days there).
: "${StrategyAssignment__ReviewStrategyAfter:=$PerformanceTracking__ObservationWindow}"
: "${RiskScoring__RetrainAfterOutcomes:=100}" "${RiskScoring__RetrainCheckInterval:=00:00:05}"
# The learning loop on the same clock and at the scale of a bench portfolio (bench/README.md, "Learning over a long run",
# says why each differs from the product default): refinement and promotion every 30 s of wall clock (product: 7 days),
# half of the loans in the experiment (product: 10%), refinement trusting a strategy's estimate in a cell from 15
# randomised episodes (product: 30) and promotion considered from 40 closed episodes per arm (product: 100). The arm and
# exploration draws are seeded like the simulator, so a run can be repeated.
: "${PerformanceTracking__PolicyLoopInterval:=00:00:30}"
: "${PerformanceTracking__MinimumCellEpisodes:=15}" "${PerformanceTracking__MinimumArmEpisodes:=40}"
# A challenger still short of its episodes two observation windows after it started may be replaced by a new proposal (product: 180
# days, two of its windows).
: "${PerformanceTracking__ChallengerMaxRun:=00:06:00}"
: "${StrategyAssignment__ExplorationShare:=0.5}" "${StrategyAssignment__RandomSeed:=${BENCH_SEED:-7}}"
export PerformanceTracking__ObservationWindow PerformanceTracking__CloseCheckInterval RiskScoring__RetrainAfterOutcomes RiskScoring__RetrainCheckInterval \
  PerformanceTracking__PolicyLoopInterval PerformanceTracking__MinimumCellEpisodes PerformanceTracking__MinimumArmEpisodes \
  PerformanceTracking__ChallengerMaxRun \
  StrategyAssignment__ExplorationShare StrategyAssignment__RandomSeed StrategyAssignment__ReviewStrategyAfter

say() { printf '[bench] %s\n' "$*" >&2; }

# ------------------------------------------------------------------------------------------------ clean-up
pids=() db='' vhost=''
stop_services() {
  local pid deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
drop_data() {
  if [ -n "$db" ]; then pg -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; db=''; fi
  if [ -n "$vhost" ]; then mgmt -X DELETE "api/vhosts/$vhost" >/dev/null 2>&1 || true; vhost=''; fi
}
cleanup() {
  trap - EXIT INT TERM
  stop_services
  drop_data
  lr_servers_stop   # only the servers this shell started
  rm -rf "${sim_dir:-}"
}

source deploy/local/servers.sh
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

lr_servers_start
pg_bin=$(_lr_pg_bin)
pg() { PGPASSWORD=$LR_PG_ADMIN_PASSWORD PGOPTIONS='-c client_min_messages=warning' "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 \
         -h 127.0.0.1 -p "$LR_PG_PORT" -U postgres "$@"; }
mgmt() { local path=${*: -1}; curl -sS -f -u "$LR_RABBIT_USER:$LR_RABBIT_PASSWORD" -H 'Content-Type: application/json' \
           "${@:1:$#-1}" "$LR_RABBIT_MANAGEMENT_URL/$path"; }
load() { cut -d ' ' -f 1-3 /proc/loadavg; }

# The services of deploy/services.conf whose project exists, with their ports (LR_<NAME>_PORT overrides).
names=() projects=() ports=() brokerusers=()
while read -r name project port brokeruser _; do
  [[ -z $name || $name == \#* ]] && continue
  [ -f "$root/$project" ] || continue
  [ "$name" = Dashboard ] && continue   # it only reads the services' APIs: the loop runs without it
  override=LR_${name^^}_PORT
  names+=("$name") projects+=("$root/$project") ports+=("${!override:-$port}") brokerusers+=("$brokeruser")
done <deploy/services.conf
url_of() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "http://127.0.0.1:${ports[$i]}"; done; }
for i in "${!names[@]}"; do export "services__${names[$i],,}__http__0=http://127.0.0.1:${ports[$i]}"; done

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  say "building the services and the simulator (Release)"
  for project in "${projects[@]}" services/Simulator/LoanRecovery.Simulator.csproj services/Cli/LoanRecovery.Cli.csproj; do
    dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
  done
fi
# The simulator runs from a copy of its build, so that a build during a long run cannot change it under the process, and
# under a name of its own (lrbench-driver.dll, with its simulation file copied beside it): on the shared machine, every
# process named like the simulator was stopped from outside several times during runs of 2026-11-22, ending the run.
sim_dir=$out/driver-$$
rm -rf "$sim_dir" && cp -r "$(dirname "$(ls services/Simulator/bin/Release/*/loanrecovery-simulator.dll | head -n 1)")" "$sim_dir"
for ext in dll pdb runtimeconfig.json deps.json; do
  [ -f "$sim_dir/loanrecovery-simulator.$ext" ] && mv "$sim_dir/loanrecovery-simulator.$ext" "$sim_dir/lrbench-driver.$ext"
done
rm -f "$sim_dir/loanrecovery-simulator"
sed -i 's/loanrecovery-simulator\.dll/lrbench-driver.dll/g; s/"loanrecovery-simulator\//"lrbench-driver\//g; s/"loanrecovery-simulator"/"lrbench-driver"/g' \
  "$sim_dir/lrbench-driver.deps.json"
simulator=$sim_dir/lrbench-driver.dll
# The services check bearer tokens: a signing key for this run, and a token for the simulator (core banking, the
# collection floor, and the figures of its summary).
: "${Auth__SigningKey:=$(head -c 48 /dev/urandom | base64 | tr -d '\n')}"
export Auth__SigningKey
LR_SIMULATOR_TOKEN=$(dotnet "$(ls services/Cli/bin/Release/*/loanrecovery.dll | head -n 1)" token --subject bench-simulator \
  --role ingest --role collector --role analyst)
export LR_SIMULATOR_TOKEN

results=()
for file in "${sim_files[@]}"; do
  [ -f "$file" ] || { say "no simulation file $file"; exit 2; }
  tag=learning-$(basename "$file" .json | sed 's/^simulation\.//')
  cp "$file" "$sim_dir/$tag.json"

  # ------------------------------------------------------------------------------ a clean system for this file
  db=lr_bench_learning_$$_${#results[@]}
  vhost=lr-bench-learning-$$-${#results[@]}
  pg -d postgres -c "CREATE DATABASE \"$db\""
  pg -d "$db" -f deploy/postgres/02-schemas.sql
  mgmt -X PUT "api/vhosts/$vhost" >/dev/null
  mgmt -X PUT -d "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}" "api/permissions/$vhost/$LR_RABBIT_USER" >/dev/null
  lr_rabbit_grant_vhost "$vhost"   # each service and the simulator connect as their own users (deploy/rabbitmq/users.conf)

  for i in "${!names[@]}"; do
    project=${projects[$i]} port=${ports[$i]}
    dll=$(ls "$(dirname "$project")"/bin/Release/*/"$(basename "$project" .csproj).dll" | head -n 1)
    (cd "$(dirname "$project")" && Postgres__Database=$db RabbitMq__VirtualHost=$vhost \
      RabbitMq__Username=${brokerusers[$i]} RabbitMq__Password=$(lr_rabbit_service_password "${brokerusers[$i]}") \
      ASPNETCORE_URLS=http://127.0.0.1:$port Urls=http://127.0.0.1:$port exec dotnet "$dll") >"$out/$tag-${names[$i],,}.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!names[@]}"; do
    deadline=$((SECONDS + 120))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[$i]}/health/ready" || true)" = 200 ]; do
      kill -0 "${pids[$i]}" 2>/dev/null || { tail -n 40 "$out/$tag-${names[$i],,}.log" >&2; say "${names[$i]} exited"; exit 1; }
      [ $SECONDS -lt $deadline ] || { say "${names[$i]} was not ready in 120 s"; exit 1; }
      sleep 1
    done
  done

  # ------------------------------------------------------------------------------ a first model from history
  # As a new installation gets one (and as bench/pipeline and bench/load do): the simulated lender's history of
  # BENCH_HISTORY_LOANS other loans under the same file, imported as CSV through Ingestion; RiskScoring cold-starts from
  # its outcomes. Without a usable model StrategyAssignment decides every loan by its rules, and a refined (table) policy
  # changes nothing, so the loop has nothing to act on. BENCH_HISTORY_LOANS=0 starts with no model.
  if [ "$history_loans" -gt 0 ]; then
    dotnet "$simulator" write-csv --loans "$history_loans" --seed $((seed + 1000)) --sim-config "$file" --out "$out/$tag-history.csv" >/dev/null
    curl -sS -f -o /dev/null -X POST -H "Authorization: Bearer $LR_SIMULATOR_TOKEN" -H 'Content-Type: text/csv' \
      --data-binary "@$out/$tag-history.csv" "$(url_of Ingestion)/api/imports"
    deadline=$((SECONDS + 600)) champion=''
    until [ -n "$champion" ]; do
      champion=$(curl -sS -H "Authorization: Bearer $LR_SIMULATOR_TOKEN" "$(url_of RiskScoring)/api/models" 2>/dev/null | python3 -c '
import json, sys
try:
    models = json.load(sys.stdin)
except ValueError:
    models = []
for m in models:
    if m.get("isChampion"):
        print("%s (usable %s, AUC %.3f, %d rows)" % (m["version"], m["usable"], m["auc"], m["trainingRows"]))' || true)
      [ -n "$champion" ] && break
      [ $SECONDS -lt $deadline ] || { say "RiskScoring trained no model from the history in 600 s"; exit 1; }
      sleep 2
    done
    say "$file: cold-start model from $history_loans historical loans: $champion"
  fi

  # ------------------------------------------------------------------------------ the run
  say "$file: $loans loans over $months months (seed $seed); load average $(load)"
  load0=$(load) t0=$SECONDS
  set +e
  RabbitMq__VirtualHost=$vhost RabbitMq__Username=simulator RabbitMq__Password=$(lr_rabbit_service_password simulator) \
    dotnet "$simulator" run --loans "$loans" --months "$months" --seed "$seed" --sim-config "$sim_dir/$tag.json" \
    --id-prefix LRN --ingestion-url "$(url_of Ingestion)" --strategy-url "$(url_of StrategyAssignment)" \
    --risk-url "$(url_of RiskScoring)" --performance-url "$(url_of PerformanceTracking)" \
    --month-timeout-seconds "${BENCH_MONTH_TIMEOUT:-600}" --table-and-json >"$out/$tag-report.txt" 2>"$out/$tag-progress.log"
  code=$?
  set -e
  elapsed=$((SECONDS - t0)) load1=$(load)
  tail -n 1 "$out/$tag-report.txt" >"$out/$tag.json"
  head -n -1 "$out/$tag-report.txt" >&2
  say "$file: simulator exit code $code after $elapsed s; load average before $load0, after $load1"

  # What the services learned, from their own APIs: RiskScoring's models, PerformanceTracking's proposals, promotion
  # decisions and recovery by arm, StrategyAssignment's policy versions.
  api() { curl -sS -H "Authorization: Bearer $LR_SIMULATOR_TOKEN" "$1" 2>/dev/null || echo null; }
  { printf '{"models":%s,\n' "$(api "$(url_of RiskScoring)/api/models")"
    printf '"performancePolicies":%s,\n' "$(api "$(url_of PerformanceTracking)/api/performance/policies")"
    printf '"recoveryByArm":%s,\n' "$(api "$(url_of PerformanceTracking)/api/performance/recovery?by=arm")"
    printf '"strategyPolicies":%s}\n' "$(api "$(url_of StrategyAssignment)/api/policies")"; } >"$out/$tag-learned.json"

  stop_services
  drop_data
  results+=("$file|$out/$tag.json|$elapsed|$load0|$load1|$code")
done

python3 bench/learning/report.py "${results[@]}" | tee "$out/learning-results.md"
