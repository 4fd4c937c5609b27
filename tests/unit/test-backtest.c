/* test-backtest.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each rule of docs/BACKTESTS.md on a small hand-made series, with the
 * expected trades written out (worked by hand in the comments). The
 * signals come from a strategy plugin of this file, "scripted", that says
 * BUY or SELL at the candles a case lists: the strategy interface is the
 * plugins', and everything after the signal — the levels from the ATR, the
 * fill model, the ledger — is Bourse's own code.
 */

#include <string.h>

#include "backtest/bourse-backtest.h"
#include "core/bourse-error.h"

#define T0     G_GINT64_CONSTANT (1767225600000)   /* 2026-01-01T00:00:00Z */
#define MINUTE G_GINT64_CONSTANT (60000)
#define MAX_CANDLES 64

/* The scripted strategy {{{ */

static BourseDecision script[MAX_CANDLES];
static gsize          longest_window;

#define TEST_TYPE_SCRIPTED (test_scripted_get_type ())
G_DECLARE_FINAL_TYPE (TestScripted, test_scripted, TEST, SCRIPTED, GObject)

struct _TestScripted
{
  GObject parent_instance;
};

static void test_scripted_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestScripted, test_scripted, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, test_scripted_iface_init))

static void test_scripted_class_init (TestScriptedClass *klass) { }
static void test_scripted_init (TestScripted *self) { }

static const char *scripted_get_id (BourseStrategy *self) { return "scripted"; }
static const char *scripted_get_version (BourseStrategy *self) { return "1"; }

static const BourseStrategyParam *
scripted_get_parameters (BourseStrategy *self,
                         guint          *n_params)
{
  *n_params = 0;
  return NULL;
}

static guint
scripted_get_min_candles (BourseStrategy *self,
                          JsonObject     *params)
{
  return 1;
}

static gboolean
scripted_evaluate (BourseStrategy             *self,
                   const BourseStrategyInput  *input,
                   JsonObject                 *params,
                   BourseSignal               *signal,
                   GError                    **error)
{
  gint64 t = input->open_time[input->n_candles - 1];
  gsize i = (gsize) ((t - T0) / (bourse_interval_next (input->interval, t) - t));

  longest_window = MAX (longest_window, input->n_candles);
  g_assert_cmpuint (i, <, MAX_CANDLES);
  signal->decision = script[i];
  signal->confidence = signal->decision != BOURSE_DECISION_NO_TRADE ? 1 : 0;
  return TRUE;
}

static void
test_scripted_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = scripted_get_id;
  iface->get_name = scripted_get_id;
  iface->get_version = scripted_get_version;
  iface->get_parameters = scripted_get_parameters;
  iface->get_min_candles = scripted_get_min_candles;
  iface->evaluate = scripted_evaluate;
}

/* sma-cross without its stream: the built-in's own evaluate () behind a
 * plugin that offers no stream, so a run evaluates every window whole. */

#define TEST_TYPE_WHOLE (test_whole_get_type ())
G_DECLARE_FINAL_TYPE (TestWhole, test_whole, TEST, WHOLE, GObject)

struct _TestWhole
{
  GObject         parent_instance;
  BourseStrategy *inner;
};

static void test_whole_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestWhole, test_whole, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, test_whole_iface_init))

static void
test_whole_dispose (GObject *object)
{
  g_clear_object (&TEST_WHOLE (object)->inner);
  G_OBJECT_CLASS (test_whole_parent_class)->dispose (object);
}

static void test_whole_class_init (TestWholeClass *klass) { G_OBJECT_CLASS (klass)->dispose = test_whole_dispose; }
static void test_whole_init (TestWhole *self) { self->inner = bourse_strategy_lookup ("sma-cross"); }

#define INNER_IFACE(self) BOURSE_STRATEGY_GET_IFACE (TEST_WHOLE (self)->inner)

static const char *whole_get_id (BourseStrategy *self) { return "whole"; }

static const BourseStrategyParam *
whole_get_parameters (BourseStrategy *self,
                      guint          *n_params)
{
  return INNER_IFACE (self)->get_parameters (TEST_WHOLE (self)->inner, n_params);
}

static gboolean
whole_check_parameters (BourseStrategy  *self,
                        JsonObject      *params,
                        char           **parameter,
                        GError         **error)
{
  return INNER_IFACE (self)->check_parameters (TEST_WHOLE (self)->inner, params, parameter, error);
}

static guint
whole_get_min_candles (BourseStrategy *self,
                       JsonObject     *params)
{
  return INNER_IFACE (self)->get_min_candles (TEST_WHOLE (self)->inner, params);
}

static gboolean
whole_evaluate (BourseStrategy             *self,
                const BourseStrategyInput  *input,
                JsonObject                 *params,
                BourseSignal               *signal,
                GError                    **error)
{
  return INNER_IFACE (self)->evaluate (TEST_WHOLE (self)->inner, input, params, signal, error);
}

static void
test_whole_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = whole_get_id;
  iface->get_name = whole_get_id;
  iface->get_version = scripted_get_version;
  iface->get_parameters = whole_get_parameters;
  iface->check_parameters = whole_check_parameters;
  iface->get_min_candles = whole_get_min_candles;
  iface->evaluate = whole_evaluate;
}

/* }}} */

/* Series and runs {{{ */

typedef struct
{
  BourseCandle    candles[MAX_CANDLES];
  gsize           n;
  BourseInterval  interval;   /* 0: one minute */
} Candles;

