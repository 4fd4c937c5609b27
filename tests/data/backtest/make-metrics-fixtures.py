#!/usr/bin/python3
# make-metrics-fixtures.py — the reference figures tests/unit/test-backtest-metrics.c
# checks the backtest statistics (src/backtest/bourse-backtest-metrics.c) against.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 tests/data/backtest/make-metrics-fixtures.py [OUTPUT_DIR]
#        (default: the directory of this script)
#
# Needs Debian's python3-numpy (apt-get install python3-numpy; Debian's Python
# is /usr/bin/python3). The test suite never runs this script: its output,
# metrics.json, is committed and holds each case's inputs beside the figures,
# so the C test reads exactly what the references were computed from. The
# random cases come from fixed seeds: running it again gives the same file.
#
# The figures follow docs/BACKTESTS.md "Metrics" with whole arrays at once
# (running maxima for the peaks, NumPy's two-pass standard deviation), not
# the one-pass accumulator the C code is, so the two share no arithmetic.

import calendar
import datetime
import json
import os
import re
import sys

import numpy as np

YEAR_MS = 365 * 86_400_000
MINUTE = 60_000
HOUR = 3_600_000
DAY = 86_400_000
DBL_MAX = float(np.finfo(np.float64).max)
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def bounded(value):
    # The C code's promise: never NaN, never infinite (overflow is ±the largest double).
    return float(np.nan_to_num(value, nan=0.0, posinf=DBL_MAX, neginf=-DBL_MAX))


