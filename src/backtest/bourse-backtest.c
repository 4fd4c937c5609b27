/* bourse-backtest.c — replaying stored candles through a strategy, the paper fill model and the ledger
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "The rules" is what this file does, rule by rule.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "portfolio/bourse-ledger.h"
#include "risk/bourse-risk.h"
#include "trading/bourse-paper-broker.h"

#include "bourse-backtest-metrics.h"
#include "bourse-backtest.h"

/* How often a run reports progress and looks at its cancellable. */
#define PROGRESS_EVERY 4096
#define DAY_MS         G_GINT64_CONSTANT (86400000)

/* Series {{{ */

typedef struct
{
  BourseBacktestSeries  series;
  gatomicrefcount       ref_count;
  gsize                 capacity;   /* of the arrays, while loading */
} Series;

static Series *
series_alloc (gsize n_candles)
{
  Series *self = g_new0 (Series, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->series.n_candles = n_candles;
  self->capacity = MAX (n_candles, 1);
  self->series.open_time = g_new (gint64, MAX (n_candles, 1));
  self->series.open = g_new (double, MAX (n_candles, 1));
  self->series.high = g_new (double, MAX (n_candles, 1));
  self->series.low = g_new (double, MAX (n_candles, 1));
  self->series.close = g_new (double, MAX (n_candles, 1));
  self->series.volume = g_new (double, MAX (n_candles, 1));
  return self;
}

static void
series_set_instrument (BourseBacktestSeries   *series,
                       const BourseInstrument *instrument,
                       BourseInterval          interval)
{
  series->symbol = g_strdup (instrument->symbol);
  series->base_asset = g_strdup (instrument->base_asset);
  series->quote_asset = g_strdup (instrument->quote_asset);
  series->tick_size = instrument->tick_size;
  series->lot_step = instrument->lot_step;
  series->min_notional = instrument->min_notional;
  series->interval = interval;
}

static void
series_set_candle (BourseBacktestSeries *series,
                   gsize                 i,
                   const BourseCandle   *candle)
{
  series->open_time[i] = candle->open_time;
  series->open[i] = bourse_decimal_to_double (candle->open);
  series->high[i] = bourse_decimal_to_double (candle->high);
  series->low[i] = bourse_decimal_to_double (candle->low);
  series->close[i] = bourse_decimal_to_double (candle->close);
  series->volume[i] = bourse_decimal_to_double (candle->volume);
}

BourseBacktestSeries *
bourse_backtest_series_new (const BourseInstrument *instrument,
                            BourseInterval          interval,
                            const BourseCandle     *candles,
                            gsize                   n_candles,
                            gsize                   first)
{
  Series *self;

  g_return_val_if_fail (instrument != NULL, NULL);
  g_return_val_if_fail (candles != NULL || n_candles == 0, NULL);
  g_return_val_if_fail (first <= n_candles, NULL);

  self = series_alloc (n_candles);
  series_set_instrument (&self->series, instrument, interval);
  for (gsize i = 0; i < n_candles; i++)
    series_set_candle (&self->series, i, &candles[i]);
  self->series.first = first;
  return &self->series;
}

/* Appends a candle to a series being loaded, growing its arrays: a long
 * history goes from the store into them a page at a time, never through
 * an array of BourseCandle as big as itself. */
static gboolean
append_candle (const BourseCandle  *candle,
               gpointer             user_data,
               GError             **error)
{
  Series *self = user_data;
  BourseBacktestSeries *series = &self->series;

  if (series->n_candles == self->capacity)
    {
      self->capacity = MAX (1024, self->capacity + self->capacity / 2);
      series->open_time = g_renew (gint64, series->open_time, self->capacity);
      series->open = g_renew (double, series->open, self->capacity);
      series->high = g_renew (double, series->high, self->capacity);
      series->low = g_renew (double, series->low, self->capacity);
      series->close = g_renew (double, series->close, self->capacity);
      series->volume = g_renew (double, series->volume, self->capacity);
    }
  series_set_candle (series, series->n_candles++, candle);
  return TRUE;
}

BourseBacktestSeries *
bourse_backtest_series_load (BourseStore     *store,
                             const char      *symbol,
                             BourseInterval   interval,
                             gint64           start_ms,
                             gint64           end_ms,
                             guint            history,
                             GError         **error)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(BourseBacktestSeries) series = NULL;
  Series *self;

  g_return_val_if_fail (symbol != NULL, NULL);

  instrument = bourse_instruments_find (store, symbol, error);
  if (instrument == NULL)
    return NULL;
  self = series_alloc (0);
  series = &self->series;
  series_set_instrument (series, instrument, interval);
  if (history > 0
      && !bourse_candles_foreach_closed (store, instrument->id, interval,
                                         bourse_interval_step_back (interval, start_ms, history), start_ms - 1,
                                         append_candle, self, error))
    return NULL;
  series->first = series->n_candles;
  if (!bourse_candles_foreach_closed (store, instrument->id, interval, start_ms, end_ms - 1, append_candle, self,
                                      error))
    return NULL;
  if (series->n_candles == series->first)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "start",
                              _("There are no closed %s candles of %s between start and end"),
                              bourse_interval_to_string (interval), symbol);
      return NULL;
    }
  return g_steal_pointer (&series);
}