static void
add (Candles    *c,
     const char *open,
     const char *high,
     const char *low,
     const char *close)
{
  BourseCandle *candle = &c->candles[c->n];

  g_assert_cmpuint (c->n, <, MAX_CANDLES);
  candle->open_time = T0 + (gint64) c->n * (bourse_interval_next (c->interval, T0) - T0);
  g_assert_true (bourse_decimal_parse (open, &candle->open, NULL));
  g_assert_true (bourse_decimal_parse (high, &candle->high, NULL));
  g_assert_true (bourse_decimal_parse (low, &candle->low, NULL));
  g_assert_true (bourse_decimal_parse (close, &candle->close, NULL));
  candle->volume.units = BOURSE_DECIMAL_UNIT;
  candle->closed = TRUE;
  c->n++;
}

/* Sixteen candles (0 … 15) whose true range is 2 every time — high 101,
 * low 99, closes within 1 of them — so the 14-candle ATR is 2 and a signal
 * at candle 15 (close 100) with stop_atr 1 and target_atr 2 has its entry
 * at 100, its stop at 98 (102 for a SELL) and its target at 104 (96). */
static void
warm_up (Candles *c)
{
  for (guint i = 0; i < 16; i++)
    add (c, "100", "101", "99", i % 2 == 0 ? "100.5" : "100");
}

static void
clear_script (void)
{
  memset (script, 0, sizeof script);
  longest_window = 0;
}

static BourseInstrument *
instrument (void)
{
  BourseInstrument *instrument = bourse_instrument_new ();

  instrument->symbol = g_strdup ("TESTUSDT");
  instrument->base_asset = g_strdup ("TEST");
  instrument->quote_asset = g_strdup ("USDT");
  g_assert_true (bourse_decimal_parse ("0.01", &instrument->tick_size, NULL));
  g_assert_true (bourse_decimal_parse ("0.001", &instrument->lot_step, NULL));
  g_assert_true (bourse_decimal_parse ("10", &instrument->min_notional, NULL));
  return instrument;
}

typedef struct
{
  BourseStrategy     *strategy;
  JsonObject         *params;
  BourseBacktestSpec  spec;
  JsonNode           *limits;
} Setup;

static void
setup_init (Setup *s)
{
  s->strategy = g_object_new (TEST_TYPE_SCRIPTED, NULL);
  s->params = json_object_new ();
  s->limits = NULL;
  json_object_set_double_member (s->params, "stop_atr", 1);
  json_object_set_double_member (s->params, "target_atr", 2);
  bourse_backtest_spec_init (&s->spec, s->strategy, s->params);
  s->spec.slippage_bps = 0;
}

static void
setup_clear (Setup *s)
{
  g_object_unref (s->strategy);
  json_object_unref (s->params);
  g_clear_pointer (&s->limits, json_node_unref);
}

/* The risk limits a run applies, as GET /api/v1/risk/global answers them. */
static void
set_limits (Setup      *s,
            const char *json)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&s->limits, json_node_unref);
  s->limits = json_from_string (json, &error);
  g_assert_no_error (error);
  s->spec.risk_limits = json_node_get_object (s->limits);
}

