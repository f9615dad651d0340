#!/usr/bin/env python3
"""DuckDB's side of bench/run: loads the canonical CSV into DuckDB (in memory, as an analyst would), prepares
order and item tables, and computes every report's key figures with the SQL in bench/sql; the predictive models
are fitted with scipy on per-customer summaries computed in SQL, as one would with the lifetimes library.
Writes times, peak memories and answers as JSON in the same shape as `clientele-bench versus`."""

import argparse
import calendar
import datetime as dt
import json
import os
import resource
import time

import duckdb
import numpy as np
from scipy import optimize, special

SQL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")


def reset_peak():
    """Resets this process's VmHWM to its current resident size (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_bytes():
    """VmHWM of this process since the last reset, in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds():
    """User + system CPU seconds of this process (every DuckDB thread included)."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def add_months(d, months):
    """d plus `months` calendar months, the day clamped to the month's end (as Clientele's ShopDate)."""
    m = d.year * 12 + d.month - 1 + months
    y, mo = divmod(m, 12)
    last = calendar.monthrange(y, mo + 1)[1]
    return dt.date(y, mo + 1, min(d.day, last))


def named_queries(name):
    """The statements of bench/sql/NAME.sql, each after a `-- name: X` line, as {X: sql}."""
    text = open(os.path.join(SQL, name + ".sql")).read()
    out, current, lines = {}, None, []
    for line in text.splitlines():
        if line.startswith("-- name:"):
            if current:
                out[current] = "\n".join(lines)
            current, lines = line.split(":", 1)[1].strip(), []
        elif current:
            lines.append(line)
    if current:
        out[current] = "\n".join(lines)
    return out


def statements(name):
    """Every statement of bench/sql/NAME.sql (split at `;` ending a line)."""
    text = open(os.path.join(SQL, name + ".sql")).read()
    parts = [p.strip() for p in text.split(";\n")]
    return [p for p in parts if p and not all(l.strip().startswith("--") or not l.strip() for l in p.splitlines())]


def rows(con, sql):
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def set_var(con, name, value):
    if isinstance(value, dt.date):
        con.execute(f"SET VARIABLE {name} = DATE '{value.isoformat()}'")
    elif isinstance(value, (int, float)):
        con.execute(f"SET VARIABLE {name} = {value}")
    else:
        con.execute(f"SET VARIABLE {name} = '" + str(value).replace("'", "''") + "'")


# ---------------------------------------------------------------- reports


def report_customers(con, q):
    t = rows(con, q["totals"])[0]
    c = rows(con, q["cards"])[0]
    months = rows(con, q["months"])
    top = rows(con, q["top"])
    return {
        "orders": t["orders"], "anonymous_orders": t["anonymous_orders"], "cancelled_orders": t["cancelled_orders"],
        "revenue": int(t["revenue"]), "net_revenue": int(t["net_revenue"]), "identified_revenue": int(t["identified_revenue"]),
        "unique_customers": c["unique_customers"], "repeat_customers": c["repeat_customers"],
        "average_clv": None if c["average_clv"] is None else int(c["average_clv"]),
        "average_days_first_to_second": c["average_days_first_to_second"],
        "segments": [["one-time", c["one_time"], int(c["one_time_revenue"])],
                     ["returning", c["returning"], int(c["returning_revenue"])],
                     ["loyal", c["loyal"], int(c["loyal_revenue"])]],
        "months": [[m["label"], m["customers"], m["new"]] for m in months],
        "top": [[r["customer"], r["orders"], int(r["revenue"])] for r in top],
    }


def report_lifecycle(con, q, as_of):
    out, before = {}, []
    for k, months in enumerate([0, 1, 3, 6, 12]):
        x = add_months(as_of, -months)
        set_var(con, "x", x)
        r = rows(con, q["stages"])[0]
        if k == 0:
            out = {"new": r["new"], "active": r["active"], "slipping_away": r["slipping_away"], "lost": r["lost"],
                   "shop_median_days": r["shop_median_days"]}
        before.append([x.isoformat(), r["active"]])
    out["active_before"] = before
    return out


def report_groups(con, q):
    by = {(r["grp"] or "all"): r for r in rows(con, q["groups"])}
    order = ["one-time", "loyal", "frequent", "vip", "all"]
    groups = []
    for g in order:
        r = by.get(g)
        groups.append([g, 0, 0, 0, 0, 0] if r is None else
                      [g, r["customers"], int(r["orders"]), int(r["revenue"]), int(r["units"]), r["lost"]])
    cutoff = by["all"]["vip_cutoff"] if "all" in by else None
    return {"vip_cutoff": None if cutoff is None else int(cutoff), "customers": by["all"]["customers"] if "all" in by else 0,
            "groups": groups}


def report_retention(con, q):
    r = rows(con, q["retention"])[0]
    return {"S": r["S"], "E": r["E"], "N": r["N"], "retained": r["S"] - r["churned"], "churned": r["churned"],
            "customers_ever": r["customers_ever"], "repeat_customers_ever": r["repeat_customers_ever"],
            "tbp_customers": r["repeat_customers_ever"], "tbp_mean_days": r["tbp_mean_days"],
            "sold_quantity": int(r["sold_quantity"]), "returned_quantity": int(r["returned_quantity"])}


def report_cohorts(con, q):
    return {"cohorts": [[r["label"], r["customers"], [int(v) for v in r["active"]], [int(v) for v in r["revenue"]]]
                        for r in rows(con, q["cells"])]}


def report_rfm(con, q):
    cells = [0] * 125
    scored = 0
    for r in rows(con, q["cells"]):
        cells[(r["r"] - 1) * 25 + (r["f"] - 1) * 5 + r["m"] - 1] = r["customers"]
        scored += r["customers"]
    return {"scored": scored, "cells": cells}


def report_together(con, q):
    r = rows(con, q["together"])[0]
    top = [[p[0], p[1], int(p[2]), int(p[3]), int(p[4])] for p in (r["top"] or [])]
    return {"orders": r["orders"], "pair_count": r["pair_count"], "top": top}


def report_cycles(con, q):
    r = rows(con, q["cycles"])[0]
    return {"products_with_gaps": r["products_with_gaps"],
            "products": [[p[0], int(p[1]), int(p[2]), float(p[3])] for p in (r["products"] or [])]}


# ---------------------------------------------------------------- predictive models (lifetimes' formulas)


def bgnbd_ll(params, x, tx, T, w):
    """BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), summed with weights."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    xs = np.maximum(x, 1)
    a4 = np.where(x > 0, np.log(a) - np.log(b + xs - 1) - (r + x) * np.log(alpha + tx), -np.inf)
    return float(np.sum(w * (a1 + a2 + np.logaddexp(a3, a4))))