BourseBacktestSeries *
bourse_backtest_series_ref (BourseBacktestSeries *series)
{
  Series *self = (Series *) series;

  g_return_val_if_fail (series != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return series;
}

void
bourse_backtest_series_unref (BourseBacktestSeries *series)
{
  Series *self = (Series *) series;

  if (series == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (series->symbol);
  g_free (series->base_asset);
  g_free (series->quote_asset);
  g_free (series->open_time);
  g_free (series->open);
  g_free (series->high);
  g_free (series->low);
  g_free (series->close);
  g_free (series->volume);
  g_free (self);
}

BourseDecimal
bourse_backtest_series_price (const BourseBacktestSeries *series,
                              double                      price)
{
  /* Stored decimals became doubles by one correctly rounded division;
   * below 2^53 units the nearest unit is the one they came from. */
  return (BourseDecimal) { (gint64) llround (price * (double) BOURSE_DECIMAL_UNIT) };
}

/* }}} */

/* The spec {{{ */

const char *
bourse_backtest_exits_to_string (BourseBacktestExits exits)
{
  switch (exits)
    {
    case BOURSE_BACKTEST_EXITS_SIGNALS: return "signals";
    case BOURSE_BACKTEST_EXITS_LEVELS:  return "levels";
    case BOURSE_BACKTEST_EXITS_BOTH:    return "both";
    default:                            g_return_val_if_reached ("both");
    }
}

gboolean
bourse_backtest_exits_parse (const char          *text,
                             BourseBacktestExits *exits)
{
  for (BourseBacktestExits e = BOURSE_BACKTEST_EXITS_SIGNALS; e <= BOURSE_BACKTEST_EXITS_BOTH; e++)
    if (g_strcmp0 (text, bourse_backtest_exits_to_string (e)) == 0)
      {
        *exits = e;
        return TRUE;
      }
  return FALSE;
}

void
bourse_backtest_spec_init (BourseBacktestSpec *spec,
                           BourseStrategy     *strategy,
                           JsonObject         *params)
{
  memset (spec, 0, sizeof *spec);
  spec->strategy = strategy;
  spec->params = params;
  spec->starting_cash.units = 10000 * BOURSE_DECIMAL_UNIT;
  /* The paper broker's defaults (paper.taker_fee, paper.slippage_bps). */
  spec->fee_rate.units = BOURSE_DECIMAL_UNIT / 1000;
  spec->slippage_bps = 2;
  spec->stake_fraction.units = BOURSE_DECIMAL_UNIT;
  spec->exits = BOURSE_BACKTEST_EXITS_BOTH;
}

guint
bourse_backtest_spec_get_lookback (const BourseBacktestSpec *spec)
{
  guint minimum = bourse_strategy_get_min_candles (spec->strategy, spec->params);

  if (spec->lookback > 0)
    return MAX (spec->lookback, minimum);
  return MAX (minimum, BOURSE_STRATEGY_LIVE_WINDOW);
}

static gboolean
check_spec (const BourseBacktestSpec *spec,
            GError                  **error)
{
  if (spec->starting_cash.units <= 0)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "starting_cash", _("The starting cash must be above zero"));
  else if (spec->fee_rate.units < 0 || spec->fee_rate.units > BOURSE_DECIMAL_UNIT / 10)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "fee_rate", _("The fee rate must be between 0 and 0.1"));
  else if (spec->slippage_bps < 0 || spec->slippage_bps > 1000)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "slippage_bps",
                            _("The slippage must be between 0 and 1000 basis points"));
  else if (spec->stake_fraction.units <= 0 || spec->stake_fraction.units > BOURSE_DECIMAL_UNIT)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "stake_fraction",
                            _("The stake fraction must be above 0 and at most 1"));
  else if ((guint) spec->exits > BOURSE_BACKTEST_EXITS_BOTH)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "exits", _("Exits must be signals, levels or both"));
  else
    return TRUE;
  return FALSE;
}

/* }}} */

/* The run {{{ */

typedef struct
{
  const BourseBacktestSeries *series;
  const BourseBacktestSpec   *spec;
  BourseDecimal               cash;
  BourseLedgerPosition        position;
  BourseDecimal               fees;
  BourseBacktestTrade         trade;         /* the open round trip, when position.quantity != 0 */
  BourseDecimal               stop_loss;     /* its levels; zero: none */
  BourseDecimal               take_profit;
  BourseBacktestResult       *result;
  BourseBacktestStats         stats;
  /* With risk limits: the live BourseRisk, in the run's own time. */
  BourseRisk                 *risk;
  gint64                      now;               /* its clock */
  gint64                      day;               /* the midnight (UTC) day_start_equity is of */
  BourseDecimal               day_start_equity;
  BourseDecimal               snapshot_equity;   /* the last equity at a candle's close */
} Run;

