#!/usr/bin/env python3
"""Turns the per-size JSON of bench/run (clientele-N.json, duckdb-N.json, e2e-N.json in the work directory) into
the side-by-side table (printed), bench/RESULTS.md, bench/results.json and bench/chart.svg."""

import argparse
import datetime as dt
import json
import math
import os
import platform
import subprocess

REPORTS = ["customers", "lifecycle", "groups", "retention", "cohorts", "rfm", "together", "cycles",
           "predictive fit", "predictions"]
# (row label, Clientele's step, DuckDB's step)
ROWS = ([("import (CSV → store) / load (CSV → table)", "import", "load"),
         ("snapshot build / prepare (orders, items)", "snapshot build", "prepare"),
         ("snapshot load (cached, a report process)", "snapshot load", None)]
        + [(r, r, r) for r in REPORTS]
        + [("all reports, one after the other", "all reports", "all reports"),
           ("all reports, 2 parallel lanes", "all reports (2 lanes)", "all reports")])


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.1f GiB\", $2/1048576}'")
    return {"uname": platform.uname()._asdict() and sh("uname -a"), "nproc": sh("nproc"), "cpu": cpu, "memory": mem,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average": sh("cut -d' ' -f1-3 /proc/loadavg")}


def step(doc, name):
    if doc is None or name is None:
        return None
    for s in doc["steps"]:
        if s["step"] == name:
            return s
    return None


def fmt_s(x):
    if x is None:
        return "–"
    if x >= 10:
        return f"{x:.1f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 0.01:
        return f"{x * 1000:.0f} ms"
    return f"{x * 1000:.2f} ms"


def fmt_mb(b):
    return "–" if b is None else f"{b / 2**20:,.0f} MB"


def slope(xs, ys):
    """Least-squares slope of log y against log x."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


def table(size, c, d, e):
    header = ["step", "Clientele", "DuckDB", "ratio", "Clientele CPU", "DuckDB CPU", "CPU ratio",
              "Clientele peak", "DuckDB peak"]
    out = []
    for label, cn, dn in ROWS:
        cs, ds = step(c, cn), step(d, dn)
        ct = cs["seconds"] if cs else None
        dtm = ds["seconds"] if ds else None
        cc = cs.get("cpu_seconds") if cs else None
        dc = ds.get("cpu_seconds") if ds else None
        ratio = f"{dtm / ct:.1f}×" if ct and dtm else "–"
        cratio = f"{dc / cc:.1f}×" if cc and dc else "–"
        out.append([label, fmt_s(ct), fmt_s(dtm), ratio, fmt_s(cc), fmt_s(dc), cratio,
                    fmt_mb(cs and cs["peak_bytes"]), fmt_mb(ds and ds["peak_bytes"])])
    if e:
        out.append(["fresh `clientele report customers` process (median)", fmt_s(e["median"]), "–", "–",
                    fmt_s(e.get("cpu_median")), "–", "–", "–", "–"])
    return header, out


def markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def plain(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(str(v).ljust(widths[0]) if i == 0 else str(v).rjust(widths[i]) for i, v in enumerate(r))
    return "\n".join([fmt(header), fmt(["─" * w for w in widths])] + [fmt(r) for r in rows])


def targets(sizes, data):
    """The issue's targets, each with its figure and met / missed."""
    out = []

    def add(text, ok, figure):
        out.append({"target": text, "met": ok, "figure": figure})

    for n in sizes:
        if n < 1_000_000 or n not in data:
            continue
        c, d = data[n]["clientele"], data[n]["duckdb"]
        worst = min(((step(d, r)["seconds"] / step(c, r)["seconds"], r) for r in REPORTS
                     if step(c, r) and step(d, r)), default=None)
        worst_cpu = min(((step(d, r)["cpu_seconds"] / step(c, r)["cpu_seconds"], r) for r in REPORTS
                         if step(c, r) and step(d, r) and step(c, r).get("cpu_seconds") and step(d, r).get("cpu_seconds")),
                        default=None)
        if worst:
            add(f"every report ≥ 5× faster than DuckDB at {n:,} orders", worst[0] >= 5,
                f"slowest wall-time ratio {worst[0]:.1f}× ({worst[1]})"
                + (f"; slowest CPU-time ratio {worst_cpu[0]:.1f}× ({worst_cpu[1]})" if worst_cpu else ""))
    big = max(sizes)
    if big >= 10_000_000 and big in data:
        c, d = data[big]["clientele"], data[big]["duckdb"]
        lanes, seq = step(c, "all reports (2 lanes)"), step(c, "all reports")
        add(f"whole report set at {big:,} orders < 3 s", lanes["seconds"] < 3,
            f"{lanes['seconds']:.2f} s in 2 lanes ({seq['seconds']:.2f} s one after the other, "
            f"{seq.get('cpu_seconds', float('nan')):.2f} s CPU)")
        imp, load = step(c, "import"), step(d, "load")
        add(f"import within 3× of DuckDB's load at {big:,}", imp["seconds"] <= 3 * load["seconds"],
            f"{imp['seconds']:.1f} s vs {load['seconds']:.1f} s = {imp['seconds'] / load['seconds']:.1f}×")
        cpk = max(step(c, r)["peak_bytes"] for r in REPORTS + ["snapshot load"] if step(c, r))
        crp = max(step(c, r)["peak_bytes"] for r in REPORTS if step(c, r))
        dpk = max(step(d, r)["peak_bytes"] for r in REPORTS + ["prepare"] if step(d, r))
        add(f"peak memory at {big:,} < ¼ of DuckDB's (loading the data and every report)", cpk * 4 < dpk,
            f"{fmt_mb(cpk)} (snapshot load; the reports alone {fmt_mb(crp)} = {crp / dpk:.2f}) vs {fmt_mb(dpk)} = {cpk / dpk:.2f}")
        ipk, lpk = step(c, "import")["peak_bytes"], step(d, "load")["peak_bytes"]
        out.append({"target": f"(import peak vs DuckDB's load peak at {big:,}, no target)", "met": None,
                    "figure": f"{fmt_mb(ipk)} vs {fmt_mb(lpk)}"})
    for n, limit in [(10_000_000, 2.0), (1_000_000, 0.3)]:
        if n in data and data[n].get("e2e"):
            m = data[n]["e2e"]["median"]
            cm = data[n]["e2e"].get("cpu_median", float("nan"))
            add(f"fresh `clientele report customers` at {n:,} < {limit} s", m < limit,
                f"median {m:.3f} s wall, {cm:.3f} s CPU")
    return out


def chart(sizes, data, path):
    """Log–log SVG: seconds against orders, one thin line per report and tool, a thick one per tool's total."""
    W, H, L, R, T, B = 760, 480, 70, 190, 30, 50
    xs = sorted(n for n in sizes if n in data)
    series = []
    for tool, colour in [("clientele", "#1f6fb2"), ("duckdb", "#d9822b")]:
        for r in REPORTS:
            ys = [step(data[n][tool], r)["seconds"] if step(data[n][tool], r) else None for n in xs]
            series.append((tool, r, colour, 1, ys))
        total = "all reports (2 lanes)" if tool == "clientele" else "all reports"
        ys = [step(data[n][tool], total)["seconds"] if step(data[n][tool], total) else None for n in xs]
        series.append((tool, "all reports", colour, 3.5, ys))
    vals = [y for s in series for y in s[4] if y]
    if not vals or len(xs) < 1:
        return
    ylo, yhi = math.floor(math.log10(min(vals))), math.ceil(math.log10(max(vals)))
    xlo, xhi = math.log10(xs[0]) - 0.15, math.log10(xs[-1]) + 0.15
    px = lambda n: L + (math.log10(n) - xlo) / (xhi - xlo) * (W - L - R)
    py = lambda y: T + (yhi - math.log10(y)) / (yhi - ylo) * (H - T - B)
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
         f'font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{L}" y="18" font-size="14" font-weight="bold">Time against data size (log–log): '
         f'Clientele vs DuckDB, engine warm / table loaded</text>']
    for e in range(ylo, yhi + 1):
        y = py(10 ** e)
        o.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#ddd"/>')
        label = f"{10 ** e:g} s" if e >= 0 else f"{10 ** (e + 3):g} ms"
        o.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for n in xs:
        x = px(n)
        o.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#ddd"/>')
        o.append(f'<text x="{x:.1f}" y="{H - B + 18}" text-anchor="middle">10^{round(math.log10(n))} orders</text>')
    o.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#888"/>')
    for tool, r, colour, width, ys in series:
        pts = [(px(n), py(y)) for n, y in zip(xs, ys) if y]
        if len(pts) >= 2:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            opacity = 1 if width > 2 else 0.45
            o.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
                     f'stroke-opacity="{opacity}"><title>{tool}: {r}</title></polyline>')
        for x, y in pts:
            o.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.5 if width > 2 else 1.5}" fill="{colour}"/>')
        if width > 2 and pts:
            o.append(f'<text x="{pts[-1][0] + 8:.1f}" y="{pts[-1][1] + 4:.1f}" fill="{colour}" font-weight="bold">'
                     f'{"Clientele" if tool == "clientele" else "DuckDB"}: all reports</text>')
    lx = W - R + 20
    o.append(f'<line x1="{lx}" y1="{H - 90}" x2="{lx + 24}" y2="{H - 90}" stroke="#1f6fb2" stroke-width="3"/>'
             f'<text x="{lx + 30}" y="{H - 86}">Clientele</text>')
    o.append(f'<line x1="{lx}" y1="{H - 70}" x2="{lx + 24}" y2="{H - 70}" stroke="#d9822b" stroke-width="3"/>'
             f'<text x="{lx + 30}" y="{H - 66}">DuckDB</text>')
    o.append(f'<text x="{lx}" y="{H - 46}" fill="#555">thin: each report</text>')
    o.append(f'<text x="{lx}" y="{H - 32}" fill="#555">thick: the whole set</text>')
    o.append("</svg>")
    open(path, "w").write("\n".join(o) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--sizes", required=True)
    ap.add_argument("--out", required=True, help="the bench/ directory")
    ap.add_argument("--note", default="")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    data = {}
    for n in sizes:
        files = {k: os.path.join(args.dir, f"{k}-{n}.json") for k in ["clientele", "duckdb", "e2e", "compare"]}
        if not (os.path.exists(files["clientele"]) and os.path.exists(files["duckdb"])):
            continue
        data[n] = {k: json.load(open(f)) for k, f in files.items() if os.path.exists(f)}
        lf = os.path.join(args.dir, f"load-{n}.txt")
        if os.path.exists(lf):
            data[n]["load"] = " ".join(open(lf).read().split()[:3])
    info = machine()
    lines = ["# Clientele against DuckDB, side by side", "",
             "Produced by `bench/run` (see the README, \"Benchmarks\"). Each size: a canonical CSV generated by the demo",
             "generator (`clientele demo --seed 1 --end-date 2025-11-20`); Clientele imports it with `clientele import`",
             "(validating, persisting to SQLite), loads its snapshot and runs every report with the engine warm; DuckDB",
             "(Python package, in memory, default threads) loads the same CSV with `read_csv` and explicit types and runs",
             "the SQL in `bench/sql`. Report times are the best of the runs; the import and the load are each the best of",
             "their runs (every run's time is listed under the table: a run that shares the machine with other work",
             "only gets slower), each import into a fresh database and each load into fresh tables, after writing back",
             "the dirty pages of earlier steps (`sync`); peak memory is the process's VmHWM during",
             "the step (reset before it), so it includes the loaded data. Ratio = DuckDB's time ÷ Clientele's",
             "(above 1: Clientele is faster). CPU = user + system seconds of the process (all its threads; for the",
             "import, the `clientele import` child): on a busy machine wall time includes waiting for a core, CPU time",
             "does not, and DuckDB spreads a query over both cores, so its wall time on an idle machine can be as low",
             "as half its CPU time. The answers of both sides are compared by `bench/compare` (exact for",
             "counts and money; its tolerances for floating figures); a difference fails the run.", "",
             "## Machine", "",
             f"- `{info['uname']}`",
             f"- {info['nproc']} cores, {info['cpu']}, {info['memory']}",
             f"- {info['date']}; load average at the end {info['load_average']}",
             "- Each size's load average when it started is printed with its table: other work on the machine",
             "  shows there and inflates wall times, not CPU times.", ""]
    if args.note:
        lines += [args.note, ""]
    printed = []
    duck_version = next((data[n]["duckdb"].get("version") for n in data), "?")
    for n in sorted(data):
        header, rows = table(n, data[n]["clientele"], data[n]["duckdb"], data[n].get("e2e"))
        c = data[n]["clientele"]
        title = f"{n:,} orders ({c['lines']:,} lines, {c['customers']:,} customers)"
        same = data[n].get("compare", {}).get("same")
        load = data[n].get("load")
        verdict = {True: "answers equal", False: "ANSWERS DIFFER", None: "answers not compared"}[same]
        lines += [f"## {title}: {verdict}", ""]
        if load:
            lines += [f"Load average when this size started: {load}.", ""]
        lines += [markdown(header, rows), ""]
        imp, ld = step(c, "import"), step(data[n]["duckdb"], "load")
        runs = []
        if imp and imp.get("runs"):
            runs.append("Clientele's imports: " + ", ".join(fmt_s(x) for x in imp["runs"]))
        if ld and ld.get("runs"):
            runs.append("DuckDB's loads: " + ", ".join(fmt_s(x) for x in ld["runs"]))
        if runs:
            lines += ["Every run: " + "; ".join(runs) + ".", ""]
        printed += [f"\n{title}: {verdict}", plain(header, rows)]
    tg = targets(sizes, data)
    lines += ["## Targets", ""]
    printed += ["\nTargets"]
    for t in tg:
        mark = {True: "met", False: "MISSED", None: "–"}[t["met"]]
        lines.append(f"- {t['target']}: **{mark}** ({t['figure']})")
        printed.append(f"  {mark:<7} {t['target']}: {t['figure']}")
    xs = sorted(data)
    exps = {}
    if len(xs) >= 2:
        lines += ["", f"## Growth with data size ({xs[0]:,} → {xs[-1]:,} orders)", "",
                  "Exponent k of time ∝ orders^k (least squares on log–log over the sizes; 1 = linear), and k between",
                  "the two largest sizes alone (the smallest size's sub-millisecond times are the noisiest).", "",
                  "| report | Clientele k | DuckDB k | Clientele k, last step | DuckDB k, last step |",
                  "|---|---:|---:|---:|---:|"]
        printed += ["\nGrowth exponents (time ∝ orders^k)"]
        for r in REPORTS + ["all reports"]:
            kc = slope(xs, [step(data[n]["clientele"], r)["seconds"] if step(data[n]["clientele"], r) else None for n in xs])
            kd = slope(xs, [step(data[n]["duckdb"], r)["seconds"] if step(data[n]["duckdb"], r) else None for n in xs])
            last = xs[-2:]
            lc = slope(last, [step(data[n]["clientele"], r)["seconds"] if step(data[n]["clientele"], r) else None for n in last])
            ld = slope(last, [step(data[n]["duckdb"], r)["seconds"] if step(data[n]["duckdb"], r) else None for n in last])
            exps[r] = {"clientele": kc, "duckdb": kd, "clientele_last_step": lc, "duckdb_last_step": ld}
            f = lambda k: "–" if k is None else f"{k:.2f}"
            lines.append(f"| {r} | {f(kc)} | {f(kd)} | {f(lc)} | {f(ld)} |")
            printed.append(f"  {r:<16} Clientele {f(kc)} ({f(lc)} last step)  DuckDB {f(kd)} ({f(ld)} last step)")
    lines += ["", f"DuckDB {duck_version}. Chart: [chart.svg](chart.svg); every figure: [results.json](results.json).", ""]
    open(os.path.join(args.out, "RESULTS.md"), "w").write("\n".join(lines))
    # Times and memories per step (the answers themselves stay in the work directory).
    slim = {n: {k: ({kk: vv for kk, vv in v.items() if kk != "answers"} if isinstance(v, dict) else v)
                for k, v in d.items()} for n, d in data.items()}
    json.dump({"machine": info, "duckdb_version": duck_version, "sizes": slim, "targets": tg, "exponents": exps},
              open(os.path.join(args.out, "results.json"), "w"), indent=1, sort_keys=True)
    chart(sizes, data, os.path.join(args.out, "chart.svg"))
    print("\n".join(printed))


if __name__ == "__main__":
    main()
