/* bourse-models.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "bourse-models.h"

#define LOG_2PI 1.8378770664093454835606594728112

/* A pivot this small next to its diagonal means the regressors are collinear. */
#define PIVOT_TOLERANCE 1e-12

/*
 * Solves A x = b for the symmetric positive definite p × p matrix A (row
 * major, only the lower triangle read) by Cholesky, in place: A receives the
 * factor and b the solution. FALSE when A is singular to working precision.
 */
static gboolean
cholesky_solve (double *a,
                double *b,
                guint   p)
{
  double scale = 0;

  for (guint i = 0; i < p; i++)
    scale = MAX (scale, a[i * p + i]);
  if (!(scale > 0))
    return FALSE;

  for (guint j = 0; j < p; j++)
    {
      double pivot = a[j * p + j];

      for (guint k = 0; k < j; k++)
        pivot -= a[j * p + k] * a[j * p + k];
      if (!(pivot > PIVOT_TOLERANCE * scale))
        return FALSE;
      a[j * p + j] = sqrt (pivot);
      for (guint i = j + 1; i < p; i++)
        {
          double sum = a[i * p + j];

          for (guint k = 0; k < j; k++)
            sum -= a[i * p + k] * a[j * p + k];
          a[i * p + j] = sum / a[j * p + j];
        }
    }

  /* L z = b, then Lᵀ x = z. */
  for (guint i = 0; i < p; i++)
    {
      for (guint k = 0; k < i; k++)
        b[i] -= a[i * p + k] * b[k];
      b[i] /= a[i * p + i];
    }
  for (guint i = p; i-- > 0;)
    {
      for (guint k = i + 1; k < p; k++)
        b[i] -= a[k * p + i] * b[k];
      b[i] /= a[i * p + i];
    }
  return TRUE;
}

