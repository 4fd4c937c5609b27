/* test-market-csv.c — CSV import and export of candles through the real server
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "auth/bourse-audit.h"
#include "market/bourse-candles.h"
#include "market/bourse-csv.h"
#include "market/bourse-instruments.h"

#include "bourse-test-server.h"

#define MINUTE G_GINT64_CONSTANT (60000)
/* 2024-01-01T00:00:00Z, a Monday */
#define T0     G_GINT64_CONSTANT (1704067200000)
#define UNIT   BOURSE_DECIMAL_UNIT

/* Cheap hashing keeps the suite fast under sanitizers. */
static const char * const fast_hashing[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  NULL
};

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static BourseStore *
store_of (BourseTestServer *server)
{
  return bourse_auth_get_store (bourse_engine_get_auth (server->engine));
}

static gint64
instrument_id (BourseTestServer *server,
               const char       *symbol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseInstrument) instrument = bourse_instruments_find (store_of (server), symbol, &error);

  g_assert_no_error (error);
  return instrument->id;
}

/* n 1-minute candles from minute @first after T0: 8 decimals, large volumes. */
static GArray *
make_candles (guint first,
              guint n)
{
  GArray *candles = g_array_sized_new (FALSE, TRUE, sizeof (BourseCandle), n);

  for (guint i = first; i < first + n; i++)
    {
      BourseCandle c = { 0 };
      gint64 base = (gint64) (40000 + i % 997) * UNIT + (gint64) (i * 7919 % UNIT);

      c.open_time = T0 + i * MINUTE;
      c.open.units = base;
      c.close.units = base + (i % 2 ? 3 : -3) * UNIT + 12345678;
      c.high.units = MAX (c.open.units, c.close.units) + (i % 7) * 1234567;
      c.low.units = MIN (c.open.units, c.close.units) - (i % 5) * 7654321;
      /* Ten million now and then: a month of them still adds up within range. */
      c.volume.units = i % 3 == 0 ? G_GINT64_CONSTANT (1000000000000000) + i : 12345678 + i;
      c.trades = i * 3;
      c.closed = TRUE;
      g_array_append_val (candles, c);
    }
  return candles;
}

static char *
to_csv (GArray          *candles,
        BourseCsvFormat  format)
{
  GString *text = g_string_new (NULL);

  bourse_csv_append_header (text, format);
  bourse_csv_append_candles (text, format, BOURSE_INTERVAL_1M, (BourseCandle *) (gpointer) candles->data,
                             candles->len);
  return g_string_free (text, FALSE);
}

static GArray *
stored (BourseTestServer *server,
        const char       *symbol,
        BourseInterval    interval)
{
  g_autoptr(GArray) all = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  gint64 cursor = BOURSE_TIME_MIN_MS;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) page = bourse_candles_query (store_of (server), instrument_id (server, symbol), interval,
                                                     cursor, BOURSE_TIME_MAX_MS, BOURSE_CANDLES_MAX_LIMIT,
                                                     &more, &cursor, &error);

      g_assert_no_error (error);
      g_array_append_vals (all, page->data, page->len);
    }
  return g_steal_pointer (&all);
}

static void
assert_same (GArray *a,
             GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const BourseCandle *x = &g_array_index (a, BourseCandle, i);
      const BourseCandle *y = &g_array_index (b, BourseCandle, i);

      g_assert_cmpint (x->open_time, ==, y->open_time);
      g_assert_cmpint (x->open.units, ==, y->open.units);
      g_assert_cmpint (x->high.units, ==, y->high.units);
      g_assert_cmpint (x->low.units, ==, y->low.units);
      g_assert_cmpint (x->close.units, ==, y->close.units);
      g_assert_cmpint (x->volume.units, ==, y->volume.units);
      g_assert_cmpint (x->trades, ==, y->trades);
      g_assert_cmpint (x->closed, ==, y->closed);
    }
}

/* POST …/market/import with a body; the JSON answer in *json. */
static guint
import (BourseTestServer    *server,
        const char          *query,
        const char * const  *headers,
        const char          *content_type,
        const char          *body,
        gssize               length,
        JsonNode           **json)
{
  g_autofree char *path = g_strconcat ("/api/v1/market/import?", query, NULL);
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", path, headers, content_type, body, length);

  g_test_message ("POST %s → %u", path, response->status);
  if (json != NULL)
    *json = bourse_test_response_json (response);
  return response->status;
}