def metrics(e0, time, close_time, equity, exposed, pnl, duration):
    time = np.asarray(time, dtype=np.int64)
    close_time = np.asarray(close_time, dtype=np.int64)
    equity = np.asarray(equity, dtype=np.float64)
    exposed = np.asarray(exposed, dtype=bool)
    pnl = np.asarray(pnl, dtype=np.float64)
    duration = np.asarray(duration, dtype=np.int64)
    n = len(equity)

    e = np.concatenate(([e0], equity))  # E₀ … E_N
    prev = e[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(prev > 0, e[1:] / np.where(prev > 0, prev, 1.0) - 1.0, 0.0)

    span = int(close_time[-1] - time[0]) if n > 0 else 0
    periods_per_year = n * YEAR_MS / span if span > 0 else 0.0
    root_p = np.sqrt(periods_per_year)

    out = {}
    out["total_return"] = bounded(e[-1] / e0 - 1) if e0 > 0 else 0.0
    if e0 <= 0:
        annualised = 0.0
    elif e[-1] <= 0:
        annualised = -1.0
    elif span > 0:
        with np.errstate(over="ignore"):
            annualised = bounded(np.power(e[-1] / e0, YEAR_MS / span) - 1)
    else:
        annualised = 0.0
    out["annualised_return"] = annualised

    sd = float(np.std(r, ddof=1)) if n >= 2 else 0.0
    out["volatility"] = bounded(sd * root_p)
    out["sharpe"] = bounded(np.mean(r) / sd * root_p) if sd > 0 else 0.0
    downside = float(np.sqrt(np.mean(np.minimum(r, 0.0) ** 2))) if n > 0 else 0.0
    out["sortino"] = bounded(np.mean(r) / downside * root_p) if downside > 0 else 0.0

    peak = np.maximum.accumulate(e)
    with np.errstate(divide="ignore", invalid="ignore"):
        drawdown = np.where(peak > 0, (peak - e) / np.where(peak > 0, peak, 1.0), 0.0)
    drawdown = np.where(e < peak, drawdown, 0.0)
    out["max_drawdown"] = float(drawdown.max())
    out["calmar"] = bounded(annualised / out["max_drawdown"]) if out["max_drawdown"] > 0 else 0.0

    # Durations: the time of each point (E₀ at the span's start, Eᵢ at its
    # candle's close), the latest point at the running peak before each, and
    # every stretch below it measured to its first close back at the peak or
    # to the last close.
    if n > 0:
        t = np.concatenate(([time[0]], close_time))
        at_peak = e >= peak
        below = ~at_peak
        latest_peak = np.maximum.accumulate(np.where(at_peak, np.arange(n + 1), 0))
        underwater = np.where(below, t - t[latest_peak], 0)
        regained = np.zeros(n + 1, dtype=np.int64)
        regained[1:] = np.where(at_peak[1:] & below[:-1], t[1:] - t[latest_peak[:-1]], 0)
        out["max_drawdown_duration_ms"] = int(max(underwater.max(), regained.max()))
    else:
        out["max_drawdown_duration_ms"] = 0

    out["exposure"] = float(exposed.sum() / n) if n > 0 else 0.0

    trades = len(pnl)
    out["trades"] = trades
    gains = float(pnl[pnl > 0].sum())
    losses = float(-pnl[pnl < 0].sum())
    if trades > 0:
        out["win_rate"] = float(np.count_nonzero(pnl > 0) / trades)
        out["expectancy"] = float(np.mean(pnl))
        out["average_duration_ms"] = int((int(duration.sum()) + trades // 2) // trades)
    else:
        out["win_rate"] = 0.0
        out["expectancy"] = 0.0
        out["average_duration_ms"] = 0
    if gains <= 0:
        out["profit_factor"] = 0.0
    elif losses <= 0:
        out["profit_factor"] = None  # +∞
    else:
        out["profit_factor"] = bounded(gains / losses)

    return out, [float(d) for d in drawdown[1:]]


def regular(n, step, start=T0):
    time = [start + i * step for i in range(n)]
    return time, [t + step for t in time]


def months(first_year, first_month, n):
    # Month candles: each closes at the next month's open, 28 to 31 days later.
    opens = []
    year, month = first_year, first_month
    for _ in range(n + 1):
        opens.append(calendar.timegm(datetime.date(year, month, 1).timetuple()) * 1000)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return opens[:-1], opens[1:]


def walk(rng, e0, exposed, step):
    # The equity moves only while a position is open, as a backtest's does:
    # flat stretches are exactly flat, and meet their peak again exactly.
    # To the cent, as a quote currency's equity would be reported.
    moves = np.where(exposed, rng.normal(0.0, step, len(exposed)), 0.0)
    return list(np.round(e0 * np.cumprod(1.0 + moves), 2))


def position_runs(rng, n, mean_run):
    # Alternating flat and open stretches of geometric lengths.
    flags = np.zeros(n, dtype=bool)
    i, is_open = 0, False
    while i < n:
        length = int(rng.geometric(1.0 / mean_run))
        flags[i:i + length] = is_open
        i += length
        is_open = not is_open
    return list(flags)


def random_trades(rng, count, scale, step_ms, max_steps):
    pnl = np.round(rng.normal(0.1 * scale, scale, count), 8)
    pnl[rng.random(count) < 0.05] = 0.0  # break-even round trips: neither won nor lost
    duration = rng.integers(1, max_steps + 1, count) * step_ms
    return [float(p) for p in pnl], [int(d) for d in duration]


def hand_cases():
    cases = []

    time, close = regular(12, HOUR)
    cases.append(dict(
        name="rising", starting_equity=10000.0, time=time, close_time=close,
        equity=[10000.0, 10012.5, 10040.0, 10040.0, 10071.25, 10100.0, 10100.0, 10100.0,
                10180.5, 10222.0, 10222.0, 10300.75],
        exposed=[False, True, True, False, True, True, False, False, True, True, False, True],
        pnl=[40.0, 60.0, 0.0, 200.75], duration=[2 * HOUR, HOUR, HOUR, 3 * HOUR]))

    time, close = regular(10, HOUR)
    cases.append(dict(
        name="never-regained", starting_equity=1000.0, time=time, close_time=close,
        equity=[1010.0, 1025.0, 1040.0, 1030.0, 990.0, 1005.0, 1039.99, 960.0, 975.0, 1000.0],
        exposed=[True] * 10,
        pnl=[25.0, -40.0, 15.5], duration=[2 * HOUR, 3 * HOUR, HOUR]))

    # A long shallow drawdown regained exactly (a tie with the peak), flat at
    # the peak, then a deeper and shorter one regained above: the largest
    # drawdown and the longest are different ones.
    time, close = regular(20, DAY)
    cases.append(dict(
        name="regained-then-deeper", starting_equity=500.0, time=time, close_time=close,
        equity=[510.0, 505.0, 498.0, 490.0, 495.0, 500.0, 507.0, 509.0, 510.0, 510.0,
                510.0, 470.0, 440.0, 480.0, 515.0, 520.0, 518.0, 521.0, 521.0, 519.0],
        exposed=[True] * 9 + [False, False] + [True] * 9,
        pnl=[10.0, -12.5, 30.0, -1.0], duration=[8 * DAY, 3 * DAY, 4 * DAY, 2 * DAY]))

    time, close = regular(24, HOUR)
    cases.append(dict(
        name="no-trades-flat", starting_equity=10000.0, time=time, close_time=close,
        equity=[10000.0] * 24, exposed=[False] * 24, pnl=[], duration=[]))

    time, close = regular(6, 4 * HOUR)
    cases.append(dict(
        name="no-trades-open", starting_equity=2500.0, time=time, close_time=close,
        equity=[2500.0, 2490.0, 2520.0, 2475.5, 2530.0, 2510.0],
        exposed=[False, True, True, True, True, True], pnl=[], duration=[]))

    time, close = regular(8, DAY)
    cases.append(dict(
        name="gains-only", starting_equity=1000.0, time=time, close_time=close,
        equity=[1000.0, 1020.0, 1020.0, 1045.0, 1030.0, 1010.0, 1060.0, 1050.0],
        exposed=[False, True, False, True, True, True, True, True],
        # 1 + 2 ms over two trades: 1.5 ms, rounded half up to 2.
        pnl=[20.0, 15.0], duration=[1, 2]))

    # Ruined: the equity reaches 0 and stays; its later returns are 0.
    time, close = regular(8, HOUR)
    cases.append(dict(
        name="ruin", starting_equity=100.0, time=time, close_time=close,
        equity=[90.0, 60.0, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        exposed=[True, True, True, True, False, False, False, False],
        pnl=[-100.0], duration=[4 * HOUR]))

    # A short loses more than everything, then recovers: drawdown above 1,
    # returns from a negative equity are 0, the final equity is positive.
    time, close = regular(8, HOUR)
    cases.append(dict(
        name="short-below-zero", starting_equity=100.0, time=time, close_time=close,
        equity=[80.0, 10.0, -30.0, -5.0, 20.0, 60.0, 90.0, 95.0],
        exposed=[True] * 7 + [False],
        pnl=[-5.0], duration=[7 * HOUR]))

    # Ends at a negative equity: the annualised return is −1.
    time, close = regular(4, DAY)
    cases.append(dict(
        name="ends-negative", starting_equity=100.0, time=time, close_time=close,
        equity=[70.0, 20.0, -10.0, -15.0], exposed=[True] * 4, pnl=[], duration=[]))

    # One minute up 1 %: annualised, 1.01^525600 overflows a double.
    time, close = regular(1, MINUTE)
    cases.append(dict(
        name="single-minute-gain", starting_equity=10000.0, time=time, close_time=close,
        equity=[10100.0], exposed=[True], pnl=[100.0], duration=[MINUTE]))

    # The same overflow divided by a drawdown: Calmar overflows too.
    time, close = regular(3, MINUTE)
    cases.append(dict(
        name="minutes-overflow", starting_equity=10000.0, time=time, close_time=close,
        equity=[9990.0, 10200.0, 10300.0], exposed=[True] * 3, pnl=[], duration=[]))

    time, close = regular(1, DAY)
    cases.append(dict(
        name="single-day-loss", starting_equity=10000.0, time=time, close_time=close,
        equity=[9800.0], exposed=[True], pnl=[-200.0], duration=[DAY]))

    # Two returns, +10 % and −5 %: the sample deviation (N − 1) is √2 times
    # the population one.
    time, close = regular(2, DAY)
    cases.append(dict(
        name="two-periods", starting_equity=100.0, time=time, close_time=close,
        equity=[110.0, 104.5], exposed=[True, True], pnl=[-1.0], duration=[2 * DAY]))

    cases.append(dict(
        name="empty", starting_equity=10000.0, time=[], close_time=[],
        equity=[], exposed=[], pnl=[], duration=[]))

    # An exchange outage: three days without candles inside an hourly window.
    time, close = regular(30, HOUR)
    time = time[:15] + [t + 3 * DAY for t in time[15:]]
    close = close[:15] + [t + 3 * DAY for t in close[15:]]
    cases.append(dict(
        name="gap", starting_equity=1000.0, time=time, close_time=close,
        equity=[1000.0 + 3.0 * ((i * 7) % 11) - 2.0 * i for i in range(30)],
        exposed=[i % 3 != 0 for i in range(30)],
        pnl=[12.0, -7.25, 3.5], duration=[5 * HOUR, 2 * HOUR, 75 * HOUR]))

    return cases


def random_cases():
    cases = []

    rng = np.random.default_rng(20260111)
    time, close = months(2024, 1, 24)
    exposed = position_runs(rng, 24, 3.0)
    pnl, duration = random_trades(rng, 6, 150.0, DAY, 90)
    cases.append(dict(
        name="monthly", starting_equity=10000.0, time=time, close_time=close,
        equity=walk(rng, 10000.0, exposed, 0.08), exposed=exposed, pnl=pnl, duration=duration))

    for name, seed, n, step, move, trades, mean_run in [
            ("random-walk-1h", 1, 5000, HOUR, 0.01, 300, 12.0),
            ("random-walk-1m", 2, 1500, MINUTE, 0.002, 60, 20.0),
            ("random-walk-1d", 3, 1000, DAY, 0.03, 40, 15.0)]:
        rng = np.random.default_rng(seed)
        time, close = regular(n, step)
        exposed = position_runs(rng, n, mean_run)
        pnl, duration = random_trades(rng, trades, 40.0, step, 3 * int(mean_run))
        cases.append(dict(
            name=name, starting_equity=10000.0, time=time, close_time=close,
            equity=walk(rng, 10000.0, exposed, move), exposed=exposed, pnl=pnl,
            duration=duration))

    return cases


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    cases = []
    for case in hand_cases() + random_cases():
        figures, drawdown = metrics(case["starting_equity"], case["time"], case["close_time"],
                                    case["equity"], case["exposed"], case["pnl"],
                                    case["duration"])
        cases.append({
            "name": case["name"],
            "starting_equity": case["starting_equity"],
            "periods": {
                "time": [int(t) for t in case["time"]],
                "close_time": [int(t) for t in case["close_time"]],
                "equity": [float(e) for e in case["equity"]],
                "exposed": [bool(x) for x in case["exposed"]],
            },
            "trades": {
                "net_pnl": [float(p) for p in case["pnl"]],
                "duration_ms": [int(d) for d in case["duration"]],
            },
            "drawdown": drawdown,
            "metrics": figures,
        })
    # One line per array: the long cases would be tens of thousands of lines.
    text = json.dumps({"generator": "tests/data/backtest/make-metrics-fixtures.py",
                       "numpy": np.__version__, "cases": cases}, indent=1)
    text = re.sub(r"\[[^\[\]{}]*\]", lambda m: json.dumps(json.loads(m.group(0))), text)
    with open(os.path.join(out_dir, "metrics.json"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
