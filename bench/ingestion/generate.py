#!/usr/bin/env python3
"""Deterministic portfolio CSV in the schema of loan-recovery.csv, for the Ingestion import benchmark.

    python3 bench/ingestion/generate.py [--rows 1000000] [--seed 20240601] [--out PATH]

The same rows and seed always give the same bytes. Values follow the seed file's ranges and category mix:
Personal loans carry no collateral, Monthly_EMI is the outstanding amount over the tenure, Days_Past_Due is 0
exactly when no payment was missed, and legal action only appears on written-off loans. Identifiers are
BRW_B<n> and LN_B<n>, one borrower per loan, so every row is new and valid.
"""

import argparse
import os
import random
import sys

HEADER = (
    "Borrower_ID,Age,Gender,Employment_Type,Monthly_Income,Num_Dependents,Loan_ID,Loan_Amount,Loan_Tenure,"
    "Interest_Rate,Loan_Type,Collateral_Value,Outstanding_Loan_Amount,Monthly_EMI,Payment_History,"
    "Num_Missed_Payments,Days_Past_Due,Recovery_Status,Collection_Attempts,Collection_Method,Legal_Action_Taken"
)

# Category weights as counted in the 500-row seed file.
GENDERS = (["Male", "Female"], [311, 189])
EMPLOYMENT = (["Salaried", "Self-Employed", "Business Owner"], [292, 155, 53])
LOAN_TYPES = (["Personal", "Home", "Auto", "Business"], [220, 144, 87, 49])
TENURES = ([12, 24, 36, 48, 60, 72], [45, 59, 96, 109, 112, 79])
HISTORIES = (["On-Time", "Delayed", "Missed"], [306, 140, 54])
STATUSES = (["Fully Recovered", "Partially Recovered", "Written Off"], [296, 154, 50])
METHODS = ["Calls", "Settlement Offer", "Legal Notice", "Debt Collectors"]
ATTEMPTS = (list(range(11)), [83, 93, 97, 101, 13, 17, 18, 18, 20, 21, 19])


def cumulative(weights):
    total, out = 0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--out", help="default: .data/bench/ingestion-<rows>.csv under the repository")
    args = parser.parse_args(argv)
    if args.rows < 0:
        parser.error("--rows must not be negative")
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    out = args.out or os.path.join(root, ".data", "bench", f"ingestion-{args.rows}.csv")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    rng = random.Random(args.seed)
    choices = rng.choices
    uniform = rng.uniform
    randint = rng.randint
    tables = {name: (values, cumulative(weights)) for name, (values, weights) in {
        "gender": GENDERS, "employment": EMPLOYMENT, "loan_type": LOAN_TYPES, "tenure": TENURES,
        "history": HISTORIES, "status": STATUSES, "attempts": ATTEMPTS}.items()}

    def pick(name):
        values, cum = tables[name]
        return choices(values, cum_weights=cum)[0]

    tmp = out + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="") as f:
        f.write(HEADER + "\n")
        batch = []
        for n in range(1, args.rows + 1):
            amount = randint(50_000, 2_000_000)
            tenure = pick("tenure")
            loan_type = pick("loan_type")
            collateral = "0" if loan_type == "Personal" else f"{amount * uniform(0.5, 1.5):.3f}"
            outstanding = amount * uniform(0.05, 0.98)
            history = pick("history")
            missed = randint(0, 12) if history == "Missed" else randint(0, 3)
            days_past_due = randint(1, 180) if missed else 0
            status = pick("status")
            legal = "Yes" if status == "Written Off" and rng.random() < 0.48 else "No"
            batch.append(
                f"BRW_B{n},{randint(21, 64)},{pick('gender')},{pick('employment')},{randint(15_000, 250_000)},"
                f"{randint(0, 3)},LN_B{n},{amount},{tenure},{uniform(5, 18):.2f},{loan_type},{collateral},"
                f"{outstanding:.4f},{outstanding / tenure:.2f},{history},{missed},{days_past_due},{status},"
                f"{pick('attempts')},{METHODS[randint(0, 3)]},{legal}\n")
            if len(batch) == 10_000:
                f.write("".join(batch))
                batch.clear()
        f.write("".join(batch))
    os.replace(tmp, out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
