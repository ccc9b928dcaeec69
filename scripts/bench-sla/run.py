"""Runs Q1–Q4 in ispwatch (from its own store, with and without rollups), DuckDB and chDB on the
same data, checks that the answers agree (counts, availability and incidents exactly; ispwatch's
percentiles within the sketch's 1 % of the exact value of the same rank, floor(q·(n−1)); the
peers' own quantile functions reported beside), and prints times and ratios.

Every timing is the median of --repeat runs after one warm-up run, in one process per engine:
ispwatch's runs include opening the store and decoding; the peers' include planning and
executing a query on an open connection (not loading, which load.py did)."""
import argparse
import datetime
import json
import re
import statistics
import subprocess
import sys
import time

import chdb.session
import duckdb
import numpy

import queries

parser = argparse.ArgumentParser()
parser.add_argument("--bin", required=True)
parser.add_argument("--store", required=True)
parser.add_argument("--duckdb", required=True)
parser.add_argument("--chdb", required=True)
parser.add_argument("--from-ms", type=int, required=True)
parser.add_argument("--to-ms", type=int, required=True)
parser.add_argument("--target", required=True)
parser.add_argument("--repeat", type=int, default=5)
parser.add_argument("--out", required=True)
args = parser.parse_args()
LOW, HIGH = args.from_ms, args.to_ms


def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def timed(run, label):
    run()  # warm-up
    times, result = [], None
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    print(f"  {label}: median {statistics.median(times) * 1000:,.1f} ms of {len(times)} runs", file=sys.stderr)
    return statistics.median(times), result


# MARK: - ispwatch

def ispwatch(query_args, rollups):
    # /usr/bin/time measures the peak: the query process's own getrusage would count the memory of
    # this Python process it was forked from (Linux keeps ru_maxrss across exec).
    command = ["/usr/bin/time", "-v", args.bin, "query", args.store, "--from", iso(LOW), "--to", iso(HIGH), "--timezone", "UTC",
               "--format", "json", "--rollups", rollups, "--repeat", str(args.repeat + 1)] + query_args
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"ispwatch failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    runs = [float(m.group(1)) / 1000 for m in re.finditer(r"run \d+/\d+ ([0-9.]+) ms", done.stderr)]
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) // 1024
    how = re.findall(r"\(rollups .*\)", done.stderr)[-1]
    print(f"  ispwatch --rollups {rollups}: median {statistics.median(runs[1:]) * 1000:,.1f} ms, peak {rss} MB",
          file=sys.stderr)
    return {"seconds": statistics.median(runs[1:]), "first_run": runs[0], "rss_mb": rss, "how": how,
            "answer": json.loads(done.stdout)}


# MARK: - peers

duck = duckdb.connect(args.duckdb, read_only=True)
session = chdb.session.Session(args.chdb)


def on_duckdb(sql):
    return lambda: duck.execute(sql).fetchall()


def on_chdb(sql):
    def run():
        text = session.query(sql + " SETTINGS join_use_nulls = 1, output_format_json_quote_64bit_integers = 0",
                             "JSONCompact").bytes()
        return [tuple(row) for row in json.loads(text)["data"]]
    return run


_exact = {}