static BourseBacktestResult *
run (Setup   *s,
     Candles *c,
     gsize    first)
{
  g_autoptr(BourseInstrument) inst = instrument ();
  g_autoptr(BourseBacktestSeries) series = bourse_backtest_series_new (inst, c->interval, c->candles, c->n, first);
  g_autoptr(GError) error = NULL;
  BourseBacktestResult *result = bourse_backtest_run (series, &s->spec, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
assert_decimal (BourseDecimal  value,
                const char    *expected)
{
  g_autofree char *text = bourse_decimal_to_string_trimmed (value);
  BourseDecimal parsed;

  g_assert_true (bourse_decimal_parse (expected, &parsed, NULL));
  if (value.units != parsed.units)
    g_error ("%s, expected %s", text, expected);
}

static const BourseBacktestTrade *
trade (BourseBacktestResult *result,
       guint                 i)
{
  g_assert_cmpuint (i, <, result->trades->len);
  return &g_array_index (result->trades, BourseBacktestTrade, i);
}

/* The ledger's identity, exact: cash = start + Σ sells − Σ buys − Σ fees;
 * and the equity is that cash plus the open position at the last close. */
static void
assert_ledger (BourseBacktestResult *result)
{
  BourseDecimal cash = result->starting_cash, fees = { 0 };

  for (guint i = 0; i < result->trades->len; i++)
    {
      const BourseBacktestTrade *t = trade (result, i);
      gboolean open = t->exit_reason == NULL;

      cash.units += t->is_short ? t->entry_notional.units : -t->entry_notional.units;
      if (!open)
        cash.units += t->is_short ? -t->exit_notional.units : t->exit_notional.units;
      cash.units -= t->fees.units;
      fees.units += t->fees.units;
    }
  g_assert_cmpint (cash.units, ==, result->final_cash.units);
  g_assert_cmpint (fees.units, ==, result->fees.units);
}

/* }}} */

/* A BUY at candle 15 acts at 16's open, a SELL at 18 at 19's open, through
 * the fill model: 2 bps against the taker, rounded to the tick on the
 * taker's worse side, the fee rounded up. A signal at the last candle does
 * nothing. */
static void
test_signals_act_at_next_open (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;
  const BourseBacktestTrade *t;

  clear_script ();
  setup_init (&s);
  s.spec.slippage_bps = 2;
  s.spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  warm_up (&c);
  add (&c, "100.2", "101", "99.5", "100.5");   /* 16 */
  add (&c, "100.5", "101.5", "100", "101");    /* 17 */
  add (&c, "101", "102.5", "100.5", "102");    /* 18 */
  add (&c, "102", "103", "101", "102.5");      /* 19 */
  add (&c, "102.5", "103", "102", "102.8");    /* 20 */
  script[15] = BOURSE_DECISION_BUY;
  script[18] = BOURSE_DECISION_SELL;
  script[20] = BOURSE_DECISION_BUY;
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  t = trade (result, 0);
  g_assert_false (t->is_short);
  /* 100.2 × 1.0002 = 100.22004, up to the tick: 100.23. */
  g_assert_cmpint (t->entry_time, ==, T0 + 16 * MINUTE);
  assert_decimal (t->entry_price, "100.23");
  /* 10000 ÷ (100.23 × 1.001) = 99.67085…, down to the lot. */
  assert_decimal (t->quantity, "99.67");
  assert_decimal (t->entry_notional, "9989.9241");
  /* 102 × 0.9998 = 101.9796, down to the tick: 101.97. */
  g_assert_cmpint (t->exit_time, ==, T0 + 19 * MINUTE);
  assert_decimal (t->exit_price, "101.97");
  assert_decimal (t->exit_notional, "10163.3499");
  /* 9.9899241 + 10.1633499 */
  assert_decimal (t->fees, "20.153274");
  /* 10163.3499 − 9989.9241 − 20.153274 */
  assert_decimal (t->pnl, "153.272526");
  g_assert_cmpstr (t->exit_reason, ==, "signal");
  assert_decimal (result->final_cash, "10153.272526");
  assert_decimal (result->final_equity, "10153.272526");
  g_assert_cmpuint (result->n_candles, ==, 21);
  g_assert_cmpuint (result->n_signals, ==, 2);   /* the last candle is not evaluated */
  g_assert_cmpuint (result->metrics.trades, ==, 1);
  /* The statistics see every candle: a position at the closes of 16, 17
   * and 18; buy-and-hold from the window's first open to its last close. */
  g_assert_cmpfloat_with_epsilon (result->metrics.exposure, 3.0 / 21.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (result->metrics.total_return, 0.0153272526, 1e-12);
  g_assert_cmpfloat_with_epsilon (result->metrics.buy_and_hold_return, 102.8 / 100 - 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (result->metrics.win_rate, 1, 1e-12);
  g_assert_cmpint (result->metrics.average_duration_ms, ==, 3 * MINUTE);
  assert_ledger (result);

  /* As the API sends it: decimals as strings, times in RFC 3339, and the
   * profit factor of gains without a loss (infinite) as null. */
  {
    g_autoptr(JsonNode) node = bourse_backtest_result_to_json (result);
    JsonObject *object = json_node_get_object (node);
    JsonObject *first = json_array_get_object_element (json_object_get_array_member (object, "trades"), 0);
    JsonObject *metrics = json_object_get_object_member (object, "metrics");

    g_assert_cmpstr (json_object_get_string_member (first, "entry_price"), ==, "100.23000000");
    g_assert_cmpstr (json_object_get_string_member (first, "entry_time"), ==, "2026-01-01T00:16:00.000Z");
    g_assert_cmpstr (json_object_get_string_member (first, "exit_reason"), ==, "signal");
    g_assert_cmpint (json_object_get_int_member (first, "duration_ms"), ==, 3 * MINUTE);
    g_assert_true (json_node_is_null (json_object_get_member (metrics, "profit_factor")));
    g_assert_cmpstr (json_object_get_string_member (metrics, "fees"), ==, "20.15327400");
    g_assert_cmpstr (json_object_get_string_member (object, "final_equity"), ==, "10153.27252600");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "equity")), ==, 21);
    g_assert_false (json_object_get_boolean_member (object, "protections_applied"));
    g_assert_cmpint (json_object_get_int_member (object, "refused"), ==, 0);
  }
  setup_clear (&s);
}

/* Stop-loss and take-profit, each case on its own series: entry at 100.00
 * (no slippage), stop 98, target 104. With exits "levels" an opposite
 * signal does nothing. */
static void
test_levels (void)
{
  static const struct
  {
    const char *name;
    const char *candles[2][4];
    gint64      exit_candle;
    const char *price;
    const char *reason;
  } cases[] = {
    /* The low reaches the stop in candle 17: out at the stop, exactly. */
    { "low", { { "100", "101", "99", "100.5" }, { "100.5", "101", "97.5", "98.5" } }, 17, "98", "stop_loss" },
    /* The high reaches the target in the entry candle itself. */
    { "high", { { "100", "105", "99.5", "104.5" }, { "104.5", "105", "104", "104" } }, 16, "104", "take_profit" },
    /* Opened below the stop: out at that open. */
    { "gap-stop", { { "100", "101", "99", "100" }, { "97", "97.5", "96", "97" } }, 17, "97", "stop_loss" },
    /* Opened above the target: out at that open. */
    { "gap-target", { { "100", "101", "99", "100" }, { "106", "107", "105", "106" } }, 17, "106", "take_profit" },
    /* Both reached within one candle: the stop. */
    { "both", { { "100", "105", "97", "100" }, { "100", "101", "99", "100" } }, 16, "98", "stop_loss" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      Setup s;
      Candles c = { 0 };
      g_autoptr(BourseBacktestResult) result = NULL;
      const BourseBacktestTrade *t;

      g_test_message ("case %s", cases[k].name);
      clear_script ();
      setup_init (&s);
      s.spec.exits = BOURSE_BACKTEST_EXITS_LEVELS;
      warm_up (&c);
      for (guint j = 0; j < 2; j++)
        add (&c, cases[k].candles[j][0], cases[k].candles[j][1], cases[k].candles[j][2], cases[k].candles[j][3]);
      add (&c, "100", "101", "99", "100");
      script[15] = BOURSE_DECISION_BUY;
      script[16] = BOURSE_DECISION_SELL;   /* ignored: exits are the levels only */
      result = run (&s, &c, 0);

      g_assert_cmpuint (result->trades->len, ==, 1);
      t = trade (result, 0);
      assert_decimal (t->entry_price, "100");
      /* 10000 ÷ (100 × 1.001) = 99.9000999…: 99.9 for 9990 and a fee of 9.99. */
      assert_decimal (t->quantity, "99.9");
      g_assert_cmpint (t->exit_time, ==, T0 + cases[k].exit_candle * MINUTE);
      assert_decimal (t->exit_price, cases[k].price);
      g_assert_cmpstr (t->exit_reason, ==, cases[k].reason);
      assert_ledger (result);
      setup_clear (&s);
    }
}

/* With exits "both", the SELL of candle 16 closes at 17's open before 17's
 * low can reach the stop. */
static void
test_signal_exit_before_levels (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "100.8", "101", "97", "98");        /* 17 */
  add (&c, "98", "99", "97", "98");            /* 18 */
  script[15] = BOURSE_DECISION_BUY;
  script[16] = BOURSE_DECISION_SELL;
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  assert_decimal (trade (result, 0)->exit_price, "100.8");
  g_assert_cmpstr (trade (result, 0)->exit_reason, ==, "signal");
  assert_ledger (result);
  setup_clear (&s);
}

/* A BUY while long does nothing: one position at a time. */
static void
test_one_position (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;

  clear_script ();
  setup_init (&s);
  s.spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "100", "101", "99", "100.5");       /* 17 */
  add (&c, "101", "101", "99", "100");         /* 18 */
  add (&c, "100", "101", "99", "100");         /* 19 */
  script[15] = BOURSE_DECISION_BUY;
  script[16] = BOURSE_DECISION_BUY;
  script[17] = BOURSE_DECISION_SELL;
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  assert_decimal (trade (result, 0)->quantity, "99.9");
  assert_decimal (trade (result, 0)->exit_price, "101");
  g_assert_cmpuint (result->n_signals, ==, 3);
  assert_ledger (result);
  setup_clear (&s);
}

