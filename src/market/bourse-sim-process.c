/* bourse-sim-process.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */


#include <math.h>
#include <string.h>

#include "bourse-sim-process.h"

/*
 * The model, per one-minute step, on the log price x (so prices stay positive):
 *
 *   x += mu(regime) dt + theta (anchor - x) dt [mean-reverting only] + sqrt(h) dW + jumps
 *
 * - Volatility clustering: h, the one-minute variance, follows a GARCH(1,1) recursion
 *   h' = omega + alpha e^2 + beta h on the minute's innovation e, with omega chosen so that the
 *   long-run variance is params->volatility^2.
 * - Regimes: a Markov chain, stepped once a minute, among random walk, trending up, trending down
 *   and mean-reverting, with mean stays of 6 to 12 hours (geometric, so some last days).
 * - Jumps: Poisson arrivals (about one every 33 hours), normal sizes of several sigmas.
 *
 * What each of the project's strategies can find:
 * - AR on differenced closes: the trending regimes give differenced closes a non-zero mean that
 *   persists for hours, and the mean-reverting regime gives them a negative autocorrelation at
 *   the scale of its half-life (the differences of an OU process are an ARMA(1,1)); in the random
 *   walk regime there is nothing to find, which is the honest control.
 * - Kalman local linear trend: the trending regimes' slope (drawn per stay, 0.04 to 0.12 sigma a
 *   minute, so a 6-hour stay moves 15 to 45 sigma against about 19 sigma of noise).
 * - Ornstein–Uhlenbeck mean reversion: the mean-reverting regime, half-lives of 15 to 90 minutes
 *   around an anchor that drifts slowly, so bands of a few sigma around a moving fair value pay.
 *
 * Determinism: the only source of randomness is xoshiro256** seeded through splitmix64, integer
 * arithmetic that is the same everywhere. The floating-point steps after it use +, *, sqrt (exact
 * in IEEE 754) and exp/log/pow/cos from libm; on one architecture and libm the sequence is bit
 * for bit reproducible. Across architectures, contraction into fused multiply-adds (GCC's
 * default on aarch64) or another libm can change the last bits, so the feed stores what it
 * generated rather than regenerating history.
 */

#define SUBSTEP_DT      (1.0 / BOURSE_SIM_SUBSTEPS)

/* GARCH(1,1): alpha + beta = 0.99 gives clustering that decays over about an hour (half-life
 * ln 2 / 0.01 ≈ 69 minutes), and 3 alpha² + 2 alpha beta + beta² < 1 keeps the fourth moment
 * finite, so the autocorrelation of squared returns is well defined (about 0.25 at lag 1). */
#define GARCH_ALPHA 0.07
#define GARCH_BETA  0.92

/* The variance never leaves [1/25, 36] times the long-run variance: no runaway, no zero. */
#define H_MIN_RATIO 0.04
#define H_MAX_RATIO 36.0

/* Jumps: the per-minute arrival probability and the size's standard deviation in long-run
 * sigmas (params->volatility). */
#define JUMP_PROBABILITY (1.0 / 2000.0)
#define JUMP_SIGMAS      7.0

/* Trend slopes and OU half-lives are drawn per stay, so no two trends look alike. */
#define TREND_SLOPE_MIN 0.04
#define TREND_SLOPE_MAX 0.12
#define OU_HALF_LIFE_MIN 15.0
#define OU_HALF_LIFE_MAX 90.0

/* The OU anchor drifts a little each minute: fair value moves, slowly. */
#define ANCHOR_DRIFT_SIGMAS 0.2

/* Quiet ranges and busy trends: a regime scales the diffusion. */
static const double regime_vol_scale[BOURSE_SIM_N_REGIMES] = { 1.0, 1.1, 1.15, 0.8 };

/* Mean stay of each regime, in minutes. */
static const double regime_mean_stay[BOURSE_SIM_N_REGIMES] = { 720.0, 360.0, 360.0, 600.0 };

/* Where a regime goes when it ends (rows sum to one, the diagonal is zero). A trend rarely flips
 * straight into the opposite trend; it pauses in a range or a random walk first. */
static const double regime_next[BOURSE_SIM_N_REGIMES][BOURSE_SIM_N_REGIMES] = {
  /*            walk   up     down   revert */
  /* walk   */ { 0.00, 0.30, 0.30, 0.40 },
  /* up     */ { 0.45, 0.00, 0.15, 0.40 },
  /* down   */ { 0.45, 0.15, 0.00, 0.40 },
  /* revert */ { 0.40, 0.30, 0.30, 0.00 },
};

