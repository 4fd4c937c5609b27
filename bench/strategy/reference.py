#!/usr/bin/python3
# reference.py — the same fits as bench-strategy, in Python, timed the same way
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 bench/strategy/reference.py SERIES [RUNS]
#
# SERIES holds the closes, one per line (bench-strategy --series). Prints one
# line per case like bench-strategy: name, median and minimum milliseconds of
# one fit, runs. Needs python3-statsmodels and python3-numpy (Debian's).
#
# What each case does, so the comparison is fair: the fit and the numbers the
# strategy reports, not its input checks or its levels.
#   ar            statsmodels AutoReg(diff, lags=4, trend="c").fit() and a
#                 5-step forecast
#   ou            numpy least squares of the AR(1) of the log price, θ, μ, σ,
#                 half-life, the z-score over 20 and the volatility ratio 20/100
#   kalman-fixed  a numpy Kalman filter (2 × 2 matrices, one Python step per
#                 candle) of the local linear trend with the exact diffuse
#                 start, fixed variances
#   kalman-fixed-sm  statsmodels UnobservedComponents.filter with the same
#                 variances (its filter loop is compiled)
#   kalman-ml     statsmodels UnobservedComponents.fit (L-BFGS on the
#                 likelihood, exact diffuse start)

import math
import sys
import time

import numpy as np
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.statespace.structural import UnobservedComponents

VARIANCES = (1e-8, 4e-6, 1e-12)


def ar(close):
    d = np.diff(close)
    res = AutoReg(d, lags=4, trend="c").fit()
    return res.params, res.sigma2, close[-1] + np.cumsum(res.forecast(5))


def ou(close):
    x = np.log(close)
    design = np.column_stack((np.ones(len(x) - 1), x[:-1]))
    (a, b), ssr, _, _ = np.linalg.lstsq(design, x[1:], rcond=None)
    residual_variance = ssr[0] / (len(x) - 1)
    theta = -math.log(b)
    mu = a / (1 - b)
    sigma = math.sqrt(residual_variance * 2 * theta / (1 - b * b))
    half_life = math.log(2) / theta
    window = x[-20:]
    z = (x[-1] - window.mean()) / window.std(ddof=1)
    r = np.diff(x)
    ratio = r[-20:].std(ddof=1) / r[-100:].std(ddof=1)
    return theta, mu, sigma, half_life, z, ratio


def kalman_numpy(close):
    y = np.log(close)
    h, ql, qs = VARIANCES
    t_matrix = np.array([[1.0, 1.0], [0.0, 1.0]])
    q = np.diag([ql, qs])
    a = np.zeros(2)
    p_star = np.zeros((2, 2))
    p_inf = np.eye(2)
    loglik = 0.0
    for obs in y:
        v = obs - a[0]
        f_inf = p_inf[0, 0]
        if f_inf > 1e-12:
            m_inf = p_inf[:, 0].copy()
            m_star = p_star[:, 0].copy()
            f_star = p_star[0, 0] + h
            a = a + m_inf * v / f_inf
            p_star = (p_star + np.outer(m_inf, m_inf) * f_star / f_inf ** 2
                      - (np.outer(m_star, m_inf) + np.outer(m_inf, m_star)) / f_inf)
            p_inf = p_inf - np.outer(m_inf, m_inf) / f_inf
            loglik -= 0.5 * (math.log(2 * math.pi) + math.log(f_inf))
        else:
            m = p_star[:, 0].copy()
            f = p_star[0, 0] + h
            a = a + m * v / f
            p_star = p_star - np.outer(m, m) / f
            loglik -= 0.5 * (math.log(2 * math.pi) + math.log(f) + v * v / f)
        level, slope, slope_var = a[0], a[1], p_star[1, 1]
        a = t_matrix @ a
        p_star = t_matrix @ p_star @ t_matrix.T + q
        p_inf = t_matrix @ p_inf @ t_matrix.T
    return level, slope, slope / math.sqrt(slope_var), loglik


def kalman_statsmodels(close):
    model = UnobservedComponents(np.log(close), level="local linear trend", use_exact_diffuse=True)
    res = model.filter(np.array(VARIANCES))
    return res.filtered_state[:, -1], res.llf


def kalman_ml(close):
    model = UnobservedComponents(np.log(close), level="local linear trend", use_exact_diffuse=True)
    res = model.fit(disp=False)
    return res.params, res.llf


def timed(name, function, close, runs):
    function(close)  # warm-up, as bench-strategy does
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(close)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print("%-16s %10.4f %10.4f %5d" % (name, times[len(times) // 2], times[0], runs), flush=True)


def main():
    close = np.loadtxt(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 51
    timed("ar", ar, close, runs)
    timed("ou", ou, close, runs)
    timed("kalman-fixed", kalman_numpy, close, max(5, runs // 10))
    timed("kalman-fixed-sm", kalman_statsmodels, close, max(5, runs // 5))
    timed("kalman-ml", kalman_ml, close, max(3, runs // 25))


if __name__ == "__main__":
    main()