/* GET …/market/export; the body in *csv. */
static BourseTestResponse *
export (BourseTestServer *server,
        const char       *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/market/export?", query, NULL);
  BourseTestResponse *response = bourse_test_fetch (server, "GET", path, NULL, NULL, NULL, 0);

  g_test_message ("GET %s → %u", path, response->status);
  return response;
}

static char *
body_text (BourseTestResponse *response)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (response->body, &length);

  return g_strndup (data, length);
}

static const char *
problem_field (JsonNode *problem)
{
  JsonArray *errors = json_object_get_array_member (object_of (problem), "errors");

  g_assert_nonnull (errors);
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "field");
}

static GPtrArray *
audit_entries (BourseTestServer *server,
               const char       *action)
{
  BourseAuditFilter filter = { .action = action, .limit = 500 };
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = bourse_audit_list (store_of (server), &filter, &error);

  g_assert_no_error (error);
  return entries;
}

static void
test_round_trip (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  /* Three pages of export, and over 1 MiB (server.max_body_bytes) of upload. */
  g_autoptr(GArray) candles = make_candles (0, 12000);
  g_autofree char *binance = to_csv (candles, BOURSE_CSV_FORMAT_BINANCE);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GArray) btc = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  JsonObject *o;

  g_assert_cmpuint (strlen (binance), >, 1024 * 1024);
  g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m", NULL, "text/csv", binance, -1, &first), ==, 200);
  o = object_of (first);
  g_assert_cmpstr (json_object_get_string_member (o, "symbol"), ==, "BTCUSDT");
  g_assert_cmpstr (json_object_get_string_member (o, "interval"), ==, "1m");
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "binance");
  g_assert_cmpint (json_object_get_int_member (o, "rows"), ==, 12000);
  g_assert_cmpint (json_object_get_int_member (o, "changed"), ==, 12000);
  g_assert_cmpint (json_object_get_int_member (o, "first_open_time"), ==, T0);
  g_assert_cmpint (json_object_get_int_member (o, "last_open_time"), ==, T0 + 11999 * MINUTE);
  btc = stored (server, "BTCUSDT", BOURSE_INTERVAL_1M);
  assert_same (candles, btc);

  /* The same file again changes nothing, and says so. */
  g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m&format=binance", NULL, "text/csv", binance, -1,
                            &again), ==, 200);
  g_assert_cmpint (json_object_get_int_member (object_of (again), "rows"), ==, 12000);
  g_assert_cmpint (json_object_get_int_member (object_of (again), "changed"), ==, 0);

  /* Both imports are audited, newest first. */
  entries = audit_entries (server, "market.import");
  g_assert_cmpuint (entries->len, ==, 2);
  {
    BourseAuditEntry *entry = g_ptr_array_index (entries, 0);
    JsonObject *details = object_of (entry->details);

    g_assert_cmpstr (entry->target, ==, "instrument:BTCUSDT");
    g_assert_cmpstr (entry->actor, ==, "local-owner");
    g_assert_cmpstr (json_object_get_string_member (details, "interval"), ==, "1m");
    g_assert_cmpstr (json_object_get_string_member (details, "format"), ==, "binance");
    g_assert_cmpint (json_object_get_int_member (details, "rows"), ==, 12000);
    g_assert_cmpint (json_object_get_int_member (details, "changed"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (details, "first_open_time"), ==, T0);
    g_assert_cmpint (json_object_get_int_member (details, "last_open_time"), ==, T0 + 11999 * MINUTE);
    g_assert_cmpint (json_object_get_int_member (object_of (((BourseAuditEntry *) g_ptr_array_index (entries, 1))
                                                            ->details), "changed"), ==, 12000);
  }

  /* Export in both formats, import into other instruments: the same rows. */
  for (guint f = 0; f < 2; f++)
    {
      const char *format = f == 0 ? "generic" : "binance";
      const char *target = f == 0 ? "ETHUSDT" : "SOLUSDT";
      g_autofree char *query = g_strdup_printf ("symbol=BTCUSDT&interval=1m&format=%s", format);
      g_autoptr(BourseTestResponse) response = export (server, query);
      g_autofree char *csv = body_text (response);
      g_autofree char *import_query = g_strdup_printf ("symbol=%s&interval=1m", target);
      g_autoptr(JsonNode) imported = NULL;
      g_autoptr(GArray) copy = NULL;
      const char *disposition = bourse_test_response_header (response, "Content-Disposition");

      g_assert_cmpuint (response->status, ==, 200);
      g_assert_true (g_str_has_prefix (bourse_test_response_header (response, "Content-Type"), "text/csv"));
      g_assert_nonnull (disposition);
      g_assert_nonnull (strstr (disposition, "attachment"));
      g_assert_nonnull (strstr (disposition, "BTCUSDT-1m.csv"));
      /* Streamed page by page, not built whole. */
      g_assert_cmpstr (bourse_test_response_header (response, "Transfer-Encoding"), ==, "chunked");
      if (f == 0)
        g_assert_true (g_str_has_prefix (csv, "time,open,high,low,close,volume,trades\n"));
      else
        g_assert_cmpstr (csv, ==, binance);

      g_assert_cmpuint (import (server, import_query, NULL, "text/csv", csv, -1, &imported), ==, 200);
      g_assert_cmpstr (json_object_get_string_member (object_of (imported), "format"), ==, format);
      copy = stored (server, target, BOURSE_INTERVAL_1M);
      assert_same (btc, copy);
    }

  /* A range of an export: inclusive bounds on the open time. */
  {
    g_autofree char *query = g_strdup_printf ("symbol=BTCUSDT&interval=1m&format=binance&start=%" G_GINT64_FORMAT
                                              "&end=%" G_GINT64_FORMAT, T0 + 10 * MINUTE, T0 + 19 * MINUTE);
    g_autoptr(BourseTestResponse) response = export (server, query);
    g_autofree char *csv = body_text (response);
    g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
    g_autofree char *first_time = g_strdup_printf ("%" G_GINT64_FORMAT ",", T0 + 10 * MINUTE);

    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpuint (g_strv_length (lines), ==, 11);  /* ten lines and the empty rest */
    g_assert_true (g_str_has_prefix (lines[0], first_time));
  }
  /* Nothing in range: a header alone, or nothing. */
  {
    g_autoptr(BourseTestResponse) generic = export (server, "symbol=BTCUSDT&interval=1m&end=0");
    g_autoptr(BourseTestResponse) binance_empty = export (server, "symbol=BTCUSDT&interval=1m&end=0&format=binance");
    g_autofree char *text = body_text (generic);

    g_assert_cmpuint (generic->status, ==, 200);
    g_assert_cmpstr (text, ==, "time,open,high,low,close,volume,trades\n");
    g_assert_cmpuint (binance_empty->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (binance_empty->body), ==, 0);
  }

  bourse_test_server_free (server);
}