static BourseDecimal
dec_abs (BourseDecimal value)
{
  return (BourseDecimal) { value.units < 0 ? -value.units : value.units };
}

/* Books a fill through the ledger and moves the cash. */
static gboolean
book (Run            *run,
      gboolean        buy,
      BourseDecimal   quantity,
      BourseDecimal   notional,
      BourseDecimal   fee,
      BourseLedgerChange *change,
      GError        **error)
{
  BourseDecimal delta;

  return bourse_ledger_book (&run->position, buy, quantity, notional, fee, change, error)
         && bourse_ledger_cash_delta (buy, notional, fee, &delta, error)
         && bourse_decimal_add (run->cash, delta, &run->cash, error)
         && bourse_decimal_add (run->fees, fee, &run->fees, error);
}

/* Cash + the position at @close (or at any price: the equity then). */
static gboolean
mark (Run            *run,
      BourseDecimal   close,
      BourseDecimal  *equity,
      GError        **error)
{
  BourseDecimal value;

  return bourse_decimal_mul (run->position.quantity, close, BOURSE_ROUND_HALF_EVEN, &value, error)
         && bourse_decimal_add (run->cash, value, equity, error);
}

/* Risk {{{ */

static gint64
run_clock (gpointer data)
{
  Run *run = data;

  return run->now;
}

static gint64
midnight_of (gint64 ms)
{
  return ms - (ms % DAY_MS + DAY_MS) % DAY_MS;
}

/* Today's net PnL as the live ledger reckons it: the equity less the
 * equity when the UTC day began, which is the last snapshot before
 * midnight (here a candle's close) or the starting cash. Called before the
 * snapshot of the moment is recorded, so the last one is before midnight
 * whenever the day has just changed. */
static gboolean
daily_pnl (Run            *run,
           BourseDecimal   equity,
           BourseDecimal  *pnl,
           GError        **error)
{
  gint64 midnight = midnight_of (run->now);

  if (midnight != run->day)
    {
      run->day = midnight;
      run->day_start_equity = run->snapshot_equity;
    }
  return bourse_decimal_sub (equity, run->day_start_equity, pnl, error);
}

/* What the live ledger tells the protections after a fill or a snapshot:
 * the equity, the position valued at @price, and today's PnL. */
static gboolean
note_equity (Run            *run,
             BourseDecimal   price,
             GError        **error)
{
  BourseDecimal equity, today;

  if (!mark (run, price, &equity, error) || !daily_pnl (run, equity, &today, error))
    return FALSE;
  bourse_risk_note_equity (run->risk, equity, today);
  return TRUE;
}

/* The one pre-trade check, with the order the live trading module would
 * build for this MARKET order of the engine (user 0: the global limits),
 * at @price; *allowed says whether it passed, a refusal counted by the
 * limit that refused it. */
static gboolean
check_order (Run            *run,
             gboolean        reduces,
             BourseDecimal   quantity,
             BourseDecimal   price,
             gboolean       *allowed,
             GError        **error)
{
  g_autoptr(GError) refusal = NULL;
  BourseRiskOrder order = {
    .user_id = 0,
    .symbol = run->series->symbol,
    .reduces = reduces,
    .open_orders = 0,
  };
  BourseDecimal equity;
  const char *field;
  gpointer count;

  /* An entry is from flat, an exit closes the whole position: the
   * position once filled is the order, or nothing. */
  if (!bourse_decimal_mul (quantity, price, BOURSE_ROUND_HALF_EVEN, &order.notional, error)
      || !mark (run, price, &equity, error)
      || !daily_pnl (run, equity, &order.daily_pnl, error))
    return FALSE;
  order.position_notional = reduces ? BOURSE_DECIMAL_ZERO : order.notional;

  *allowed = bourse_risk_check_order (run->risk, &order, &refusal);
  if (*allowed)
    return TRUE;
  field = bourse_error_get_field (refusal);
  if (field == NULL)
    field = "risk";
  count = g_hash_table_lookup (run->result->refusals, field);
  g_hash_table_insert (run->result->refusals, g_strdup (field), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
  run->result->n_refused++;
  return TRUE;
}

/* A risk for the run from the spec's limits; a member they got wrong is
 * named under risk_limits, as the API's 422 names it. */
static BourseRisk *
risk_new (Run     *run,
          GError **error)
{
  g_autoptr(GError) local_error = NULL;
  BourseRisk *risk;
  const char *field;

  if ((risk = bourse_risk_new_simulated (run->spec->risk_limits, run_clock, run, &local_error)) != NULL)
    return risk;
  if ((field = bourse_error_get_field (local_error)) != NULL)
    {
      g_autofree char *path = g_strconcat ("risk_limits.", field, NULL);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, path, "%s", local_error->message);
    }
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* }}} */