gboolean
bourse_ar_fit (const double *close,
               gsize         n,
               guint         lags,
               guint         horizon,
               BourseArFit  *fit)
{
  double a[BOURSE_AR_MAX_LAGS * BOURSE_AR_MAX_LAGS] = { 0 };
  double phi[BOURSE_AR_MAX_LAGS] = { 0 };
  double x_mean[BOURSE_AR_MAX_LAGS + 1] = { 0 };
  double centred[BOURSE_AR_MAX_LAGS + 1];
  double path[BOURSE_AR_MAX_LAGS + BOURSE_AR_MAX_HORIZON];
  double psi[BOURSE_AR_MAX_HORIZON];
  g_autofree double *d = NULL;
  double y_mean, constant, ssr = 0, price, cumulative = 0, variance_sum = 0;
  gsize m, nobs;
  guint p = lags;

  g_return_val_if_fail (lags >= 1 && lags <= BOURSE_AR_MAX_LAGS, FALSE);
  g_return_val_if_fail (horizon >= 1 && horizon <= BOURSE_AR_MAX_HORIZON, FALSE);
  g_return_val_if_fail (fit != NULL, FALSE);

  memset (fit, 0, sizeof *fit);
  if (close == NULL || n < 2)
    return FALSE;
  m = n - 1;
  /* Keep a residual degree of freedom beyond the p + 1 coefficients. */
  if (m <= 2 * (gsize) p + 1)
    return FALSE;
  nobs = m - p;

  d = g_new (double, m);
  for (gsize t = 0; t < m; t++)
    d[t] = close[t + 1] - close[t];

  /* With a constant in the model, the slopes are the least-squares fit of
   * the centred variables (Frisch–Waugh), which is better conditioned than
   * the raw normal equations when the mean change is large next to its
   * spread; x_mean[0] is the mean of y, x_mean[i] that of lag i. */
  for (gsize t = p; t < m; t++)
    for (guint i = 0; i <= p; i++)
      x_mean[i] += d[t - i];
  for (guint i = 0; i <= p; i++)
    x_mean[i] /= nobs;
  y_mean = x_mean[0];

  for (gsize t = p; t < m; t++)
    {
      for (guint i = 0; i <= p; i++)
        centred[i] = d[t - i] - x_mean[i];
      for (guint i = 1; i <= p; i++)
        {
          for (guint j = 1; j <= i; j++)
            a[(i - 1) * p + (j - 1)] += centred[i] * centred[j];
          phi[i - 1] += centred[i] * centred[0];
        }
    }
  if (!cholesky_solve (a, phi, p))
    return FALSE;

  constant = y_mean;
  for (guint i = 1; i <= p; i++)
    constant -= phi[i - 1] * x_mean[i];

  /* The residuals again, rather than yᵀy − βᵀXᵀy, which cancels. */
  for (gsize t = p; t < m; t++)
    {
      double e = d[t] - constant;

      for (guint i = 1; i <= p; i++)
        e -= phi[i - 1] * d[t - i];
      ssr += e * e;
    }

  fit->lags = p;
  fit->horizon = horizon;
  fit->nobs = nobs;
  fit->coefficients[0] = constant;
  memcpy (fit->coefficients + 1, phi, p * sizeof (double));
  fit->sigma2 = ssr / nobs;

  /* The recursive forecast of the changes, summed onto the last close. */
  memcpy (path, d + m - p, p * sizeof (double));
  price = close[n - 1];
  for (guint j = 0; j < horizon; j++)
    {
      double next = constant;

      for (guint i = 1; i <= p; i++)
        next += phi[i - 1] * path[p + j - i];
      path[p + j] = next;
      price += next;
      fit->forecast[j] = price;
    }

  /* The price error h steps ahead is Σ_{k<h} Ψ_k ε, with ψ the MA(∞)
   * weights of the AR on the changes and Ψ their partial sums. */
  for (guint j = 0; j < horizon; j++)
    {
      psi[j] = j == 0 ? 1.0 : 0.0;
      for (guint i = 1; i <= MIN (j, p); i++)
        psi[j] += phi[i - 1] * psi[j - i];
      cumulative += psi[j];
      variance_sum += cumulative * cumulative;
    }
  fit->forecast_sd = sqrt (fit->sigma2 * variance_sum);

  for (guint i = 0; i <= p; i++)
    if (!isfinite (fit->coefficients[i]))
      return FALSE;
  for (guint j = 0; j < horizon; j++)
    if (!isfinite (fit->forecast[j]))
      return FALSE;
  return isfinite (fit->sigma2) && isfinite (fit->forecast_sd);
}

/* What one pass of the filter leaves, for the likelihood and the metrics. */
typedef struct
{
  double sum_log_f;        /* Σ log F_t over the non-diffuse steps */
  double sum_v2_f;         /* Σ v_t² / F_t over the non-diffuse steps */
  double sum_log_diffuse;  /* Σ log F∞_t over the diffuse steps */
  gsize  n_diffuse;
  BourseLltState state;    /* level … slope_var; loglik unset */
} FilterPass;

/* The diffuse steps end once P∞ is zero; for this model that is exactly
 * after two observations, so any small positive bound works. */
#define DIFFUSE_TOLERANCE 1e-12

/* A predicted covariance that changes by less than this, relatively, has
 * converged: from then on the gain and F are constant and only the state
 * moves. */
#define STEADY_TOLERANCE 1e-15

static gboolean
converged (double previous,
           double current)
{
  return fabs (current - previous) <= STEADY_TOLERANCE * fabs (current);
}

/*
 * Σ log f for many positive f: a log per step would be most of the
 * filter's time, so the f are multiplied in blocks of eight (the variances
 * the strategies allow keep a block's product far inside the double range)
 * and the block's product is logged; a block that over- or underflows
 * anyway is taken again one log at a time.
 */
typedef struct
{
  double product;
  double block[8];
  guint  count;
  double sum;
} LogSum;

static inline void
log_sum_flush (LogSum *s)
{
  if (isnormal (s->product))
    s->sum += log (s->product);
  else
    for (guint i = 0; i < s->count; i++)
      s->sum += log (s->block[i]);
  s->product = 1.0;
  s->count = 0;
}