/* The candle folded by hand from minutes [first, first + n) of @minutes. */
static BourseCandle
fold_minutes (GArray *minutes,
              guint   first,
              guint   n)
{
  BourseCandle folded = g_array_index (minutes, BourseCandle, first);

  for (guint i = first + 1; i < first + n; i++)
    {
      const BourseCandle *c = &g_array_index (minutes, BourseCandle, i);

      folded.high.units = MAX (folded.high.units, c->high.units);
      folded.low.units = MIN (folded.low.units, c->low.units);
      folded.close = c->close;
      folded.volume.units += c->volume.units;
      folded.trades += c->trades;
    }
  return folded;
}

static void
assert_folded (const BourseCandle *got,
               const BourseCandle *expected,
               gint64              open_time)
{
  g_assert_cmpint (got->open_time, ==, open_time);
  g_assert_cmpint (got->open.units, ==, expected->open.units);
  g_assert_cmpint (got->high.units, ==, expected->high.units);
  g_assert_cmpint (got->low.units, ==, expected->low.units);
  g_assert_cmpint (got->close.units, ==, expected->close.units);
  g_assert_cmpint (got->volume.units, ==, expected->volume.units);
  g_assert_cmpint (got->trades, ==, expected->trades);
}

/* Higher intervals after an import, also where the file fills the gaps of
 * what is stored and where the stored candles fill the file's. */
