/* test-sim-process.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include "market/bourse-sim-process.h"

#define SEED            G_GUINT64_CONSTANT (20261121)
#define MS_PER_MINUTE   G_GINT64_CONSTANT (60000)
#define START_MS        G_GINT64_CONSTANT (1767225600000) /* 2026-01-01T00:00:00Z */
#define N_NINETY_DAYS   (90 * 24 * 60)

/* memcmp () on candles compares no padding bytes. */
G_STATIC_ASSERT (sizeof (BourseSimCandle) ==
                 sizeof (gint64) + 5 * sizeof (double) + 2 * sizeof (guint));

/* One 90-day back-fill shared by the statistical cases: generating it once keeps the suite
 * fast under the sanitizers. */
static BourseSimCandle *history;

static BourseSimProcess *
new_process (guint64 seed)
{
  BourseSimParams params;

  bourse_sim_params_init (&params, 50000.0);
  return bourse_sim_process_new (seed, &params);
}

static BourseSimCandle *
generate (guint64 seed,
          guint   n)
{
  g_autoptr(BourseSimProcess) process = new_process (seed);
  BourseSimCandle *candles = g_new (BourseSimCandle, n);

  for (guint i = 0; i < n; i++)
    bourse_sim_process_next_candle (process, START_MS + i * MS_PER_MINUTE, &candles[i]);

  return candles;
}

static const BourseSimCandle *
get_history (void)
{
  if (history == NULL)
    history = generate (SEED, N_NINETY_DAYS);

  return history;
}

static double
log_return (const BourseSimCandle *candle)
{
  return log (candle->close / candle->open);
}

static void
test_reproducible (void)
{
  const guint n = 10000;
  g_autofree BourseSimCandle *a = generate (SEED, n);
  g_autofree BourseSimCandle *b = generate (SEED, n);
  g_autofree BourseSimCandle *c = generate (SEED + 1, n);
  guint differing = 0;

  g_assert_cmpint (memcmp (a, b, n * sizeof *a), ==, 0);
  g_assert_cmpint (memcmp (a, c, n * sizeof *a), !=, 0);

  /* Another seed is another market, not the same one shifted by a few bits. */
  for (guint i = 0; i < n; i++)
    differing += a[i].close != c[i].close;
  g_assert_cmpuint (differing, >, n - 10);
}

static void
test_seed_for_symbol (void)
{
  guint64 btc = bourse_sim_seed_for_symbol (SEED, "BTCUSDT");

  g_assert_cmpuint (btc, ==, bourse_sim_seed_for_symbol (SEED, "BTCUSDT"));
  g_assert_cmpuint (btc, !=, bourse_sim_seed_for_symbol (SEED, "ETHUSDT"));
  g_assert_cmpuint (btc, !=, bourse_sim_seed_for_symbol (SEED + 1, "BTCUSDT"));
}

static void
test_invalid_params (void)
{
  BourseSimParams params;

  bourse_sim_params_init (&params, 100.0);
  params.volatility = 0.0;
  g_test_expect_message ("bourse-market", G_LOG_LEVEL_CRITICAL, "*params_are_valid*");
  g_assert_null (bourse_sim_process_new (SEED, &params));
  g_test_assert_expected_messages ();

  bourse_sim_params_init (&params, NAN);
  g_test_expect_message ("bourse-market", G_LOG_LEVEL_CRITICAL, "*params_are_valid*");
  g_assert_null (bourse_sim_process_new (SEED, &params));
  g_test_assert_expected_messages ();
}

/* OHLC invariants, continuity, positivity and finiteness over 100,000 candles, at the extremes
 * of the price range and of the volatility the parameters allow as well. */