/* Half the cash: 5000 ÷ (100 × 1.001) = 49.95004…: 49.95. And an entry
 * below the minimum notional (10) is skipped: 5 of cash buys 0.049. */
static void
test_stake (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) half = NULL;
  g_autoptr(BourseBacktestResult) small = NULL;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");
  add (&c, "100", "101", "99", "100");
  script[15] = BOURSE_DECISION_BUY;
  g_assert_true (bourse_decimal_parse ("0.5", &s.spec.stake_fraction, NULL));
  half = run (&s, &c, 0);
  g_assert_cmpuint (half->trades->len, ==, 1);
  assert_decimal (trade (half, 0)->quantity, "49.95");
  /* 10000 − 4995 − 4.995 */
  assert_decimal (half->final_cash, "5000.005");
  assert_ledger (half);

  s.spec.stake_fraction.units = BOURSE_DECIMAL_UNIT;
  g_assert_true (bourse_decimal_parse ("5", &s.spec.starting_cash, NULL));
  small = run (&s, &c, 0);
  g_assert_cmpuint (small->trades->len, ==, 0);
  g_assert_cmpuint (small->n_skipped, ==, 1);
  assert_decimal (small->final_equity, "5");
  setup_clear (&s);
}

/* A position open at the end is valued at the last close, reported open,
 * not sold: 99.9 × 101.2 = 10109.88; PnL 10109.88 − 9990 − 9.99. */
static void
test_open_at_end (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;
  const BourseBacktestTrade *t;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99.5", "100.4");
  add (&c, "100.4", "101.5", "99.6", "101.2");
  script[15] = BOURSE_DECISION_BUY;
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  t = trade (result, 0);
  g_assert_null (t->exit_reason);
  g_assert_cmpint (t->exit_time, ==, 0);
  assert_decimal (t->exit_price, "101.2");
  assert_decimal (t->exit_notional, "10109.88");
  assert_decimal (t->pnl, "109.89");
  assert_decimal (result->final_cash, "0.01");
  assert_decimal (result->final_equity, "10109.89");
  g_assert_cmpuint (result->metrics.trades, ==, 0);
  assert_ledger (result);
  setup_clear (&s);
}

/* allow_short: the SELL at 15 opens a short at 16's open (stop 102, target
 * 96); 17's high reaches the stop. Proceeds 9990 − 9.99; buying back 99.9
 * at 102 costs 10189.8 + 10.1898. Without allow_short, nothing trades. */