/* The stake: the free cash's fraction ÷ (price × (1 + fee rate)), exactly,
 * down to the lot; then less by a lot while the rounded notional and fee
 * would cost more than the stake (a unit or two can). Nothing below the
 * minimum notional. */
static gboolean
size_entry (Run            *run,
            BourseDecimal   price,
            BourseDecimal  *quantity,
            BourseDecimal  *notional,
            BourseDecimal  *fee,
            GError        **error)
{
  const BourseBacktestSeries *series = run->series;
  gint64 lot = series->lot_step.units > 0 ? series->lot_step.units : 1;
  BourseDecimal stake;
  __int128 units;

  *quantity = BOURSE_DECIMAL_ZERO;
  if (run->cash.units <= 0 || price.units <= 0)
    return TRUE;
  if (!bourse_decimal_mul (run->cash, run->spec->stake_fraction, BOURSE_ROUND_FLOOR, &stake, error))
    return FALSE;
  /* stake ÷ (price × (1 + rate)) in units: S·U² ÷ (P·(U + F)). */
  units = (__int128) stake.units * BOURSE_DECIMAL_UNIT * BOURSE_DECIMAL_UNIT
          / ((__int128) price.units * (BOURSE_DECIMAL_UNIT + run->spec->fee_rate.units));
  units -= units % lot;
  if (units > G_MAXINT64)
    units = G_MAXINT64 - G_MAXINT64 % lot;
  quantity->units = (gint64) units;
  while (quantity->units > 0)
    {
      BourseDecimal cost;

      if (!bourse_paper_fee (*quantity, price, run->spec->fee_rate, notional, fee, error)
          || !bourse_decimal_add (*notional, *fee, &cost, error))
        return FALSE;
      if (bourse_decimal_compare (cost, stake) <= 0)
        break;
      quantity->units -= lot;
    }
  if (quantity->units > 0 && bourse_decimal_compare (*notional, series->min_notional) < 0)
    *quantity = BOURSE_DECIMAL_ZERO;
  return TRUE;
}

static gboolean
enter (Run                       *run,
       gsize                      i,
       const BourseStreamSignal  *signal,
       GError                   **error)
{
  const BourseBacktestSeries *series = run->series;
  gboolean buy = signal->decision == BOURSE_DECISION_BUY;
  BourseDecimal open = bourse_backtest_series_price (series, series->open[i]);
  BourseDecimal price, quantity, notional = { 0 }, fee = { 0 };
  BourseLedgerChange change;

  if (!bourse_paper_market_price (buy ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL, open, run->spec->slippage_bps,
                                  series->tick_size, &price, error)
      || !size_entry (run, price, &quantity, &notional, &fee, error))
    return FALSE;
  if (quantity.units <= 0)
    {
      run->result->n_skipped++;
      return TRUE;
    }
  if (run->risk != NULL)
    {
      gboolean allowed;

      if (!check_order (run, FALSE, quantity, price, &allowed, error))
        return FALSE;
      if (!allowed)
        return TRUE;
    }
  if (!book (run, buy, quantity, notional, fee, &change, error)
      || (run->risk != NULL && !note_equity (run, price, error)))
    return FALSE;

  memset (&run->trade, 0, sizeof run->trade);
  run->trade.is_short = !buy;
  run->trade.entry_time = series->open_time[i];
  run->trade.entry_price = price;
  run->trade.quantity = quantity;
  run->trade.entry_notional = notional;
  run->trade.fees = fee;
  run->stop_loss = signal->stop_loss;
  run->take_profit = signal->take_profit;
  return TRUE;
}

static gboolean
leave (Run            *run,
       gsize           i,
       BourseDecimal   price,
       const char     *reason,
       GError        **error)
{
  BourseDecimal notional, fee;
  BourseLedgerChange change;
  BourseBacktestTrade *trade = &run->trade;
  gboolean buy = trade->is_short;

  if (!bourse_paper_fee (trade->quantity, price, run->spec->fee_rate, &notional, &fee, error)
      || !book (run, buy, trade->quantity, notional, fee, &change, error))
    return FALSE;
  g_assert (change.closes);

  trade->exit_time = run->series->open_time[i];
  trade->exit_price = price;
  trade->exit_notional = notional;
  trade->exit_reason = reason;
  if (!bourse_decimal_add (trade->fees, fee, &trade->fees, error)
      || !bourse_decimal_sub (change.gross_pnl, trade->fees, &trade->pnl, error))
    return FALSE;
  g_array_append_val (run->result->trades, *trade);
  bourse_backtest_stats_add_trade (&run->stats, bourse_decimal_to_double (trade->pnl),
                                   trade->exit_time - trade->entry_time);
  /* As the live ledger does after a fill that closes a round trip. */
  if (run->risk != NULL)
    {
      bourse_risk_note_trade_closed (run->risk, run->series->symbol, reason, trade->pnl);
      if (!note_equity (run, price, error))
        return FALSE;
    }
  memset (trade, 0, sizeof *trade);
  run->stop_loss = run->take_profit = BOURSE_DECIMAL_ZERO;
  return TRUE;
}