static void
test_higher_intervals (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  /* Small volumes: a day of them must fit in a decimal. */
  g_autoptr(GArray) minutes = make_candles (0, 3 * 1440);

  for (guint i = 0; i < minutes->len; i++)
    g_array_index (minutes, BourseCandle, i).volume.units = 1000 + i;

  {
    /* Minutes 0–59 and 120–179 of ETHUSDT; then 60–119 fill the gap. */
    g_autoptr(GArray) outer = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
    g_autoptr(GArray) inner = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
    g_autofree char *outer_csv = NULL;
    g_autofree char *inner_csv = NULL;
    g_autoptr(GArray) hours = NULL;
    BourseCandle expected;

    g_array_append_vals (outer, minutes->data, 60);
    g_array_append_vals (outer, &g_array_index (minutes, BourseCandle, 120), 60);
    g_array_append_vals (inner, &g_array_index (minutes, BourseCandle, 60), 60);
    outer_csv = to_csv (outer, BOURSE_CSV_FORMAT_GENERIC);
    inner_csv = to_csv (inner, BOURSE_CSV_FORMAT_GENERIC);

    g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", outer_csv, -1, NULL), ==, 200);
    hours = stored (server, "ETHUSDT", BOURSE_INTERVAL_2H);
    g_assert_cmpuint (hours->len, ==, 2);
    expected = fold_minutes (minutes, 0, 60);
    assert_folded (&g_array_index (hours, BourseCandle, 0), &expected, T0);
    g_clear_pointer (&hours, g_array_unref);

    g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", inner_csv, -1, NULL), ==, 200);
    hours = stored (server, "ETHUSDT", BOURSE_INTERVAL_2H);
    g_assert_cmpuint (hours->len, ==, 2);
    expected = fold_minutes (minutes, 0, 120);
    assert_folded (&g_array_index (hours, BourseCandle, 0), &expected, T0);
  }

  {
    /* SOLUSDT: minutes 60–119 first, then a file around them with a gap
     * the stored ones fill. */
    g_autoptr(GArray) middle = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
    g_autoptr(GArray) around = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
    g_autofree char *middle_csv = NULL;
    g_autofree char *around_csv = NULL;
    g_autoptr(GArray) hours = NULL;
    BourseCandle expected;

    g_array_append_vals (middle, &g_array_index (minutes, BourseCandle, 60), 60);
    g_array_append_vals (around, minutes->data, 60);
    g_array_append_vals (around, &g_array_index (minutes, BourseCandle, 120), 60);
    middle_csv = to_csv (middle, BOURSE_CSV_FORMAT_BINANCE);
    around_csv = to_csv (around, BOURSE_CSV_FORMAT_BINANCE);

    g_assert_cmpuint (import (server, "symbol=SOLUSDT&interval=1m", NULL, "text/csv", middle_csv, -1, NULL), ==, 200);
    g_assert_cmpuint (import (server, "symbol=SOLUSDT&interval=1m", NULL, "text/csv", around_csv, -1, NULL), ==, 200);
    hours = stored (server, "SOLUSDT", BOURSE_INTERVAL_1H);
    g_assert_cmpuint (hours->len, ==, 3);
    for (guint h = 0; h < 3; h++)
      {
        expected = fold_minutes (minutes, h * 60, 60);
        assert_folded (&g_array_index (hours, BourseCandle, h), &expected, T0 + h * 60 * MINUTE);
      }
  }

  {
    /* Three whole days of BTCUSDT: every interval up to the month. */
    g_autofree char *csv = to_csv (minutes, BOURSE_CSV_FORMAT_BINANCE);
    static const struct {
      BourseInterval interval;
      guint          n;
      guint          minutes;
    } expected_counts[] = {
      { BOURSE_INTERVAL_3M, 1440, 3 }, { BOURSE_INTERVAL_5M, 864, 5 }, { BOURSE_INTERVAL_15M, 288, 15 },
      { BOURSE_INTERVAL_30M, 144, 30 }, { BOURSE_INTERVAL_1H, 72, 60 }, { BOURSE_INTERVAL_2H, 36, 120 },
      { BOURSE_INTERVAL_4H, 18, 240 }, { BOURSE_INTERVAL_6H, 12, 360 }, { BOURSE_INTERVAL_8H, 9, 480 },
      { BOURSE_INTERVAL_12H, 6, 720 }, { BOURSE_INTERVAL_1D, 3, 1440 },
    };

    g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m", NULL, "text/csv", csv, -1, NULL), ==, 200);
    for (guint i = 0; i < G_N_ELEMENTS (expected_counts); i++)
      {
        g_autoptr(GArray) derived = stored (server, "BTCUSDT", expected_counts[i].interval);
        guint last = derived->len - 1;
        BourseCandle expected = fold_minutes (minutes, last * expected_counts[i].minutes,
                                              expected_counts[i].minutes);

        g_test_message ("%s", bourse_interval_to_string (expected_counts[i].interval));
        g_assert_cmpuint (derived->len, ==, expected_counts[i].n);
        assert_folded (&g_array_index (derived, BourseCandle, last), &expected,
                       T0 + (gint64) last * expected_counts[i].minutes * MINUTE);
        g_assert_true (g_array_index (derived, BourseCandle, last).closed);
      }
    {
      g_autoptr(GArray) days3 = stored (server, "BTCUSDT", BOURSE_INTERVAL_3D);
      g_autoptr(GArray) weeks = stored (server, "BTCUSDT", BOURSE_INTERVAL_1W);
      g_autoptr(GArray) months = stored (server, "BTCUSDT", BOURSE_INTERVAL_1MO);
      BourseCandle all = fold_minutes (minutes, 0, minutes->len);

      g_assert_cmpuint (days3->len, >=, 1);
      g_assert_cmpuint (weeks->len, ==, 1);
      g_assert_cmpuint (months->len, ==, 1);
      assert_folded (&g_array_index (weeks, BourseCandle, 0), &all, T0);
      assert_folded (&g_array_index (months, BourseCandle, 0), &all, T0);
      /* The week and the month go on after these three days. */
      g_assert_false (g_array_index (weeks, BourseCandle, 0).closed);
      g_assert_false (g_array_index (months, BourseCandle, 0).closed);
    }
  }

  bourse_test_server_free (server);
}