static void
test_short (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(BourseBacktestResult) spot = NULL;
  const BourseBacktestTrade *t;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");
  add (&c, "100", "102.5", "99.5", "102");
  add (&c, "102", "103", "101", "102");
  script[15] = BOURSE_DECISION_SELL;
  s.spec.allow_short = TRUE;
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  t = trade (result, 0);
  g_assert_true (t->is_short);
  assert_decimal (t->quantity, "99.9");
  assert_decimal (t->exit_price, "102");
  g_assert_cmpstr (t->exit_reason, ==, "stop_loss");
  assert_decimal (t->pnl, "-219.9798");
  assert_decimal (result->final_cash, "9780.0202");
  assert_ledger (result);

  s.spec.allow_short = FALSE;
  spot = run (&s, &c, 0);
  g_assert_cmpuint (spot->trades->len, ==, 0);
  setup_clear (&s);
}

/* The window starts at candle 16: the BUY of candle 15 is history and does
 * not act; evaluations see the history (the live window: all 16 before). */
static void
test_window_and_lookback (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(BourseBacktestResult) short_window = NULL;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  for (guint i = 0; i < 14; i++)
    add (&c, "100", "101", "99", i % 2 == 0 ? "100" : "100.5");
  script[15] = BOURSE_DECISION_BUY;
  result = run (&s, &c, 16);
  g_assert_cmpuint (result->trades->len, ==, 0);
  g_assert_cmpuint (result->n_candles, ==, 14);
  g_assert_cmpint (result->start_time, ==, T0 + 16 * MINUTE);
  g_assert_cmpint (result->end_time, ==, T0 + 30 * MINUTE);
  /* The default lookback is the live window (500): every candle so far. */
  g_assert_cmpuint (bourse_backtest_spec_get_lookback (&s.spec), ==, BOURSE_STRATEGY_LIVE_WINDOW);
  g_assert_cmpuint (longest_window, ==, 29);

  /* A lookback of 20 evaluates on 20 candles; below the strategy's
   * minimum (the ATR's 15) it is raised to it. */
  longest_window = 0;
  s.spec.lookback = 20;
  short_window = run (&s, &c, 16);
  g_assert_cmpuint (longest_window, ==, 20);
  s.spec.lookback = 3;
  g_assert_cmpuint (bourse_backtest_spec_get_lookback (&s.spec), ==, 15);
  setup_clear (&s);
}

/* Risk limits and protections {{{ */

/* @n orders refused, all by the limit @field names. */
static void
assert_refused (BourseBacktestResult *result,
                const char           *field,
                guint                 n)
{
  g_assert_true (result->protections_applied);
  g_assert_cmpuint (result->n_refused, ==, n);
  g_assert_cmpuint (g_hash_table_size (result->refusals), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (result->refusals, field)), ==, n);
}

/* A closed round trip: its exit and, when given, its price and net PnL. */
static void
assert_exit (const BourseBacktestTrade *t,
             gint64                     time,
             const char                *reason,
             const char                *price,
             const char                *pnl)
{
  g_assert_cmpint (t->exit_time, ==, time);
  g_assert_cmpstr (t->exit_reason, ==, reason);
  if (price != NULL)
    assert_decimal (t->exit_price, price);
  if (pnl != NULL)
    assert_decimal (t->pnl, pnl);
}

/* The whole stake (9990) is above a max_order_notional of 5000: the entry
 * is refused and counted. Half the stake, 49.95 × 100 = 4995, passes. */
static void
test_risk_order_notional (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) refused = NULL;
  g_autoptr(BourseBacktestResult) half = NULL;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "100", "101", "99", "100");         /* 17 */
  script[15] = BOURSE_DECISION_BUY;
  /* As GET answers them: who changed them last is not a limit. */
  set_limits (&s, "{\"max_order_notional\": \"5000\", \"updated_at\": \"2026-01-01T00:00:00.000Z\","
                  " \"updated_by\": \"user:1\"}");
  refused = run (&s, &c, 0);

  g_assert_cmpuint (refused->trades->len, ==, 0);
  g_assert_cmpuint (refused->n_skipped, ==, 0);
  assert_refused (refused, "risk.max_order_notional", 1);
  assert_decimal (refused->final_equity, "10000");
  {
    g_autoptr(JsonNode) node = bourse_backtest_result_to_json (refused);
    JsonObject *object = json_node_get_object (node);
    JsonObject *counts = json_object_get_object_member (object, "refusals");

    g_assert_true (json_object_get_boolean_member (object, "protections_applied"));
    g_assert_cmpint (json_object_get_int_member (object, "refused"), ==, 1);
    g_assert_cmpuint (json_object_get_size (counts), ==, 1);
    g_assert_cmpint (json_object_get_int_member (counts, "risk.max_order_notional"), ==, 1);
  }

  g_assert_true (bourse_decimal_parse ("0.5", &s.spec.stake_fraction, NULL));
  half = run (&s, &c, 0);
  g_assert_cmpuint (half->trades->len, ==, 1);
  g_assert_cmpint (trade (half, 0)->entry_time, ==, T0 + 16 * MINUTE);
  assert_decimal (trade (half, 0)->entry_notional, "4995");
  g_assert_cmpuint (half->n_refused, ==, 0);
  assert_ledger (half);
  setup_clear (&s);
}

