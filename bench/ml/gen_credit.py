#!/usr/bin/env python3
"""Deterministic synthetic credit data for the model benchmarks.

Rows carry a non-linear, interacting default signal, categorical columns and missing values, so that
tree ensembles have something real to find. The same seed always yields the same files.

usage: gen_credit.py --rows 150000 --seed 7 --out-dir DIR [--test-fraction 0.3]
writes DIR/credit-train.csv and DIR/credit-test.csv (label column "defaulted", 1 = default).
"""
import argparse
import os

import numpy as np
import pandas as pd


def generate(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = rows
    age = rng.integers(21, 71, n)
    employment = rng.choice(["Salaried", "Self-Employed", "Contract", "Retired", "Unemployed"], n,
                            p=[0.55, 0.18, 0.12, 0.10, 0.05])
    income = np.round(np.exp(rng.normal(10.8, 0.55, n)) * np.where(employment == "Unemployed", 0.3, 1.0), 0)
    loan_type = rng.choice(["Home", "Auto", "Personal", "Business", "Education"], n, p=[0.3, 0.25, 0.25, 0.1, 0.1])
    base_amount = {"Home": 250000, "Auto": 30000, "Personal": 12000, "Business": 80000, "Education": 25000}
    amount = np.round(np.array([base_amount[t] for t in loan_type]) * np.exp(rng.normal(0, 0.5, n)), 0)
    tenure = rng.choice([12, 24, 36, 48, 60, 84, 120, 240], n)
    rate = np.round(rng.uniform(4, 24, n), 2)
    monthly_rate = rate / 1200
    emi = amount * monthly_rate / (1 - (1 + monthly_rate) ** (-tenure))
    collateral = np.where(np.isin(loan_type, ["Home", "Auto", "Business"]),
                          amount * rng.uniform(0.6, 1.6, n), np.nan)
    dependents = rng.poisson(1.2, n)
    missed = rng.poisson(0.4 + 2.0 * (rate > 18) * rng.uniform(0, 1, n), n)
    dpd = np.where(missed > 0, missed * 30 - rng.integers(0, 30, n), 0)
    history = np.where(missed == 0, "On-Time", np.where(missed < 3, "Delayed", "Missed"))
    utilisation = rng.beta(2, 3, n)

    dti = emi / np.maximum(income / 12, 1)
    ltv = amount / collateral
    z = (-2.2
         + 2.2 * np.tanh(3 * (dti - 0.45))                     # saturating affordability effect
         + 0.45 * np.minimum(missed, 4)                        # capped delinquency effect
         + 0.9 * ((age < 26) | (age > 64))                     # U-shaped age
         + 1.1 * (employment == "Unemployed") + 0.5 * (employment == "Contract")
         + 0.8 * ((employment == "Self-Employed") & (rate > 15))  # interaction
         + np.where(np.isnan(ltv), 0.3, 1.2 * (ltv > 1.1))     # under-collateralised
         + 1.5 * (utilisation - 0.4) ** 2 * 4                  # quadratic
         - 0.25 * np.log1p(dependents) * (employment == "Salaried"))
    p = 1 / (1 + np.exp(-z))
    defaulted = (rng.uniform(0, 1, n) < p).astype(int)

    # Missing at random in income (self-reported) and utilisation; collateral missing by design.
    income_obs = np.where(rng.uniform(0, 1, n) < 0.08, np.nan, income)
    util_obs = np.where(rng.uniform(0, 1, n) < 0.12, np.nan, np.round(utilisation, 4))

    return pd.DataFrame({
        "Age": age, "Employment_Type": employment, "Monthly_Income": income_obs,
        "Num_Dependents": dependents, "Loan_Type": loan_type, "Loan_Amount": amount,
        "Loan_Tenure": tenure, "Interest_Rate": rate, "Monthly_EMI": np.round(emi, 2),
        "Collateral_Value": np.round(collateral, 2), "Num_Missed_Payments": missed, "Days_Past_Due": dpd,
        "Payment_History": history, "Credit_Utilisation": util_obs, "defaulted": defaulted,
    })


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=150000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--test-fraction", type=float, default=0.3)
    ap.add_argument("--out-dir", required=True)
    a = ap.parse_args()
    df = generate(a.rows, a.seed)
    cut = int(round(len(df) * (1 - a.test_fraction)))
    os.makedirs(a.out_dir, exist_ok=True)
    df.iloc[:cut].to_csv(os.path.join(a.out_dir, "credit-train.csv"), index=False)
    df.iloc[cut:].to_csv(os.path.join(a.out_dir, "credit-test.csv"), index=False)
    print(f"credit: {cut} train + {len(df) - cut} test rows, default rate {df.defaulted.mean():.3f}")


if __name__ == "__main__":
    main()
