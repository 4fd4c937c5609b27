#!/usr/bin/python3
# reference.py — the SMA-crossover backtest of bench-backtest, in NumPy and in plain Python
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 bench/backtest/reference.py SERIES [RUNS]
#
# SERIES holds the candles, "open high low close" per line (bench-backtest
# sma --series). Prints one line per implementation like bench-backtest:
# name, median and minimum seconds of a run, candles per second at the
# median, closed trades, final equity.
#
# The rules are docs/BACKTESTS.md's for this case, in binary floating point
# (the C works in exact decimals; trades and equity agree to a cent or so):
# SMA(50) and SMA(200) of the closes; a BUY where fast − slow goes from ≤ 0
# to > 0, a SELL where it goes from ≥ 0 to < 0, from candle 200 on (the
# strategy's minimum of 201 candles), never at the last candle; each acts at
# the next open moved 1 bp against the taker and rounded to the 0.01 tick
# on the taker's worse side; a BUY when flat spends all the cash, quantity =
# cash ÷ (price × 1.0001) down to the lot of 0.00001, nothing below a
# notional of 5; a SELL closes; fees 0.01 % of the notional; the equity is marked at every close, and the
# Sharpe ratio, the maximum drawdown and the total return are computed over
# it, as the C computes them (the metrics' cost belongs in the comparison).

import math
import statistics
import sys
import time

import numpy as np

FAST, SLOW = 50, 200
FEE = 0.0001
SLIP = 0.0001
MIN_NOTIONAL = 5.0
LOT = 0.00001
CASH = 10000.0
YEAR_MS = 365 * 86400000
MINUTE_MS = 60000


def load(path):
    data = np.loadtxt(path, dtype=np.float64)
    return data[:, 0].copy(), data[:, 1].copy(), data[:, 2].copy(), data[:, 3].copy()


def annualise(n):
    return n * YEAR_MS / (n * MINUTE_MS)


def numpy_backtest(opens, highs, lows, closes):
    n = len(closes)
    cs = np.concatenate(([0.0], np.cumsum(closes)))
    idx = np.arange(n)
    fast = np.full(n, np.nan)
    slow = np.full(n, np.nan)
    fast[FAST - 1:] = (cs[FAST:] - cs[:-FAST]) / FAST
    slow[SLOW - 1:] = (cs[SLOW:] - cs[:-SLOW]) / SLOW
    diff = fast - slow
    before = np.empty(n)
    before[0] = np.nan
    before[1:] = diff[:-1]
    valid = (idx >= SLOW) & (idx < n - 1)
    buys = np.flatnonzero(valid & (before <= 0) & (diff > 0))
    sells = np.flatnonzero(valid & (before >= 0) & (diff < 0))

    # The round trips: each BUY when flat, closed by the first SELL after it.
    quantity = np.zeros(n)
    cash_path = np.empty(n)
    cash = CASH
    position_start = 0
    trades = 0
    t = 0
    while True:
        k = np.searchsorted(buys, t)
        if k == len(buys):
            break
        entry = buys[k] + 1
        price = math.ceil(opens[entry] * (1 + SLIP) * 100 - 1e-9) / 100
        q = math.floor(cash / (price * (1 + FEE)) / LOT) * LOT
        notional = q * price
        if notional < MIN_NOTIONAL:
            t = entry
            continue
        cash_path[position_start:entry] = cash
        cash -= notional + notional * FEE
        j = np.searchsorted(sells, entry - 1, side="right")
        exit_ = sells[j] + 1 if j < len(sells) else n
        quantity[entry:exit_] = q
        cash_path[entry:exit_] = cash
        if exit_ == n:
            position_start = n
            break
        price = math.floor(opens[exit_] * (1 - SLIP) * 100 + 1e-9) / 100
        notional = q * price
        cash += notional - notional * FEE
        trades += 1
        position_start = exit_
        t = exit_
    cash_path[position_start:] = cash
    equity = cash_path + quantity * closes

    returns = np.diff(np.concatenate(([CASH], equity))) / np.concatenate(([CASH], equity[:-1]))
    periods = annualise(n)
    sd = returns.std(ddof=1)
    sharpe = returns.mean() / sd * math.sqrt(periods) if sd > 0 else 0.0
    peaks = np.maximum.accumulate(np.concatenate(([CASH], equity)))
    max_drawdown = float(((peaks[1:] - equity) / peaks[1:]).max())
    total_return = equity[-1] / CASH - 1
    return trades, float(equity[-1]), sharpe, max_drawdown, total_return


def python_backtest(opens, highs, lows, closes):
    n = len(closes)
    fast_sum = slow_sum = 0.0
    previous = None
    pending = 0
    cash, q = CASH, 0.0
    trades = 0
    count = mean = m2 = 0.0
    before_equity = CASH
    peak, max_drawdown = CASH, 0.0
    for i in range(n):
        if pending == 1 and q == 0:
            price = math.ceil(opens[i] * (1 + SLIP) * 100 - 1e-9) / 100
            q = math.floor(cash / (price * (1 + FEE)) / LOT) * LOT
            notional = q * price
            if notional < MIN_NOTIONAL:
                q = 0.0
            else:
                cash -= notional + notional * FEE
        elif pending == -1 and q > 0:
            price = math.floor(opens[i] * (1 - SLIP) * 100 + 1e-9) / 100
            notional = q * price
            cash += notional - notional * FEE
            q = 0.0
            trades += 1
        pending = 0
        c = closes[i]
        fast_sum += c
        slow_sum += c
        if i >= FAST:
            fast_sum -= closes[i - FAST]
        if i >= SLOW:
            slow_sum -= closes[i - SLOW]
        if i >= SLOW - 1:
            diff = fast_sum / FAST - slow_sum / SLOW
            if previous is not None and i >= SLOW and i < n - 1:
                if previous <= 0 < diff:
                    pending = 1
                elif previous >= 0 > diff:
                    pending = -1
            previous = diff
        equity = cash + q * c
        r = equity / before_equity - 1
        before_equity = equity
        count += 1
        delta = r - mean
        mean += delta / count
        m2 += delta * (r - mean)
        peak = max(peak, equity)
        max_drawdown = max(max_drawdown, (peak - equity) / peak)
    sd = math.sqrt(m2 / (count - 1))
    sharpe = mean / sd * math.sqrt(annualise(n)) if sd > 0 else 0.0
    return trades, equity, sharpe, max_drawdown, equity / CASH - 1


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    opens, highs, lows, closes = load(path)
    n = len(closes)
    for name, fn, k in (("numpy", numpy_backtest, runs), ("python-loop", python_backtest, max(1, runs // 5))):
        fn(opens, highs, lows, closes)
        seconds = []
        for _ in range(k):
            start = time.perf_counter()
            trades, equity, sharpe, drawdown, total = fn(opens, highs, lows, closes)
            seconds.append(time.perf_counter() - start)
        median = statistics.median(seconds)
        print("%s %.4f %.4f %.0f %d %.2f" % (name, median, min(seconds), n / median, trades, equity))


if __name__ == "__main__":
    main()
