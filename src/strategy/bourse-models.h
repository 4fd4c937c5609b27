/* bourse-models.h — the statistical fits behind the built-in strategies
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pure numerical code on doubles, shared by the strategies, the reference
 * tests (tests/data/strategy) and bench/strategy. The exact definitions are
 * in docs/STRATEGIES.md. Inputs must be finite; every function returns FALSE
 * instead of producing a NaN. */

#define BOURSE_AR_MAX_LAGS    20
#define BOURSE_AR_MAX_HORIZON 100

/* Model A: AR(p) with a constant on the differences d_t = close_t − close_{t−1},
 * fitted by conditional least squares exactly as statsmodels'
 * AutoReg(d, lags=p, trend="c"). */
typedef struct
{
  guint  lags;
  guint  horizon;
  gsize  nobs;                                      /* differences regressed: n − 1 − p */
  double coefficients[1 + BOURSE_AR_MAX_LAGS];     /* const, φ1 … φp */
  double sigma2;                                    /* residual sum of squares / nobs */
  double forecast[BOURSE_AR_MAX_HORIZON];           /* prices 1 … horizon steps ahead */
  double forecast_sd;                               /* of the price horizon steps ahead */
} BourseArFit;

/* FALSE when there are too few closes (n − 1 − p ≤ p + 1) or the
 * differences are collinear (constant, or in a straight line). */
gboolean bourse_ar_fit   (const double      *close,
                          gsize              n,
                          guint              lags,
                          guint              horizon,
                          BourseArFit       *fit);

/* Model B: the local linear trend model
 *   y_t = μ_t + ε_t,  μ_{t+1} = μ_t + ν_t + ξ_t,  ν_{t+1} = ν_t + ζ_t
 * with variances (observation, level, slope) = Var ε, Var ξ, Var ζ, and the
 * exact diffuse initialisation of Durbin & Koopman (the first two
 * observations fix the state), as statsmodels' UnobservedComponents(y,
 * "local linear trend", use_exact_diffuse=True). */
typedef struct
{
  double observation;
  double level;
  double slope;
} BourseLltVariances;

typedef struct
{
  double level;        /* filtered E[μ_n | y_1 … y_n] */
  double slope;        /* filtered E[ν_n | y_1 … y_n] */
  double level_var;    /* the filtered covariance of (μ_n, ν_n) */
  double covariance;
  double slope_var;
  double loglik;       /* the exact diffuse log-likelihood */
} BourseLltState;

/* Filters y (n ≥ 3) with fixed variances (observation > 0, level and slope
 * ≥ 0). level_path and slope_path (may be NULL) receive the filtered states
 * at every t. */
gboolean bourse_llt_filter (const double             *y,
                            gsize                     n,
                            const BourseLltVariances *variances,
                            double                   *level_path,
                            double                   *slope_path,
                            BourseLltState           *state);
/* Estimates the variances by maximum likelihood (Nelder–Mead on the
 * concentrated likelihood, docs/STRATEGIES.md), then filters with them.
 * *n_evaluations (may be NULL) counts the likelihood evaluations. */
gboolean bourse_llt_fit    (const double             *y,
                            gsize                     n,
                            BourseLltVariances       *variances,
                            BourseLltState           *state,
                            guint                    *n_evaluations);

/* Model C: Ornstein–Uhlenbeck from the AR(1) regression x_t = a + b x_{t−1} + e_t
 * (ordinary least squares, t = 1 … n − 1), one candle as the time unit:
 * θ = −ln b, μ = a / (1 − b), σ = sd(e) √(2θ / (1 − b²)), half-life = ln 2 / θ,
 * with Var e = residual sum of squares / (n − 1). */
typedef struct
{
  double   a;
  double   b;
  double   residual_variance;
  gboolean mean_reverting;   /* 0 < b < 1; theta … half_life are 0 otherwise */
  double   theta;
  double   mu;
  double   sigma;
  double   half_life;
} BourseOuFit;

/* FALSE when n < 3 or x does not vary. */
gboolean bourse_ou_fit     (const double             *x,
                            gsize                     n,
                            BourseOuFit              *fit);

G_END_DECLS
