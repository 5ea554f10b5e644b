#!/usr/bin/env bash
# Sustained load on the five services, each in its own process (bench/README.md, "Load"):
#   bench/load/run.sh --rate R [--sustain-seconds 600] [--ramp-rates a,b,c] [--ramp-step-seconds 45] [--sample-seconds 5]
# R is the end-to-end rate to hold (payments/s; the pipeline benchmark's sustained figure). Starts (or reuses) the servers of
# deploy/local/servers.sh, builds the services and this program (Release), writes .data/bench/load-results.md and .json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
out=$root/.data/bench
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source deploy/local/servers.sh
trap lr_servers_stop EXIT   # only the servers this shell started
trap 'exit 130' INT
trap 'exit 143' TERM
lr_servers_start

echo "[bench] building the services and bench/load (Release)" >&2
for project in services/Ingestion services/Segmentation services/RiskScoring services/StrategyAssignment services/PerformanceTracking bench/load; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly ${BENCH_BUILD_ARGS:-} >&2
done

results=$out/load-results.md log=$out/load-run.log
{
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 " GiB" }') memory;" \
       "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); .NET $(dotnet --version);" \
       "RabbitMQ $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo '?'), PostgreSQL $("$(_lr_pg_bin)/postgres" --version | awk '{ print $3 }');" \
       "code at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- services contracts bench/load || echo ' (with uncommitted changes in the working tree)')."
  echo "Load average at the start: $(cut -d ' ' -f 1-3 /proc/loadavg)."
  echo
} >"$results"
rm -f "$out/load-table.md"
(cd bench/load/bin/Release/net10.0 && dotnet LoanRecovery.Bench.Load.dll --json-out "$out/load-results.json" \
   --markdown-out "$out/load-table.md" --log-dir "$out/load-service-logs" "$@") >"$log" 2> >(tee -a "$log" >&2) \
  || { tail -n 40 "$log" >&2; echo "[bench] the benchmark failed; its log: $log" >&2; exit 1; }
cat "$out/load-table.md" >>"$results"
echo "Load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)." >>"$results"
cat "$results"
