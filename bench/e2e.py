#!/usr/bin/env python3
"""End to end, as a user runs it: the wall time of fresh `clientele report customers --db FILE` processes
(start-up, opening the database, loading the snapshot, the report, printing). One untimed run first (it writes
the snapshot cache beside the database if it is not there yet), then RUNS timed runs; prints JSON with the
median, the minimum and every time."""

import argparse
import json
import statistics
import subprocess
import time

ap = argparse.ArgumentParser(description=__doc__)
ap.add_argument("--bin", required=True)
ap.add_argument("--db", required=True)
ap.add_argument("--as-of", default="2025-11-20")
ap.add_argument("--runs", type=int, default=7)
ap.add_argument("--out", required=True)
args = ap.parse_args()

command = [args.bin, "report", "customers", "--db", args.db, "--as-of", args.as_of]
subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
times = []
for _ in range(args.runs):
    t = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
result = {"command": " ".join(["clientele"] + command[1:]), "median": statistics.median(times), "min": min(times),
          "times": times}
json.dump(result, open(args.out, "w"), indent=1)
print(f"fresh `clientele report customers`: median {result['median']:.3f} s, min {result['min']:.3f} s over {args.runs} runs")
