#!/usr/bin/env python3
"""report.py - prints bench.sh's results as Markdown tables.

  report.py main RESULTS PAGES RUNS     the comparison and the targets
  report.py scale RESULTS SIZE...       carepress at each size (pages per language)
  report.py round RESULTS ROUND NAME... one line: each NAME's time in that round

RESULTS holds NAME.rROUND.json (hyperfine --export-json, one per round;
NAME.json also counts), NAME.rss (peak RSS in KiB,
one run a line) and NAME.status (carepress's exit status), as bench.sh
writes them. Only the standard library is used.
"""
import glob
import json
import os
import statistics
import sys

# Targets (docs/performance.md): ratio name, limit, what it means.
TARGETS = [
    ("wall carepress/Hugo", 1 / 5, "carepress at least 5x faster than Hugo (wall)"),
    ("wall carepress/floor", 1.0, "carepress no slower than the floor (wall)"),
    ("peak RSS carepress/Hugo", 1 / 10, "carepress peak memory at most 1/10 of Hugo's"),
    ("wall no-op/full", 0.10, "no-op rebuild at most 10% of the full build"),
    ("wall one-edit/full", 0.10, "one-edit rebuild at most 10% of the full build"),
]


def runs_of(results, name):
    """Every timed run of NAME: NAME.json and the rounds NAME.r1.json, ..."""
    paths = glob.glob(os.path.join(results, name + ".r*.json"))
    paths.sort(key=lambda p: int(p.rsplit(".r", 1)[1].split(".")[0]))
    single = os.path.join(results, name + ".json")
    if os.path.exists(single):
        paths.insert(0, single)
    runs = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            r = json.load(f)["results"][0]
        n = len(r["times"])
        codes = r.get("exit_codes") or [0] * n
        for i, t in enumerate(r["times"]):
            # hyperfine gives user and system time as means over its runs
            runs.append({"wall": t, "cpu": r["user"] + r["system"], "exit": codes[i]})
    if not runs:
        raise SystemExit("report.py: no results for '%s' in %s" % (name, results))
    return runs


def load(results, name):
    runs = runs_of(results, name)
    walls = [r["wall"] for r in runs]
    rss = []
    path = os.path.join(results, name + ".rss")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            rss = [int(line) for line in f if line.strip()]
    return {
        "n": len(runs),
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu": statistics.mean(r["cpu"] for r in runs),
        "rss_mib": max(rss) / 1024 if rss else float("nan"),
        "exit": ",".join(str(c) for c in sorted(set(r["exit"] for r in runs))),
    }


def round_report(results, rnd, names):
    parts = []
    for name in names:
        with open(os.path.join(results, "%s.r%d.json" % (name, rnd)), encoding="utf-8") as f:
            r = json.load(f)["results"][0]
        parts.append("%s %.3f s" % (name, r["times"][0]))
    print("round %d: %s" % (rnd, ", ".join(parts)))


def status(results, name):
    path = os.path.join(results, name + ".status")
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        return int(f.read().strip() or 0)