/* Guards for runs of years: past ×/÷ 20 from the start a gentle pull (half-life 12 hours) brings
 * the price back, and a hard clamp at ×/÷ 10^4 keeps it finite and away from zero whatever
 * happens. Over the 90-day back-fill neither comes into play. */
#define SOFT_BAND_LOG    2.995732273553991  /* ln 20 */
#define HARD_BAND_LOG    9.210340371976184  /* ln 10^4 */
#define GUARD_THETA      (G_LN2 / 720.0)

struct _BourseSimProcess
{
  guint64         rng[4];
  double          spare_normal;
  gboolean        has_spare_normal;

  BourseSimParams params;
  double          log_price0;
  double          log_price;
  double          price;      /* exp (log_price), the next candle's open */
  double          h;          /* one-minute variance for the next minute */
  double          omega;

  BourseSimRegime regime;
  double          trend_slope; /* per minute, in log units; signed */
  double          ou_theta;    /* per minute */
  double          ou_anchor;   /* log price */
};

/* splitmix64: spreads any seed, even 0 or 1, over the full state. */
static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna): fast, 256 bits of state, passes BigCrush. */
static guint64
rng_next (BourseSimProcess *self)
{
  guint64 *s = self->rng;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);

  return result;
}

/* Uniform in the open interval (0, 1): log () of it is always finite. */
static double
rng_uniform (BourseSimProcess *self)
{
  return ((double) (rng_next (self) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Marsaglia's polar method: one log and one sqrt per pair, no trigonometry. */
static double
rng_normal (BourseSimProcess *self)
{
  double u, v, s, f;

  if (self->has_spare_normal)
    {
      self->has_spare_normal = FALSE;
      return self->spare_normal;
    }

  do
    {
      u = 2.0 * rng_uniform (self) - 1.0;
      v = 2.0 * rng_uniform (self) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);

  f = sqrt (-2.0 * log (s) / s);
  self->spare_normal = v * f;
  self->has_spare_normal = TRUE;

  return u * f;
}

static double
rng_range (BourseSimProcess *self,
           double            lo,
           double            hi)
{
  return lo + (hi - lo) * rng_uniform (self);
}

/* Draws what is particular to one stay in a regime. */
static void
enter_regime (BourseSimProcess *self,
              BourseSimRegime   regime)
{
  double sigma = self->params.volatility;

  self->regime = regime;
  self->trend_slope = 0.0;
  self->ou_theta = 0.0;

  switch (regime)
    {
    case BOURSE_SIM_REGIME_TREND_UP:
      self->trend_slope = sigma * rng_range (self, TREND_SLOPE_MIN, TREND_SLOPE_MAX);
      break;

    case BOURSE_SIM_REGIME_TREND_DOWN:
      self->trend_slope = -sigma * rng_range (self, TREND_SLOPE_MIN, TREND_SLOPE_MAX);
      break;

    case BOURSE_SIM_REGIME_MEAN_REVERTING:
      self->ou_theta = G_LN2 / rng_range (self, OU_HALF_LIFE_MIN, OU_HALF_LIFE_MAX);
      /* Fair value starts where the market is; the process then oscillates around it. */
      self->ou_anchor = self->log_price;
      break;

    case BOURSE_SIM_REGIME_RANDOM_WALK:
    case BOURSE_SIM_N_REGIMES:
    default:
      break;
    }
}

static void
step_regime (BourseSimProcess *self)
{
  const double *row;
  double u;
  int i;

  if (rng_uniform (self) >= 1.0 / regime_mean_stay[self->regime])
    return;

  row = regime_next[self->regime];
  u = rng_uniform (self);
  for (i = 0; i < BOURSE_SIM_N_REGIMES - 1; i++)
    {
      if (u < row[i])
        break;
      u -= row[i];
    }

  /* Rounding can leave u just past the last non-zero weight; never re-enter the same regime. */
  if ((BourseSimRegime) i == self->regime)
    i = (i + 1) % BOURSE_SIM_N_REGIMES;

  enter_regime (self, (BourseSimRegime) i);
}

/*
 * The extreme of a Brownian bridge from a to b with variance s2 over the interval, sampled
 * exactly: P(max > m) = exp (-2 (m - a)(m - b) / s2). It is never inside [a, b], so high and low
 * always enclose open and close, and candles get wicks between the five-second samples.
 */
static double
bridge_extreme (BourseSimProcess *self,
                double            a,
                double            b,
                double            s2,
                double            sign)
{
  double d = b - a;

  return 0.5 * (a + b + sign * sqrt (d * d - 2.0 * s2 * log (rng_uniform (self))));
}

/* A mild daily cycle of activity, busiest around 15:00 UTC when Europe and America overlap. */
static double
intraday_activity (gint64 open_time_ms)
{
  gint64 day_ms = 24 * G_GINT64_CONSTANT (3600000);
  gint64 ms = open_time_ms % day_ms;
  double hour;

  if (ms < 0)
    ms += day_ms;
  hour = (double) ms / 3600000.0;

  return 1.0 + 0.3 * cos (2.0 * G_PI * (hour - 15.0) / 24.0);
}

void
bourse_sim_params_init (BourseSimParams *params,
                        double           initial_price)
{
  g_return_if_fail (params != NULL);

  /* About 3 % a day (0.0008 × √1440), a liquid crypto pair; a volume that makes the notional
   * traded a minute a few hundred thousand quote units at any price level. */
  params->initial_price = initial_price;
  params->volatility = 0.0008;
  params->volume = initial_price > 0.0 ? 250000.0 / initial_price : 1.0;
}

/* FNV-1a of the symbol, mixed with the base seed: stable across runs, machines and GLib
 * versions, unlike g_str_hash (), so each instrument gets its own reproducible history. */
guint64
bourse_sim_seed_for_symbol (guint64     base_seed,
                            const char *symbol)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  guint64 state;

  g_return_val_if_fail (symbol != NULL, base_seed);

  for (const guchar *p = (const guchar *) symbol; *p != '\0'; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }

  state = base_seed ^ h;
  return splitmix64 (&state);
}

const char *
bourse_sim_regime_to_string (BourseSimRegime regime)
{
  static const char * const names[BOURSE_SIM_N_REGIMES] = {
    "random-walk", "trend-up", "trend-down", "mean-reverting",
  };

  g_return_val_if_fail ((int) regime >= 0 && regime < BOURSE_SIM_N_REGIMES, NULL);

  return names[regime];
}

static gboolean
params_are_valid (const BourseSimParams *params)
{
  return isfinite (params->initial_price) &&
         params->initial_price >= 1e-6 && params->initial_price <= 1e9 &&
         isfinite (params->volatility) &&
         params->volatility > 0.0 && params->volatility <= 0.05 &&
         isfinite (params->volume) && params->volume > 0.0;
}

BourseSimProcess *
bourse_sim_process_new (guint64                seed,
                        const BourseSimParams *params)
{
  BourseSimProcess *self;
  guint64 state = seed;
  double sigma2;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (params_are_valid (params), NULL);

  self = g_new0 (BourseSimProcess, 1);

  for (guint i = 0; i < G_N_ELEMENTS (self->rng); i++)
    self->rng[i] = splitmix64 (&state);

  self->params = *params;
  sigma2 = params->volatility * params->volatility;
  /* Jumps add JUMP_PROBABILITY × JUMP_SIGMAS² h to the expected squared innovation; omega
   * allows for it so that the long-run variance is sigma² as asked. */
  self->omega = sigma2 * (1.0 - GARCH_ALPHA * (1.0 + JUMP_PROBABILITY * JUMP_SIGMAS * JUMP_SIGMAS) -
                          GARCH_BETA);
  self->h = sigma2;
  self->log_price0 = log (params->initial_price);
  self->log_price = self->log_price0;
  self->price = params->initial_price;

  /* The starting regime comes from the seed too, so instruments do not all start alike. */
  enter_regime (self, (BourseSimRegime) (rng_next (self) >> 62));

  return self;
}

void
bourse_sim_process_free (BourseSimProcess *self)
{
  g_free (self);
}

void
bourse_sim_process_next_candle (BourseSimProcess *self,
                                gint64            open_time_ms,
                                BourseSimCandle  *out)
{
  bourse_sim_process_next_candle_path (self, open_time_ms, out, NULL);
}

void
bourse_sim_process_next_candle_path (BourseSimProcess *self,
                                     gint64            open_time_ms,
                                     BourseSimCandle  *out,
                                     double           *path)
{
  double sigma, sub_sd, sub_var, drift, x, x_open, hi, lo, innovation, z_sum;
  double activity, standardized, volume;
  guint n_jumps = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  step_regime (self);

  sigma = self->params.volatility;
  sub_sd = sqrt (self->h * SUBSTEP_DT) * regime_vol_scale[self->regime];
  sub_var = sub_sd * sub_sd;
  drift = self->trend_slope * SUBSTEP_DT;

  x_open = x = self->log_price;
  hi = lo = x;
  innovation = 0.0;
  z_sum = 0.0;

  for (guint k = 0; k < BOURSE_SIM_SUBSTEPS; k++)
    {
      double a = x;
      double dx, z, band_excess;

      z = rng_normal (self);
      z_sum += z;
      dx = drift + sub_sd * z;

      if (self->regime == BOURSE_SIM_REGIME_MEAN_REVERTING)
        dx += self->ou_theta * (self->ou_anchor - x) * SUBSTEP_DT;

      band_excess = x - self->log_price0;
      band_excess -= CLAMP (band_excess, -SOFT_BAND_LOG, SOFT_BAND_LOG);
      dx -= GUARD_THETA * band_excess * SUBSTEP_DT;

      /* Jumps arrive per sub-step, so the gap shows inside the candle, not at its edge. */
      if (rng_uniform (self) < JUMP_PROBABILITY * SUBSTEP_DT)
        {
          /* News does not wait for a calm market: sizes are in long-run sigmas, not local
           * ones, or a jump in a nervous hour would compound into a crash every few weeks. */
          double jump = JUMP_SIGMAS * sigma * rng_normal (self);

          dx += jump;
          innovation += jump;
          n_jumps++;
        }

      x = CLAMP (a + dx, self->log_price0 - HARD_BAND_LOG, self->log_price0 + HARD_BAND_LOG);
      if (path != NULL)
        path[k] = exp (x);

      hi = MAX (hi, bridge_extreme (self, a, x, sub_var, 1.0));
      lo = MIN (lo, bridge_extreme (self, a, x, sub_var, -1.0));
    }

  hi = MIN (hi, self->log_price0 + HARD_BAND_LOG);
  lo = MAX (lo, self->log_price0 - HARD_BAND_LOG);

  /* The minute's innovation, jumps included, feeds the variance: markets stay nervous after a
   * gap, which is also what makes squared returns cluster. The regime's scale is left out, or a
   * busy trend (scale² × alpha + beta > 1) would make the recursion explode to its clamp. */
  innovation += sqrt (self->h * SUBSTEP_DT) * z_sum;
  self->h = self->omega + GARCH_ALPHA * innovation * innovation + GARCH_BETA * self->h;
  self->h = CLAMP (self->h, H_MIN_RATIO * sigma * sigma, H_MAX_RATIO * sigma * sigma);

  if (self->regime == BOURSE_SIM_REGIME_MEAN_REVERTING)
    self->ou_anchor += ANCHOR_DRIFT_SIGMAS * sigma * rng_normal (self);

  /* Volume follows activity: higher when volatility is high, higher in a minute that moved, and
   * much higher in a minute with a jump; a log-normal factor keeps it from being a function of
   * the price path alone. Every factor is positive. */
  activity = sqrt (self->h) / sigma;
  standardized = fabs (x - x_open) / (sub_sd * sqrt ((double) BOURSE_SIM_SUBSTEPS));
  volume = self->params.volume *
           intraday_activity (open_time_ms) *
           pow (activity, 0.8) *
           (0.4 + 0.6 * MIN (standardized, 20.0)) *
           exp (0.35 * rng_normal (self) - 0.06125) *
           (n_jumps > 0 ? 3.0 : 1.0);

  memset (out, 0, sizeof *out);
  out->open_time_ms = open_time_ms;
  out->open = self->price;
  out->close = exp (x);
  /* exp () is monotonic, so these hold already; the MAX/MIN make it independent of libm. */
  out->high = MAX (exp (hi), MAX (out->open, out->close));
  out->low = MIN (exp (lo), MIN (out->open, out->close));
  out->volume = MAX (volume, self->params.volume * 1e-6);
  out->regime = self->regime;
  out->n_jumps = n_jumps;

  self->log_price = x;
  self->price = out->close;
}

BourseSimRegime
bourse_sim_process_get_regime (BourseSimProcess *self)
{
  g_return_val_if_fail (self != NULL, BOURSE_SIM_REGIME_RANDOM_WALK);

  return self->regime;
}

/* The last close, which is the next candle's open. */
double
bourse_sim_process_get_price (BourseSimProcess *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->price;
}

/* The model's standard deviation of the next one-minute log return, before the regime's scale. */
double
bourse_sim_process_get_volatility (BourseSimProcess *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return sqrt (self->h);
}