static inline void
log_sum_add (LogSum *s,
             double  f)
{
  s->block[s->count++] = f;
  s->product *= f;
  if (s->count == G_N_ELEMENTS (s->block))
    log_sum_flush (s);
}

static double
log_sum_finish (LogSum *s)
{
  log_sum_flush (s);
  return s->sum;
}

/*
 * The univariate exact diffuse Kalman filter (Durbin & Koopman, Time Series
 * Analysis by State Space Methods, 2nd ed., §5.2 and §6.4) for the local
 * linear trend: Z = [1 0], T = [[1 1] [0 1]], R = I, Q = diag(ql, qs),
 * H = h, a_1 = 0, P*_1 = 0, P∞_1 = I.
 */
static void
llt_pass (const double *y,
          gsize         n,
          double        h,
          double        ql,
          double        qs,
          double       *level_path,
          double       *slope_path,
          FilterPass   *pass)
{
  /* Predicted state and covariances, P* = [p00 p01; p01 p11], P∞ likewise. */
  double a0 = 0, a1 = 0;
  double p00 = 0, p01 = 0, p11 = 0;
  double i00 = 1, i01 = 0, i11 = 1;
  double f00 = 0, f01 = 0, f11 = 0;
  gboolean steady = FALSE;
  double steady_f = 0, steady_k0 = 0, steady_k1 = 0;
  LogSum logs = { .product = 1.0 };
  gsize t = 0;

  memset (pass, 0, sizeof *pass);

  for (; t < n && !steady; t++)
    {
      double v = y[t] - a0;

      if (i00 > DIFFUSE_TOLERANCE)
        {
          double fi = i00;
          double fs = p00 + h;
          double m0 = i00, m1 = i01;  /* M∞ = P∞ Zᵀ */
          double s0 = p00, s1 = p01;  /* M* = P* Zᵀ */
          double c = fs / (fi * fi);

          a0 += m0 * v / fi;
          a1 += m1 * v / fi;
          f00 = p00 + m0 * m0 * c - 2 * s0 * m0 / fi;
          f01 = p01 + m0 * m1 * c - (s0 * m1 + m0 * s1) / fi;
          f11 = p11 + m1 * m1 * c - 2 * s1 * m1 / fi;
          i00 -= m0 * m0 / fi;
          i01 -= m0 * m1 / fi;
          i11 -= m1 * m1 / fi;
          pass->sum_log_diffuse += log (fi);
          pass->n_diffuse++;

          /* Predict P∞ as P*. */
          {
            double j00 = i00 + 2 * i01 + i11, j01 = i01 + i11;

            i00 = j00;
            i01 = j01;
          }
        }
      else
        {
          double f = p00 + h;
          double inv_f = 1.0 / f;
          double k0 = p00 * inv_f, k1 = p01 * inv_f;

          a0 += k0 * v;
          a1 += k1 * v;
          f00 = p00 - k0 * p00;
          f01 = p01 - k0 * p01;
          f11 = p11 - k1 * p01;
          log_sum_add (&logs, f);
          pass->sum_v2_f += v * v * inv_f;
        }

      if (level_path != NULL)
        level_path[t] = a0;
      if (slope_path != NULL)
        slope_path[t] = a1;
      pass->state.level = a0;
      pass->state.slope = a1;
      pass->state.level_var = f00;
      pass->state.covariance = f01;
      pass->state.slope_var = f11;

      /* Predict. */
      {
        double n00 = f00 + 2 * f01 + f11 + ql;
        double n01 = f01 + f11;
        double n11 = f11 + qs;

        if (pass->n_diffuse < t + 1
            && converged (p00, n00) && converged (p01, n01) && converged (p11, n11))
          {
            steady = TRUE;
            steady_f = n00 + h;
            steady_k0 = n00 / steady_f;
            steady_k1 = n01 / steady_f;
          }
        p00 = n00;
        p01 = n01;
        p11 = n11;
        a0 += a1;
      }
    }

  pass->sum_log_f = log_sum_finish (&logs);

  if (t < n)
    {
      /* Steady state: the same gain every step, the filtered covariance
       * that of the converged step. */
      double log_f = log (steady_f);
      double sum_v2 = 0;

      for (; t < n; t++)
        {
          double v = y[t] - a0;

          a0 += steady_k0 * v;
          a1 += steady_k1 * v;
          sum_v2 += v * v;
          if (level_path != NULL)
            level_path[t] = a0;
          if (slope_path != NULL)
            slope_path[t] = a1;
          pass->state.level = a0;
          pass->state.slope = a1;
          a0 += a1;
          pass->sum_log_f += log_f;
        }
      pass->sum_v2_f += sum_v2 / steady_f;
    }
}

