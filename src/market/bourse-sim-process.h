/* bourse-sim-process.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The price process behind the simulated feed: pure and deterministic, one-minute candles as
 * doubles (analytics territory, DESIGN.md §4); the feed rounds them to the instrument's tick with
 * BourseDecimal before they are stored. */

typedef enum
{
  BOURSE_SIM_REGIME_RANDOM_WALK,
  BOURSE_SIM_REGIME_TREND_UP,
  BOURSE_SIM_REGIME_TREND_DOWN,
  BOURSE_SIM_REGIME_MEAN_REVERTING,
  BOURSE_SIM_N_REGIMES
} BourseSimRegime;

/* Sub-steps per one-minute candle: 12 of five seconds. */
#define BOURSE_SIM_SUBSTEPS 12

typedef struct
{
  double initial_price; /* first open, in quote units; 1e-6 … 1e9 */
  double volatility;    /* base standard deviation of a one-minute log return; (0, 0.05] */
  double volume;        /* mean one-minute volume, in base units; > 0 */
} BourseSimParams;

/* No padding, so two candles compare with memcmp (). */
typedef struct
{
  gint64          open_time_ms;
  double          open;
  double          high;
  double          low;
  double          close;
  double          volume;
  BourseSimRegime regime;  /* the regime the whole minute was generated in */
  guint           n_jumps; /* jumps that arrived during the minute */
} BourseSimCandle;

typedef struct _BourseSimProcess BourseSimProcess;

void              bourse_sim_params_init            (BourseSimParams       *params,
                                                     double                 initial_price);
guint64           bourse_sim_seed_for_symbol        (guint64                base_seed,
                                                     const char            *symbol);
const char       *bourse_sim_regime_to_string       (BourseSimRegime        regime);

BourseSimProcess *bourse_sim_process_new            (guint64                seed,
                                                     const BourseSimParams *params);
void              bourse_sim_process_free           (BourseSimProcess      *self);
void              bourse_sim_process_next_candle    (BourseSimProcess      *self,
                                                     gint64                 open_time_ms,
                                                     BourseSimCandle       *out);
/* The same, and the price at the end of each sub-step into @path
 * (BOURSE_SIM_SUBSTEPS doubles; the last one is the close), for a feed
 * that shows the candle forming. Draws exactly what next_candle () does. */
void              bourse_sim_process_next_candle_path (BourseSimProcess *self,
                                                       gint64            open_time_ms,
                                                       BourseSimCandle  *out,
                                                       double           *path);
BourseSimRegime   bourse_sim_process_get_regime     (BourseSimProcess      *self);
double            bourse_sim_process_get_price      (BourseSimProcess      *self);
double            bourse_sim_process_get_volatility (BourseSimProcess      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseSimProcess, bourse_sim_process_free)

G_END_DECLS