static void
check_invariants (double price,
                  double volatility)
{
  const guint n = 100000;
  BourseSimParams params;
  g_autoptr(BourseSimProcess) process = NULL;
  BourseSimCandle prev = { 0 }, cur;

  bourse_sim_params_init (&params, price);
  params.volatility = volatility;
  process = bourse_sim_process_new (SEED, &params);
  g_assert_nonnull (process);

  for (guint i = 0; i < n; i++)
    {
      gint64 t = START_MS + i * MS_PER_MINUTE;

      bourse_sim_process_next_candle (process, t, &cur);

      g_assert_cmpint (cur.open_time_ms, ==, t);
      g_assert_true (isfinite (cur.open) && isfinite (cur.high) && isfinite (cur.low) &&
                     isfinite (cur.close) && isfinite (cur.volume));
      g_assert_cmpfloat (cur.low, >, 0.0);
      /* The guard's hard band, give or take the rounding of exp (). */
      g_assert_cmpfloat (cur.low, >=, price * 1e-4 * (1.0 - 1e-12));
      g_assert_cmpfloat (cur.high, <=, price * 1e4 * (1.0 + 1e-12));
      g_assert_cmpfloat (cur.high, >=, MAX (cur.open, cur.close));
      g_assert_cmpfloat (cur.low, <=, MIN (cur.open, cur.close));
      g_assert_cmpfloat (cur.volume, >, 0.0);
      g_assert_cmpint (cur.regime, <, BOURSE_SIM_N_REGIMES);
      g_assert_cmpint (bourse_sim_process_get_regime (process), ==, cur.regime);
      g_assert_cmpfloat (bourse_sim_process_get_price (process), ==, cur.close);

      if (i == 0)
        g_assert_cmpfloat (cur.open, ==, price);
      else
        g_assert_cmpfloat (cur.open, ==, prev.close);

      prev = cur;
    }
}

static void
test_invariants (void)
{
  check_invariants (50000.0, 0.0008);
}

static void
test_invariants_extremes (void)
{
  check_invariants (1e-6, 0.05);
  check_invariants (1e9, 0.05);
}

static double
autocorrelation (const double *x,
                 guint         n,
                 guint         lag)
{
  double mean = 0.0, num = 0.0, den = 0.0;

  for (guint i = 0; i < n; i++)
    mean += x[i];
  mean /= n;

  for (guint i = 0; i < n; i++)
    {
      den += (x[i] - mean) * (x[i] - mean);
      if (i + lag < n)
        num += (x[i] - mean) * (x[i + lag] - mean);
    }

  return num / den;
}

static void
test_volatility_clustering (void)
{
  const BourseSimCandle *c = get_history ();
  g_autofree double *squared = g_new (double, N_NINETY_DAYS);
  g_autofree double *walk = g_new (double, N_NINETY_DAYS);
  guint n_walk = 0;
  double rho;

  for (guint i = 0; i < N_NINETY_DAYS; i++)
    {
      double r = log_return (&c[i]);

      squared[i] = r * r;
      /* Consecutive random-walk minutes only: no regime boundary inside a pair. */
      if (c[i].regime == BOURSE_SIM_REGIME_RANDOM_WALK &&
          (n_walk == 0 || c[i - 1].regime == BOURSE_SIM_REGIME_RANDOM_WALK))
        walk[n_walk++] = r;
    }

  for (guint lag = 1; lag <= 5; lag++)
    {
      rho = autocorrelation (squared, N_NINETY_DAYS, lag);
      g_test_message ("squared returns, lag %u: %.3f", lag, rho);
      g_assert_cmpfloat (rho, >, 0.05);
    }

  g_assert_cmpuint (n_walk, >, 5000);
  rho = autocorrelation (walk, n_walk, 1);
  g_test_message ("random-walk returns, lag 1: %.4f over %u minutes", rho, n_walk);
  g_assert_cmpfloat (fabs (rho), <, 0.03);
}