static gboolean
variances_valid (const BourseLltVariances *v)
{
  return isfinite (v->observation) && v->observation > 0
         && isfinite (v->level) && v->level >= 0
         && isfinite (v->slope) && v->slope >= 0;
}

static gboolean
state_finite (const BourseLltState *s)
{
  return isfinite (s->level) && isfinite (s->slope) && isfinite (s->level_var)
         && isfinite (s->covariance) && isfinite (s->slope_var) && isfinite (s->loglik);
}

gboolean
bourse_llt_filter (const double             *y,
                   gsize                     n,
                   const BourseLltVariances *variances,
                   double                   *level_path,
                   double                   *slope_path,
                   BourseLltState           *state)
{
  FilterPass pass;

  g_return_val_if_fail (variances != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  memset (state, 0, sizeof *state);
  if (y == NULL || n < 3 || !variances_valid (variances))
    return FALSE;

  llt_pass (y, n, variances->observation, variances->level, variances->slope,
            level_path, slope_path, &pass);
  *state = pass.state;
  /* A covariance that is nil in exact arithmetic may come out a hair below. */
  state->level_var = MAX (state->level_var, 0);
  state->slope_var = MAX (state->slope_var, 0);
  state->loglik = -0.5 * (n * LOG_2PI + pass.sum_log_diffuse + pass.sum_log_f + pass.sum_v2_f);
  return state_finite (state);
}

/* The log-variance ratios the optimiser works in are kept inside ±BOUND:
 * e^±23 ≈ 10^±10, beyond which a variance is zero for all purposes. */
#define RATIO_BOUND 23.0

typedef struct
{
  const double *y;
  gsize         n;
  guint         evaluations;
} Likelihood;

/*
 * Minus the log-likelihood concentrated over the level variance s: with
 * variances s × (e^u, 1, e^w) the states do not depend on s, F scales with
 * it, and the likelihood peaks at s = Σ v²/F / N (N non-diffuse steps).
 * The level variance is the scale because it is the one that prices always
 * have; observation noise and slope noise may well be nil.
 */
static double
concentrated_cost (Likelihood   *lik,
                   const double  u[2],
                   double       *scale)
{
  double cu = CLAMP (u[0], -RATIO_BOUND, RATIO_BOUND);
  double cw = CLAMP (u[1], -RATIO_BOUND, RATIO_BOUND);
  double outside = (u[0] - cu) * (u[0] - cu) + (u[1] - cw) * (u[1] - cw);
  FilterPass pass;
  gsize nn;
  double s, cost;

  lik->evaluations++;
  llt_pass (lik->y, lik->n, exp (cu), 1.0, exp (cw), NULL, NULL, &pass);
  nn = lik->n - pass.n_diffuse;
  s = pass.sum_v2_f / nn;
  if (scale != NULL)
    *scale = s;
  if (!(s > 0) || !isfinite (s))
    return G_MAXDOUBLE;
  cost = 0.5 * (lik->n * LOG_2PI + pass.sum_log_diffuse + pass.sum_log_f + nn * (log (s) + 1));
  /* Outside the box the cost is that of its edge, plus a slope back in. */
  return isfinite (cost) ? cost + outside : G_MAXDOUBLE;
}

/*
 * Nelder–Mead (Lagarias et al., SIAM J. Optim. 9 (1998): reflection 1,
 * expansion 2, contraction ½, shrink ½) in two dimensions. Stops when the
 * simplex's values agree to 1e-10 relative and its vertices to 1e-6, or
 * after max_evaluations.
 */
#define F_TOLERANCE 1e-12
#define X_TOLERANCE 1e-6

static void
nelder_mead (Likelihood *lik,
             double      x[2],
             double      step,
             guint       max_evaluations)
{
  double v[3][2], f[3];
  guint start = lik->evaluations;

  for (guint i = 0; i < 3; i++)
    {
      v[i][0] = x[0] + (i == 1 ? step : 0);
      v[i][1] = x[1] + (i == 2 ? step : 0);
      f[i] = concentrated_cost (lik, v[i], NULL);
    }

  while (lik->evaluations - start < max_evaluations)
    {
      double centroid[2], r[2], fr;
      guint best = 0, worst = 0, middle;

      for (guint i = 1; i < 3; i++)
        {
          if (f[i] < f[best])
            best = i;
          if (f[i] >= f[worst])
            worst = i;
        }
      if (best == worst)
        worst = (best + 1) % 3;
      middle = 3 - best - worst;

      /* Converged when the values agree (a nil variance leaves the cost
       * flat along its ratio, where the vertices need not agree), or when
       * the vertices do. */
      if (f[worst] - f[best] <= F_TOLERANCE * (1 + fabs (f[best]))
          || (MAX (fabs (v[worst][0] - v[best][0]), fabs (v[middle][0] - v[best][0])) <= X_TOLERANCE
              && MAX (fabs (v[worst][1] - v[best][1]), fabs (v[middle][1] - v[best][1])) <= X_TOLERANCE))
        break;

      for (guint k = 0; k < 2; k++)
        {
          centroid[k] = (v[best][k] + v[middle][k]) / 2;
          r[k] = centroid[k] + (centroid[k] - v[worst][k]);
        }
      fr = concentrated_cost (lik, r, NULL);

      if (fr < f[best])
        {
          double e[2], fe;

          for (guint k = 0; k < 2; k++)
            e[k] = centroid[k] + 2 * (centroid[k] - v[worst][k]);
          fe = concentrated_cost (lik, e, NULL);
          if (fe < fr)
            {
              memcpy (v[worst], e, sizeof e);
              f[worst] = fe;
            }
          else
            {
              memcpy (v[worst], r, sizeof r);
              f[worst] = fr;
            }
        }
      else if (fr < f[middle])
        {
          memcpy (v[worst], r, sizeof r);
          f[worst] = fr;
        }
      else
        {
          double c[2], fc;
          gboolean outside = fr < f[worst];

          for (guint k = 0; k < 2; k++)
            c[k] = outside ? centroid[k] + 0.5 * (r[k] - centroid[k])
                           : centroid[k] + 0.5 * (v[worst][k] - centroid[k]);
          fc = concentrated_cost (lik, c, NULL);
          if (fc < (outside ? fr : f[worst]))
            {
              memcpy (v[worst], c, sizeof c);
              f[worst] = fc;
            }
          else
            {
              for (guint i = 0; i < 3; i++)
                if (i != best)
                  {
                    for (guint k = 0; k < 2; k++)
                      v[i][k] = v[best][k] + 0.5 * (v[i][k] - v[best][k]);
                    f[i] = concentrated_cost (lik, v[i], NULL);
                  }
            }
        }
    }

  {
    guint best = 0;

    for (guint i = 1; i < 3; i++)
      if (f[i] < f[best])
        best = i;
    x[0] = v[best][0];
    x[1] = v[best][1];
  }
}

/*
 * The starting point: the second differences of a local linear trend are
 * an MA(2) with autocovariances γ0 = σζ² + 2σξ² + 6σε², γ1 = −σξ² − 4σε²,
 * γ2 = σε², which give all three variances by the method of moments.
 * Negative estimates are floored at a small share of γ0.
 */
static void
moment_start (const double *y,
              gsize         n,
              double        u[2])
{
  double g[3] = { 0 }, mean = 0, eps, xi, zeta, floor_;
  gsize m = n - 2;

  for (gsize t = 0; t < m; t++)
    mean += y[t + 2] - 2 * y[t + 1] + y[t];
  mean /= m;
  for (guint lag = 0; lag < 3; lag++)
    {
      for (gsize t = lag; t < m; t++)
        g[lag] += (y[t + 2] - 2 * y[t + 1] + y[t] - mean)
                  * (y[t + 2 - lag] - 2 * y[t + 1 - lag] + y[t - lag] - mean);
      g[lag] /= m;
    }

  floor_ = 1e-4 * MAX (g[0], G_MINDOUBLE);
  eps = MAX (g[2], floor_);
  xi = MAX (-g[1] - 4 * g[2], floor_);
  zeta = MAX (g[0] - 2 * xi - 6 * eps, floor_);
  u[0] = CLAMP (log (eps / xi), -RATIO_BOUND, RATIO_BOUND);
  u[1] = CLAMP (log (zeta / xi), -RATIO_BOUND, RATIO_BOUND);
}

gboolean
bourse_llt_fit (const double       *y,
                gsize               n,
                BourseLltVariances *variances,
                BourseLltState     *state,
                guint              *n_evaluations)
{
  Likelihood lik = { y, n, 0 };
  double u[2], scale = 0;

  g_return_val_if_fail (variances != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  memset (variances, 0, sizeof *variances);
  memset (state, 0, sizeof *state);
  if (n_evaluations != NULL)
    *n_evaluations = 0;
  if (y == NULL || n < 5)
    return FALSE;

  moment_start (y, n, u);
  nelder_mead (&lik, u, 1.0, 400);
  /* A restart from the optimum: Nelder–Mead can stall on a ridge. */
  nelder_mead (&lik, u, 0.25, 200);
  u[0] = CLAMP (u[0], -RATIO_BOUND, RATIO_BOUND);
  u[1] = CLAMP (u[1], -RATIO_BOUND, RATIO_BOUND);
  if (concentrated_cost (&lik, u, &scale) == G_MAXDOUBLE)
    return FALSE;
  if (n_evaluations != NULL)
    *n_evaluations = lik.evaluations;

  variances->observation = scale * exp (u[0]);
  variances->level = scale;
  variances->slope = scale * exp (u[1]);
  return bourse_llt_filter (y, n, variances, NULL, NULL, state);
}

gboolean
bourse_ou_fit (const double *x,
               gsize         n,
               BourseOuFit  *fit)
{
  double mean0 = 0, mean1 = 0, sxx = 0, sxy = 0, ssr = 0, a, b;
  gsize m;

  g_return_val_if_fail (fit != NULL, FALSE);

  memset (fit, 0, sizeof *fit);
  if (x == NULL || n < 3)
    return FALSE;
  m = n - 1;

  for (gsize t = 1; t < n; t++)
    {
      mean0 += x[t - 1];
      mean1 += x[t];
    }
  mean0 /= m;
  mean1 /= m;
  for (gsize t = 1; t < n; t++)
    {
      double dx = x[t - 1] - mean0;

      sxx += dx * dx;
      sxy += dx * (x[t] - mean1);
    }
  if (!(sxx > 0))
    return FALSE;
  b = sxy / sxx;
  a = mean1 - b * mean0;
  for (gsize t = 1; t < n; t++)
    {
      double e = x[t] - a - b * x[t - 1];

      ssr += e * e;
    }

  fit->a = a;
  fit->b = b;
  fit->residual_variance = ssr / m;
  fit->mean_reverting = b > 0 && b < 1;
  if (fit->mean_reverting)
    {
      fit->theta = -log (b);
      fit->mu = a / (1 - b);
      fit->sigma = sqrt (fit->residual_variance * 2 * fit->theta / (1 - b * b));
      fit->half_life = G_LN2 / fit->theta;
    }
  return isfinite (a) && isfinite (b) && isfinite (fit->residual_variance)
         && isfinite (fit->theta) && isfinite (fit->mu) && isfinite (fit->sigma)
         && isfinite (fit->half_life);
}
