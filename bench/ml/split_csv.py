#!/usr/bin/env python3
"""Stratified, seeded train/test split of a CSV so that our side and the peers see the same rows.

usage: split_csv.py --data FILE.csv --label COLUMN --positive "A,B" --test-fraction 0.3 --seed 42 --out-dir DIR --name NAME
writes DIR/NAME-train.csv and DIR/NAME-test.csv with the file's columns unchanged.
"""
import argparse
import os

import numpy as np
import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--positive", required=True, help="comma-separated label values that mean 1")
    ap.add_argument("--test-fraction", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--name", required=True)
    a = ap.parse_args()
    df = pd.read_csv(a.data, dtype=str, keep_default_na=False)
    y = df[a.label].isin([v.strip() for v in a.positive.split(",")]).to_numpy()
    rng = np.random.default_rng(a.seed)
    test = np.zeros(len(df), dtype=bool)
    for cls in (True, False):
        idx = np.flatnonzero(y == cls)
        rng.shuffle(idx)
        test[idx[: int(round(len(idx) * a.test_fraction))]] = True
    os.makedirs(a.out_dir, exist_ok=True)
    df[~test].to_csv(os.path.join(a.out_dir, f"{a.name}-train.csv"), index=False)
    df[test].to_csv(os.path.join(a.out_dir, f"{a.name}-test.csv"), index=False)
    print(f"{a.name}: {(~test).sum()} train + {test.sum()} test rows, positive rate {y.mean():.3f}")


if __name__ == "__main__":
    main()