def gg_ll(params, x, m):
    """Gamma-Gamma log-likelihood (Fader & Hardie 2013) of mean spends m over x repeat purchases."""
    p, q, v = params
    px = p * x
    return float(np.sum(special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(v)
                        + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(x * m + v)))


def maximise(ll, start, scale):
    """Maximum likelihood on the log-parameters (so they stay positive) with scipy's BFGS and numerical
    gradients, the mean log-likelihood as the objective."""
    f = lambda z: -ll(np.exp(z)) / scale
    res = optimize.minimize(f, np.log(start), method="BFGS", options={"gtol": 1e-9, "maxiter": 1000})
    return np.exp(res.x), -res.fun * scale


def fit_models(con, q):
    con.execute(q["summaries"])
    totals = rows(con, q["totals"])[0]
    g = np.array(con.execute(q["grouped"]).fetchall(), dtype=float)
    x, tx, T, w = g[:, 0], g[:, 1], g[:, 2], g[:, 3]
    start = [1.0, float(np.sum(w * T) / np.sum(w * (x + 1))), 1.0, 1.0]
    bg, ll = maximise(lambda p: bgnbd_ll(p, x, tx, T, w), start, float(np.sum(w)))
    s = np.array(con.execute(q["spend"]).fetchall(), dtype=float)
    sx, sm = s[:, 0], s[:, 1]
    unit = float(np.mean(sm))
    gg, _ = maximise(lambda p: gg_ll(p, sx, sm / unit), [1.0, 1.0, 1.0], float(len(sx)))
    gg = [gg[0], gg[1], gg[2] * unit]
    answer = {k: int(v) for k, v in totals.items()}
    answer["bgnbd"] = {"r": bg[0], "alpha": bg[1], "a": bg[2], "b": bg[3], "log_likelihood": ll}
    answer["gamma_gamma"] = {"p": gg[0], "q": gg[1], "gamma": gg[2]}
    return answer