static void
test_regimes (void)
{
  const BourseSimCandle *c = get_history ();
  guint minutes[BOURSE_SIM_N_REGIMES] = { 0 };
  guint stays[BOURSE_SIM_N_REGIMES] = { 0 };

  for (guint i = 0; i < N_NINETY_DAYS; i++)
    {
      minutes[c[i].regime]++;
      if (i == 0 || c[i].regime != c[i - 1].regime)
        stays[c[i].regime]++;
    }

  for (guint r = 0; r < BOURSE_SIM_N_REGIMES; r++)
    {
      double mean_stay;

      g_assert_cmpuint (stays[r], >, 0);
      mean_stay = (double) minutes[r] / stays[r];
      g_test_message ("%s: %u minutes in %u stays, %.0f minutes each",
                      bourse_sim_regime_to_string (r), minutes[r], stays[r], mean_stay);
      g_assert_cmpuint (minutes[r], >, N_NINETY_DAYS / 20);
      g_assert_cmpfloat (mean_stay, >, 60.0);
    }
}

static void
test_jumps (void)
{
  const BourseSimCandle *c = get_history ();
  double sigma = 0.0008, ewma = sigma * sigma;
  guint big = 0, jumps = 0;

  /* The local volatility is an exponentially weighted average of past squared returns (RiskMetrics'
   * 0.94), measured before the minute it judges. */
  for (guint i = 0; i < N_NINETY_DAYS; i++)
    {
      double r = log_return (&c[i]);

      if (fabs (r) > 6.0 * sqrt (ewma))
        big++;
      jumps += c[i].n_jumps;
      ewma = 0.94 * ewma + 0.06 * r * r;
    }

  g_test_message ("%u jumps, %u returns beyond 6 local sigmas", jumps, big);
  g_assert_cmpuint (jumps, >, 10);
  g_assert_cmpuint (big, >, 5);
  g_assert_cmpuint (big, <, N_NINETY_DAYS / 1000);
}

/* Pooled within-segment AR(1) coefficient of the log close, and the variance ratio at the given
 * horizon, over the maximal runs of one regime at least min_length long. */
static void
segment_statistics (const BourseSimCandle *c,
                    guint                  n,
                    BourseSimRegime        regime,
                    guint                  min_length,
                    guint                  horizon,
                    double                *out_phi,
                    double                *out_variance_ratio)
{
  double sxy = 0.0, sxx = 0.0, v1 = 0.0, vk = 0.0;
  guint n1 = 0, nk = 0;
  guint start = 0;

  while (start < n)
    {
      guint end = start;
      guint len;

      while (end < n && c[end].regime == c[start].regime)
        end++;
      len = end - start;

      if (c[start].regime == regime && len >= min_length)
        {
          double mx = 0.0, my = 0.0;

          for (guint i = start; i + 1 < end; i++)
            {
              mx += log (c[i].close);
              my += log (c[i + 1].close);
            }
          mx /= len - 1;
          my /= len - 1;

          for (guint i = start; i + 1 < end; i++)
            {
              double dx = log (c[i].close) - mx;
              double dy = log (c[i + 1].close) - my;

              sxy += dx * dy;
              sxx += dx * dx;
            }

          for (guint i = start; i + 1 < end; i++)
            {
              double d = log (c[i + 1].close / c[i].close);

              v1 += d * d;
              n1++;
            }
          for (guint i = start; i + horizon < end; i++)
            {
              double d = log (c[i + horizon].close / c[i].close);

              vk += d * d;
              nk++;
            }
        }

      start = end;
    }

  g_assert_cmpuint (nk, >, 0);
  *out_phi = sxy / sxx;
  *out_variance_ratio = (vk / nk) / (horizon * v1 / n1);
}

static void
test_mean_reversion (void)
{
  const BourseSimCandle *c = get_history ();
  double phi_ou, vr_ou, phi_walk, vr_walk, half_life;

  segment_statistics (c, N_NINETY_DAYS, BOURSE_SIM_REGIME_MEAN_REVERTING, 360, 240,
                      &phi_ou, &vr_ou);
  segment_statistics (c, N_NINETY_DAYS, BOURSE_SIM_REGIME_RANDOM_WALK, 360, 240,
                      &phi_walk, &vr_walk);

  half_life = -G_LN2 / log (phi_ou);
  g_test_message ("mean-reverting: phi %.5f, half-life %.1f min, variance ratio(240) %.2f",
                  phi_ou, half_life, vr_ou);
  g_test_message ("random walk: phi %.5f, half-life %.1f min, variance ratio(240) %.2f",
                  phi_walk, -G_LN2 / log (phi_walk), vr_walk);

  g_assert_cmpfloat (phi_ou, <, 1.0);
  g_assert_cmpfloat (half_life, >, 5.0);
  g_assert_cmpfloat (half_life, <, 240.0);
  /* Short segments bias any AR(1) fit toward reversion; the random walk is the control. */
  g_assert_cmpfloat (phi_ou, <, phi_walk);
  g_assert_cmpfloat (vr_ou, <, 0.6);
  g_assert_cmpfloat (vr_walk, >, 0.6);
}

