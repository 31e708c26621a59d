#!/usr/bin/env python3
"""Profile a generated data set: full-time persons per benefit and year (scaled to the whole
country), persons on each benefit in each month's stock, and the share of 16-66-year-olds.
Independent of the C++ code: reads only the CSV files of the data contract.

usage: synth_profile.py SOURCES_DIR [--scale-factor F] [--json OUT]
"""
import argparse, csv, datetime as dt, json, os, sys
from collections import defaultdict

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sources")
    ap.add_argument("--scale-factor", type=float, default=1.0,
                    help="multiply counts by this (10 for medium, a 10%% sample)")
    ap.add_argument("--json")
    args = ap.parse_args()
    months = sorted(m for m in os.listdir(args.sources) if len(m) == 7 and m[4] == "-")
    latest = {}
    for month in months:
        with open(os.path.join(args.sources, month, "benefits.csv"), encoding="utf-8") as f:
            rows = csv.reader(f, delimiter=";")
            next(rows)
            for r in rows:
                if r[9] == "D":
                    latest.pop(r[0], None)
                else:
                    latest[r[0]] = (r[2], r[4], r[5], float(r[6]))
    last = months[-1]
    y, m = int(last[:4]), int(last[5:])
    cutoff = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
    first = dt.date(int(months[0][:4]), int(months[0][5:]), 1)
    fte = defaultdict(float)
    for code, f, t, degree in latest.values():
        start = dt.date.fromisoformat(f)
        end = dt.date.fromisoformat(t) if t else cutoff
        start = max(start, first)
        end = min(end, cutoff)
        year = start.year
        while start <= end:
            year_end = min(end, dt.date(year, 12, 31))
            fte[(code, year)] += ((year_end - start).days + 1) * degree
            year += 1
            start = dt.date(year, 1, 1)
    years = sorted({k[1] for k in fte})
    codes = ["ADP","KTH","UDH","INT","SHO","SDP","JAF","RES","FRV","REV","LED","FLX","FTP","EFT","BAR"]
    table = {}
    print("full-time persons (thousands, scaled) by benefit and year")
    print("code " + " ".join(f"{y:>6}" for y in years))
    for code in codes:
        cells = []
        for year in years:
            days = ((min(cutoff, dt.date(year, 12, 31)) - max(first, dt.date(year, 1, 1))).days + 1)
            value = fte[(code, year)] / days * args.scale_factor / 1000
            table.setdefault(code, {})[year] = round(value, 2)
            cells.append(f"{value:6.1f}")
        print(f"{code:<4} " + " ".join(cells))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(table, f, indent=1)

if __name__ == "__main__":
    sys.exit(main())
