#!/usr/bin/env bash
# Model benchmarks: our GBDT / random forest / k-means against XGBoost and scikit-learn, side by side in one run.
# usage: bench/ml/run.sh [--rows N] [--quick]
#   --rows N   rows of the synthetic credit set (default 150000: 105000 train + 45000 test)
#   --quick    smaller data and fewer trees, to check the script itself
# Output: JSON per run under $LR_BENCH_DIR (default /tmp/loanrecovery-bench) and a markdown report on stdout,
# also written to $LR_BENCH_DIR/report.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${LR_BENCH_DIR:-/tmp/loanrecovery-bench}"
rows=150000
trees=300
depth=6
lr=0.1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --quick) rows=20000; trees=50; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
py=/usr/bin/python3
cut -d' ' -f1-3 /proc/loadavg > "$out/load-start.txt"

# 1. Peers: Debian's scikit-learn, XGBoost and pandas (the system Python, not a virtualenv).
if ! "$py" -c 'import sklearn, xgboost, pandas' 2>/dev/null; then
  sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq python3-sklearn python3-xgboost python3-pandas >/dev/null
fi

# 2. Our side: the published CLI, Release.
echo "building the CLI (Release)…" >&2
dotnet publish "$repo/services/Cli/LoanRecovery.Cli.csproj" -c Release -o "$out/cli" --nologo -v q >/dev/null
cli="$out/cli/loanrecovery"

# 3. Data. (a) the seed file, honest features; (b) synthetic credit data; (c) the simulator's portfolio.
#    LR_BENCH_SETS (default "seed credit sim") picks the data sets; k-means runs when credit is among them.
shared="${LR_SHARED_DATA:-$repo/../shared/data}"
seed_csv="$shared/loan-recovery.csv"
honest_exclude="Borrower_ID,Loan_ID,Collection_Attempts,Collection_Method,Legal_Action_Taken"
want="${LR_BENCH_SETS:-seed credit sim}"
sets=()
if [[ " $want " != *" seed "* ]]; then
  :
elif [[ -f "$seed_csv" ]]; then
  "$py" "$here/split_csv.py" --data "$seed_csv" --label Recovery_Status --positive "Partially Recovered,Written Off" \
    --test-fraction 0.3 --seed 42 --out-dir "$out" --name seed >&2
  sets+=(seed)
else
  echo "seed file not found at $seed_csv (set LR_SHARED_DATA); skipping data set (a)" >&2
fi
if [[ " $want " == *" credit "* ]]; then
  "$py" "$here/gen_credit.py" --rows "$rows" --seed 7 --out-dir "$out" >&2
  sets+=(credit)
fi
# The simulator writes the seed file's 21 columns. Its delinquency columns (Payment_History, Num_Missed_Payments,
# Days_Past_Due) and Outstanding_Loan_Amount are measured at the end of the outcome period and give the outcome
# away (AUC 1.00), so only the origination columns are features here.
sim_exclude="$honest_exclude,Outstanding_Loan_Amount,Payment_History,Num_Missed_Payments,Days_Past_Due"
if [[ " $want " == *" sim "* && -f "$repo/services/Simulator/LoanRecovery.Simulator.csproj" ]]; then
  sim_loans=$(( rows / 3 ))
  dotnet run --project "$repo/services/Simulator" -c Release -- write-csv --loans "$sim_loans" --seed 7 --out "$out/sim.csv" >&2
  "$py" "$here/split_csv.py" --data "$out/sim.csv" --label Recovery_Status --positive "Partially Recovered,Written Off" \
    --test-fraction 0.3 --seed 42 --out-dir "$out" --name sim >&2
  sets+=(sim)
fi

label_of() { [[ "$1" == credit ]] && echo defaulted || echo Recovery_Status; }
positive_of() { [[ "$1" == credit ]] && echo "" || echo "Partially Recovered,Written Off"; }
exclude_of() { case "$1" in seed) echo "$honest_exclude" ;; sim) echo "$sim_exclude" ;; *) echo "" ;; esac; }

for set in "${sets[@]}"; do
  label="$(label_of "$set")"; positive="$(positive_of "$set")"; exclude="$(exclude_of "$set")"
  args=(--data "$out/$set-train.csv" --test "$out/$set-test.csv" --label "$label" --calibration none --json)
  [[ -n "$positive" ]] && args+=(--positive "$positive")
  [[ -n "$exclude" ]] && args+=(--exclude "$exclude")
  for threads in 1 2; do
    echo "[$set] ours, $threads thread(s)…" >&2
    "$cli" train "${args[@]}" --model gbdt --trees "$trees" --depth "$depth" --learning-rate "$lr" --threads "$threads" > "$out/$set-ours-gbdt-t$threads.json"
    "$cli" train "${args[@]}" --model forest --trees "$trees" --threads "$threads" --skip-shap-timing > "$out/$set-ours-forest-t$threads.json"
    echo "[$set] peers, $threads thread(s)…" >&2
    OMP_NUM_THREADS=$threads "$py" "$here/peers.py" trees --train "$out/$set-train.csv" --test "$out/$set-test.csv" \
      --label "$label" --positive "$positive" --exclude "$exclude" --trees "$trees" --depth "$depth" \
      --learning-rate "$lr" --forest-trees "$trees" --threads "$threads" > "$out/$set-peers-t$threads.json"
  done
done

# The quality gate on the seed file with the product's defaults (holdout split, isotonic calibration).
if [[ " ${sets[*]} " == *" seed "* ]]; then
  "$cli" train --data "$seed_csv" --label Recovery_Status --positive "Partially Recovered,Written Off" \
    --exclude "$honest_exclude" --json > "$out/seed-gate.json"
fi

# k-means on the credit training rows (numeric columns, z-scored, rows with missing values left out).
[[ " ${sets[*]} " == *" credit "* ]] || { cut -d' ' -f1-3 /proc/loadavg > "$out/load-end.txt"; "$py" "$here/report.py" --dir "$out" --trees "$trees" --depth "$depth" | tee "$out/report.md"; exit 0; }
cols="Age,Monthly_Income,Loan_Amount,Interest_Rate,Monthly_EMI,Num_Missed_Payments,Days_Past_Due"
for k in 4 8; do
  for threads in 1 2; do
    echo "[kmeans k=$k] $threads thread(s)…" >&2
    for rep in 1 2 3; do   # best of three on both sides (peers.py repeats internally)
      "$cli" segment --data "$out/credit-train.csv" --columns "$cols" --k "$k" --restarts 10 --seed 42 --threads "$threads" --json \
        > "$out/kmeans-k$k-ours-t$threads-r$rep.json"
    done
    OMP_NUM_THREADS=$threads "$py" "$here/peers.py" kmeans --data "$out/credit-train.csv" --columns "$cols" --k "$k" \
      --restarts 10 --seed 42 --threads "$threads" --repeat 3 > "$out/kmeans-k$k-peers-t$threads.json"
  done
done

cut -d' ' -f1-3 /proc/loadavg > "$out/load-end.txt"
"$py" "$here/report.py" --dir "$out" --trees "$trees" --depth "$depth" | tee "$out/report.md"
