#!/usr/bin/env python3
"""The results table of bench/engine_bench.sh (Markdown on stdout), from the engine harness's
and the DuckDB peer's outputs, with the targets of issue 4 and whether each is met."""
import argparse
import json
import pathlib
import statistics

# Statistics that count distinct persons: the issue asks ≥ 30× DuckDB for queries with any of
# them, ≥ 5× for the rest.
DISTINCT = {"persons", "persons_start", "persons_end", "persons_started", "activated_persons",
            "population"}


def lines(path, kind):
    with open(path, encoding="utf-8") as text:
        return [line.rstrip("\n").split("\t") for line in text if line.startswith(kind + "\t")]


def nearest_rank(values, share):
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def main():
    parser = argparse.ArgumentParser()
    for flag in ("scale", "machine", "commit", "engine", "times", "duckdb", "engine-runs",
                 "duckdb-runs", "load"):
        parser.add_argument("--" + flag, required=True)
    args = parser.parse_args()

    load = lines(args.engine, "load")[0]
    peak = lines(args.engine, "peak_rss")[0][1]
    engine = {row[1]: row for row in lines(args.engine, "query")}
    duck = {row[1]: row for row in lines(args.duckdb, "query")}
    checks = {row[1]: row for row in lines(args.duckdb, "check")}
    duck_load_line = lines(args.duckdb, "load")[0]
    duck_load = duck_load_line[1]
    duck_where = duck_load_line[3] if len(duck_load_line) > 3 else "in memory"

    times = {}
    with open(args.times, encoding="utf-8") as text:
        for line in text:
            name, ms = line.split("\t")
            times.setdefault(name, []).append(float(ms))

    out = []
    out.append("")
    out.append(f"## {args.scale} — commit {args.commit} — {args.machine}")
    out.append("")
    out.append(f"Engine runs per query: {args.engine_runs} (after one warm-up run); DuckDB runs: "
               f"{args.duckdb_runs}; load average at the end: {args.load}.")
    out.append("")
    out.append("| query | kind | cells | engine median ms | engine p95 ms | DuckDB median ms | "
               "DuckDB ÷ engine | target | same numbers |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    ratio_met = True
    for name in sorted(engine):
        request = json.loads(pathlib.Path("bench/queries", name + ".json").read_text())
        stats = request["statistics"]
        stats = [stats] if isinstance(stats, str) else stats
        distinct = any(s in DISTINCT for s in stats)
        target = 30 if distinct else 5
        e_median, e_p95 = float(engine[name][3]), float(engine[name][4])
        d_median = float(duck[name][3]) if name in duck else None
        ratio = d_median / e_median if d_median else None
        met = ratio is not None and ratio >= target
        ratio_met &= met
        same = checks.get(name, [None, None, "not checked"])[2]
        same = "yes" if same == "same" else f"**no** ({checks[name][3]} cells)" if name in checks \
            else "not checked"
        out.append(f"| {name} | {'distinct persons' if distinct else 'other'} | {engine[name][2]} | "
                   f"{e_median:.1f} | {e_p95:.1f} | "
                   f"{f'{d_median:.0f}' if d_median else 'n/a'} | "
                   f"{f'{ratio:.1f}×' if ratio else 'n/a'} | ≥ {target}× {'met' if met else 'not met'} | "
                   f"{same} |")

    mix = [ms for name, values in times.items() if "long_series" not in name for ms in values]
    long_series = [float(row[3]) for name, row in engine.items() if "long_series" in name]
    mix_median = statistics.median(mix)
    mix_p95 = nearest_rank(mix, 0.95)
    load_ms, rss_after_load = float(load[1]), float(load[2])
    all_same = all(row[2] == "same" for row in checks.values()) and len(checks) == len(engine)
    verdict = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    out.append("")
    out.append("| figure | measured | target (issue 4, on `full`, 2 cores) | |")
    out.append("|---|---|---|---|")
    out.append(f"| engine median over the mix (every timed run, long series excluded) | "
               f"{mix_median:.1f} ms | ≤ 20 ms | {verdict(mix_median <= 20)} |")
    out.append(f"| engine p95 over the mix | {mix_p95:.1f} ms | ≤ 50 ms | {verdict(mix_p95 <= 50)} |")
    if long_series:
        out.append(f"| long series (median) | {long_series[0]:.1f} ms | ≤ 500 ms | "
                   f"{verdict(long_series[0] <= 500)} |")
    out.append(f"| serving memory (peak RSS of the harness) | {float(peak):.0f} MiB | ≤ 6 GiB (6,144 MiB) | "
               f"{verdict(float(peak) <= 6144)} |")
    out.append(f"| ratio to DuckDB on every query | see table | ≥ 30× distinct persons, ≥ 5× other | "
               f"{verdict(ratio_met)} |")
    out.append(f"| same numbers as DuckDB in every cell | {'yes' if all_same else 'no'} | all | "
               f"{verdict(all_same)} |")
    out.append("")
    out.append(f"Engine: release load {load_ms / 1000:.1f} s, RSS after load {rss_after_load:.0f} MiB, "
               f"peak RSS {float(peak):.0f} MiB. DuckDB: loading the source CSV files with versions "
               f"resolved {duck_load} s ({duck_where}).")
    memory = lines(args.engine, "memory")
    if memory:
        out.append("")
        out.append("Where the loaded release's memory goes (the bytes its arrays hold, MB): " +
                   ", ".join(f"{part} {float(mb):.0f}" for _, part, mb in memory) + ".")
    if args.scale != "full":
        out.append("")
        out.append(f"The targets are stated for `full`; this run is `{args.scale}`, so it shows "
                   "where the engine stands, not whether the issue is done.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