/* A cooldown of 3 minutes. The long of 16 (100, stop 98) is stopped at
 * 17's open of 95: −518.9805 (9490.5 − 9990 − 9.99 − 9.4905). Its
 * cooldown lasts from 17:00 to 20:00 of the run's own clock, so the BUYs
 * of 17 and 18 (acting at 18 and 19) are refused and the BUY of 19 enters
 * at 20's open: 9481.0195 ÷ (95 × 1.001) = 99.7005…, 99.7 for 9471.5. */
static void
test_risk_cooldown (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(BourseBacktestResult) free_run = NULL;
  const BourseBacktestTrade *t;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "95", "96", "94", "95");            /* 17 */
  add (&c, "95", "96", "94", "95");            /* 18 */
  add (&c, "95", "96", "94", "95");            /* 19 */
  add (&c, "95", "96", "94", "95");            /* 20 */
  add (&c, "95", "96", "94", "95.5");          /* 21 */
  script[15] = BOURSE_DECISION_BUY;
  script[17] = BOURSE_DECISION_BUY;
  script[18] = BOURSE_DECISION_BUY;
  script[19] = BOURSE_DECISION_BUY;
  set_limits (&s, "{\"protections\": {\"cooldown\": {\"minutes\": 3}}}");
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 2);
  t = trade (result, 0);
  g_assert_cmpint (t->entry_time, ==, T0 + 16 * MINUTE);
  assert_exit (t, T0 + 17 * MINUTE, "stop_loss", "95", "-518.9805");
  t = trade (result, 1);
  g_assert_cmpint (t->entry_time, ==, T0 + 20 * MINUTE);
  assert_decimal (t->entry_price, "95");
  assert_decimal (t->quantity, "99.7");
  g_assert_null (t->exit_reason);
  assert_refused (result, "risk.cooldown", 2);
  /* 9481.0195 − 9471.5 − 9.4715, and 99.7 × 95.5 */
  assert_decimal (result->final_cash, "0.048");
  assert_decimal (result->final_equity, "9521.398");
  assert_ledger (result);

  /* Without it, the BUY of 17 enters at 18. */
  s.spec.risk_limits = NULL;
  free_run = run (&s, &c, 0);
  g_assert_false (free_run->protections_applied);
  g_assert_null (free_run->refusals);
  g_assert_cmpuint (free_run->trades->len, ==, 2);
  g_assert_cmpint (trade (free_run, 1)->entry_time, ==, T0 + 18 * MINUTE);
  setup_clear (&s);
}

/* The stop-loss guard: 2 stop-loss exits within 60 minutes halt for 5.
 * The long of 16 is stopped at 17's open (95), the long of 18 (entered at
 * 95: 99.7, its stop 92.71 from an ATR of 2.2857…) at 19's open (90):
 * 8973 − 9471.5 − 9.4715 − 8.973. HALTED from 19:00 to 24:00: the BUYs of
 * 19 to 22 are refused (risk.state), the BUY of 23 enters at 24's open:
 * 8964.075 ÷ (90 × 1.001) = 99.5013…, 99.501 for 8955.09 and 8.95509. */
static void
test_risk_stoploss_guard (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;
  const BourseBacktestTrade *t;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "95", "96", "94", "95");            /* 17 */
  add (&c, "95", "96", "94", "95");            /* 18 */
  for (guint i = 19; i <= 25; i++)
    add (&c, "90", "91", "89", "90");          /* 19 … 25 */
  script[15] = BOURSE_DECISION_BUY;
  script[17] = BOURSE_DECISION_BUY;
  for (guint i = 19; i <= 23; i++)
    script[i] = BOURSE_DECISION_BUY;
  set_limits (&s, "{\"protections\": {\"stoploss_guard\": {\"count\": 2, \"window_minutes\": 60,"
                  " \"lock_minutes\": 5}}}");
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 3);
  assert_exit (trade (result, 0), T0 + 17 * MINUTE, "stop_loss", "95", NULL);
  t = trade (result, 1);
  g_assert_cmpint (t->entry_time, ==, T0 + 18 * MINUTE);
  assert_decimal (t->quantity, "99.7");
  assert_exit (t, T0 + 19 * MINUTE, "stop_loss", "90", "-516.9445");
  t = trade (result, 2);
  g_assert_cmpint (t->entry_time, ==, T0 + 24 * MINUTE);
  assert_decimal (t->quantity, "99.501");
  g_assert_null (t->exit_reason);
  assert_refused (result, "risk.state", 4);
  assert_decimal (result->final_cash, "0.02991");
  assert_ledger (result);
  setup_clear (&s);
}

/* Max drawdown, 5 % within 60 minutes: REDUCING for 10. The long of 16
 * (99.9 at 100) closes 18 at 94.5: 0.01 + 9440.55 is 5.59 % below the
 * 10000 of the closes before. Its SELL only reduces, so it exits at 19's
 * open (95); the BUYs of 19 and 20 are refused. */
static void
test_risk_drawdown_reducing (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;

  clear_script ();
  setup_init (&s);
  s.spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "100", "101", "99", "100");         /* 17 */
  add (&c, "100", "100", "94", "94.5");        /* 18 */
  add (&c, "95", "96", "94", "95");            /* 19 */
  add (&c, "95", "96", "94", "95");            /* 20 */
  add (&c, "95", "96", "94", "95");            /* 21 */
  script[15] = BOURSE_DECISION_BUY;
  script[18] = BOURSE_DECISION_SELL;
  script[19] = BOURSE_DECISION_BUY;
  script[20] = BOURSE_DECISION_BUY;
  set_limits (&s, "{\"protections\": {\"max_drawdown\": {\"fraction\": \"0.05\", \"window_minutes\": 60,"
                  " \"lock_minutes\": 10}}}");
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  assert_exit (trade (result, 0), T0 + 19 * MINUTE, "signal", "95", "-518.9805");
  assert_refused (result, "risk.state", 2);
  assert_decimal (result->final_equity, "9481.0195");
  assert_ledger (result);
  setup_clear (&s);
}