def exact_quantiles():
    """Exact values at rank floor(q·(n−1)), ispwatch's definition, per target and per (target, UTC
    day) (verification only, untimed): the successful latencies fetched once from DuckDB sorted by
    target, day and latency, then picked in numpy."""
    if _exact:
        return _exact
    duck.execute("CREATE TEMP TABLE target_ids AS SELECT target, row_number() OVER (ORDER BY target) - 1 AS id "
                 "FROM (SELECT DISTINCT target FROM results)")
    names = dict(duck.execute("SELECT id, target FROM target_ids").fetchall())
    data = duck.execute(f"""
        SELECT id, start_ms // 86400000 AS day, latency_us FROM results JOIN target_ids USING (target)
        WHERE success AND start_ms >= {LOW} AND start_ms < {HIGH} ORDER BY id, day, latency_us""").fetchnumpy()
    ids, days, values = (numpy.asarray(data[k]) for k in ("id", "day", "latency_us"))
    del data

    def bounds(change):
        starts = numpy.flatnonzero(numpy.concatenate(([True], change)))
        return starts, numpy.append(starts[1:], len(values))

    by_day, by_target = {}, {}
    starts, ends = bounds((ids[1:] != ids[:-1]) | (days[1:] != days[:-1]))
    for start, end in zip(starts, ends):
        n = end - start
        picks = [values[start + int(numpy.floor(q * (n - 1)))] for q in queries.QUANTILES]
        by_day[(names[int(ids[start])], int(days[start]))] = [int(v) for v in picks]
    starts, ends = bounds(ids[1:] != ids[:-1])
    for start, end in zip(starts, ends):
        n = end - start
        ranks = [int(numpy.floor(q * (n - 1))) for q in queries.QUANTILES]
        part = numpy.partition(values[start:end], ranks)
        by_target[names[int(ids[start])]] = [int(part[r]) for r in ranks]
    _exact["target"], _exact["day"] = by_target, by_day
    return _exact


# MARK: - checks

problems = []
worst = {"exact": 0.0, "duckdb": 0.0, "chdb": 0.0}


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-9)


def check_quantiles(label, mine, exact, duck_q, ch_q):
    for name, value, truth, d, c in zip(("p50", "p95", "p99"), mine, exact, duck_q, ch_q):
        error = relative(value, truth)
        worst["exact"] = max(worst["exact"], error)
        worst["duckdb"] = max(worst["duckdb"], relative(value, d))
        worst["chdb"] = max(worst["chdb"], relative(value, c))
        if error > 0.01 + 1e-9:
            problems.append(f"{label} {name}: ispwatch {value} vs exact {truth} ({error:.3%})")


def check_counts(label, mine, duck_row, ch_row):
    if tuple(mine) != tuple(duck_row) or tuple(mine) != tuple(ch_row):
        problems.append(f"{label}: ispwatch (results, up, down) {mine}, DuckDB {duck_row}, chDB {ch_row}")


def quantiles_of(row):
    return [row["p50_us"], row["p95_us"], row["p99_us"]]


results = {"rows": {}}

# Q1
print("Q1 per-target count, availability, p50/p95/p99 …", file=sys.stderr)
mine = {mode: ispwatch(["--group", "target"], mode) for mode in ("use", "off")}
duck_t, duck_rows = timed(on_duckdb(queries.q1(queries.Dialect("duckdb"), LOW, HIGH)), "DuckDB")
ch_t, ch_rows = timed(on_chdb(queries.q1(queries.Dialect("chdb"), LOW, HIGH)), "chDB")
exact = exact_quantiles()["target"]
ch_by = {r[0]: r for r in ch_rows}
rows = {r["group"]: r for r in mine["use"]["answer"]["rows"]}
if mine["use"]["answer"] != mine["off"]["answer"]:
    problems.append("Q1: ispwatch answers differ with and without rollups")
if len(rows) != len(duck_rows) or len(rows) != len(ch_rows):
    problems.append(f"Q1: {len(rows)} ispwatch rows, {len(duck_rows)} DuckDB, {len(ch_rows)} chDB")
for d in duck_rows:
    target, c = d[0], ch_by.get(d[0])
    r = rows.get(target)
    if r is None or c is None:
        problems.append(f"Q1: {target} missing")
        continue
    check_counts(f"Q1 {target}", (r["results"], r["up_slices"], r["down_slices"]), d[1:4], c[1:4])
    check_quantiles(f"Q1 {target}", quantiles_of(r), exact[target], d[4], c[4])
results["rows"]["Q1"] = {"ispwatch": mine["use"]["seconds"], "ispwatch_raw": mine["off"]["seconds"],
                         "duckdb": duck_t, "chdb": ch_t, "rss": max(m["rss_mb"] for m in mine.values()),
                         "how": mine["use"]["how"], "how_raw": mine["off"]["how"]}

