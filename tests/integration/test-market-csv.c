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

static gint
compare_candles (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = ((const BourseCandle *) a)->open_time;
  gint64 y = ((const BourseCandle *) b)->open_time;

  return x < y ? -1 : x > y;
}

/* The @coarse candles over [from, to] folded by hand from @candles of
 * @fine (ascending). */
static GArray *
fold_by_hand (GArray         *candles,
              BourseInterval  fine,
              BourseInterval  coarse,
              gint64          from,
              gint64          to)
{
  GArray *folded = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  BourseCandle *bucket = NULL;
  gint64 bucket_next = 0;

  for (guint i = 0; i < candles->len; i++)
    {
      const BourseCandle *c = &g_array_index (candles, BourseCandle, i);

      if (c->open_time < from || c->open_time > to)
        continue;
      if (bucket == NULL || c->open_time >= bucket_next)
        {
          g_array_append_val (folded, *c);
          bucket = &g_array_index (folded, BourseCandle, folded->len - 1);
          bucket->open_time = bourse_interval_align (coarse, c->open_time);
          bucket_next = bourse_interval_next (coarse, c->open_time);
        }
      else
        {
          bucket->high.units = MAX (bucket->high.units, c->high.units);
          bucket->low.units = MIN (bucket->low.units, c->low.units);
          bucket->close = c->close;
          bucket->volume.units += c->volume.units;
          bucket->trades += c->trades;
        }
      bucket->closed = c->closed && bourse_interval_next (fine, c->open_time) == bucket_next;
    }
  return folded;
}

static GArray *
minutes_between (GArray *minutes,
                 gint64  from,
                 gint64  to,
                 guint   every)
{
  GArray *some = g_array_new (FALSE, TRUE, sizeof (BourseCandle));

  for (guint i = 0; i < minutes->len; i++)
    {
      const BourseCandle *c = &g_array_index (minutes, BourseCandle, i);

      if (c->open_time >= from && c->open_time <= to && (c->open_time / MINUTE) % every == 0)
        g_array_append_val (some, *c);
    }
  return some;
}

/* A file of many batches (the import holds a few thousand candles at a
 * time): the higher intervals are those folded by hand from everything
 * stored, the file's candles and those stored before it, around it, in
 * its gaps and between its batches, whatever their order in the file. */
