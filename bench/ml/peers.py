#!/usr/bin/env python3
"""Peer figures for the model benchmarks: XGBoost (hist), scikit-learn HistGradientBoosting,
RandomForest and KMeans, with the same settings as our side, printed as one JSON object.

usage:
  peers.py trees --train T.csv --test S.csv --label L [--positive "A,B"] [--exclude a,b]
                 --trees 300 --depth 6 --learning-rate 0.1 --forest-trees 300 --threads 1
  peers.py kmeans --data D.csv --columns a,b,c --k 4 --restarts 10 --seed 42 --threads 1

Threads: set OMP_NUM_THREADS to the same number before starting Python (run.sh does); XGBoost also gets
nthread and RandomForest n_jobs. Categorical text columns are native categories for XGBoost and
HistGradientBoosting; RandomForest (scikit-learn 1.2 has no missing-value support in forests) gets
ordinal codes with missing values as -1.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import sklearn
import xgboost as xgb
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler


def load(path, label, positive, exclude, categories=None):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw_y = df[label]
    if positive:
        y = raw_y.isin([v.strip() for v in positive.split(",")]).astype(int).to_numpy()
    else:
        y = raw_y.astype(float).astype(int).to_numpy()
    X = df.drop(columns=[label] + [c for c in exclude if c in df.columns])
    out = pd.DataFrame(index=X.index)
    cats = {} if categories is None else categories
    for c in X.columns:
        col = X[c].replace("", np.nan)
        if categories is None:
            num = pd.to_numeric(col, errors="coerce")
            if num.notna().sum() == col.notna().sum():
                out[c] = num.astype(float)
                continue
            cats[c] = sorted(col.dropna().unique())
        if c in cats:
            out[c] = pd.Categorical(col, categories=cats[c])
        else:
            out[c] = pd.to_numeric(col, errors="coerce").astype(float)
    return out, y, cats


def per_row_micros(fn, rows, repeat=3, setup=None):
    """Best of `repeat` timed calls of fn(arg) per row; setup() makes a fresh argument outside the timer."""
    best = float("inf")
    for _ in range(repeat):
        arg = setup() if setup else None
        t = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - t)
    return best / rows * 1e6


def trees(a):
    exclude = [c.strip() for c in a.exclude.split(",") if c.strip()] if a.exclude else []
    Xtr, ytr, cats = load(a.train, a.label, a.positive, exclude)
    Xte, yte, _ = load(a.test, a.label, a.positive, exclude, cats)
    cat_cols = list(cats)
    res = {"rows": int(len(Xtr) + len(Xte)), "trainRows": int(len(Xtr)), "testRows": int(len(Xte)),
           "features": int(Xtr.shape[1]), "threads": a.threads,
           "versions": {"xgboost": xgb.__version__, "sklearn": sklearn.__version__,
                        "numpy": np.__version__, "pandas": pd.__version__}}

    # XGBoost, hist, native categories, no early stopping.
    dtr = xgb.DMatrix(Xtr, label=ytr, enable_categorical=True, nthread=a.threads)
    dte = xgb.DMatrix(Xte, label=yte, enable_categorical=True, nthread=a.threads)
    params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": a.depth, "eta": a.learning_rate,
              "lambda": 1.0, "min_child_weight": 1.0, "max_bin": 256, "nthread": a.threads, "seed": a.seed,
              "max_cat_to_onehot": 1}
    t = time.perf_counter()
    booster = xgb.train(params, dtr, num_boost_round=a.trees)
    fit = time.perf_counter() - t
    p = booster.predict(dte)

    shap_rows = min(a.shap_rows, len(Xte))

    def fresh():
        return xgb.DMatrix(Xte, enable_categorical=True, nthread=a.threads)

    res["xgboost"] = {
        "auc": roc_auc_score(yte, p), "fitSeconds": fit,
        # A fresh DMatrix per timing: XGBoost caches the predictions of a DMatrix it has seen.
        "predictMicrosPerRow": per_row_micros(lambda d: booster.predict(d), len(Xte), setup=fresh),
        "shapMicrosPerRow": per_row_micros(lambda d: booster.predict(d, pred_contribs=True), shap_rows, repeat=1,
                                           setup=lambda: xgb.DMatrix(Xte.iloc[:shap_rows], enable_categorical=True, nthread=a.threads)),
    }

    # scikit-learn HistGradientBoosting, depth-wise equivalent (no leaf cap), no early stopping.
    Xtr_h = Xtr.copy()
    Xte_h = Xte.copy()
    for c in cat_cols:
        Xtr_h[c] = Xtr_h[c].cat.codes.replace(-1, np.nan).astype(float)
        Xte_h[c] = Xte_h[c].cat.codes.replace(-1, np.nan).astype(float)
    mask = [c in cats for c in Xtr.columns]
    hgb = HistGradientBoostingClassifier(max_iter=a.trees, max_depth=a.depth, learning_rate=a.learning_rate,
                                         max_leaf_nodes=None, l2_regularization=1.0, max_bins=255,
                                         categorical_features=mask if any(mask) else None,
                                         early_stopping=False, random_state=a.seed)
    t = time.perf_counter()
    hgb.fit(Xtr_h, ytr)
    fit = time.perf_counter() - t
    p = hgb.predict_proba(Xte_h)[:, 1]
    res["sklearnHgb"] = {"auc": roc_auc_score(yte, p), "fitSeconds": fit,
                         "predictMicrosPerRow": per_row_micros(lambda _: hgb.predict_proba(Xte_h), len(Xte))}

    if a.skip_forest:
        print(json.dumps(res))
        return
    # scikit-learn RandomForest (Gini, bootstrap, sqrt features).
    Xtr_f = Xtr_h.fillna(-1.0)
    Xte_f = Xte_h.fillna(-1.0)
    rf = RandomForestClassifier(n_estimators=a.forest_trees, max_depth=a.forest_depth, max_features="sqrt",
                                bootstrap=True, n_jobs=a.threads, random_state=a.seed)
    t = time.perf_counter()
    rf.fit(Xtr_f, ytr)
    fit = time.perf_counter() - t
    p = rf.predict_proba(Xte_f)[:, 1]
    res["sklearnForest"] = {"auc": roc_auc_score(yte, p), "fitSeconds": fit,
                            "predictMicrosPerRow": per_row_micros(lambda _: rf.predict_proba(Xte_f), len(Xte), repeat=1)}
    print(json.dumps(res))


def kmeans(a):
    df = pd.read_csv(a.data)
    cols = [c.strip() for c in a.columns.split(",")]
    X = df[cols].dropna().to_numpy(dtype=float)
    Z = StandardScaler().fit_transform(X)
    fit = float("inf")
    for _ in range(a.repeat):  # best of `repeat` identical fits: the machine is shared, the minimum is the least disturbed
        km = KMeans(n_clusters=a.k, n_init=a.restarts, init="k-means++", max_iter=300, tol=1e-4,
                    algorithm="lloyd", random_state=a.seed)
        t = time.perf_counter()
        km.fit(Z)
        fit = min(fit, time.perf_counter() - t)
    print(json.dumps({"rows": int(len(Z)), "k": a.k, "inertia": float(km.inertia_), "fitSeconds": fit,
                      "iterations": int(km.n_iter_), "sklearn": sklearn.__version__}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("trees")
    t.add_argument("--train", required=True)
    t.add_argument("--test", required=True)
    t.add_argument("--label", required=True)
    t.add_argument("--positive", default="")
    t.add_argument("--exclude", default="")
    t.add_argument("--trees", type=int, default=300)
    t.add_argument("--depth", type=int, default=6)
    t.add_argument("--learning-rate", type=float, default=0.1)
    t.add_argument("--forest-trees", type=int, default=300)
    t.add_argument("--forest-depth", type=int, default=None)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--skip-forest", action="store_true")
    t.add_argument("--shap-rows", type=int, default=2000, help="rows timed for pred_contribs (it is slow)")
    k = sub.add_parser("kmeans")
    k.add_argument("--data", required=True)
    k.add_argument("--columns", required=True)
    k.add_argument("--k", type=int, default=4)
    k.add_argument("--restarts", type=int, default=10)
    k.add_argument("--seed", type=int, default=42)
    k.add_argument("--threads", type=int, default=1)
    k.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    trees(a) if a.cmd == "trees" else kmeans(a)


if __name__ == "__main__":
    main()