# Q2
print("Q2 per-target per-day availability and p95 …", file=sys.stderr)
mine = {mode: ispwatch(["--group", "target", "--bucket", "day"], mode) for mode in ("use", "off")}
duck_t, duck_rows = timed(on_duckdb(queries.q2(queries.Dialect("duckdb"), LOW, HIGH)), "DuckDB")
ch_t, ch_rows = timed(on_chdb(queries.q2(queries.Dialect("chdb"), LOW, HIGH)), "chDB")
exact = exact_quantiles()["day"]
ch_by = {(r[0], r[1]): r for r in ch_rows}
rows = {(r["group"], r["bucket_start_ms"] // 86400000): r for r in mine["use"]["answer"]["rows"]}
if mine["use"]["answer"] != mine["off"]["answer"]:
    problems.append("Q2: ispwatch answers differ with and without rollups")
if len(rows) != len(duck_rows) or len(rows) != len(ch_rows):
    problems.append(f"Q2: {len(rows)} ispwatch rows, {len(duck_rows)} DuckDB, {len(ch_rows)} chDB")
for d in duck_rows:
    key = (d[0], d[1])
    r, c = rows.get(key), ch_by.get(key)
    if r is None or c is None:
        problems.append(f"Q2: {key} missing")
        continue
    check_counts(f"Q2 {key}", (r["results"], r["up_slices"], r["down_slices"]), d[2:5], c[2:5])
    check_quantiles(f"Q2 {key}", quantiles_of(r), exact[key], d[5], c[5])
results["rows"]["Q2"] = {"ispwatch": mine["use"]["seconds"], "ispwatch_raw": mine["off"]["seconds"],
                         "duckdb": duck_t, "chdb": ch_t, "rss": max(m["rss_mb"] for m in mine.values()),
                         "how": mine["use"]["how"], "how_raw": mine["off"]["how"]}

# Q3
print(f"Q3 one target ({args.target}) over the range …", file=sys.stderr)
mine = {mode: ispwatch(["--target", args.target, "--bucket", "day", "--totals"], mode) for mode in ("use", "off")}
per_day, total = queries.q3(queries.Dialect("duckdb"), LOW, HIGH, args.target)
duck_t, duck_rows = timed(lambda: (on_duckdb(per_day)(), on_duckdb(total)()), "DuckDB")
per_day_ch, total_ch = queries.q3(queries.Dialect("chdb"), LOW, HIGH, args.target)
ch_t, ch_rows = timed(lambda: (on_chdb(per_day_ch)(), on_chdb(total_ch)()), "chDB")
if mine["use"]["answer"] != mine["off"]["answer"]:
    problems.append("Q3: ispwatch answers differ with and without rollups")
answer_rows = mine["use"]["answer"]["rows"]
days = {r["bucket_start_ms"] // 86400000: r for r in answer_rows if r["bucket_start_ms"] is not None}
whole = [r for r in answer_rows if r["bucket_start_ms"] is None][0]
exact_days = {day: value for (target, day), value in exact_quantiles()["day"].items() if target == args.target}
ch_days = {r[1]: r for r in ch_rows[0]}
for d in duck_rows[0]:
    r, c = days.get(d[1]), ch_days.get(d[1])
    if r is None or c is None:
        problems.append(f"Q3: day {d[1]} missing")
        continue
    check_counts(f"Q3 day {d[1]}", (r["results"], r["up_slices"], r["down_slices"]), d[2:5], c[2:5])
    check_quantiles(f"Q3 day {d[1]}", quantiles_of(r), exact_days[d[1]], d[5], c[5])
exact_total = exact_quantiles()["target"][args.target]
check_quantiles("Q3 whole range", quantiles_of(whole), exact_total, duck_rows[1][0][0], ch_rows[1][0][0])
results["rows"]["Q3"] = {"ispwatch": mine["use"]["seconds"], "ispwatch_raw": mine["off"]["seconds"],
                         "duckdb": duck_t, "chdb": ch_t, "rss": max(m["rss_mb"] for m in mine.values()),
                         "how": mine["use"]["how"], "how_raw": mine["off"]["how"]}

# Q4
print("Q4 incidents of all targets …", file=sys.stderr)
mine = {mode: ispwatch(["--incidents"], mode) for mode in ("use", "off")}
duck_t, duck_rows = timed(on_duckdb(queries.q4(queries.Dialect("duckdb"), LOW, HIGH)), "DuckDB")
ch_t, ch_rows = timed(on_chdb(queries.q4(queries.Dialect("chdb"), LOW, HIGH)), "chDB")
if mine["use"]["answer"] != mine["off"]["answer"]:
    problems.append("Q4: ispwatch answers differ with and without rollups")
ours = sorted((i["target"], i["start_ms"], i["end_ms"]) for i in mine["use"]["answer"]["incidents"])
theirs = {name: sorted((r[0], r[1] * 60000, None if r[2] is None else r[2] * 60000) for r in rows)
          for name, rows in (("DuckDB", duck_rows), ("chDB", ch_rows))}
for name, incidents in theirs.items():
    if incidents != ours:
        missing = set(incidents) - set(ours)
        extra = set(ours) - set(incidents)
        problems.append(f"Q4: {name} lists {len(incidents)} incidents, ispwatch {len(ours)}; "
                        f"only {name}: {sorted(missing)[:3]}, only ispwatch: {sorted(extra)[:3]}")
results["rows"]["Q4"] = {"ispwatch": mine["use"]["seconds"], "ispwatch_raw": mine["off"]["seconds"],
                         "duckdb": duck_t, "chdb": ch_t, "rss": max(m["rss_mb"] for m in mine.values()),
                         "how": mine["use"]["how"], "how_raw": mine["off"]["how"], "incidents": len(ours)}

# MARK: - report

results["problems"] = problems
results["worst_quantile_error"] = worst
goals = {"Q1": ("chdb", 2, "≤ ½ chDB"), "Q2": ("duckdb", 3, "≤ ⅓ DuckDB"), "Q3": (None, 0.005, "≤ 5 ms"),
         "Q4": (None, 0.150, "≤ 150 ms")}


def verdict(name, seconds):
    peer, factor, _ = goals[name]
    row = results["rows"][name]
    ok = row[peer] / seconds >= factor if peer else seconds <= factor
    return "reached" if ok else "missed"


def ms(seconds):
    return f"{seconds * 1000:,.1f} ms"


lines = ["| query | ispwatch (rollups) | ispwatch (no rollups) | DuckDB | chDB | DuckDB ÷ ispwatch | chDB ÷ ispwatch | goal | with rollups | without |",
         "|---|---|---|---|---|---|---|---|---|---|"]
for name, row in results["rows"].items():
    lines.append(f"| {name} | {ms(row['ispwatch'])} | {ms(row['ispwatch_raw'])} | {ms(row['duckdb'])} | {ms(row['chdb'])} "
                 f"| {row['duckdb'] / row['ispwatch']:.1f}× (raw {row['duckdb'] / row['ispwatch_raw']:.1f}×) "
                 f"| {row['chdb'] / row['ispwatch']:.1f}× (raw {row['chdb'] / row['ispwatch_raw']:.1f}×) "
                 f"| {goals[name][2]} | {verdict(name, row['ispwatch'])} | {verdict(name, row['ispwatch_raw'])} |")
peak = max(row["rss"] for row in results["rows"].values())
lines.append("")
lines.append(f"ispwatch peak resident memory over every run: {peak} MB (goal ≤ 1,024 MB: {'reached' if peak <= 1024 else 'missed'})")
lines.append(f"incidents: {results['rows']['Q4']['incidents']}; worst percentile error against the exact value of the same rank: "
             f"{worst['exact']:.3%} (against DuckDB quantile_disc {worst['duckdb']:.3%}, chDB quantilesExact {worst['chdb']:.3%})")
for name, row in results["rows"].items():
    lines.append(f"{name}: with rollups {row['how']}; without {row['how_raw']}")
lines.append("agreement: " + ("counts, availability and incidents identical in all three; percentiles within 1 %"
                              if not problems else f"{len(problems)} PROBLEMS"))
lines += problems[:20]
print("\n".join(lines))
results["table"] = lines
with open(args.out, "w") as out:
    json.dump(results, out, indent=1)
sys.exit(1 if problems else 0)
