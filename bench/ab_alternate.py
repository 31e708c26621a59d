#!/usr/bin/env python3
"""Turns bench/engine_bench.cpp of a scratch work tree into an in-process A/B measurement.

This machine drifts by up to 1.6x between processes, more than most single changes gain.
The patched engine_bench alternates a global `jobindsigt::engine::jb_variant` run by run
(0 on even runs, 1 on odd runs; the warm-up run and its answer use 1), checks every cell of
every run against the warm-up answer, and prints one line per query:

    ab <TAB> query <TAB> median of variant 0 <TAB> median of variant 1 <TAB> ratio 1 / 0

The code under test defines `int jb_variant = 1;` in namespace jobindsigt::engine and reads
it to choose the old (0) or new (1) way. Neither the patch nor that switch is committed: use
a scratch work tree (git worktree add --detach ../ab-wt), never main.

    python3 bench/ab_alternate.py ../ab-wt
    ninja -C ../ab-wt/build/bench bench/engine_bench
    ../ab-wt/build/bench/bench/engine_bench --store STORE --catalog catalog \
        --queries bench/queries --out /tmp/ab --runs 60 | grep ^ab
"""
import sys

path = sys.argv[1] + '/bench/engine_bench.cpp'
text = open(path).read()
timed_loop = """    std::vector<double> times;
    for (int run = 0; run < options.runs; ++run) {
      const auto start = std::chrono::steady_clock::now();
      const Cube timed = engine->Run(query);
      times.push_back(Milliseconds(start));
      times_file << name << '\\t' << fmt::format("{:.3f}", times.back()) << '\\n';
      if (timed.CellCount() != cube.CellCount()) throw std::logic_error("answer changed");
    }"""
alternating_loop = """    std::vector<double> times;
    std::vector<double> variant_times[2];
    for (int run = 0; run < options.runs; ++run) {
      jobindsigt::engine::jb_variant = run % 2;
      const auto start = std::chrono::steady_clock::now();
      const Cube timed = engine->Run(query);
      times.push_back(Milliseconds(start));
      variant_times[run % 2].push_back(times.back());
      times_file << name << '\\t' << fmt::format("{:.3f}", times.back()) << '\\n';
      if (timed.CellCount() != cube.CellCount()) throw std::logic_error("answer changed");
      for (size_t cell = 0; cell < cube.CellCount(); ++cell) {
        const double a = cube.values[cell];
        const double b = timed.values[cell];
        if (!(a == b || (std::isnan(a) && std::isnan(b))) ||
            cube.statuses[cell] != timed.statuses[cell])
          throw std::logic_error(
              fmt::format("answer changed in variant {} at cell {}", run % 2, cell));
      }
    }
    jobindsigt::engine::jb_variant = 1;
    for (auto& each : variant_times) std::sort(each.begin(), each.end());
    fmt::print("ab\\t{}\\t{:.2f}\\t{:.2f}\\t{:.3f}\\n", name, Median(variant_times[0]),
               Median(variant_times[1]), Median(variant_times[1]) / Median(variant_times[0]));"""
if timed_loop not in text:
    sys.exit('ab_alternate: the timed loop of bench/engine_bench.cpp is not the one expected')
text = text.replace(timed_loop, alternating_loop, 1)
text = text.replace('namespace {', 'namespace jobindsigt::engine {\nextern int jb_variant;\n}\nnamespace {', 1)
open(path, 'w').write(text)