/* HALTED refuses even a closing order; the levels are resting orders live
 * and fill whatever the state. A drawdown of 1 % halts: 17 closes at 98.8,
 * 0.01 + 9870.12 being 1.3 % below 10000. The SELL of 17 (at 18's open)
 * and the BUY of 18 (at 19's) are refused; 18's low reaches the stop (98):
 * 9790.2 − 9990 − 9.99 − 9.7902. */
static void
test_risk_halted_levels (void)
{
  Setup s;
  Candles c = { 0 };
  g_autoptr(BourseBacktestResult) result = NULL;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16 */
  add (&c, "99.5", "100", "98.5", "98.8");     /* 17 */
  add (&c, "98.8", "99", "97", "97.5");        /* 18 */
  add (&c, "97.5", "98", "97", "97.5");        /* 19 */
  script[15] = BOURSE_DECISION_BUY;
  script[17] = BOURSE_DECISION_SELL;
  script[18] = BOURSE_DECISION_BUY;
  set_limits (&s, "{\"protections\": {\"max_drawdown\": {\"fraction\": \"0.01\", \"window_minutes\": 60,"
                  " \"lock_minutes\": 10, \"state\": \"HALTED\"}}}");
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 1);
  assert_exit (trade (result, 0), T0 + 18 * MINUTE, "stop_loss", "98", "-219.5802");
  assert_refused (result, "risk.state", 2);
  assert_ledger (result);
  setup_clear (&s);
}

/* A daily loss of 300 halts until the next UTC day, on hourly candles from
 * midnight. The long of 16:00 (99.9 at 100) is stopped at 17:00's open of
 * 96: −419.1804 today, from the starting cash. The BUYs of 17:00 and 20:00
 * are refused (HALTED); the BUY of 23:00 enters at midnight, a new day whose
 * PnL starts at 0: 9580.8196 ÷ (96 × 1.001) = 99.7005…, 99.7. */
static void
test_risk_daily_loss (void)
{
  Setup s;
  Candles c = { .interval = BOURSE_INTERVAL_1H };
  g_autoptr(BourseBacktestResult) result = NULL;
  const BourseBacktestTrade *t;
  const gint64 hour = 60 * MINUTE;

  clear_script ();
  setup_init (&s);
  warm_up (&c);
  add (&c, "100", "101", "99", "100");         /* 16:00 */
  for (guint i = 17; i <= 25; i++)
    add (&c, "96", "97", "95", "96");          /* 17:00 … 01:00 */
  script[15] = BOURSE_DECISION_BUY;
  script[17] = BOURSE_DECISION_BUY;
  script[20] = BOURSE_DECISION_BUY;
  script[23] = BOURSE_DECISION_BUY;
  set_limits (&s, "{\"max_daily_loss\": \"300\", \"protections\": {\"daily_loss\": {\"halt\": true}}}");
  result = run (&s, &c, 0);

  g_assert_cmpuint (result->trades->len, ==, 2);
  assert_exit (trade (result, 0), T0 + 17 * hour, "stop_loss", "96", "-419.1804");
  t = trade (result, 1);
  g_assert_cmpint (t->entry_time, ==, T0 + 24 * hour);
  assert_decimal (t->quantity, "99.7");
  g_assert_null (t->exit_reason);
  assert_refused (result, "risk.state", 2);
  assert_decimal (result->final_cash, "0.0484");
  assert_ledger (result);
  setup_clear (&s);
}

/* }}} */

static void
test_invalid_spec (void)
{
  static const char * const fields[] = { "starting_cash", "fee_rate", "slippage_bps", "stake_fraction" };
  g_autoptr(BourseInstrument) inst = instrument ();
  Candles c = { 0 };
  g_autoptr(BourseBacktestSeries) series = NULL;
  Setup s;

  warm_up (&c);
  series = bourse_backtest_series_new (inst, BOURSE_INTERVAL_1M, c.candles, c.n, 0);
  setup_init (&s);
  for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
    {
      BourseBacktestSpec spec = s.spec;
      g_autoptr(GError) error = NULL;
      g_autoptr(BourseBacktestResult) result = NULL;

      switch (k)
        {
        case 0: spec.starting_cash.units = 0; break;
        case 1: spec.fee_rate.units = BOURSE_DECIMAL_UNIT / 5; break;
        case 2: spec.slippage_bps = 1001; break;
        case 3: spec.stake_fraction.units = BOURSE_DECIMAL_UNIT + 1; break;
        }
      result = bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
      g_assert_cmpstr (bourse_error_get_field (error), ==, fields[k]);
    }
  {
    BourseBacktestSpec spec = s.spec;
    g_autoptr(GError) error = NULL;

    /* An empty window. */
    spec.window_start = 5;
    spec.window_end = 5;
    g_assert_null (bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error));
    g_assert_cmpstr (bourse_error_get_field (error), ==, "start");
  }
  {
    BourseBacktestSpec spec = s.spec;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) limits = json_from_string ("{\"protections\": {\"cooldown\": {\"seconds\": 5}}}", NULL);

    /* Limits the live PUT would refuse, named under risk_limits. */
    spec.risk_limits = json_node_get_object (limits);
    g_assert_null (bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error));
    g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
    g_assert_cmpstr (bourse_error_get_field (error), ==, "risk_limits.protections.cooldown.seconds");
  }
  setup_clear (&s);
}