static void
test_batches (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  BourseStore *store = store_of (server);
  gint64 id = instrument_id (server, "ETHUSDT");
  /* Sunday 2024-01-28 13:07 to Wednesday 2024-02-07: weeks, a month, and
   * no interval's start. */
  gint64 start = T0 + ((27 * 24 + 13) * 60 + 7) * MINUTE;
  guint n = 15000;
  gint64 end = start + (n - 1) * MINUTE;
  gint64 day_first = bourse_interval_align (BOURSE_INTERVAL_1D, start);
  gint64 day_last = bourse_interval_next (BOURSE_INTERVAL_1D, end) - 1;
  /* Minutes of the whole days around the file. */
  g_autoptr(GArray) minutes = make_candles ((day_first - T0) / MINUTE, (day_last + 1 - day_first) / MINUTE);
  g_autoptr(GArray) file = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GArray) filled = NULL;
  g_autoptr(GArray) replaced = NULL;
  GArray *expected[BOURSE_N_INTERVALS] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *csv = NULL;
  /* Filled by the store across the file's first batch of 4096 rows; in no
   * one's hands (two whole hours among them). */
  gint64 fill_from = start + 4000 * MINUTE, fill_to = start + 4300 * MINUTE;
  gint64 hole_from = bourse_interval_align (BOURSE_INTERVAL_1H, start + 10000 * MINUTE);
  gint64 hole_to = hole_from + 150 * MINUTE;
  BourseCandle hour = { 0 };
  BourseInterval stored_hour = BOURSE_INTERVAL_1H;

  for (guint i = 0; i < minutes->len; i++)
    {
      BourseCandle *c = &g_array_index (minutes, BourseCandle, i);

      /* Volumes a month of them can hold. */
      c->volume.units = 1000 + i;
    }

  /* What was stored before, without its higher intervals: minutes before
   * and after the file, in the gap it leaves, and some it replaces. */
  before = minutes_between (minutes, day_first, start - 1, 3);
  after = minutes_between (minutes, end + 1, day_last, 2);
  filled = minutes_between (minutes, fill_from, fill_to, 1);
  replaced = minutes_between (minutes, start + 8000 * MINUTE, start + 8100 * MINUTE, 1);
  for (guint i = 0; i < replaced->len; i++)
    g_array_index (replaced, BourseCandle, i).high.units += 5 * UNIT;
  /* An hour of its own in the hole: the 2h and coarser fold it in. */
  hour = (BourseCandle) { .open_time = hole_from + 60 * MINUTE, .open = { 7 * UNIT }, .high = { 9 * UNIT },
                          .low = { 6 * UNIT }, .close = { 8 * UNIT }, .volume = { 3 }, .trades = 4, .closed = TRUE };
  {
    GArray *sets[] = { before, after, filled, replaced };

    for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
      g_assert_true (bourse_candles_upsert (store, id, BOURSE_INTERVAL_1M, (BourseCandle *) (gpointer) sets[s]->data,
                                            sets[s]->len, NULL, &error));
    g_assert_true (bourse_candles_upsert (store, id, stored_hour, &hour, 1, NULL, &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < minutes->len; i++)
    {
      const BourseCandle *c = &g_array_index (minutes, BourseCandle, i);

      if (c->open_time >= start && c->open_time <= end
          && !(c->open_time >= fill_from && c->open_time <= fill_to)
          && !(c->open_time >= hole_from && c->open_time <= hole_to))
        g_array_append_val (file, *c);
    }
  csv = to_csv (file, BOURSE_CSV_FORMAT_BINANCE);
  g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", csv, -1, &answer), ==, 200);
  g_assert_cmpint (json_object_get_int_member (object_of (answer), "rows"), ==, file->len);
  g_assert_cmpint (json_object_get_int_member (object_of (answer), "changed"), ==, file->len);
  g_assert_cmpint (json_object_get_int_member (object_of (answer), "first_open_time"), ==, start);
  g_assert_cmpint (json_object_get_int_member (object_of (answer), "last_open_time"), ==, end);

  /* What the store holds, by hand: every minute, the file's winning over
   * those they replace; each higher interval over the file's range folded
   * from the coarsest one before it that nests in it (as stored: with the
   * hour stored apart), as bourse_candles_aggregate () documents it. */
  expected[BOURSE_INTERVAL_1M] = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  {
    GArray *sets[] = { file, before, after, filled };

    for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
      g_array_append_vals (expected[BOURSE_INTERVAL_1M], sets[i]->data, sets[i]->len);
    g_array_sort (expected[BOURSE_INTERVAL_1M], compare_candles);
  }
  for (guint coarse = BOURSE_INTERVAL_1M + 1; coarse < BOURSE_N_INTERVALS; coarse++)
    for (int fine = coarse - 1; fine >= BOURSE_INTERVAL_1M; fine--)
      if (expected[fine] != NULL && bourse_interval_nests_in (fine, coarse))
        {
          expected[coarse] = fold_by_hand (expected[fine], fine, coarse, bourse_interval_align (coarse, start),
                                           bourse_interval_next (coarse, end) - 1);
          if (coarse == stored_hour)
            {
              g_array_append_val (expected[coarse], hour);
              g_array_sort (expected[coarse], compare_candles);
            }
          break;
        }

  for (guint interval = BOURSE_INTERVAL_1M; interval < BOURSE_N_INTERVALS; interval++)
    {
      g_autoptr(GArray) got = stored (server, "ETHUSDT", interval);

      g_test_message ("%s: %u candles", bourse_interval_to_string (interval), got->len);
      g_assert_nonnull (expected[interval]);
      assert_same (got, expected[interval]);
    }
  for (guint i = 0; i < BOURSE_N_INTERVALS; i++)
    g_clear_pointer (&expected[i], g_array_unref);

  bourse_test_server_free (server);
}

/* A bad line far into a file of many batches: the batches written before
 * it are rolled back with it, and the error names its line and column. */
static void
test_rollback (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(GArray) candles = make_candles (0, 12000);
  g_autoptr(GArray) earlier = make_candles (20000, 10);
  g_autoptr(GString) csv = g_string_new ("time,open,high,low,close,volume,trades\n");
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 id = instrument_id (server, "ETHUSDT");
  gint64 count;

  g_assert_true (bourse_candles_upsert (store_of (server), id, BOURSE_INTERVAL_1M,
                                        (BourseCandle *) (gpointer) earlier->data, earlier->len, NULL, NULL));
  count = bourse_candles_count (store_of (server), id, NULL);

  bourse_csv_append_candles (csv, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M,
                             (BourseCandle *) (gpointer) candles->data, 11000);
  /* Line 11002: not a number of trades. */
  g_string_append_printf (csv, "%" G_GINT64_FORMAT ",1,1,1,1,1,many\n", T0 + 11000 * MINUTE);
  bourse_csv_append_candles (csv, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M,
                             &g_array_index (candles, BourseCandle, 11001), 999);

  g_assert_cmpuint (import (server, "symbol=ETHUSDT&interval=1m", NULL, "text/csv", csv->str, csv->len, &problem),
                    ==, 422);
  assert_csv_problem (problem, 11002, 7, "not a number of trades");
  g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), ==, count);
  entries = audit_entries (server, "market.import");
  g_assert_cmpuint (entries->len, ==, 0);

  bourse_test_server_free (server);
}

