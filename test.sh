#!/usr/bin/env bash
# Builds the solution and runs every test project under tests/ against local PostgreSQL and RabbitMQ
# (started, and afterwards stopped, by deploy/local/servers.sh).
#
#   ./test.sh                  all test projects
#   ./test.sh Ml Ingestion     only the projects whose name contains one of the words
#
# Results: .data/test-results/<project>.trx and .log. The last line is "N passed, N failed, N skipped";
# the exit code is non-zero when the build or any test failed, or when no test ran.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=.data/test-results
hang_timeout=${LR_TEST_HANG_TIMEOUT:-10m}   # a single test running longer than this is aborted

passed=0 failed=0 skipped=0 ok=true

finish() {
  lr_servers_stop; trap - EXIT   # before the closing line, which must come last
  if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
  if $ok && [ $((passed + failed)) -gt 0 ]; then exit 0; else exit 1; fi
}

# Sum of the named counters of a trx file (<Counters total=".." passed=".." failed=".." .../>).
trx_count() {
  local file=$1 sum=0 attr value; shift
  for attr in "$@"; do
    value=$(grep -o "<Counters [^>]*>" "$file" | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9]\+')
    sum=$((sum + ${value:-0}))
  done
  echo "$sum"
}

source deploy/local/servers.sh

projects=()
for project in tests/*/*.csproj; do
  [ -f "$project" ] || continue
  grep -qi '<IsTestProject>false</IsTestProject>' "$project" && continue   # helper libraries
  name=$(basename "$project" .csproj)
  if [ $# -gt 0 ]; then
    match=false
    for word in "$@"; do [[ $name == *"$word"* ]] && match=true; done
    $match || continue
  fi
  projects+=("$project")
done
[ ${#projects[@]} -gt 0 ] || { echo "test.sh: no test project under tests/ (matching: ${*:-anything}): no test ran"; ok=false; finish; }

trap lr_servers_stop EXIT
lr_servers_start || { ok=false; echo "test.sh: the servers did not start"; finish; }
source deploy/local/dashboard.sh
lr_dashboard_assets || { ok=false; echo "test.sh: the dashboard's chart library could not be installed"; finish; }
if [[ " ${projects[*]} " == *Dashboard* ]]; then
  lr_dashboard_browser || { ok=false; echo "test.sh: chromium could not be installed for the dashboard's browser tests"; finish; }
fi

echo "== build (Release)"
started=$SECONDS
if ! dotnet build LoanRecovery.sln -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "test.sh: build failed"; ok=false; finish
fi
echo "   built in $((SECONDS - started)) s"

rm -rf "$results" && mkdir -p "$results"
summary=()
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  started=$SECONDS
  # The solution build above also built the test projects, unless one is missing from LoanRecovery.sln.
  if ! grep -qF "${project//\//\\}" LoanRecovery.sln; then
    echo "   $project is not in LoanRecovery.sln"; ok=false; summary+=("$(printf '%-40s not in LoanRecovery.sln' "$name")"); continue
  fi
  dotnet test "$project" --no-build -c Release --nologo --verbosity minimal \
    --results-directory "$results" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none 2>&1 | tee "$results/$name.log"
  status=${PIPESTATUS[0]}
  trx=$results/$name.trx
  if [ -f "$trx" ]; then
    p=$(trx_count "$trx" passed) f=$(trx_count "$trx" failed error timeout aborted)
    s=$(grep -o 'outcome="NotExecuted"' "$trx" | wc -l)   # skipped tests (the counters leave them out)
  else
    p=0 f=0 s=0
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  verdict=ok
  if [ "$status" -ne 0 ] || [ "$f" -gt 0 ]; then verdict=FAILED; ok=false
  elif [ ! -f "$trx" ]; then verdict="FAILED (no results)"; ok=false; fi
  summary+=("$(printf '%-40s %4d passed %4d failed %4d skipped %5d s  %s' "$name" "$p" "$f" "$s" $((SECONDS - started)) "$verdict")")
done

echo "== summary (results in $results/)"
printf '%s\n' "${summary[@]}"
finish