def predict(bg, gg, x, tx, T, m, window=90.0, months=12, rate=0.01):
    """P(alive), expected purchases in `window` days, the expected value of a purchase (Gamma-Gamma) and the
    12-month CLV discounted 1 % a month, per customer (lifetimes' conditional formulas), vectorised."""
    r, alpha, a, b = bg
    p, q, v = gg
    xs = np.maximum(x, 1)
    odds = np.where(x > 0, a / (b + xs - 1) * ((alpha + T) / (alpha + tx)) ** (r + x), 0.0)
    alive = 1.0 / (1.0 + odds)

    def given_alive(t):
        z = t / (alpha + T + t)
        h = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        return (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * h)

    expected = alive * given_alive(window)
    mean = np.where(x > 0, np.nan_to_num(m), 0.0)
    value = (q - 1) / (p * x + q - 1) * (p * v / (q - 1)) + p * x / (p * x + q - 1) * mean
    length = 365.2425 / 12
    previous, discounted = 0.0, 0.0
    for k in range(1, months + 1):
        cumulative = given_alive(k * length)
        discounted = discounted + (cumulative - previous) / (1 + rate) ** k
        previous = cumulative
    clv = alive * discounted * value
    return alive, expected, value, clv


def predictions(con, q, fit, sample):
    bg = [fit["bgnbd"][k] for k in ("r", "alpha", "a", "b")]
    gg = [fit["gamma_gamma"][k] for k in ("p", "q", "gamma")]
    every = con.execute(q["all"]).fetchnumpy()
    x = every["x"].astype(float)
    m = np.array(every["mean_spend"], dtype=float)
    predict(bg, gg, x, every["recency"].astype(float), every["age"].astype(float), m)
    n = len(x)
    step = max(1, n // max(1, sample))
    set_var(con, "step", step)
    rs = rows(con, q["sample"])
    sx = np.array([r["x"] for r in rs], dtype=float)
    sm = np.array([np.nan if r["mean_spend"] is None else r["mean_spend"] for r in rs], dtype=float)
    alive, expected, value, clv = predict(bg, gg, sx, np.array([r["recency"] for r in rs], dtype=float),
                                          np.array([r["age"] for r in rs], dtype=float), sm)
    return {"customers": n, "sample_step": step,
            "sample": [[r["customer"], float(alive[i]), float(expected[i]), float(value[i]), float(clv[i])]
                       for i, r in enumerate(rs)]}


# ---------------------------------------------------------------- driver


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--rates", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default="2025-11-20")
    ap.add_argument("--tz", default="Europe/Copenhagen")
    ap.add_argument("--currency", default="DKK")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--load-runs", type=int, default=3, help="timed loads of the CSV (the best is kept; every time is written)")
    ap.add_argument("--sample", type=int, default=1000)
    args = ap.parse_args()

    as_of = dt.date.fromisoformat(args.as_of)
    p_start, p_end = add_months(as_of, -12), as_of + dt.timedelta(days=1)
    pp_start = p_start - (p_end - p_start)

    con = duckdb.connect()  # in memory, DuckDB's default threads (one per core)
    steps = []
    for name, value in [("csv", args.csv), ("rates", args.rates), ("tz", args.tz), ("shop_currency", args.currency),
                        ("shop_digits", 2), ("as_of", as_of), ("p_start", p_start), ("p_end", p_end),
                        ("pp_start", pp_start)]:
        set_var(con, name, value)

    def once(name, body):
        # Dirty pages of earlier steps (Clientele's database, a previous size) are written back first, so that
        # their writeback is not timed here: the same is done before Clientele's import.
        os.sync()
        reset_peak()
        t, u = time.perf_counter(), cpu_seconds()
        body()
        seconds = time.perf_counter() - t
        steps.append({"step": name, "seconds": seconds, "peak_bytes": peak_bytes(), "cpu_seconds": cpu_seconds() - u})
        print(f"{name:<17} {seconds:8.3f} s  peak {peak_bytes() / 2**20:.0f} MB", flush=True)

    # The load: the best of --load-runs, like Clientele's import (each run starts without the tables); every
    # run's time is kept, and the peak is the largest of the runs'.
    load_runs = []
    for _ in range(max(1, args.load_runs)):
        con.execute("DROP TABLE IF EXISTS lines; DROP TABLE IF EXISTS rates")
        once("load", lambda: [con.execute(s) for s in statements("load")])
        load_runs.append(steps.pop())
    best_load = dict(min(load_runs, key=lambda r: r["seconds"]))
    best_load["peak_bytes"] = max(r["peak_bytes"] for r in load_runs)
    best_load["runs"] = [r["seconds"] for r in load_runs]
    steps.append(best_load)
    once("prepare", lambda: [con.execute(s) for s in statements("prepare")])

    q = {n: named_queries(n) for n in ["customers", "lifecycle", "groups", "retention", "cohorts", "rfm", "together",
                                       "cycles", "fit_summaries", "predictions"]}
    fitted = {}

    def do_fit():
        fitted["fit"] = fit_models(con, q["fit_summaries"])
        return fitted["fit"]

    reports = [
        ("customers", lambda: report_customers(con, q["customers"])),
        ("lifecycle", lambda: report_lifecycle(con, q["lifecycle"], as_of)),
        ("groups", lambda: report_groups(con, q["groups"])),
        ("retention", lambda: report_retention(con, q["retention"])),
        ("cohorts", lambda: report_cohorts(con, q["cohorts"])),
        ("rfm", lambda: report_rfm(con, q["rfm"])),
        ("together", lambda: report_together(con, q["together"])),
        ("cycles", lambda: report_cycles(con, q["cycles"])),
        ("predictive fit", do_fit),
        ("predictions", lambda: predictions(con, q["predictions"], fitted["fit"], args.sample)),
    ]
    answers = {}
    for name, body in reports:
        best, best_cpu = float("inf"), float("inf")
        reset_peak()
        for _ in range(max(1, args.runs)):
            t, u = time.perf_counter(), cpu_seconds()
            answers[name] = body()
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, cpu_seconds() - u)
        steps.append({"step": name, "seconds": best, "peak_bytes": peak_bytes(), "cpu_seconds": best_cpu})
        print(f"{name:<17} {best:8.4f} s  peak {peak_bytes() / 2**20:.0f} MB", flush=True)

    # The whole set: the sum of the reports' best times (DuckDB runs one query at a time, each on every core),
    # its peak the largest of theirs.
    report_steps = [s for s in steps if s["step"] in answers]
    total = sum(s["seconds"] for s in report_steps)
    steps.append({"step": "all reports", "seconds": total, "peak_bytes": max(s["peak_bytes"] for s in report_steps),
                  "cpu_seconds": sum(s["cpu_seconds"] for s in report_steps)})
    print(f"all reports       {total:8.4f} s (sum)", flush=True)

    counts = con.execute("SELECT (SELECT count(*) FROM all_orders), (SELECT count(*) FROM lines)").fetchone()
    doc = {"tool": "duckdb", "version": duckdb.__version__, "orders": counts[0], "lines": counts[1],
           "as_of": args.as_of, "steps": steps, "answers": answers}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