/* An input stream that hands out its bytes a few at a time, as a pipe
 * might: lines, CRLF and the byte-order mark are cut anywhere. */
#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *bytes;
  gsize         offset;
  guint         calls;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize size = 0;
  const char *data = g_bytes_get_data (self->bytes, &size);
  /* 1, 2 … 13 bytes, then a big piece now and then. */
  gsize n = ++self->calls % 50 == 0 ? 100000 : 1 + self->calls % 13;

  n = MIN (MIN (n, count), size - self->offset);
  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  return n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  g_bytes_unref (TEST_TRICKLE_STREAM (object)->bytes);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle (const char *text,
         gssize      length)
{
  TestTrickleStream *stream = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  stream->bytes = g_bytes_new (text, length < 0 ? strlen (text) : (gsize) length);
  return G_INPUT_STREAM (stream);
}

static gboolean
direct_audit_cb (BourseStore  *store,
                 const char   *action,
                 const char   *target,
                 JsonNode     *details,
                 gpointer      user_data,
                 GError      **error)
{
  g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);

  entry->actor = g_strdup ("test");
  entry->action = g_strdup (action);
  entry->target = g_strdup (target);
  entry->details = json_node_ref (details);
  return bourse_audit_append (store, entry, error);
}

/* bourse_csv_import_stream (), as `boursed market import` reads a file:
 * the same candles as the whole file at once, however the reads cut it. */