static void
assert_csv_problem (JsonNode *problem,
                    guint     line,
                    guint     column,
                    const char *reason)
{
  JsonObject *o = object_of (problem);
  JsonObject *error = json_array_get_object_element (json_object_get_array_member (o, "errors"), 0);
  g_autofree char *prefix = g_strdup_printf ("Line %u, column %u: ", line, column);

  g_assert_cmpint (json_object_get_int_member (o, "status"), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, "file");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "message"), prefix));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "detail"), prefix));
  g_assert_nonnull (strstr (json_object_get_string_member (o, "detail"), reason));
  g_assert_cmpint (json_object_get_int_member (o, "line"), ==, line);
  g_assert_cmpint (json_object_get_int_member (o, "column"), ==, column);
}

static void
test_bad_files (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(GArray) candles = make_candles (0, 100);
  g_autofree char *good = to_csv (candles, BOURSE_CSV_FORMAT_GENERIC);
  g_autoptr(GPtrArray) entries = NULL;
  gint64 id = instrument_id (server, "ETHUSDT");

  {
    /* Line 3: a high below its low, after a good line 2. */
    static const char bad[] =
      "time,open,high,low,close,volume\n"
      "1704067200000,10,11,9,10,1\n"
      "1704067260000,10,9,9.5,10,1\n";
    g_autoptr(JsonNode) problem = NULL;
    g_autoptr(JsonNode) empty = NULL;
    g_autoptr(JsonNode) header_only = NULL;

    g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", bad, -1, &problem), ==, 422);
    assert_csv_problem (problem, 3, 3, "the high is below the low");

    g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", "", 0, &empty), ==, 422);
    assert_csv_problem (empty, 1, 1, "empty");
    g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv",
                              "time,open,high,low,close,volume\n", -1, &header_only), ==, 422);
    assert_csv_problem (header_only, 2, 1, "no candles");
  }

  /* Nothing of a refused file was written, and nothing was audited. */
  g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), ==, 0);
  entries = audit_entries (server, "market.import");
  g_assert_cmpuint (entries->len, ==, 0);

  /* Parameters name themselves. */
  {
    static const struct {
      const char *query;
      guint       status;
      const char *field;
    } cases[] = {
      { "interval=1m", 422, "symbol" },
      { "symbol=NOSUCH&interval=1m", 422, "symbol" },
      { "symbol=ETHUSDT", 422, "interval" },
      { "symbol=ETHUSDT&interval=7m", 422, "interval" },
      { "symbol=ETHUSDT&interval=1m&format=excel", 422, "format" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(JsonNode) problem = NULL;

        g_assert_cmpuint (import (server, cases[i].query, NULL, "text/csv", good, -1, &problem), ==, cases[i].status);
        g_assert_cmpstr (problem_field (problem), ==, cases[i].field);
      }
  }
  /* A form is not a file. */
  g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "application/x-www-form-urlencoded", good, -1,
                            NULL), ==, 415);

  /* The good file goes in, at last. */
  g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", good, -1, NULL), ==, 200);
  g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), >, 100);

  /* Export parameters too. */
  {
    static const struct {
      const char *query;
      const char *field;
    } cases[] = {
      { "interval=1m", "symbol" },
      { "symbol=NOSUCH&interval=1m", "symbol" },
      { "symbol=ETHUSDT", "interval" },
      { "symbol=ETHUSDT&interval=1m&format=auto", "format" },
      { "symbol=ETHUSDT&interval=1m&start=yesterday", "start" },
      { "symbol=ETHUSDT&interval=1m&end=1e12", "end" },
      { "symbol=ETHUSDT&interval=1m&start=10&end=5", "start" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(BourseTestResponse) response = export (server, cases[i].query);
        g_autoptr(JsonNode) problem = bourse_test_response_json (response);

        g_assert_cmpuint (response->status, ==, 422);
        g_assert_cmpstr (problem_field (problem), ==, cases[i].field);
      }
  }

  bourse_test_server_free (server);
}