/* The pending signal of the candle before, at this candle's open. */
static gboolean
act (Run                       *run,
     gsize                      i,
     const BourseStreamSignal  *signal,
     GError                   **error)
{
  const BourseBacktestSpec *spec = run->spec;
  gint64 q = run->position.quantity.units;

  if (q == 0)
    {
      if (signal->decision == BOURSE_DECISION_BUY || spec->allow_short)
        return enter (run, i, signal, error);
      return TRUE;
    }
  if (spec->exits == BOURSE_BACKTEST_EXITS_LEVELS
      || (q > 0) == (signal->decision == BOURSE_DECISION_BUY))
    return TRUE;
  {
    const BourseBacktestSeries *series = run->series;
    BourseDecimal open = bourse_backtest_series_price (series, series->open[i]), price;
    gboolean allowed = TRUE;

    /* A closing order passes every limit, but not HALTED. */
    if (!bourse_paper_market_price (q > 0 ? BOURSE_SIDE_SELL : BOURSE_SIDE_BUY, open, spec->slippage_bps,
                                    series->tick_size, &price, error)
        || (run->risk != NULL && !check_order (run, TRUE, dec_abs (run->position.quantity), price, &allowed, error)))
      return FALSE;
    return !allowed || leave (run, i, price, "signal", error);
  }
}

/* The stop-loss and take-profit of the open round trip, on candle @i. */
static gboolean
check_levels (Run     *run,
              gsize    i,
              GError **error)
{
  const BourseBacktestSeries *series = run->series;
  BourseDecimal open = bourse_backtest_series_price (series, series->open[i]);
  BourseDecimal high = bourse_backtest_series_price (series, series->high[i]);
  BourseDecimal low = bourse_backtest_series_price (series, series->low[i]);
  gboolean is_short = run->position.quantity.units < 0;
  gboolean has_stop = run->stop_loss.units > 0, has_target = run->take_profit.units > 0;
  /* "Beyond" a long's stop is below it; a short's, above it. */
  int dir = is_short ? -1 : 1;

  if (has_stop && dir * bourse_decimal_compare (open, run->stop_loss) <= 0)
    return leave (run, i, open, "stop_loss", error);
  if (has_target && dir * bourse_decimal_compare (open, run->take_profit) >= 0)
    return leave (run, i, open, "take_profit", error);
  if (has_stop && dir * bourse_decimal_compare (is_short ? high : low, run->stop_loss) <= 0)
    return leave (run, i, run->stop_loss, "stop_loss", error);
  if (has_target && dir * bourse_decimal_compare (is_short ? low : high, run->take_profit) >= 0)
    return leave (run, i, run->take_profit, "take_profit", error);
  return TRUE;
}

/* The length of every candle of @interval that opens on its grid; 0 for
 * months, which have none. */
static gint64
fixed_length (BourseInterval interval)
{
  gint64 start;

  if (interval == BOURSE_INTERVAL_1MO)
    return 0;
  start = bourse_interval_align (interval, 0);
  return bourse_interval_next (interval, start) - start;
}

/* The signal of candle @t, closed, from bourse_strategy_evaluate () on its
 * last @lookback candles: for a strategy without a stream. */
static gboolean
evaluate (Run                   *run,
          gsize                  t,
          guint                  lookback,
          guint                  minimum,
          BourseStreamSignal    *out,
          GError               **error)
{
  const BourseBacktestSeries *series = run->series;
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
  gsize from = t + 1 >= lookback ? t + 1 - lookback : 0;
  BourseStrategyInput input = {
    .n_candles = t + 1 - from,
    .open_time = series->open_time + from,
    .open = series->open + from,
    .high = series->high + from,
    .low = series->low + from,
    .close = series->close + from,
    .volume = series->volume + from,
    .interval = series->interval,
    .tick_size = series->tick_size,
  };

  memset (out, 0, sizeof *out);
  /* Too few candles yet: the strategy would say so with a NO-TRADE. */
  if (input.n_candles < minimum)
    return TRUE;
  if (!bourse_strategy_evaluate (run->spec->strategy, &input, run->spec->params, &signal, error))
    return FALSE;
  out->decision = signal.decision;
  out->entry = signal.entry;
  out->stop_loss = signal.stop_loss;
  out->take_profit = signal.take_profit;
  out->confidence = signal.confidence;
  out->risk_reward = signal.risk_reward;
  return TRUE;
}

