#!/usr/bin/env python3
"""Turns the JSON files of bench/ml/run.sh into the markdown tables of bench/README.md."""
import argparse
import json
import os
import platform
import subprocess


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def read(d, name):
    p = os.path.join(d, name)
    return open(p).read().strip() if os.path.exists(p) else "?"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001 - machine facts are best effort
        return "?"


def f(v, fmt="{:.4f}"):
    return "—" if v is None else fmt.format(v)


def mark(ok):
    return "—" if ok is None else ("yes" if ok else "**no**")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--trees", type=int, default=300)
    ap.add_argument("--depth", type=int, default=6)
    a = ap.parse_args()
    d = a.dir
    lines = []
    peers_any = load(d, "credit-peers-t1.json") or load(d, "sim-peers-t1.json") or load(d, "seed-peers-t1.json") or {}
    v = peers_any.get("versions", {})
    cpu = sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1")
    mem = sh("free -g | awk '/Mem:/{print $2}'")
    loadavg = sh("cut -d' ' -f1-3 /proc/loadavg")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rev = sh(f"git -C '{repo}' rev-parse --short HEAD")
    dirty = sh(f"git -C '{repo}' status --porcelain -- services/LoanRecovery.Ml services/Cli")
    lines += [
        "### Machine",
        "",
        f"- CPU: {cpu}, {sh('nproc')} cores",
        f"- Memory: {mem} GiB",
        f"- Load average (1/5/15 min) at the start of the run: {read(d, 'load-start.txt')}, at the end: {read(d, 'load-end.txt') or loadavg}"
        " — the machine is shared with other work; every timing below is disturbed by it to some degree",
        f"- OS: {sh('. /etc/os-release; echo $PRETTY_NAME')}, kernel {platform.release()}",
        f"- .NET SDK {sh('dotnet --version')}; Python {platform.python_version()}, XGBoost {v.get('xgboost', '?')}, "
        f"scikit-learn {v.get('sklearn', '?')}, NumPy {v.get('numpy', '?')}, pandas {v.get('pandas', '?')}",
        f"- Code: commit {rev}" + (" plus uncommitted changes in services/LoanRecovery.Ml or services/Cli" if dirty else ""),
        f"- Settings: {a.trees} trees, depth {a.depth}, learning rate 0.1, L2 1, min child weight 1, 255/256 bins; "
        "no early stopping, no calibration (`--calibration none`) so that AUCs compare like for like; "
        "timings single-process, threads as stated (`OMP_NUM_THREADS`, `nthread`, `n_jobs`, `--threads`).",
        "",
    ]
    names = {"seed": "(a) seed file, honest features", "credit": "(b) synthetic credit",
             "sim": "(c) simulator portfolio, origination features"}
    for s in ("seed", "credit", "sim"):
        o1, o2 = load(d, f"{s}-ours-gbdt-t1.json"), load(d, f"{s}-ours-gbdt-t2.json")
        p1, p2 = load(d, f"{s}-peers-t1.json"), load(d, f"{s}-peers-t2.json")
        f1, f2 = load(d, f"{s}-ours-forest-t1.json"), load(d, f"{s}-ours-forest-t2.json")
        if not (o1 and p1):
            continue
        x1, x2 = p1["xgboost"], (p2 or {}).get("xgboost", {})
        h1, h2 = p1["sklearnHgb"], (p2 or {}).get("sklearnHgb", {})
        r1, r2 = p1.get("sklearnForest", {}), (p2 or {}).get("sklearnForest", {})
        big = s != "seed"
        lines += [f"### {names[s]}: {o1['trainRows']} train + {o1['holdoutRows']} test rows, {o1['features']} features", "",
                  "| figure | ours (GBDT) | XGBoost hist | sklearn HGB | target | met |", "|---|---:|---:|---:|---|---|"]
        lines.append(f"| test AUC | {f(o1['auc'])} | {f(x1['auc'])} | {f(h1['auc'])} | ≥ XGBoost − 0.005 | "
                     f"{mark(o1['auc'] >= x1['auc'] - 0.005) if big else '—'} |")
        lines.append(f"| fit s, 1 thread | {f(o1['fitSeconds'], '{:.2f}')} | {f(x1['fitSeconds'], '{:.2f}')} | {f(h1['fitSeconds'], '{:.2f}')} | "
                     f"≤ 1.0 × XGBoost | {mark(o1['fitSeconds'] <= x1['fitSeconds']) if big else '—'} |")
        lines.append(f"| fit s, 2 threads | {f((o2 or {}).get('fitSeconds'), '{:.2f}')} | {f(x2.get('fitSeconds'), '{:.2f}')} | "
                     f"{f(h2.get('fitSeconds'), '{:.2f}')} | | |")
        lines.append(f"| scoring µs/row | {f(o1['predictMicrosPerRow'], '{:.2f}')} | {f(x1['predictMicrosPerRow'], '{:.2f}')} | "
                     f"{f(h1['predictMicrosPerRow'], '{:.2f}')} | ≤ 5 | {mark(o1['predictMicrosPerRow'] <= 5)} |")
        lines.append(f"| TreeSHAP µs/row | {f(o1['shapMicrosPerRow'], '{:.1f}')} | {f(x1['shapMicrosPerRow'], '{:.1f}')} (pred_contribs) | — | "
                     f"≤ 200 | {mark(o1['shapMicrosPerRow'] <= 200)} |")
        lines.append("")
        if f1 and r1:
            lines += ["| figure | ours (forest) | sklearn RandomForest | target | met |", "|---|---:|---:|---|---|"]
            lines.append(f"| test AUC | {f(f1['auc'])} | {f(r1.get('auc'))} | ≥ sklearn − 0.005 | {mark(f1['auc'] >= r1['auc'] - 0.005)} |")
            lines.append(f"| fit s, 1 thread | {f(f1['fitSeconds'], '{:.2f}')} | {f(r1.get('fitSeconds'), '{:.2f}')} | | |")
            lines.append(f"| fit s, 2 threads | {f((f2 or {}).get('fitSeconds'), '{:.2f}')} | {f(r2.get('fitSeconds'), '{:.2f}')} | | |")
            lines.append(f"| scoring µs/row | {f(f1['predictMicrosPerRow'], '{:.2f}')} | {f(r1.get('predictMicrosPerRow'), '{:.2f}')} | | |")
            lines.append("")
    gate = load(d, "seed-gate.json")
    if gate:
        lines += ["### Quality gate on the seed file (product defaults: 30% stratified holdout, isotonic calibration)", "",
                  f"usable = {str(gate['usable']).lower()}: \"{gate['verdict']}\"", ""]
    km = []
    for k in (4, 8):
        for t in (1, 2):
            runs = [r for r in (load(d, f"kmeans-k{k}-ours-t{t}-r{i}.json") for i in (1, 2, 3)) if r]
            o = min(runs, key=lambda r: r["fitSeconds"]) if runs else load(d, f"kmeans-k{k}-ours-t{t}.json")
            p = load(d, f"kmeans-k{k}-peers-t{t}.json")
            if o and p:
                diff = (o["inertia"] - p["inertia"]) / p["inertia"] * 100
                km.append(f"| {k} | {t} | {o['rows']} | {o['inertia']:.1f} | {p['inertia']:.1f} | {diff:+.3f}% | "
                          f"{o['fitSeconds']:.2f} | {p['fitSeconds']:.2f} | {mark(abs(diff) <= 1 and o['fitSeconds'] <= p['fitSeconds'])} |")
    if km:
        lines += ["### k-means (credit training rows, 7 numeric columns z-scored, 10 k-means++ starts, seed 42; best of 3 timings each side)", "",
                  "| k | threads | rows | inertia ours | inertia sklearn | difference | s ours | s sklearn | within 1% and no slower |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---|"] + km + [""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
