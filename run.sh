#!/usr/bin/env bash
# Runs LoanRecovery on this machine: PostgreSQL and RabbitMQ (deploy/local/servers.sh), a Release build of what it runs,
# then every service listed in deploy/services.conf whose project exists.
#
#   ./run.sh           start everything, run the simulator (2,000 loans, 12 months) through it, print its summary,
#                      then keep running until Ctrl-C, which stops the services and the servers this script started
#   ./run.sh --loans N --months M [--seed S] [--exit]
#                      the same with another portfolio; --exit stops everything after the summary, whose last line is
#                      one JSON object
#   ./run.sh --check   start everything, wait until every service answers /health/ready, report, stop
#
# Logs: .data/logs/<service>.log. Settings: LR_<NAME>_PORT (a service's port), LR_READY_TIMEOUT (seconds
# --check waits, 90), LR_SERVICES_CONF (another manifest), LR_RABBIT_<USER>_PASSWORD (a service's RabbitMQ password),
# and the server settings in deploy/local/servers.sh.
# Dashboard sign-in: development users officer, analyst and executive, passwords in .data/auth/dashboard-users (printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

check=false exit_after=false sim_loans=2000 sim_months=12 sim_seed=7
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=true ;;
    --exit) exit_after=true ;;
    --loans | --months | --seed)
      [[ ${2:-} =~ ^[0-9]+$ ]] || { echo "run.sh: $1 needs a whole number" >&2; exit 2; }
      case "$1" in --loans) sim_loans=$2 ;; --months) sim_months=$2 ;; --seed) sim_seed=$2 ;; esac
      shift ;;
    -h | --help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# The demo runs months in seconds, so the services' clocks are shortened unless set already: an episode is observed
# for one minute of wall clock (a few simulated months), a strategy still in arrears is reviewed after the same minute,
# RiskScoring trains its first model at most 10 s after it has 100 outcomes, and retrains after every 100 new ones.
: "${PerformanceTracking__ObservationWindow:=00:01:00}" "${PerformanceTracking__CloseCheckInterval:=00:00:01}"
: "${StrategyAssignment__ReviewStrategyAfter:=$PerformanceTracking__ObservationWindow}"
: "${RiskScoring__RetrainAfterOutcomes:=100}" "${RiskScoring__RetrainCheckInterval:=00:00:05}"
: "${RiskScoring__ColdStartMaxWait:=00:00:10}"
export PerformanceTracking__ObservationWindow PerformanceTracking__CloseCheckInterval StrategyAssignment__ReviewStrategyAfter \
  RiskScoring__RetrainAfterOutcomes RiskScoring__RetrainCheckInterval RiskScoring__ColdStartMaxWait

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
manifest=${LR_SERVICES_CONF:-deploy/services.conf}
ready_timeout=${LR_READY_TIMEOUT:-90}
logs=$PWD/.data/logs

# The services, by index.
names=() ports=() brokerusers=() pids=() logfiles=()

