#!/usr/bin/env python3
"""Markdown tables of bench/learning/run.sh: each simulation file's run, then the gap closed month by month side by side.

Arguments: one "FILE|JSON|ELAPSED_S|LOAD_BEFORE|LOAD_AFTER|EXIT_CODE" per run (JSON is the simulator's last line).
"""
import json
import os
import sys


def pct(value):
    return "n/a" if value is None else f"{value * 100:.0f}%"


def rate(value):
    return "n/a" if value is None else f"{value * 100:.2f}%"


def main(entries):
    runs = []
    for entry in entries:
        file, path, elapsed, load0, load1, code = entry.split("|")
        try:
            with open(path) as f:
                summary = json.loads(f.read())
        except (OSError, ValueError) as error:
            print(f"{file}: no JSON summary ({error}); simulator exit code {code}", file=sys.stderr)
            continue
        runs.append((os.path.basename(file), summary, elapsed, load0, load1, code))
    if not runs:
        sys.exit("no run produced a summary")

    print("| simulation file | loans × months | delinquent loans | payments recorded | strategies heard | episodes closed | models promoted | final model AUC | policies promoted | recovery system / baseline / oracle | gap closed (whole run) | oracle in expectation | gap closed in expectation | gap closed knowing each kind | p99 payment→strategy ms | run s | load average before → after | exit |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for name, s, elapsed, load0, load1, code in runs:
        auc = s.get("finalModelAuc")
        p99 = s.get("p99PaymentToStrategyMs")
        print(f"| {name} | {s['loans']} × {s['months']} | {s['delinquentLoans']} | {s.get('paymentsRecorded')}/{s.get('payments')} | "
              f"{s.get('strategiesAssigned')} | {s.get('outcomes')} | {s.get('modelsPromoted')} | "
              f"{'n/a' if auc is None else f'{auc:.3f}'} | {s.get('policiesPromoted')} | "
              f"{rate(s.get('recoveryRate'))} / {rate(s.get('baselineRecoveryRate'))} / {rate(s.get('oracleRecoveryRate'))} | "
              f"{pct(s.get('gapClosed'))} | {rate(s.get('oracleInExpectationRecoveryRate'))} | {pct(s.get('gapClosedInExpectation'))} | "
              f"{pct(s.get('knownGroupGapClosed'))} | {'n/a' if p99 is None else f'{p99:,.0f}'} | {elapsed} | {load0} → {load1} | {code} |")
    print()

    months = max(len(s.get("gapClosedByMonth") or []) for _, s, *_ in runs)
    header = "| month | " + " | ".join(f"{name}: in the month | to date | system R / S / L | oracle's choice" for name, *_ in runs) + " |"
    print(header)
    print("|---:|" + "---:|---:|---|---:|" * len(runs))
    for m in range(months):
        cells = []
        for _, s, *_ in runs:
            by_month = s.get("gapClosedByMonth") or []
            row = by_month[m] if m < len(by_month) else {}
            mix = row.get("systemStrategies") or {}
            cells += [pct(row.get("gapClosed")), pct(row.get("gapClosedToDate")),
                      " / ".join(str(mix.get(k, 0)) for k in ("Reminder", "Settlement", "LegalAction")) if mix else "n/a",
                      pct(row.get("agreesWithOracle"))]
        print(f"| {m + 1} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
