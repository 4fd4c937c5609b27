/* test-backtest-cli.c — `boursed backtest run` on a data directory
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The candles are written into the data directory's database here; the
 * command runs the backtest, prints its result (the JSON of GET
 * /api/v1/backtests/{id}'s "result" with --json, tables without) and
 * stores it as a succeeded backtest; --protections gives it the global
 * limits stored, as a running boursed gives its runs.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"
#include "risk/bourse-risk.h"

#include "boursed-test-util.h"

#define T0      G_GINT64_CONSTANT (1767225600000)   /* 2026-01-01T00:00:00Z */
#define HOUR_MS G_GINT64_CONSTANT (3600000)
#define N_HOURS 300

static char *
db_path (BoursedFixture *f)
{
  return g_build_filename (f->data_dir, "bourse.db", NULL);
}

/* An instrument and a seeded walk of hourly candles that trends both ways. */
static void
seed (BoursedFixture *f)
{
  g_autofree char *path = db_path (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseStore) store = bourse_store_open (path, &error);
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  BourseInstrument *instrument = bourse_instrument_new ();
  gint64 price = 10000;
  gsize changed = 0;

  g_assert_no_error (error);
  instrument->symbol = g_strdup ("CLIUSDT");
  instrument->base_asset = g_strdup ("CLI");
  instrument->quote_asset = g_strdup ("USDT");
  instrument->tick_size.units = BOURSE_DECIMAL_UNIT / 100;
  instrument->lot_step.units = BOURSE_DECIMAL_UNIT / 1000;
  instrument->min_notional.units = 5 * BOURSE_DECIMAL_UNIT;
  g_free (instrument->source);
  instrument->source = g_strdup ("csv");
  bourse_instruments_insert (store, instrument, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_HOURS; i++)
    {
      BourseCandle c = { 0 };
      gint64 open = price, close = MAX (1000, price + ((i / 20) % 2 == 0 ? 10 : -10) + g_rand_int_range (rand, -30, 31));

      c.open_time = T0 + i * HOUR_MS;
      c.open.units = open * (BOURSE_DECIMAL_UNIT / 100);
      c.close.units = close * (BOURSE_DECIMAL_UNIT / 100);
      c.high.units = (MAX (open, close) + 5) * (BOURSE_DECIMAL_UNIT / 100);
      c.low.units = (MIN (open, close) - 5) * (BOURSE_DECIMAL_UNIT / 100);
      c.volume.units = 100 * BOURSE_DECIMAL_UNIT;
      c.closed = TRUE;
      g_array_append_val (candles, c);
      price = close;
    }
  bourse_candles_upsert (store, instrument->id, BOURSE_INTERVAL_1H, (const BourseCandle *) (gpointer) candles->data,
                         candles->len, &changed, &error);
  g_assert_no_error (error);
  bourse_instrument_free (instrument);
}