stop_all() {
  trap - EXIT INT TERM
  local pid deadline=$((SECONDS + 15))
  [ ${#pids[@]} -gt 0 ] && echo "stopping the services ..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  lr_servers_stop
}

# HTTP status code of GET http://127.0.0.1:<port><path>, or nothing (bash's /dev/tcp: no curl needed).
http_status() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" &&
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n" "$1" "$0" >&3 &&
    read -r _ code _ <&3 && echo "$code"' "$1" "$2" 2>/dev/null || true
}

report() {  # name port state
  printf '%-22s http://127.0.0.1:%-6s %s\n' "$1" "$2" "$3"
}

source deploy/local/servers.sh
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

lr_servers_start
source deploy/local/dashboard.sh
lr_dashboard_assets

# The manifest, less the services whose project does not exist yet.
projects=()
while read -r name project port brokeruser _; do
  [[ -z $name || $name == \#* ]] && continue
  [[ $project == /* ]] || project=$PWD/$project
  if [ ! -f "$project" ]; then echo "$name: skipped (${project#"$PWD"/} does not exist yet)"; continue; fi
  [ -n "$brokeruser" ] || { echo "run.sh: $manifest: $name has no RabbitMQ user column (a user of deploy/rabbitmq/users.conf, or -)" >&2; exit 1; }
  override=LR_${name^^}_PORT
  names+=("$name") projects+=("$project") ports+=("${!override:-$port}") brokerusers+=("$brokeruser")
done <"$manifest"
[ ${#names[@]} -gt 0 ] || { echo "run.sh: no service in $manifest exists yet" >&2; exit 1; }

# Only what runs is built: the manifest's services, the simulator and the command-line tool, through a solution filter
# written from the manifest. The tests are test.sh's to build; building them too took a fresh machine's build from about
# 56 s to 113 s. A manifest project that is not in the solution is built on its own.
echo "building (Release) ..."
run_filter=$PWD/.data/run.slnf
in_repo=() elsewhere=()
for project in "${projects[@]}" "$PWD/services/Simulator/LoanRecovery.Simulator.csproj" "$PWD/services/Cli/LoanRecovery.Cli.csproj"; do
  relative=${project#"$PWD"/}
  # The solution names its projects with backslashes, in quotes; a solution filter must name them exactly.
  if grep -qF -- "\"${relative//\//\\}\"" LoanRecovery.sln; then in_repo+=("\"$relative\""); else elsewhere+=("$project"); fi
done
mkdir -p "$(dirname "$run_filter")"
printf '{ "solution": { "path": "../LoanRecovery.sln", "projects": [ %s ] } }\n' "$(IFS=,; echo "${in_repo[*]}")" >"$run_filter"
dotnet build "$run_filter" -c Release --nologo -v quiet -clp:ErrorsOnly
for project in "${elsewhere[@]}"; do dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly; done

# The bearer-token signing key every service (and the dashboard) checks tokens with: a random local key kept under .data/
# (readable by this user only) unless Auth__SigningKey is set already.
if [ -z "${Auth__SigningKey:-}" ]; then
  key_file=$PWD/.data/auth/signing-key
  if [ ! -s "$key_file" ]; then
    mkdir -p "$(dirname "$key_file")"
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$key_file")
  fi
  Auth__SigningKey=$(cat "$key_file")
fi
export Auth__SigningKey

# A development token for a role (loanrecovery token, signed with the key above).
cli=$(ls services/Cli/bin/Release/*/loanrecovery.dll 2>/dev/null | head -n 1)
token_for() { dotnet "$cli" token --subject "$1" "${@:2}"; }

# The dashboard's development users, one per role (officer, analyst, executive), unless users are configured already
# (Dashboard__Users__0__Username set): random passwords kept in .data/auth/dashboard-users ("username password" lines,
# readable by this user only), hashed by `loanrecovery dashboard-user` into the Dashboard__Users__N__* variables.
dev_users=
dashboard_dev_users() {
  local user password entry line index=0
  dev_users=$PWD/.data/auth/dashboard-users
  if [ ! -s "$dev_users" ]; then
    (umask 077 && for user in officer analyst executive; do
      printf '%s %s\n' "$user" "$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
    done >"$dev_users")
  fi
  while read -r user password; do
    entry=$(printf '%s\n' "$password" | dotnet "$cli" dashboard-user --username "$user" --role "$user" --display-name "Development $user" --env "$index")
    while IFS= read -r line; do export "${line?}"; done <<<"$entry"
    index=$((index + 1))
  done <"$dev_users"
}
if [ -z "${Dashboard__Users__0__Username:-}" ]; then dashboard_dev_users; fi
print_dashboard_users() {
  [ -n "$dev_users" ] || return 0
  echo "Dashboard $(url_of Dashboard) — development users (passwords kept in ${dev_users#"$PWD"/}):"
  local user password
  while read -r user password; do printf '  %-10s %s\n' "$user" "$password"; done <"$dev_users"
}

# Every service learns every service's address the way .NET service discovery spells it
# (services__<name>__http__0), e.g. for the dashboard.
for i in "${!names[@]}"; do export "services__${names[$i],,}__http__0=http://127.0.0.1:${ports[$i]}"; done

mkdir -p "$logs"
for i in "${!names[@]}"; do
  project=${projects[$i]} port=${ports[$i]}
  # The build output of the project (bin/Release/<framework>/<project>.dll).
  dll=$(ls "$(dirname "$project")"/bin/Release/*/"$(basename "$project" .csproj).dll" 2>/dev/null | head -n 1)
  [ -n "$dll" ] || { echo "${names[$i]}: no build output under $(dirname "$project")/bin/Release" >&2; exit 1; }
  logfiles+=("$logs/${names[$i],,}.log")
  # Each service connects to the broker as its own user, with only that user's permissions (deploy/rabbitmq/users.conf).
  broker=()
  if [ "${brokerusers[$i]}" != - ]; then
    broker=("RabbitMq__Username=${brokerusers[$i]}" "RabbitMq__Password=$(lr_rabbit_service_password "${brokerusers[$i]}")")
  fi
  # Started from the project folder, as `dotnet run` would: that is its content root (appsettings, wwwroot).
  # Urls as well as ASPNETCORE_URLS: a "Urls" in appsettings.json would win over the latter.
  (cd "$(dirname "$project")" && exec env "${broker[@]}" ASPNETCORE_URLS=http://127.0.0.1:$port Urls=http://127.0.0.1:$port dotnet "$dll") \
    >"${logfiles[$i]}" 2>&1 &
  pids+=($!)
done

# Every service ready within the time limit, or name the ones that are not.
wait_ready() {
  local i state failed=0 deadline=$((SECONDS + ready_timeout))
  for i in "${!names[@]}"; do
    state="not ready after $ready_timeout s"
    while [ $SECONDS -lt $deadline ]; do
      if [ "$(http_status "${ports[$i]}" /health/ready)" = 200 ]; then state=ready; break; fi
      if ! kill -0 "${pids[$i]}" 2>/dev/null; then state="exited"; break; fi
      sleep 1
    done
    report "${names[$i]}" "${ports[$i]}" "$state"
    if [ "$state" != ready ]; then
      failed=$((failed + 1))
      echo "---- last lines of ${logfiles[$i]}"
      tail -n 30 "${logfiles[$i]}"
      echo "----"
    fi
  done
  return "$failed"
}

url_of() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "http://127.0.0.1:${ports[$i]}"; done; }

if ! $check; then
  wait_ready || { echo "run.sh: a service is not ready" >&2; exit 1; }
  print_dashboard_users
  simulator=$(ls services/Simulator/bin/Release/*/loanrecovery-simulator.dll 2>/dev/null | head -n 1)
  [ -n "$simulator" ] || { echo "run.sh: the simulator is not built (services/Simulator)" >&2; exit 1; }
  # A prefix of its own per run, so that a run against services that kept an earlier run's data does not collide.
  prefix=RUN$(date +%Y%m%d%H%M%S)
  echo "simulating $sim_loans loans over $sim_months months (seed $sim_seed, ids ${prefix}_LN_n) ..."
  # Core banking and the collection floor in one: ingest and collector; analyst to read the figures for the summary.
  LR_SIMULATOR_TOKEN=$(token_for simulator --role ingest --role collector --role analyst)
  export LR_SIMULATOR_TOKEN
  summary=$logs/simulator-summary.txt
  set +e
  # As core banking and the collection floor, the simulator's own broker user (in the environment, not on the command line).
  RabbitMq__Username=simulator RabbitMq__Password=$(lr_rabbit_service_password simulator) \
  dotnet "$simulator" run --loans "$sim_loans" --months "$sim_months" --seed "$sim_seed" --id-prefix "$prefix" \
    --ingestion-url "$(url_of Ingestion)" --strategy-url "$(url_of StrategyAssignment)" \
    --risk-url "$(url_of RiskScoring)" --performance-url "$(url_of PerformanceTracking)" \
    --month-timeout-seconds 240 --table-and-json >"$summary"
  sim_code=$?
  set -e
  head -n -1 "$summary"
  if $exit_after; then
    stop_all >&2
    tail -n 1 "$summary"
    exit "$sim_code"
  fi
  [ "$sim_code" -eq 0 ] || echo "run.sh: the simulator exited with code $sim_code (see above)" >&2
  for i in "${!names[@]}"; do
    report "${names[$i]}" "${ports[$i]}" "API http://127.0.0.1:${ports[$i]}/openapi/v1.json  log ${logfiles[$i]#"$PWD"/}"
  done
  echo "Development bearer tokens (8 hours; send as 'Authorization: Bearer <token>'):"
  for role in ingest collector analyst admin; do
    printf '  %-10s %s\n' "$role" "$(token_for "dev-$role" --role "$role")"
  done
  print_dashboard_users
  echo "Running. Ctrl-C stops everything."
  live=("${pids[@]}")
  while [ ${#live[@]} -gt 0 ]; do
    set +e; wait -n -p ended "${live[@]}"; code=$?; set -e
    still=()
    for i in "${!pids[@]}"; do
      if [ "${pids[$i]}" = "$ended" ]; then
        echo "${names[$i]} exited with code $code; last lines of ${logfiles[$i]#"$PWD"/}:"
        tail -n 20 "${logfiles[$i]}"
      elif [[ " ${live[*]} " == *" ${pids[$i]} "* ]]; then
        still+=("${pids[$i]}")
      fi
    done
    live=("${still[@]}")
  done
  echo "run.sh: every service has exited" >&2
  exit 1
fi

# --check
wait_ready && failed=0 || failed=$?
[ "$failed" -eq 0 ] || { echo "run.sh --check: $failed of ${#names[@]} services not ready" >&2; exit 1; }
echo "run.sh --check: all ${#names[@]} services ready"