static void
test_trends (void)
{
  const BourseSimCandle *c = get_history ();
  double sum[BOURSE_SIM_N_REGIMES] = { 0 }, sum2[BOURSE_SIM_N_REGIMES] = { 0 };
  guint count[BOURSE_SIM_N_REGIMES] = { 0 };
  double t_up, t_down;

  for (guint i = 0; i < N_NINETY_DAYS; i++)
    {
      double r = log_return (&c[i]);

      sum[c[i].regime] += r;
      sum2[c[i].regime] += r * r;
      count[c[i].regime]++;
    }

#define T_STAT(r) (sum[r] / sqrt (sum2[r]))
  t_up = T_STAT (BOURSE_SIM_REGIME_TREND_UP);
  t_down = T_STAT (BOURSE_SIM_REGIME_TREND_DOWN);
#undef T_STAT

  g_test_message ("trend up: mean %.3g, t %.1f; trend down: mean %.3g, t %.1f",
                  sum[BOURSE_SIM_REGIME_TREND_UP] / count[BOURSE_SIM_REGIME_TREND_UP], t_up,
                  sum[BOURSE_SIM_REGIME_TREND_DOWN] / count[BOURSE_SIM_REGIME_TREND_DOWN], t_down);
  g_assert_cmpfloat (t_up, >, 3.0);
  g_assert_cmpfloat (t_down, <, -3.0);
}

static void
test_volume (void)
{
  const BourseSimCandle *c = get_history ();
  g_autofree double *pairs = g_new (double, 2 * N_NINETY_DAYS);
  double ma = 0.0, mv = 0.0, sab = 0.0, saa = 0.0, sbb = 0.0, rho;

  for (guint i = 0; i < N_NINETY_DAYS; i++)
    {
      pairs[2 * i] = fabs (log_return (&c[i]));
      pairs[2 * i + 1] = c[i].volume;
      ma += pairs[2 * i];
      mv += pairs[2 * i + 1];
    }
  ma /= N_NINETY_DAYS;
  mv /= N_NINETY_DAYS;

  for (guint i = 0; i < N_NINETY_DAYS; i++)
    {
      double a = pairs[2 * i] - ma, b = pairs[2 * i + 1] - mv;

      sab += a * b;
      saa += a * a;
      sbb += b * b;
    }
  rho = sab / sqrt (saa * sbb);

  g_test_message ("corr (|return|, volume) %.2f", rho);
  g_assert_cmpfloat (rho, >, 0.3);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-process/reproducible", test_reproducible);
  g_test_add_func ("/sim-process/seed-for-symbol", test_seed_for_symbol);
  g_test_add_func ("/sim-process/invalid-params", test_invalid_params);
  g_test_add_func ("/sim-process/invariants", test_invariants);
  g_test_add_func ("/sim-process/invariants-extremes", test_invariants_extremes);
  g_test_add_func ("/sim-process/volatility-clustering", test_volatility_clustering);
  g_test_add_func ("/sim-process/regimes", test_regimes);
  g_test_add_func ("/sim-process/jumps", test_jumps);
  g_test_add_func ("/sim-process/mean-reversion", test_mean_reversion);
  g_test_add_func ("/sim-process/trends", test_trends);
  g_test_add_func ("/sim-process/volume", test_volume);

  ret = g_test_run ();
  g_clear_pointer (&history, g_free);

  return ret;
}
