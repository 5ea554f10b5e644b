#!/usr/bin/env bash
# End-to-end throughput and latency of the pipeline (payment → StrategyAssigned through all five services) beside a raw
# MassTransit publish→consume hop on the same broker, in one run.
#
#   bench/pipeline/run.sh [--payments N] [--latency-seconds S] [--raw-messages N] [--history-loans N] [--warmup-payments N]
#                         [--prefetch N] [--raw-in-flight N] [--quiet-seconds S] [--sample-seconds S]
#
# Starts (or reuses) PostgreSQL and RabbitMQ with deploy/local/servers.sh, builds bench/pipeline in Release and runs it:
# a throw-away database and virtual host; the raw hop; the five services hosted in the process (as the end-to-end test
# hosts them, with production messaging settings); a cold-start model from an imported history; the throughput phase
# (every payment at once); the latency phase (half the sustained rate, paced); the raw hop again. Prints the machine and a
# Markdown table (also written to .data/bench/pipeline-results.md, with the JSON in .data/bench/pipeline-results.json and
# the services' logs in .data/bench/pipeline-run.log).
#
# Settings: BENCH_BUILD_ARGS, extra arguments of the build (-p:BuildProjectReferences=false reuses the Release builds of
# ./test.sh or of the whole solution; run.sh alone does not build tests/LoanRecovery.Testing); those of
# deploy/local/servers.sh (LR_SERVER_DATA_DIR, LR_PG_PORT, LR_RABBIT_PORT, LR_RABBIT_MGMT_PORT, LR_RABBIT_DIST_PORT,
# LR_RABBIT_NODENAME) to run on a private pair of servers.
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

echo "[bench] building bench/pipeline (Release)" >&2
dotnet build bench/pipeline -c Release --nologo -v quiet -clp:ErrorsOnly ${BENCH_BUILD_ARGS:-} >&2

results=$out/pipeline-results.md log=$out/pipeline-run.log
{
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 " GiB" }') memory;" \
       "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r); .NET $(dotnet --version);" \
       "RabbitMQ $(dpkg-query -W -f '${Version}' rabbitmq-server 2>/dev/null || echo '?'), PostgreSQL $("$(_lr_pg_bin)/postgres" --version | awk '{ print $3 }');" \
       "code at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- services contracts bench/pipeline || echo ' (with uncommitted changes in the working tree)')."
  echo "Load average at the start: $(cut -d ' ' -f 1-3 /proc/loadavg)."
  echo
} >"$results"
# From its output folder: the in-process hosts find the services' content roots from the manifest there. The services'
# logs (standard output) go to the log file; the benchmark's progress (standard error) to both.
rm -f "$out/pipeline-table.md"
(cd bench/pipeline/bin/Release/net10.0 && dotnet LoanRecovery.Bench.Pipeline.dll --json-out "$out/pipeline-results.json" \
   --markdown-out "$out/pipeline-table.md" "$@") >"$log" 2> >(tee -a "$log" >&2) \
  || { tail -n 40 "$log" >&2; echo "[bench] the benchmark failed; its log: $log" >&2; exit 1; }
cat "$out/pipeline-table.md" >>"$results"
echo "Load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)." >>"$results"
cat "$results"