/* A cancelled run stops with the cancellable's error. */
static void
test_cancel (void)
{
  g_autoptr(BourseInstrument) inst = instrument ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(GError) error = NULL;
  Candles c = { 0 };
  Setup s;

  warm_up (&c);
  series = bourse_backtest_series_new (inst, BOURSE_INTERVAL_1M, c.candles, c.n, 0);
  setup_init (&s);
  g_cancellable_cancel (cancellable);
  g_assert_null (bourse_backtest_run (series, &s.spec, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  setup_clear (&s);
}

/* A run with the strategy's stream and one evaluating every window whole
 * give the same trades, to the unit, on a long seeded walk. */
static void
test_stream_as_evaluate (void)
{
  g_autoptr(BourseInstrument) inst = instrument ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree BourseCandle *candles = g_new0 (BourseCandle, 3000);
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(BourseStrategy) streamed = bourse_strategy_lookup ("sma-cross");
  g_autoptr(BourseStrategy) whole = g_object_new (TEST_TYPE_WHOLE, NULL);
  g_autoptr(JsonObject) given = json_object_new ();
  g_autoptr(JsonObject) params = NULL;
  gint64 price = 10000;

  for (guint i = 0; i < 3000; i++)
    {
      gint64 close = MAX (500, price + g_rand_int_range (rand, -60, 61));

      candles[i].open_time = T0 + i * MINUTE;
      candles[i].open.units = price * (BOURSE_DECIMAL_UNIT / 100);
      candles[i].close.units = close * (BOURSE_DECIMAL_UNIT / 100);
      candles[i].high.units = (MAX (price, close) + g_rand_int_range (rand, 0, 20)) * (BOURSE_DECIMAL_UNIT / 100);
      candles[i].low.units = (MIN (price, close) - g_rand_int_range (rand, 0, 20)) * (BOURSE_DECIMAL_UNIT / 100);
      candles[i].volume.units = BOURSE_DECIMAL_UNIT;
      candles[i].closed = TRUE;
      price = close;
    }
  series = bourse_backtest_series_new (inst, BOURSE_INTERVAL_1M, candles, 3000, 700);
  json_object_set_int_member (given, "fast", 5);
  json_object_set_int_member (given, "slow", 17);
  params = bourse_strategy_resolve_parameters (streamed, given, NULL, NULL);

  for (BourseBacktestExits exits = BOURSE_BACKTEST_EXITS_SIGNALS; exits <= BOURSE_BACKTEST_EXITS_BOTH; exits++)
    for (guint lookback = 0; lookback <= 40; lookback += 40)
      {
        g_autoptr(BourseBacktestResult) a = NULL;
        g_autoptr(BourseBacktestResult) b = NULL;
        BourseBacktestSpec spec;

        bourse_backtest_spec_init (&spec, streamed, params);
        spec.exits = exits;
        spec.lookback = lookback;
        a = bourse_backtest_run (series, &spec, NULL, NULL, NULL, NULL);
        spec.strategy = whole;
        b = bourse_backtest_run (series, &spec, NULL, NULL, NULL, NULL);
        g_assert_nonnull (a);
        g_assert_nonnull (b);
        g_assert_cmpuint (a->trades->len, >, 20);
        g_assert_cmpuint (a->trades->len, ==, b->trades->len);
        g_assert_cmpuint (a->n_signals, ==, b->n_signals);
        g_assert_cmpint (memcmp (a->trades->data, b->trades->data, a->trades->len * sizeof (BourseBacktestTrade)), ==,
                         0);
        g_assert_cmpint (a->final_equity.units, ==, b->final_equity.units);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bourse_strategies_ensure ();

  g_test_add_func ("/backtest/signals-act-at-next-open", test_signals_act_at_next_open);
  g_test_add_func ("/backtest/levels", test_levels);
  g_test_add_func ("/backtest/signal-exit-before-levels", test_signal_exit_before_levels);
  g_test_add_func ("/backtest/one-position", test_one_position);
  g_test_add_func ("/backtest/stake", test_stake);
  g_test_add_func ("/backtest/open-at-end", test_open_at_end);
  g_test_add_func ("/backtest/short", test_short);
  g_test_add_func ("/backtest/window-and-lookback", test_window_and_lookback);
  g_test_add_func ("/backtest/risk/order-notional", test_risk_order_notional);
  g_test_add_func ("/backtest/risk/cooldown", test_risk_cooldown);
  g_test_add_func ("/backtest/risk/stoploss-guard", test_risk_stoploss_guard);
  g_test_add_func ("/backtest/risk/drawdown-reducing", test_risk_drawdown_reducing);
  g_test_add_func ("/backtest/risk/halted-levels", test_risk_halted_levels);
  g_test_add_func ("/backtest/risk/daily-loss", test_risk_daily_loss);
  g_test_add_func ("/backtest/invalid-spec", test_invalid_spec);
  g_test_add_func ("/backtest/cancel", test_cancel);
  g_test_add_func ("/backtest/stream-as-evaluate", test_stream_as_evaluate);
  return g_test_run ();
}