BourseBacktestResult *
bourse_backtest_run (const BourseBacktestSeries *series,
                     const BourseBacktestSpec   *spec,
                     BourseBacktestProgressFunc  progress,
                     gpointer                    progress_data,
                     GCancellable               *cancellable,
                     GError                    **error)
{
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(BourseStrategyStream) stream = NULL;
  BourseStreamSignal pending = { BOURSE_DECISION_NO_TRADE }, signal;
  gsize ws, we, stretch, to_point, i;
  gint64 close_time, length;
  guint lookback, minimum;
  double start_open, best_in_stretch = 0;
  BourseDecimal equity = { 0 }, last_close = { 0 };
  /* The ledger in doubles for the statistics, as it last was in decimals. */
  BourseDecimal cash_seen = { 0 }, quantity_seen = { 0 };
  double cash = 0, quantity = 0, equity_value;
  g_autoptr(BourseRisk) risk = NULL;
  Run run = { 0 };

  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (spec != NULL && BOURSE_IS_STRATEGY (spec->strategy), NULL);

  if (!check_spec (spec, error))
    return NULL;
  ws = spec->window_start > 0 || spec->window_end > 0 ? spec->window_start : series->first;
  we = spec->window_end > 0 ? MIN (spec->window_end, series->n_candles) : series->n_candles;
  if (ws >= we)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "start",
                              _("There are no candles between start and end"));
      return NULL;
    }
  lookback = bourse_backtest_spec_get_lookback (spec);
  minimum = bourse_strategy_get_min_candles (spec->strategy, spec->params);
  stream = bourse_strategy_stream_new (spec->strategy, spec->params, lookback, series->interval, series->tick_size,
                                       error);
  if (stream == NULL && error != NULL && *error != NULL)
    return NULL;
  /* The stream takes in the history the window's first evaluation sees. */
  for (i = ws + 1 >= lookback ? ws + 1 - lookback : 0; stream != NULL && i < ws; i++)
    bourse_strategy_stream_push (stream, series->open_time[i], series->open[i], series->high[i], series->low[i],
                                 series->close[i], series->volume[i], &signal);

  result = g_new0 (BourseBacktestResult, 1);
  result->trades = g_array_new (FALSE, TRUE, sizeof (BourseBacktestTrade));
  result->curve = g_array_sized_new (FALSE, TRUE, sizeof (BourseBacktestPoint),
                                     MIN (we - ws, BOURSE_BACKTEST_CURVE_POINTS));
  result->starting_cash = spec->starting_cash;
  result->n_candles = we - ws;
  result->start_time = series->open_time[ws];
  result->end_time = bourse_interval_next (series->interval, series->open_time[we - 1]);

  run.series = series;
  run.spec = spec;
  run.cash = spec->starting_cash;
  run.result = result;
  bourse_backtest_stats_init (&run.stats, bourse_decimal_to_double (spec->starting_cash));
  if (spec->risk_limits != NULL)
    {
      /* A book younger than today starts the day with its starting cash. */
      run.now = series->open_time[ws];
      run.day = midnight_of (run.now);
      run.day_start_equity = run.snapshot_equity = spec->starting_cash;
      if ((risk = risk_new (&run, error)) == NULL)
        return NULL;
      run.risk = risk;
      result->protections_applied = TRUE;
      result->refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }

  stretch = (we - ws + BOURSE_BACKTEST_CURVE_POINTS - 1) / BOURSE_BACKTEST_CURVE_POINTS;
  to_point = stretch;
  start_open = series->open[ws];
  length = fixed_length (series->interval);
  close_time = G_MININT64;
  cash_seen.units = G_MININT64;

  for (i = ws; i < we; i++)
    {
      double drawdown;

      if ((i - ws) % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          if (progress != NULL)
            progress (i - ws, we - ws, progress_data);
        }

      run.now = series->open_time[i];
      /* 1. The signal of the candle before, at this open. */
      if (pending.decision != BOURSE_DECISION_NO_TRADE)
        {
          if (!act (&run, i, &pending, error))
            return NULL;
          pending.decision = BOURSE_DECISION_NO_TRADE;
        }
      /* 2. The open round trip's levels, over this candle. */
      if (run.position.quantity.units != 0 && spec->exits != BOURSE_BACKTEST_EXITS_SIGNALS
          && !check_levels (&run, i, error))
        return NULL;
      /* 3. This candle, closed, as a live strategy sees it; the last one's
       * signal would act after the window. */
      if (i + 1 < we)
        {
          /* The strategy's stream when it has one: the same answer, candle
           * after candle, without evaluating a whole window each time. */
          if (stream != NULL)
            bourse_strategy_stream_push (stream, series->open_time[i], series->open[i], series->high[i],
                                         series->low[i], series->close[i], series->volume[i], &signal);
          else if (!evaluate (&run, i, lookback, minimum, &signal, error))
            return NULL;
          if (signal.decision != BOURSE_DECISION_NO_TRADE)
            {
              result->n_signals++;
              pending = signal;
            }
        }
      /* 4. The equity at its close: a snapshot, which the protections
       * hear of as they do live. A candle that opens where the one before
       * closed opens on the interval's grid, so it closes a length later. */
      if (length > 0 && series->open_time[i] == close_time)
        close_time += length;
      else
        close_time = bourse_interval_next (series->interval, series->open_time[i]);
      if (risk != NULL)
        {
          last_close = bourse_backtest_series_price (series, series->close[i]);
          run.now = close_time;
          if (!mark (&run, last_close, &equity, error) || !note_equity (&run, last_close, error))
            return NULL;
          run.snapshot_equity = equity;
        }
      /* The statistics and the curve are analytics (DESIGN.md §4): the
       * equity in doubles, the ledger's decimals converted only when a
       * fill moves them. The exact equity is the result's, at the end. */
      if (run.cash.units != cash_seen.units || run.position.quantity.units != quantity_seen.units)
        {
          cash_seen = run.cash;
          quantity_seen = run.position.quantity;
          cash = bourse_decimal_to_double (cash_seen);
          quantity = bourse_decimal_to_double (quantity_seen);
        }
      equity_value = quantity_seen.units != 0 ? cash + quantity * series->close[i] : cash;
      drawdown = bourse_backtest_stats_add_period (&run.stats, series->open_time[i], close_time, equity_value,
                                                   quantity_seen.units != 0);
      best_in_stretch = MAX (best_in_stretch, drawdown);
      if (--to_point == 0 || i + 1 == we)
        {
          BourseBacktestPoint point = {
            .time = series->open_time[i],
            .equity = equity_value,
            .buy_and_hold = start_open > 0
                            ? bourse_decimal_to_double (spec->starting_cash) * series->close[i] / start_open : 0,
            .drawdown = best_in_stretch,
          };

          g_array_append_val (result->curve, point);
          best_in_stretch = 0;
          to_point = stretch;
        }
    }

  last_close = bourse_backtest_series_price (series, series->close[we - 1]);
  if (!mark (&run, last_close, &equity, error))
    return NULL;
  /* A round trip still open is valued at the last close, not sold. */
  if (run.position.quantity.units != 0)
    {
      BourseBacktestTrade *trade = &run.trade;
      BourseDecimal value, unrealised;

      if (!bourse_decimal_mul (dec_abs (run.position.quantity), last_close, BOURSE_ROUND_HALF_EVEN, &value, error)
          || !bourse_decimal_mul (run.position.quantity, last_close, BOURSE_ROUND_HALF_EVEN, &unrealised, error)
          || !bourse_decimal_sub (unrealised, run.position.cost, &unrealised, error)
          || !bourse_decimal_sub (unrealised, trade->fees, &trade->pnl, error))
        return NULL;
      trade->exit_price = last_close;
      trade->exit_notional = value;
      trade->exit_reason = NULL;
      g_array_append_val (result->trades, *trade);
    }

  if (progress != NULL)
    progress (we - ws, we - ws, progress_data);
  result->final_cash = run.cash;
  result->final_equity = equity;
  result->fees = run.fees;
  bourse_backtest_stats_finish (&run.stats, &result->metrics);
  result->metrics.buy_and_hold_return = start_open > 0 ? series->close[we - 1] / start_open - 1 : 0;
  return g_steal_pointer (&result);
}

