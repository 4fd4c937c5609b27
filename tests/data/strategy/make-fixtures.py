#!/usr/bin/python3
# make-fixtures.py — the reference numbers tests/unit/test-strategies.c checks
# the built-in strategies' models against.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 tests/data/strategy/make-fixtures.py [OUTPUT_DIR]
#        (default: the directory of this script)
#
# Needs Debian's python3-statsmodels and python3-numpy (apt-get install
# python3-statsmodels python3-numpy; Debian's Python is /usr/bin/python3).
# The test suite never runs this script: its output, ar.json, kalman.json and
# ou.json, is committed, and holds the input series too, so the C test reads
# exactly what the references were computed from. Run it again only to add a
# case; the series come from fixed seeds, so an unchanged case gives the same
# inputs (the references may move in the last digits with another
# statsmodels).
#
# The references are independent of Bourse's code: statsmodels' AutoReg for
# model A, statsmodels' UnobservedComponents (exact diffuse initialisation,
# Kalman filter) for model B, statsmodels' OLS for model C.

import json
import math
import os
import sys

import numpy as np
import statsmodels
from statsmodels.regression.linear_model import OLS
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.statespace.structural import UnobservedComponents


def floats(values):
    # repr() of a Python float round-trips, and so does json-glib's parser.
    return [float(v) for v in values]


def ar_driven_prices(seed, n, start, const, phi, sd):
    rng = np.random.default_rng(seed)
    p = len(phi)
    d = np.zeros(n + 100)
    e = rng.standard_normal(n + 100) * sd
    for t in range(p, n + 100):
        d[t] = const + sum(phi[i] * d[t - 1 - i] for i in range(p)) + e[t]
    # A burn-in of 100 changes, then n prices.
    return start + np.concatenate(([0.0], np.cumsum(d[101:])))[:n]


def random_walk_prices(seed, n, start, sd, tick):
    rng = np.random.default_rng(seed)
    log_p = math.log(start) + np.concatenate(([0.0], np.cumsum(rng.standard_normal(n - 1) * sd)))
    # On the tick grid, as stored candles are.
    return np.round(np.exp(log_p) / tick) * tick


def llt_log_prices(seed, n, start, slope, sd_obs, sd_level, sd_slope):
    rng = np.random.default_rng(seed)
    level, trend = math.log(start), slope
    y = np.empty(n)
    for t in range(n):
        y[t] = level + sd_obs * rng.standard_normal()
        level += trend + sd_level * rng.standard_normal()
        trend += sd_slope * rng.standard_normal()
    return np.exp(y)


def ou_prices(seed, n, mu_price, theta, sigma):
    rng = np.random.default_rng(seed)
    b = math.exp(-theta)
    sd = sigma * math.sqrt((1 - b * b) / (2 * theta))
    x = np.empty(n)
    x[0] = math.log(mu_price)
    for t in range(1, n):
        x[t] = math.log(mu_price) + b * (x[t - 1] - math.log(mu_price)) + sd * rng.standard_normal()
    return np.exp(x)


def ar_case(name, close, lags, horizon):
    d = np.diff(close)
    res = AutoReg(d, lags=lags, trend="c", old_names=False).fit()
    fd = res.forecast(horizon)
    return {
        "name": name,
        "close": floats(close),
        "lags": lags,
        "horizon": horizon,
        "nobs": int(res.nobs),
        "coefficients": floats(res.params),
        "sigma2": float(res.sigma2),
        "forecast_changes": floats(fd),
        "forecast": floats(close[-1] + np.cumsum(fd)),
    }


def llt_model(y):
    model = UnobservedComponents(y, level="local linear trend", use_exact_diffuse=True)
    # statsmodels stops updating the covariance once it looks converged
    # (tolerance 1e-19 on its change), which moves the states by up to ~1e-7;
    # the exact filter is the reference.
    model.ssm.tolerance = 0
    return model


def kalman_case(name, close, variances, with_ml):
    y = np.log(close)
    model = llt_model(y)
    res = model.filter(np.array(variances))
    fs = res.filtered_state
    cov = res.filtered_state_cov[:, :, -1]
    case = {
        "name": name,
        "close": floats(close),
        "variances": floats(variances),
        "level": floats(fs[0]),
        "slope": floats(fs[1]),
        "final_covariance": floats([cov[0, 0], cov[0, 1], cov[1, 1]]),
        "loglik": float(res.llf),
    }
    if with_ml:
        fit = llt_model(y).fit(disp=False, maxiter=2000)
        case["ml"] = {"variances": floats(fit.params), "loglik": float(fit.llf)}
    return case


def ou_case(name, close, window, short_window, long_window):
    x = np.log(close)
    res = OLS(x[1:], np.column_stack((np.ones(len(x) - 1), x[:-1]))).fit()
    a, b = (float(v) for v in res.params)
    residual_variance = float(res.ssr) / float(res.nobs)
    case = {
        "name": name,
        "close": floats(close),
        "a": a,
        "b": b,
        "residual_variance": residual_variance,
        "mean_reverting": bool(0 < b < 1),
        "window": window,
        "short_window": short_window,
        "long_window": long_window,
    }
    if 0 < b < 1:
        theta = -math.log(b)
        case.update({
            "theta": theta,
            "mu": a / (1 - b),
            "sigma": math.sqrt(residual_variance * 2 * theta / (1 - b * b)),
            "half_life": math.log(2) / theta,
        })
    last = x[-window:]
    case["z"] = float((x[-1] - last.mean()) / last.std(ddof=1))
    r = np.diff(x)
    case["vol_ratio"] = float(r[-short_window:].std(ddof=1) / r[-long_window:].std(ddof=1))
    return case


def write(directory, name, cases):
    document = {
        "generator": "tests/data/strategy/make-fixtures.py",
        "statsmodels": statsmodels.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    with open(os.path.join(directory, name), "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

    ar4 = ar_driven_prices(3, 500, 100.0, 0.02, [0.3, -0.2, 0.1, 0.05], 0.5)
    btc = random_walk_prices(5, 1000, 65000.0, 0.002, 0.01)
    write(directory, "ar.json", [
        ar_case("ar4-drift", ar4, 4, 5),
        ar_case("btc-walk", btc, 4, 5),
        ar_case("ar4-drift-short", ar4[:30], 4, 5),
        ar_case("ar4-drift-lags2", ar4, 2, 10),
        ar_case("btc-walk-lags8", btc, 8, 5),
    ])

    trend = llt_log_prices(7, 400, 100.0, 0.001, 0.005, 0.01, 0.0001)
    write(directory, "kalman.json", [
        kalman_case("trend", trend, [2.5e-5, 1e-4, 1e-8], True),
        kalman_case("trend-other-variances", trend, [1e-4, 1e-5, 1e-6], False),
        kalman_case("btc-walk", btc, [1e-8, 4e-6, 1e-12], True),
    ])

    write(directory, "ou.json", [
        ou_case("ou-slow", ou_prices(11, 500, 100.0, 0.05, 0.01), 20, 10, 100),
        ou_case("ou-fast", ou_prices(13, 500, 2500.0, 0.5, 0.02), 20, 10, 100),
        ou_case("btc-walk", btc[:500], 20, 10, 100),
    ])


if __name__ == "__main__":
    main()