static void
test_stream (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  BourseStore *store = store_of (server);
  g_autoptr(GArray) candles = make_candles (0, 9000);
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBFtime,open,high,low,close,volume,trades\r\n");
  g_autoptr(GError) error = NULL;
  BourseCsvImport whole = { 0 };
  BourseCsvImport streamed = { 0 };

  for (guint i = 0; i < candles->len; i++)
    g_array_index (candles, BourseCandle, i).volume.units = 1000 + i;
  {
    g_autoptr(GString) lines = g_string_new (NULL);
    g_auto(GStrv) split = NULL;
    g_autofree char *joined = NULL;

    bourse_csv_append_candles (lines, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M,
                               (BourseCandle *) (gpointer) candles->data, candles->len);
    /* CRLF, and blank lines now and then; no newline at the end. */
    split = g_strsplit (lines->str, "\n", -1);
    for (guint i = 0; split[i] != NULL && split[i][0] != '\0'; i++)
      g_string_append_printf (csv, i == 0 ? "%s" : i % 1000 == 0 ? "\r\n\r\n%s" : "\r\n%s", split[i]);
  }

  g_assert_true (bourse_csv_import (store, "ETHUSDT", BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_AUTO, csv->str, csv->len,
                                    direct_audit_cb, NULL, &whole, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GInputStream) input = trickle (csv->str, csv->len);

    g_assert_true (bourse_csv_import_stream (store, "SOLUSDT", BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_AUTO, input,
                                             direct_audit_cb, NULL, &streamed, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (whole.rows, ==, candles->len);
  g_assert_cmpuint (streamed.rows, ==, candles->len);
  g_assert_cmpint (streamed.format, ==, BOURSE_CSV_FORMAT_GENERIC);
  g_assert_cmpint (streamed.first_open_time, ==, whole.first_open_time);
  g_assert_cmpint (streamed.last_open_time, ==, whole.last_open_time);
  for (guint interval = BOURSE_INTERVAL_1M; interval < BOURSE_N_INTERVALS; interval++)
    {
      g_autoptr(GArray) a = stored (server, "ETHUSDT", interval);
      g_autoptr(GArray) b = stored (server, "SOLUSDT", interval);

      assert_same (a, b);
    }

  /* Errors name the same line and column however the file is cut. */
  {
    g_autofree char *bad = g_strdup (csv->str);
    g_autoptr(GInputStream) input = NULL;
    BourseCsvImport none = { 0 };

    /* The last line's number of trades becomes "26x97". */
    bad[strlen (bad) - 3] = 'x';
    input = trickle (bad, -1);
    g_assert_false (bourse_csv_import_stream (store, "BTCUSDT", BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_AUTO, input,
                                              direct_audit_cb, NULL, &none, NULL, &error));
    g_assert_error (error, BOURSE_CSV_ERROR, BOURSE_CSV_ERROR_NUMBER);
    /* 9000 candles, a header and 8 pairs of blank lines. */
    g_assert_cmpuint (bourse_csv_error_get_line (error), ==, 9001 + 8);
    g_assert_cmpuint (bourse_csv_error_get_column (error), ==, 7);
    g_clear_error (&error);
    g_assert_cmpint (bourse_candles_count (store, instrument_id (server, "BTCUSDT"), NULL), ==, 0);
  }

  /* A line longer than any line of candles is refused, not kept. */
  {
    g_autoptr(GString) long_line = g_string_new ("time,open,high,low,close,volume\n1704067200000,1,1,1,1,");
    g_autoptr(GInputStream) input = NULL;
    BourseCsvImport none = { 0 };

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (long_line, ' ');
    g_string_append (long_line, "1\n");
    input = trickle (long_line->str, long_line->len);
    g_assert_false (bourse_csv_import_stream (store, "BTCUSDT", BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_AUTO, input,
                                              direct_audit_cb, NULL, &none, NULL, &error));
    g_assert_error (error, BOURSE_CSV_ERROR, BOURSE_CSV_ERROR_LINE);
    g_assert_cmpuint (bourse_csv_error_get_line (error), ==, 2);
    g_assert_cmpuint (bourse_csv_error_get_column (error), ==, 6);
    g_clear_error (&error);
    /* And so it is in one piece. */
    g_assert_false (bourse_csv_import (store, "BTCUSDT", BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_AUTO, long_line->str,
                                       long_line->len, direct_audit_cb, NULL, &none, &error));
    g_assert_error (error, BOURSE_CSV_ERROR, BOURSE_CSV_ERROR_LINE);
    g_assert_cmpuint (bourse_csv_error_get_line (error), ==, 2);
    g_assert_cmpuint (bourse_csv_error_get_column (error), ==, 6);
  }

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
  g_test_add_func ("/market-csv/batches", test_batches);
  g_test_add_func ("/market-csv/rollback", test_rollback);
  g_test_add_func ("/market-csv/stream", test_stream);

  return g_test_run ();
}