void
bourse_backtest_result_free (BourseBacktestResult *result)
{
  if (result == NULL)
    return;
  g_array_unref (result->trades);
  g_array_unref (result->curve);
  g_clear_pointer (&result->refusals, g_hash_table_unref);
  g_free (result);
}

/* }}} */

/* JSON {{{ */

static void
add_metrics (JsonBuilder                 *builder,
             const BourseBacktestMetrics *metrics,
             BourseDecimal                fees)
{
  json_builder_begin_object (builder);
  bourse_json_builder_add_finite (builder, "total_return", metrics->total_return);
  bourse_json_builder_add_finite (builder, "annualised_return", metrics->annualised_return);
  bourse_json_builder_add_finite (builder, "volatility", metrics->volatility);
  bourse_json_builder_add_finite (builder, "sharpe", metrics->sharpe);
  bourse_json_builder_add_finite (builder, "sortino", metrics->sortino);
  bourse_json_builder_add_finite (builder, "calmar", metrics->calmar);
  bourse_json_builder_add_finite (builder, "max_drawdown", metrics->max_drawdown);
  bourse_json_builder_add_int (builder, "max_drawdown_duration_ms", metrics->max_drawdown_duration_ms);
  bourse_json_builder_add_finite (builder, "win_rate", metrics->win_rate);
  /* +∞ (gains without a loss) has no JSON number: null. */
  bourse_json_builder_add_finite (builder, "profit_factor", metrics->profit_factor);
  bourse_json_builder_add_finite (builder, "expectancy", metrics->expectancy);
  bourse_json_builder_add_finite (builder, "exposure", metrics->exposure);
  bourse_json_builder_add_int (builder, "trades", metrics->trades);
  bourse_json_builder_add_int (builder, "average_duration_ms", metrics->average_duration_ms);
  bourse_json_builder_add_decimal (builder, "fees", &fees);
  bourse_json_builder_add_finite (builder, "buy_and_hold_return", metrics->buy_and_hold_return);
  json_builder_end_object (builder);
}