def main_report(results, pages, runs):
    rows = [
        ("carepress (full build)", "carepress"),
        ("Hugo (full build)", "hugo"),
        ("floor (cmark-gfm loop, 1 thread)", "floor"),
        ("carepress no-op rebuild", "noop"),
        ("carepress one-edit rebuild", "edit"),
    ]
    r = {key: load(results, key) for _, key in rows}
    total = 2 * pages
    print("## %d pages per language (%d pages, %d output pages), median of %d runs"
          % (pages, total, 2 * total, r["carepress"]["n"]))
    print()
    print("| tool | median wall (s) | wall min-max (s) | CPU user+sys (s) | peak RSS (MiB) | exit |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, key in rows:
        x = r[key]
        print("| %s | %.3f | %.3f-%.3f | %.3f | %.1f | %s |"
              % (label, x["median"], x["min"], x["max"], x["cpu"], x["rss_mib"], x["exit"]))
    print()
    ratios = {
        "wall carepress/Hugo": r["carepress"]["median"] / r["hugo"]["median"],
        "wall carepress/floor": r["carepress"]["median"] / r["floor"]["median"],
        "peak RSS carepress/Hugo": r["carepress"]["rss_mib"] / r["hugo"]["rss_mib"],
        "wall no-op/full": r["noop"]["median"] / r["carepress"]["median"],
        "wall one-edit/full": r["edit"]["median"] / r["carepress"]["median"],
    }
    print("| ratio | value | target | result |")
    print("| --- | ---: | ---: | --- |")
    passed = 0
    for name, limit, meaning in TARGETS:
        v = ratios[name]
        ok = v <= limit
        passed += ok
        extra = ""
        if name.startswith("wall carepress/Hugo"):
            extra = " (%.1fx faster)" % (1 / v) if v > 0 else ""
        print("| %s | %.3f%s | <= %.3f | %s: %s |"
              % (name, v, extra, limit, "PASS" if ok else "FAIL", meaning))
    print()
    print("targets met: %d of %d" % (passed, len(TARGETS)))
    st = status(results, "carepress")
    if st != 0:
        summary = ""
        path = os.path.join(results, "carepress.summary")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                summary = f.read().strip()
        print()
        print("NOTE: carepress exited %d on this corpus (%s). Its builds ran every stage"
              " but wrote nothing, so its numbers, and the no-op and one-edit ones"
              " (which had no previous output), are not those of a clean build."
              % (st, summary or "content errors"))


def scale_report(results, sizes):
    print("## carepress scale (full build from empty)")
    print()
    print("| pages/lang | pages | median wall (s) | CPU (s) | peak RSS (MiB) | wall/page (ms) "
          "| CPU/page (ms) | marginal wall/page (ms) | RSS/page (KiB) | marginal RSS/page (KiB) | exit |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    prev = None
    notes = []
    for n in sizes:
        x = load(results, "scale-%d" % n)
        pages = 2 * n
        per_wall = x["median"] / pages * 1000
        per_rss = x["rss_mib"] * 1024 / pages
        m_wall = m_rss = "-"
        if prev:
            m_wall = "%.3f" % ((x["median"] - prev[1]) / (pages - prev[0]) * 1000)
            m_rss = "%.1f" % ((x["rss_mib"] - prev[2]) * 1024 / (pages - prev[0]))
        print("| %d | %d | %.3f | %.3f | %.1f | %.3f | %.3f | %s | %.1f | %s | %s |"
              % (n, pages, x["median"], x["cpu"], x["rss_mib"], per_wall,
                 x["cpu"] / pages * 1000, m_wall, per_rss, m_rss, x["exit"]))
        prev = (pages, x["median"], x["rss_mib"])
        if status(results, "scale-%d" % n) != 0:
            notes.append(n)
    first = load(results, "scale-%d" % sizes[0])
    last = load(results, "scale-%d" % sizes[-1])
    k = sizes[-1] / sizes[0]
    print()
    print("from %d to %d pages per language (%.0fx): wall time %.2fx, CPU time %.2fx,"
          " peak RSS %.2fx" % (sizes[0], sizes[-1], k, last["median"] / first["median"],
                               last["cpu"] / first["cpu"], last["rss_mib"] / first["rss_mib"]))
    print("cost per page at %d vs %d pages per language (1.00 = linear): wall %.2f, CPU %.2f"
          % (sizes[-1], sizes[0], last["median"] / first["median"] / k,
             last["cpu"] / first["cpu"] / k))
    if notes:
        print("NOTE: carepress exited with content errors at %s pages per language"
              " (it ran every stage but wrote nothing)" % ", ".join(map(str, notes)))


def main(argv):
    if len(argv) >= 5 and argv[1] == "main":
        main_report(argv[2], int(argv[3]), int(argv[4]))
    elif len(argv) >= 5 and argv[1] == "round":
        round_report(argv[2], int(argv[3]), argv[4:])
    elif len(argv) >= 4 and argv[1] == "scale":
        scale_report(argv[2], [int(a) for a in argv[3:]])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
