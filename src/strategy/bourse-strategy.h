/* bourse-strategy.h — plugins that turn candles into BUY / SELL / NO-TRADE signals
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "core/bourse-plugins.h"
#include "core/bourse-time.h"
#include "market/bourse-candles.h"

G_BEGIN_DECLS

/* The GIO extension point; an extension's name is the strategy's id. The
 * built-ins ("ar", "kalman", "ou", "sma-cross", "rsi") are implemented on it
 * like any module from the plugin directories. docs/STRATEGIES.md says what
 * each computes. */
#define BOURSE_STRATEGY_EXTENSION_POINT_NAME BOURSE_PLUGIN_STRATEGY

#define BOURSE_STRATEGY_ERROR (bourse_strategy_error_quark ())

/* The candles a live strategy reads per evaluation when its parameters
 * need fewer; backtests read the same (docs/BACKTESTS.md). */
#define BOURSE_STRATEGY_LIVE_WINDOW 500

typedef enum
{
  /* A parameter is unknown, of the wrong type or out of range; the message
   * names it, and bourse_strategy_resolve_parameters () returns its name. */
  BOURSE_STRATEGY_ERROR_INVALID_PARAMETER = 1,
  /* The strategy itself failed (a plugin's own error). */
  BOURSE_STRATEGY_ERROR_FAILED,
} BourseStrategyError;

typedef enum
{
  BOURSE_DECISION_NO_TRADE,
  BOURSE_DECISION_BUY,
  BOURSE_DECISION_SELL,
} BourseDecision;

typedef enum
{
  BOURSE_PARAM_NUMBER,
  BOURSE_PARAM_INTEGER,
  BOURSE_PARAM_BOOLEAN,
} BourseParamType;

/* One parameter of a strategy; the UIs build their forms from these
 * (through bourse_strategy_dup_parameters ()). Bounds are inclusive;
 * a boolean's default is 0 or 1 and its bounds are ignored. */
typedef struct
{
  const char      *name;
  BourseParamType  type;
  double           default_value;
  double           minimum;
  double           maximum;
  /* For people, untranslated (N_()): it is looked up in Bourse's gettext
   * domain. A module with a domain of its own returns translated text. */
  const char      *description;
  /* A short name for a form's row ("Fast Average"), N_() as the
   * description; NULL: the UIs show the name. */
  const char      *title;
} BourseStrategyParam;

/* The candles a strategy evaluates, oldest first, as doubles (analytics,
 * DESIGN.md §4), and the instrument's tick size for the levels. Made by
 * bourse_strategy_input_new () or _new_from_candles (), which own the
 * arrays. */
typedef struct
{
  gsize           n_candles;
  gint64         *open_time;   /* ms since the epoch; may be NULL: no time checks */
  double         *open;
  double         *high;
  double         *low;
  double         *close;
  double         *volume;
  BourseInterval  interval;    /* of open_time, for the gap check */
  BourseDecimal   tick_size;
} BourseStrategyInput;

/* What a strategy says. entry, stop_loss and take_profit are on the tick
 * grid (docs/STRATEGIES.md: rounded so as never to overstate the reward or
 * understate the risk) and zero for NO_TRADE, as are confidence and
 * risk_reward. No double in it or in metrics is ever NaN or infinite.
 * Initialise with BOURSE_SIGNAL_INIT; clear with bourse_signal_clear (). */
typedef struct
{
  BourseDecision  decision;
  BourseDecimal   entry;
  BourseDecimal   stop_loss;
  BourseDecimal   take_profit;
  double          confidence;    /* [0, 1] */
  double          risk_reward;   /* reward per unit of risk: |target − entry| / |entry − stop| */
  char           *reason;        /* one translated line, never NULL after evaluate */
  JsonObject     *metrics;       /* the model's fitted values; never NULL after evaluate */
} BourseSignal;

#define BOURSE_SIGNAL_INIT { BOURSE_DECISION_NO_TRADE, { 0 }, { 0 }, { 0 }, 0, 0, NULL, NULL }

/* Evaluation candle after candle (docs/STRATEGIES.md, "Streams"): what
 * bourse_strategy_evaluate () gives on the window of the last lookback
 * candles, made by bourse_strategy_stream_new (). */
typedef struct _BourseStrategyStream BourseStrategyStream;

/* One candle's signal from a stream: the members of BourseSignal that
 * evaluate () would have set on the same window, without the reason and
 * the metrics, so that a push allocates nothing. */