static char *
sign_in (BourseTestServer *server,
         const char       *name,
         const char       *role)
{
  g_autofree char *user = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"seven hundred red balloons\",\"role\":\"%s\"}",
                                           name, name, role);
  g_autofree char *credentials = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"seven hundred red balloons\"}",
                                                  name);
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autoptr(BourseTestResponse) created =
    bourse_test_fetch (server, "POST", "/api/v1/users", NULL, "application/json", user, -1);
  g_autoptr(BourseTestResponse) login =
    bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json", credentials, -1);
  g_autoptr(JsonNode) tokens = bourse_test_response_json (login);

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (login->status, ==, 200);
  return g_strconcat ("Bearer ", json_object_get_string_member (object_of (tokens), "access_token"), NULL);
}

static void
test_roles (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(GArray) candles = make_candles (0, 10);
  g_autofree char *csv = to_csv (candles, BOURSE_CSV_FORMAT_GENERIC);
  g_autofree char *viewer = sign_in (server, "vera", "viewer");
  g_autofree char *trader = sign_in (server, "tom", "trader");
  const char *tokens[] = { viewer, trader };

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      const char * const headers[] = { "Authorization", tokens[i], NULL };
      g_autoptr(BourseTestResponse) exported =
        bourse_test_fetch (server, "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1m", headers, NULL, NULL, 0);

      /* Only admins import; everybody who reads the market exports. */
      g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m", headers, "text/csv", csv, -1, NULL), ==, 403);
      g_assert_cmpuint (exported->status, ==, 200);
    }
  {
    const char * const anonymous[] = { "Authorization", "", NULL };

    g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m", anonymous, "text/csv", csv, -1, NULL), ==, 401);
  }
  g_assert_cmpint (bourse_candles_count (store_of (server), instrument_id (server, "BTCUSDT"), NULL), ==, 0);

  bourse_test_server_free (server);
}