static gint64
count_stored (BoursedFixture *f)
{
  g_autofree char *path = db_path (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseStore) store = bourse_store_open_readonly (path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = bourse_store_prepare (store, "SELECT count (*) FROM backtests WHERE status = 'succeeded' "
                               "AND job_id IS NULL AND result IS NOT NULL AND strategy = 'sma-cross'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_run (BoursedFixture *f,
          gconstpointer   data)
{
  const char *json_args[] = {
    "backtest", "run", "--strategy", "sma-cross", "--symbol", "CLIUSDT", "--interval", "1h",
    "--start", "2026-01-03T00:00:00Z", "--end", "2026-01-13T00:00:00Z", "--param", "fast=4", "--param", "slow=12",
    "--cash", "5000", "--exits", "signals", "--json", "--data-dir", f->data_dir, NULL
  };
  const char *table_args[] = {
    "backtest", "run", "--strategy", "sma-cross", "--symbol", "CLIUSDT", "--interval", "1h",
    "--start", "2026-01-03T00:00:00Z", "--end", "2026-01-13T00:00:00Z", "--param", "fast=4", "--param", "slow=12",
    "--data-dir", f->data_dir, NULL
  };
  const char *bad_args[] = {
    "backtest", "run", "--strategy", "sma-cross", "--symbol", "CLIUSDT", "--interval", "1h",
    "--start", "2026-01-03T00:00:00Z", "--end", "2026-01-13T00:00:00Z", "--param", "fast=0",
    "--data-dir", f->data_dir, NULL
  };
  static const char * const metrics[] = {
    "total_return", "annualised_return", "volatility", "sharpe", "sortino", "calmar", "max_drawdown",
    "max_drawdown_duration_ms", "win_rate", "profit_factor", "expectancy", "exposure", "trades",
    "average_duration_ms", "fees", "buy_and_hold_return",
  };
  g_auto(BoursedCommand) json = { 0 };
  g_auto(BoursedCommand) table = { 0 };
  g_auto(BoursedCommand) bad = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *result;

  seed (f);

  boursed_run (f, NULL, json_args, NULL, &json);
  g_assert_cmpint (json.status, ==, 0);
  node = bourse_json_parse (json.out, strlen (json.out), 0, &error);
  g_assert_no_error (error);
  result = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (result, "starting_cash"), ==, "5000.00000000");
  g_assert_cmpint (json_object_get_int_member (result, "candles"), ==, 240);
  g_assert_cmpstr (json_object_get_string_member (result, "start"), ==, "2026-01-03T00:00:00.000Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "trades")), >=, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "equity")), ==, 240);
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    g_assert_true (json_object_has_member (json_object_get_object_member (result, "metrics"), metrics[i]));

  /* The tables name every metric, and the trades' columns. */
  boursed_run (f, NULL, table_args, NULL, &table);
  g_assert_cmpint (table.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    g_assert_nonnull (strstr (table.out, metrics[i]));
  g_assert_nonnull (strstr (table.out, "Entry price"));
  g_assert_nonnull (strstr (table.out, "sma-cross on CLIUSDT 1h"));

  /* Both stored as the API stores them, without a job. */
  g_assert_cmpint (count_stored (f), ==, 2);

  /* A refusal names the option, and stores nothing. */
  boursed_run (f, NULL, bad_args, NULL, &bad);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--param fast"));
  g_assert_cmpint (count_stored (f), ==, 2);
}

/* The stored global limits with one changed, as PUT /api/v1/risk/global
 * would. */
static void
set_global_limit (BoursedFixture *f,
                  const char     *name,
                  const char     *value)
{
  g_autofree char *path = db_path (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseStore) store = bourse_store_open (path, &error);
  g_autoptr(BourseRisk) risk = NULL;
  g_autoptr(JsonNode) limits = NULL;
  JsonObject *body;
  BourseRiskCaller caller = { "system", 0, NULL };

  g_assert_no_error (error);
  risk = bourse_risk_new (store, NULL, NULL, &error);
  g_assert_no_error (error);
  limits = bourse_risk_get_global (risk);
  body = json_node_get_object (limits);
  json_object_remove_member (body, "updated_at");
  json_object_remove_member (body, "updated_by");
  json_object_set_string_member (body, name, value);
  g_assert_true (bourse_risk_set_global (risk, body, &caller, &error));
  g_assert_no_error (error);
  bourse_risk_stop (risk);
}

/* --protections: the stored limits refuse every entry (each costs more than
 * 10), and the note is kept. */
static void
test_protections (BoursedFixture *f,
                  gconstpointer   data)
{
  const char *args[] = {
    "backtest", "run", "--strategy", "sma-cross", "--symbol", "CLIUSDT", "--interval", "1h",
    "--start", "2026-01-03T00:00:00Z", "--end", "2026-01-13T00:00:00Z", "--param", "fast=4", "--param", "slow=12",
    "--protections", "--note", "with the desk's limits", "--json", "--data-dir", f->data_dir, NULL
  };
  g_auto(BoursedCommand) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = db_path (f);
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JsonObject *result;

  seed (f);
  set_global_limit (f, "max_order_notional", "10");

  boursed_run (f, NULL, args, NULL, &run);
  g_assert_cmpint (run.status, ==, 0);
  node = bourse_json_parse (run.out, strlen (run.out), 0, &error);
  g_assert_no_error (error);
  result = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (result, "protections_applied"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "trades")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (result, "refused"), >, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "refusals"),
                                               "risk.max_order_notional"),
                   ==, json_object_get_int_member (result, "refused"));

  store = bourse_store_open_readonly (path, &error);
  g_assert_no_error (error);
  stmt = bourse_store_prepare (store, "SELECT note, json_extract (request, '$.protections') FROM backtests", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "with the desk's limits");
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  g_test_add ("/backtest-cli/run", BoursedFixture, NULL, boursed_fixture_set_up, test_run,
              boursed_fixture_tear_down);
  g_test_add ("/backtest-cli/protections", BoursedFixture, NULL, boursed_fixture_set_up, test_protections,
              boursed_fixture_tear_down);

  return g_test_run ();
}