JsonNode *
bourse_backtest_metrics_to_json (const BourseBacktestMetrics *metrics,
                                 BourseDecimal                fees)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_metrics (builder, metrics, fees);
  return json_builder_get_root (builder);
}

static void
add_trade (JsonBuilder               *builder,
           const BourseBacktestTrade *trade)
{
  gboolean open = trade->exit_reason == NULL;
  double entry = bourse_decimal_to_double (trade->entry_notional);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "side");
  json_builder_add_string_value (builder, trade->is_short ? "SHORT" : "LONG");
  bourse_json_builder_add_time (builder, "entry_time", trade->entry_time);
  bourse_json_builder_add_decimal (builder, "entry_price", &trade->entry_price);
  json_builder_set_member_name (builder, "exit_time");
  if (open)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = bourse_time_format_rfc3339 (trade->exit_time);

      json_builder_add_string_value (builder, text);
    }
  bourse_json_builder_add_decimal (builder, "exit_price", &trade->exit_price);
  bourse_json_builder_add_decimal (builder, "quantity", &trade->quantity);
  bourse_json_builder_add_decimal (builder, "entry_notional", &trade->entry_notional);
  bourse_json_builder_add_decimal (builder, "exit_notional", &trade->exit_notional);
  bourse_json_builder_add_decimal (builder, "fees", &trade->fees);
  bourse_json_builder_add_decimal (builder, "pnl", &trade->pnl);
  bourse_json_builder_add_finite (builder, "return", entry > 0 ? bourse_decimal_to_double (trade->pnl) / entry : 0);
  json_builder_set_member_name (builder, "duration_ms");
  if (open)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, trade->exit_time - trade->entry_time);
  json_builder_set_member_name (builder, "exit_reason");
  if (open)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, trade->exit_reason);
  json_builder_set_member_name (builder, "open");
  json_builder_add_boolean_value (builder, open);
  json_builder_end_object (builder);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

JsonNode *
bourse_backtest_result_to_json (const BourseBacktestResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trades");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->trades->len; i++)
    add_trade (builder, &g_array_index (result->trades, BourseBacktestTrade, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "equity");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->curve->len; i++)
    {
      const BourseBacktestPoint *point = &g_array_index (result->curve, BourseBacktestPoint, i);

      json_builder_begin_object (builder);
      bourse_json_builder_add_time (builder, "time", point->time);
      bourse_json_builder_add_finite (builder, "equity", point->equity);
      bourse_json_builder_add_finite (builder, "buy_and_hold", point->buy_and_hold);
      bourse_json_builder_add_finite (builder, "drawdown", point->drawdown);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "metrics");
  add_metrics (builder, &result->metrics, result->fees);
  bourse_json_builder_add_decimal (builder, "starting_cash", &result->starting_cash);
  bourse_json_builder_add_decimal (builder, "final_cash", &result->final_cash);
  bourse_json_builder_add_decimal (builder, "final_equity", &result->final_equity);
  bourse_json_builder_add_decimal (builder, "fees", &result->fees);
  bourse_json_builder_add_int (builder, "candles", result->n_candles);
  bourse_json_builder_add_int (builder, "signals", result->n_signals);
  bourse_json_builder_add_int (builder, "skipped", result->n_skipped);
  bourse_json_builder_add_time (builder, "start", result->start_time);
  bourse_json_builder_add_time (builder, "end", result->end_time);
  json_builder_set_member_name (builder, "protections_applied");
  json_builder_add_boolean_value (builder, result->protections_applied);
  bourse_json_builder_add_int (builder, "refused", result->n_refused);
  json_builder_set_member_name (builder, "refusals");
  json_builder_begin_object (builder);
  if (result->refusals != NULL)
    {
      g_autofree gpointer *fields = g_hash_table_get_keys_as_array (result->refusals, NULL);
      guint n = g_hash_table_size (result->refusals);

      /* In a stable order, as everything the API answers. */
      qsort (fields, n, sizeof *fields, compare_strings);
      for (guint k = 0; k < n; k++)
        bourse_json_builder_add_int (builder, fields[k], GPOINTER_TO_UINT (g_hash_table_lookup (result->refusals,
                                                                                                 fields[k])));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* }}} */