static void
test_size_limit (void)
{
  static const char * const small_limit[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    "market", "import_max_bytes", "2048",
    NULL
  };
  BourseTestServer *server = bourse_test_server_new (TRUE, small_limit);
  g_autoptr(GArray) few = make_candles (0, 5);
  g_autoptr(GArray) many = make_candles (0, 100);
  g_autofree char *small = to_csv (few, BOURSE_CSV_FORMAT_BINANCE);
  g_autofree char *large = to_csv (many, BOURSE_CSV_FORMAT_BINANCE);
  g_autoptr(JsonNode) problem = NULL;

  g_assert_cmpuint (strlen (small), <, 2048);
  g_assert_cmpuint (strlen (large), >, 2048);
  g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m", NULL, "text/csv", large, -1, &problem), ==, 413);
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (problem), "detail"), "2048"));
  g_assert_cmpint (bourse_candles_count (store_of (server), instrument_id (server, "BTCUSDT"), NULL), ==, 0);
  g_assert_cmpuint (import (server, "symbol=BTCUSDT&interval=1m", NULL, "text/csv", small, -1, NULL), ==, 200);

  bourse_test_server_free (server);

  /* The import's own limit is for the import only: other routes keep
   * server.max_body_bytes. */
  server = bourse_test_server_new (TRUE, fast_hashing);
  {
    g_autofree char *big_json = g_strdup_printf ("{\"symbol\":\"%0*d\"}", 2 * 1024 * 1024, 0);
    g_autoptr(BourseTestResponse) response =
      bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL, "application/json", big_json, -1);

    g_assert_cmpuint (response->status, ==, 413);
  }
  bourse_test_server_free (server);
}

typedef struct
{
  gboolean  sent;
  gboolean  done;
  GBytes   *body;
  GError   *error;
} AsyncImport;

static void
import_wrote_body_cb (SoupMessage *message,
                      AsyncImport *call)
{
  call->sent = TRUE;
}

static void
import_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AsyncImport *call = user_data;

  call->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  call->done = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A big import is parsed and written in a worker: the engine answers other
 * requests meanwhile, and the import is answered when it is done. */
static void
test_worker (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(GArray) candles = make_candles (0, 100000);
  g_autofree char *csv = NULL;
  g_autofree char *url = g_strconcat (server->base_url, "api/v1/market/import?symbol=BTCUSDT&interval=1m", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", server->token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BourseTestResponse) health = NULL;
  g_autoptr(JsonNode) answer = NULL;
  AsyncImport call = { 0 };

  /* Volumes that a month of them can hold. */
  for (guint i = 0; i < candles->len; i++)
    g_array_index (candles, BourseCandle, i).volume.units = 100000000 + i;
  csv = to_csv (candles, BOURSE_CSV_FORMAT_BINANCE);
  bytes = g_bytes_new_static (csv, strlen (csv));

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
  soup_message_set_request_body_from_bytes (message, "text/csv", bytes);
  g_signal_connect (message, "wrote-body", G_CALLBACK (import_wrote_body_cb), &call);
  soup_session_send_and_read_async (server->session, message, G_PRIORITY_DEFAULT, NULL, import_answered_cb, &call);
  bourse_test_wait_until (flag_set, &call.sent, 60000, "the file to be sent");

  /* Were the import done on the main context, this would wait for it. */
  health = bourse_test_fetch (server, "GET", "/health", NULL, NULL, NULL, 0);
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_false (call.done);

  bourse_test_wait_until (flag_set, &call.done, 60000, "the import to be answered");
  g_assert_no_error (call.error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (call.body, NULL), g_bytes_get_size (call.body));

    answer = json_from_string (text, NULL);
  }
  g_assert_cmpint (json_object_get_int_member (object_of (answer), "rows"), ==, 100000);
  g_assert_cmpint (bourse_candles_count (store_of (server), instrument_id (server, "BTCUSDT"), NULL), >, 100000);
  g_bytes_unref (call.body);

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/market-csv/round-trip", test_round_trip);
  g_test_add_func ("/market-csv/higher-intervals", test_higher_intervals);
  g_test_add_func ("/market-csv/bad-files", test_bad_files);
  g_test_add_func ("/market-csv/roles", test_roles);
  g_test_add_func ("/market-csv/size-limit", test_size_limit);
  g_test_add_func ("/market-csv/worker", test_worker);

  return g_test_run ();
}