typedef struct
{
  BourseDecision  decision;
  BourseDecimal   entry;
  BourseDecimal   stop_loss;
  BourseDecimal   take_profit;
  double          confidence;
  double          risk_reward;
} BourseStreamSignal;

#define BOURSE_TYPE_STRATEGY (bourse_strategy_get_type ())

G_DECLARE_INTERFACE (BourseStrategy, bourse_strategy, BOURSE, STRATEGY, GObject)

struct _BourseStrategyInterface
{
  GTypeInterface parent_iface;

  /* Stable, lower case: stored with recommendations and live strategies. */
  const char                *(*get_id)           (BourseStrategy             *self);
  /* Translated, for people. */
  const char                *(*get_name)         (BourseStrategy             *self);
  /* Of the model: a change that moves its numbers is a new version. */
  const char                *(*get_version)      (BourseStrategy             *self);
  /* The strategy's own parameters (the levels' stop_atr and target_atr are
   * added for every strategy and must not be redeclared). */
  const BourseStrategyParam *(*get_parameters)   (BourseStrategy             *self,
                                                  guint                      *n_params);
  /* Optional: rules between parameters, after each was checked on its own.
   * @params holds every parameter. On failure, sets *parameter to the
   * name of the one to blame. */
  gboolean                   (*check_parameters) (BourseStrategy             *self,
                                                  JsonObject                 *params,
                                                  char                      **parameter,
                                                  GError                    **error);
  /* The fewest candles it can evaluate with @params (every parameter set). */
  guint                      (*get_min_candles)  (BourseStrategy             *self,
                                                  JsonObject                 *params);
  /* Sets decision, confidence, reason and metrics of @signal (which starts
   * as NO_TRADE with empty metrics). Called only with valid @params (every
   * parameter set) and an @input that passed the common checks: at least
   * get_min_candles () candles, finite positive prices, no gaps, prices
   * not all equal. The levels are set afterwards by the caller, from the
   * decision. Data the model cannot use is a NO_TRADE with the reason,
   * not an error. Must be safe to call from any thread. */
  gboolean                   (*evaluate)         (BourseStrategy             *self,
                                                  const BourseStrategyInput  *input,
                                                  JsonObject                 *params,
                                                  BourseSignal               *signal,
                                                  GError                    **error);

  /* Optional, together: a stream (bourse_strategy_stream_new ()). Members
   * are only ever added at the end of this struct, so that a module built
   * against an older header, which leaves the newer ones NULL, keeps
   * working.
   *
   * stream_new returns the model's state for @params (resolved, every
   * parameter set) and windows of at most @lookback candles, or NULL when
   * it cannot stream them (the caller then evaluates). */
  gpointer                   (*stream_new)       (BourseStrategy             *self,
                                                  JsonObject                 *params,
                                                  guint                       lookback);
  /* Called on every candle pushed, after the window took it in:
   * bourse_strategy_stream_get_window (@stream). With @decide (the window
   * passed the common checks evaluate () makes), sets *decision and
   * *confidence exactly as evaluate () would on that window; without, only
   * keeps its state up to date. */
  void                       (*stream_push)      (BourseStrategy             *self,
                                                  BourseStrategyStream       *stream,
                                                  gpointer                    state,
                                                  gboolean                    decide,
                                                  BourseDecision             *decision,
                                                  double                     *confidence);
  void                       (*stream_free)      (BourseStrategy             *self,
                                                  gpointer                    state);
};

GQuark               bourse_strategy_error_quark         (void);

const char          *bourse_strategy_get_id              (BourseStrategy             *self);
const char          *bourse_strategy_get_name            (BourseStrategy             *self);
const char          *bourse_strategy_get_version         (BourseStrategy             *self);
/* {"type": "object", "properties": {name: {"type", "default", "minimum",
 * "maximum", "description"}}, "additionalProperties": false}, translated. */
JsonNode            *bourse_strategy_dup_parameters      (BourseStrategy             *self);
/* Checks @params (may be NULL: all defaults) against the description and
 * returns a new object with every parameter, defaults filled in. On
 * failure, *parameter (may be NULL) receives the name of the offending
 * parameter, for a 422 naming the field. */
JsonObject          *bourse_strategy_resolve_parameters  (BourseStrategy             *self,
                                                          JsonObject                 *params,
                                                          char                      **parameter,
                                                          GError                    **error);
/* The fewest candles evaluate () can use with @params (may be NULL:
 * defaults; must be valid), the levels' ATR included. */
guint                bourse_strategy_get_min_candles     (BourseStrategy             *self,
                                                          JsonObject                 *params);
/* Resolves @params, checks @input (too few candles, non-finite or
 * non-positive prices, high below low, times out of order, more than 5% of
 * the candles missing, constant prices: each a NO_TRADE with its reason),
 * runs the model, then sets the levels. FALSE only for invalid parameters
 * or a failing plugin; *signal is cleared first and always left usable. */
gboolean             bourse_strategy_evaluate            (BourseStrategy             *self,
                                                          const BourseStrategyInput  *input,
                                                          JsonObject                 *params,
                                                          BourseSignal               *signal,
                                                          GError                    **error);

/* A stream of candles, oldest first, for which each push gives exactly the
 * decision, levels, confidence and risk/reward that evaluate () gives on
 * the last @lookback candles pushed (all of them before there are
 * @lookback), the common checks included; or NULL when the strategy has no
 * stream (then the caller evaluates), or with @error when @params are
 * invalid (as evaluate () would fail). Not thread-safe: one stream per
 * thread, though streams of one strategy may run in parallel. */
BourseStrategyStream *bourse_strategy_stream_new          (BourseStrategy             *self,
                                                          JsonObject                 *params,
                                                          guint                       lookback,
                                                          BourseInterval              interval,
                                                          BourseDecimal               tick_size,
                                                          GError                    **error);
/* Takes the next candle in and sets *signal for the window ending at it;
 * allocates nothing. */
void                 bourse_strategy_stream_push         (BourseStrategyStream       *stream,
                                                          gint64                      open_time,
                                                          double                      open,
                                                          double                      high,
                                                          double                      low,
                                                          double                      close,
                                                          double                      volume,
                                                          BourseStreamSignal         *signal);
/* The same with a stored candle, converted as
 * bourse_strategy_input_new_from_candles () converts it. */
void                 bourse_strategy_stream_push_candle  (BourseStrategyStream       *stream,
                                                          const BourseCandle         *candle,
                                                          BourseStreamSignal         *signal);
/* The current window, oldest first, with open times: valid until the next
 * push. For the plugins' stream_push. */
const BourseStrategyInput *bourse_strategy_stream_get_window (BourseStrategyStream   *stream);
/* The ATR(14) of the current window at its last candle, as the levels use
 * it; computed once per push, O(window) (a window's ATR depends on where it
 * starts). The window must hold at least 14 candles. */
double               bourse_strategy_stream_get_atr      (BourseStrategyStream       *stream);
void                 bourse_strategy_stream_free         (BourseStrategyStream       *stream);

/* Registers the extension point and the built-ins, then loads modules. */
void                 bourse_strategies_ensure            (void);
/* The id an id or alias names: "A" / "a" → "ar", "B" → "kalman",
 * "C" → "ou", a registered id → itself; NULL for anything else. */
const char          *bourse_strategy_resolve_id          (const char                 *id_or_alias);
/* A new instance of the strategy with this id or alias, or NULL. */
BourseStrategy      *bourse_strategy_lookup              (const char                 *id_or_alias);
/* A new instance of each, highest priority first. */
GPtrArray           *bourse_strategies_list              (void);

/* n_candles candles with zeroed arrays and no times. */
BourseStrategyInput *bourse_strategy_input_new           (gsize                       n_candles);
BourseStrategyInput *bourse_strategy_input_new_from_candles (const BourseCandle      *candles,
                                                          gsize                       n_candles,
                                                          BourseInterval              interval,
                                                          BourseDecimal               tick_size);
void                 bourse_strategy_input_free          (BourseStrategyInput        *input);

/* "BUY", "SELL", "NO_TRADE". */
const char          *bourse_decision_to_string           (BourseDecision              decision);
void                 bourse_signal_clear                 (BourseSignal               *signal);
/* {"decision", "entry", "stop_loss", "take_profit" (decimal strings, null
 * for NO_TRADE), "confidence", "risk_reward", "reason", "metrics"}. */
JsonNode            *bourse_signal_to_json               (const BourseSignal         *signal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseStrategyInput, bourse_strategy_input_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BourseSignal, bourse_signal_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseStrategyStream, bourse_strategy_stream_free)

G_END_DECLS
