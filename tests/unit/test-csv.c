/* test-csv.c — the CSV parser and writer of candles
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "market/bourse-csv.h"

#define MINUTE G_GINT64_CONSTANT (60000)
#define HOUR   G_GINT64_CONSTANT (3600000)
/* 2024-01-01T00:00:00Z */
#define T0     G_GINT64_CONSTANT (1704067200000)
#define UNIT   BOURSE_DECIMAL_UNIT
/* The parser's clock, stopped: whether a candle is closed does not depend
 * on when the test runs. 2026-06-15T12:34:56.789Z */
#define NOW    G_GINT64_CONSTANT (1781526896789)

/* Three minutes as Binance's public files have them: milliseconds … */
static const char binance_ms[] =
  "1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,"
  "1704067259999,1519032.02475540,1327,23.18172000,980190.56405680,0\n"
  "1704067260000,42298.62000000,42320.00000000,42298.61000000,42307.38000000,21.33000000,"
  "1704067319999,902432.11000000,964,11.02000000,466213.73000000,0\n"
  "1704067320000,42307.38000000,42310.00000000,42290.02000000,42290.02000000,0.00100000,"
  "1704067379999,42.29000000,1,0.00000000,0.00000000,0\n";

/* … and microseconds, as since 2025. */
static const char binance_us[] =
  "1704067200000000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,"
  "1704067259999999,1519032.02475540,1327,23.18172000,980190.56405680,0\n"
  "1704067260000000,42298.62000000,42320.00000000,42298.61000000,42307.38000000,21.33000000,"
  "1704067319999999,902432.11000000,964,11.02000000,466213.73000000,0\n"
  "1704067320000000,42307.38000000,42310.00000000,42290.02000000,42290.02000000,0.00100000,"
  "1704067379999999,42.29000000,1,0.00000000,0.00000000,0\n";

static GArray *
parse_ok (const char      *text,
          BourseCsvFormat  format,
          BourseInterval   interval,
          BourseCsvFormat  expected_format)
{
  g_autoptr(GError) error = NULL;
  BourseCsvFormat detected = BOURSE_CSV_FORMAT_AUTO;
  GArray *candles = bourse_csv_parse (text, strlen (text), format, interval, &detected, &error);

  g_assert_no_error (error);
  g_assert_nonnull (candles);
  g_assert_cmpint (detected, ==, expected_format);
  return candles;
}

static void
assert_candle (const BourseCandle *c,
               gint64              open_time,
               gint64              open,
               gint64              high,
               gint64              low,
               gint64              close,
               gint64              volume,
               gint64              trades)
{
  g_assert_cmpint (c->open_time, ==, open_time);
  g_assert_cmpint (c->open.units, ==, open);
  g_assert_cmpint (c->high.units, ==, high);
  g_assert_cmpint (c->low.units, ==, low);
  g_assert_cmpint (c->close.units, ==, close);
  g_assert_cmpint (c->volume.units, ==, volume);
  g_assert_cmpint (c->trades, ==, trades);
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

      assert_candle (y, x->open_time, x->open.units, x->high.units, x->low.units, x->close.units,
                     x->volume.units, x->trades);
      g_assert_cmpint (x->closed, ==, y->closed);
    }
}

static void
test_binance (void)
{
  g_autoptr(GArray) ms = parse_ok (binance_ms, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                   BOURSE_CSV_FORMAT_BINANCE);
  g_autoptr(GArray) us = parse_ok (binance_us, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                   BOURSE_CSV_FORMAT_BINANCE);
  g_autoptr(GArray) named = parse_ok (binance_ms, BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1M,
                                      BOURSE_CSV_FORMAT_BINANCE);

  g_assert_cmpuint (ms->len, ==, 3);
  assert_candle (&g_array_index (ms, BourseCandle, 0), T0, 4228358000000, 4229862000000, 4226102000000,
                 4229861000000, 3592724000, 1327);
  assert_candle (&g_array_index (ms, BourseCandle, 2), T0 + 2 * MINUTE, 4230738000000, 4231000000000,
                 4229002000000, 4229002000000, 100000, 1);
  /* History is closed. */
  g_assert_true (g_array_index (ms, BourseCandle, 0).closed);

  /* Microseconds are the same instants. */
  assert_same (ms, us);
  assert_same (ms, named);
}

static void
test_binance_header (void)
{
  g_autofree char *text = g_strconcat ("open_time,open,high,low,close,volume,close_time,quote_volume,count,"
                                       "taker_buy_volume,taker_buy_quote_volume,ignore\n", binance_ms, NULL);
  g_autoptr(GArray) plain = parse_ok (binance_ms, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                      BOURSE_CSV_FORMAT_BINANCE);
  g_autoptr(GArray) headed = parse_ok (text, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                       BOURSE_CSV_FORMAT_BINANCE);

  assert_same (plain, headed);
}

static void
test_generic (void)
{
  /* A byte-order mark, a header in capitals, spaces, CRLF, a blank line and
   * no newline at the end are all fine. */
  static const char text[] =
    "\xEF\xBB\xBFTime, Open,High,LOW,close,volume\r\n"
    "1704067200000,42283.58,42298.62,42261.02,42298.61,35.92724\r\n"
    "\r\n"
    "1704070800000, 100 ,100,100,100,0";
  static const char with_trades[] =
    "time,open,high,low,close,volume,trades\n"
    "1704067200000000,-1.5,2,-3,-2.25,92233720368.54775807,42\n";
  g_autoptr(GArray) candles = parse_ok (text, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1H,
                                        BOURSE_CSV_FORMAT_GENERIC);
  g_autoptr(GArray) named = parse_ok (text, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1H,
                                      BOURSE_CSV_FORMAT_GENERIC);
  g_autoptr(GArray) traded = parse_ok (with_trades, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1D,
                                       BOURSE_CSV_FORMAT_GENERIC);

  g_assert_cmpuint (candles->len, ==, 2);
  assert_candle (&g_array_index (candles, BourseCandle, 0), T0, 4228358000000, 4229862000000, 4226102000000,
                 4229861000000, 3592724000, 0);
  assert_candle (&g_array_index (candles, BourseCandle, 1), T0 + HOUR, 100 * UNIT, 100 * UNIT, 100 * UNIT,
                 100 * UNIT, 0, 0);
  assert_same (candles, named);

  /* Negative prices exist (oil futures in 2020); the largest volume fits. */
  assert_candle (&g_array_index (traded, BourseCandle, 0), T0, -150000000, 200000000, -300000000, -225000000,
                 G_MAXINT64, 42);
}

static void
test_crlf_and_trailing_newline (void)
{
  g_autofree char *crlf = NULL;
  g_autofree char *bare = g_strndup (binance_ms, strlen (binance_ms) - 1);
  g_auto(GStrv) lines = g_strsplit (binance_ms, "\n", -1);
  g_autoptr(GArray) plain = parse_ok (binance_ms, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                      BOURSE_CSV_FORMAT_BINANCE);
  g_autoptr(GArray) with_crlf = NULL;
  g_autoptr(GArray) without_newline = NULL;

  crlf = g_strjoinv ("\r\n", lines);
  with_crlf = parse_ok (crlf, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_BINANCE);
  without_newline = parse_ok (bare, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M, BOURSE_CSV_FORMAT_BINANCE);
  assert_same (plain, with_crlf);
  assert_same (plain, without_newline);
}

/* Candles with every kind of value: 8 decimals, whole numbers, tiny and huge volumes. */
static GArray *
make_candles (BourseInterval interval,
              guint          n)
{
  GArray *candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  gint64 t = bourse_interval_align (interval, T0);
  gint64 now = bourse_time_now_ms ();

  for (guint i = 0; i < n; i++)
    {
      BourseCandle c = { 0 };
      gint64 base = (gint64) (i * 7919 % 100000) * UNIT + (gint64) (i * 104729 % UNIT);

      c.open_time = t;
      c.open.units = base;
      c.close.units = base + (i % 3 == 0 ? 1 : -1) * (gint64) (i % 1000);
      c.high.units = MAX (c.open.units, c.close.units) + (i % 5) * 12345678;
      c.low.units = MIN (c.open.units, c.close.units) - (i % 7) * 1;
      switch (i % 4)
        {
        case 0: c.volume.units = 1; break;                            /* 0.00000001 */
        case 1: c.volume.units = G_MAXINT64 - i; break;               /* about 92 billion */
        case 2: c.volume.units = 0; break;
        default: c.volume.units = 123456789012345678 / (i + 1); break;
        }
      c.trades = i % 2 ? i * 1000003 : 0;
      c.closed = bourse_interval_next (interval, t) <= now;
      g_array_append_val (candles, c);
      t = bourse_interval_next (interval, t);
    }
  return candles;
}

static void
round_trip (BourseCsvFormat format,
            BourseInterval  interval)
{
  g_autoptr(GArray) candles = make_candles (interval, 1000);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) again = g_string_new (NULL);
  g_autoptr(GArray) parsed = NULL;

  bourse_csv_append_header (text, format);
  bourse_csv_append_candles (text, format, interval, (BourseCandle *) (gpointer) candles->data, 500);
  bourse_csv_append_candles (text, format, interval, &g_array_index (candles, BourseCandle, 500), 500);
  parsed = parse_ok (text->str, BOURSE_CSV_FORMAT_AUTO, interval, format);
  assert_same (candles, parsed);

  /* And written again, byte for byte the same file. */
  bourse_csv_append_header (again, format);
  bourse_csv_append_candles (again, format, interval, (BourseCandle *) (gpointer) parsed->data, parsed->len);
  g_assert_cmpstr (again->str, ==, text->str);
}

static void
test_round_trip (void)
{
  round_trip (BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1M);
  round_trip (BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M);
  round_trip (BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1MO);
  round_trip (BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1W);
}

static void
test_writer (void)
{
  BourseCandle c = {
    .open_time = T0,
    .open = { 4228358000000 },
    .high = { 4229862000000 },
    .low = { 4226102000000 },
    .close = { 4229861000000 },
    .volume = { 3592724000 },
    .trades = 1327,
  };
  g_autoptr(GString) binance = g_string_new (NULL);
  g_autoptr(GString) generic = g_string_new (NULL);

  bourse_csv_append_header (binance, BOURSE_CSV_FORMAT_BINANCE);
  bourse_csv_append_candles (binance, BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1M, &c, 1);
  g_assert_cmpstr (binance->str, ==,
                   "1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,"
                   "1704067259999,0.00000000,1327,0.00000000,0.00000000,0\n");

  c.open.units = -5;
  bourse_csv_append_header (generic, BOURSE_CSV_FORMAT_GENERIC);
  bourse_csv_append_candles (generic, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M, &c, 1);
  g_assert_cmpstr (generic->str, ==,
                   "time,open,high,low,close,volume,trades\n"
                   "1704067200000,-0.00000005,42298.62,42261.02,42298.61,35.92724,1327\n");
}

/* Times before 2001-09-09 have fewer than 13 digits: they are written, and
 * read, with leading zeros. */
static void
test_early_times (void)
{
  /* 2000-01-01T00:00:00Z and 1969-12-31T23:59:00Z */
  static const char text[] =
    "time,open,high,low,close,volume,trades\n"
    "0946684800000,1,1,1,1,1,0\n";
  static const char before_epoch[] =
    "time,open,high,low,close,volume,trades\n"
    "-0000000060000,1,1,1,1,1,0\n";
  g_autoptr(GArray) candles = parse_ok (text, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                        BOURSE_CSV_FORMAT_GENERIC);
  g_autoptr(GArray) early = parse_ok (before_epoch, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                      BOURSE_CSV_FORMAT_GENERIC);
  g_autoptr(GString) generic = g_string_new (NULL);
  g_autoptr(GString) binance = g_string_new (NULL);
  g_autoptr(GString) negative = g_string_new (NULL);

  assert_candle (&g_array_index (candles, BourseCandle, 0), G_GINT64_CONSTANT (946684800000), UNIT, UNIT, UNIT,
                 UNIT, UNIT, 0);
  assert_candle (&g_array_index (early, BourseCandle, 0), -MINUTE, UNIT, UNIT, UNIT, UNIT, UNIT, 0);

  bourse_csv_append_header (generic, BOURSE_CSV_FORMAT_GENERIC);
  bourse_csv_append_candles (generic, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M,
                             (BourseCandle *) (gpointer) candles->data, candles->len);
  g_assert_cmpstr (generic->str, ==, text);
  bourse_csv_append_header (negative, BOURSE_CSV_FORMAT_GENERIC);
  bourse_csv_append_candles (negative, BOURSE_CSV_FORMAT_GENERIC, BOURSE_INTERVAL_1M,
                             (BourseCandle *) (gpointer) early->data, early->len);
  g_assert_cmpstr (negative->str, ==, before_epoch);

  /* The close time too. */
  bourse_csv_append_candles (binance, BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1M,
                             (BourseCandle *) (gpointer) early->data, early->len);
  g_assert_cmpstr (binance->str, ==,
                   "-0000000060000,1.00000000,1.00000000,1.00000000,1.00000000,1.00000000,"
                   "-0000000000001,0.00000000,0,0.00000000,0.00000000,0\n");
}

static void
test_forming_candle (void)
{
  gint64 now = bourse_interval_align (BOURSE_INTERVAL_1M, NOW);
  g_autofree char *text = g_strdup_printf ("time,open,high,low,close,volume\n"
                                           "%" G_GINT64_FORMAT ",1,1,1,1,1\n"
                                           "%" G_GINT64_FORMAT ",1,1,1,1,1\n",
                                           now - MINUTE, now);
  g_autoptr(GArray) candles = parse_ok (text, BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                        BOURSE_CSV_FORMAT_GENERIC);

  g_assert_true (g_array_index (candles, BourseCandle, 0).closed);
  g_assert_false (g_array_index (candles, BourseCandle, 1).closed);
}

/* The JSON writer of pages of candles says what bourse_candle_to_json () says. */
static void
test_json (void)
{
  g_autoptr(GArray) candles = make_candles (BOURSE_INTERVAL_1MO, 50);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(GString) fast = g_string_new (NULL);
  g_autoptr(GString) empty = g_string_new (NULL);
  g_autofree char *slow = NULL;

  g_array_index (candles, BourseCandle, 3).open.units = -5;
  g_array_index (candles, BourseCandle, 4).volume.units = G_MAXINT64;
  for (guint i = 0; i < candles->len; i++)
    json_array_add_element (array, bourse_candle_to_json (&g_array_index (candles, BourseCandle, i),
                                                          BOURSE_INTERVAL_1MO));
  json_node_set_array (root, array);
  slow = json_to_string (root, FALSE);

  bourse_candles_append_json (fast, (BourseCandle *) (gpointer) candles->data, candles->len, BOURSE_INTERVAL_1MO);
  g_assert_cmpstr (fast->str, ==, slow);
  bourse_candles_append_json (empty, NULL, 0, BOURSE_INTERVAL_1M);
  g_assert_cmpstr (empty->str, ==, "[]");
}

static void
test_formats (void)
{
  BourseCsvFormat format;

  g_assert_true (bourse_csv_format_parse ("auto", &format));
  g_assert_cmpint (format, ==, BOURSE_CSV_FORMAT_AUTO);
  g_assert_true (bourse_csv_format_parse ("binance", &format));
  g_assert_cmpint (format, ==, BOURSE_CSV_FORMAT_BINANCE);
  g_assert_true (bourse_csv_format_parse ("generic", &format));
  g_assert_cmpint (format, ==, BOURSE_CSV_FORMAT_GENERIC);
  g_assert_false (bourse_csv_format_parse ("Generic", &format));
  g_assert_false (bourse_csv_format_parse (NULL, &format));
  g_assert_cmpstr (bourse_csv_format_to_string (BOURSE_CSV_FORMAT_BINANCE), ==, "binance");
  g_assert_cmpstr (bourse_csv_format_to_string (BOURSE_CSV_FORMAT_GENERIC), ==, "generic");
}

/* A good Binance line at minute m (1-based file line m + 1), and one with a
 * field replaced. */
static char *
binance_line (guint       minute,
              guint       column,
              const char *value)
{
  gint64 open_time = T0 + minute * MINUTE;
  g_autofree char *open = g_strdup_printf ("%" G_GINT64_FORMAT, open_time);
  g_autofree char *close = g_strdup_printf ("%" G_GINT64_FORMAT, open_time + MINUTE - 1);
  const char *fields[] = { open, "10.5", "11", "10", "10.75", "3.25", close, "34.9", "12", "1.5", "16.1", "0", NULL };

  if (column > 0)
    fields[column - 1] = value;
  return g_strjoinv (",", (char **) fields);
}

/* Line 1: minute 0, line 2: minute 1 … with line @bad_line changed. */
static char *
binance_file (guint       n_lines,
              guint       bad_line,
              guint       column,
              const char *value)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint line = 1; line <= n_lines; line++)
    {
      g_autofree char *row = binance_line (line - 1, line == bad_line ? column : 0, value);

      g_string_append_printf (text, "%s\n", row);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  const char     *name;
  BourseCsvFormat format;
  BourseInterval  interval;
  char           *text;
  BourseCsvError  code;
  guint           line;
  guint           column;
  const char     *reason;      /* a part of the message */
} BadCase;

static void
check_bad (const BadCase *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autofree char *prefix = g_strdup_printf ("Line %u, column %u: ", c->line, c->column);

  g_test_message ("%s", c->name);
  candles = bourse_csv_parse (c->text, strlen (c->text), c->format, c->interval, NULL, &error);
  g_assert_null (candles);
  g_assert_error (error, BOURSE_CSV_ERROR, (int) c->code);
  g_test_message ("  %s", error->message);
  g_assert_cmpuint (bourse_csv_error_get_line (error), ==, c->line);
  g_assert_cmpuint (bourse_csv_error_get_column (error), ==, c->column);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  if (strstr (error->message, c->reason) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->reason);

  /* The line and column survive a copy, as through a GTask. */
  {
    g_autoptr(GError) copy = g_error_copy (error);

    g_assert_cmpuint (bourse_csv_error_get_line (copy), ==, c->line);
    g_assert_cmpuint (bourse_csv_error_get_column (copy), ==, c->column);
  }
}

static void
test_bad (void)
{
  const BourseCsvFormat A = BOURSE_CSV_FORMAT_AUTO, B = BOURSE_CSV_FORMAT_BINANCE, G = BOURSE_CSV_FORMAT_GENERIC;
  const BourseInterval M1 = BOURSE_INTERVAL_1M;
  BadCase cases[] = {
    { "empty", A, M1, g_strdup (""), BOURSE_CSV_ERROR_EMPTY, 1, 1, "empty" },
    { "blank lines only", A, M1, g_strdup ("\n \r\n\n"), BOURSE_CSV_ERROR_EMPTY, 1, 1, "empty" },
    { "header only", A, M1, g_strdup ("time,open,high,low,close,volume\n"), BOURSE_CSV_ERROR_EMPTY, 2, 1,
      "no candles" },
    { "header only, no newline", G, M1, g_strdup ("time,open,high,low,close,volume"), BOURSE_CSV_ERROR_EMPTY,
      2, 1, "no candles" },
    { "too few columns", A, M1, binance_file (5, 4, 12, NULL), BOURSE_CSV_ERROR_COLUMNS, 4, 12, "found 11" },
    { "too many columns", A, M1, binance_file (5, 3, 12, "0,7"), BOURSE_CSV_ERROR_COLUMNS, 3, 13, "found 13" },
    { "first line of 6 columns, no header", A, M1, g_strdup ("1704067200000,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_COLUMNS, 1, 7, "header" },
    { "generic line too short", A, M1,
      g_strdup ("time,open,high,low,close,volume\n1704067200000,1,1,1,1,1\n1704067260000,1,1,1,1\n"),
      BOURSE_CSV_ERROR_COLUMNS, 3, 6, "expected 6 columns, found 5" },
    { "not a number", A, M1, binance_file (5, 2, 2, "abc"), BOURSE_CSV_ERROR_NUMBER, 2, 2, "“abc” is not" },
    { "an exponent", A, M1, binance_file (5, 2, 6, "1e-05"), BOURSE_CSV_ERROR_NUMBER, 2, 6, "“1e-05”" },
    { "a decimal comma", A, M1, g_strdup ("time,open,high,low,close,volume\n1704067200000,1;5,2,1,1,1\n"),
      BOURSE_CSV_ERROR_NUMBER, 2, 2, "“1;5”" },
    { "an empty field", A, M1, binance_file (5, 5, 5, ""), BOURSE_CSV_ERROR_NUMBER, 5, 5, "“”" },
    { "too many decimals", A, M1, binance_file (5, 3, 4, "10.000000001"), BOURSE_CSV_ERROR_NUMBER, 3, 4,
      "more than 8 decimals" },
    { "too large", A, M1, binance_file (5, 3, 6, "92233720368.54775808"), BOURSE_CSV_ERROR_NUMBER, 3, 6,
      "out of range" },
    { "negative volume", A, M1, binance_file (5, 2, 6, "-0.1"), BOURSE_CSV_ERROR_CANDLE, 2, 6,
      "volume is negative" },
    { "high below low", A, M1, binance_file (5, 2, 3, "9"), BOURSE_CSV_ERROR_CANDLE, 2, 3,
      "the high is below the low" },
    { "high below open", A, M1, binance_file (5, 2, 3, "10.25"), BOURSE_CSV_ERROR_CANDLE, 2, 3,
      "the high is below the open" },
    { "high below close", A, M1, binance_file (5, 2, 3, "10.6"), BOURSE_CSV_ERROR_CANDLE, 2, 3,
      "the high is below the close" },
    { "low above open", A, M1, binance_file (5, 2, 4, "10.6"), BOURSE_CSV_ERROR_CANDLE, 2, 4,
      "the low is above the open" },
    { "unaligned time", A, M1, binance_file (5, 4, 1, "1704067381000"), BOURSE_CSV_ERROR_TIME, 4, 1,
      "not the start of a 1m candle" },
    { "unaligned hour", A, BOURSE_INTERVAL_1H, binance_file (5, 0, 0, NULL), BOURSE_CSV_ERROR_TIME, 2, 1,
      "not the start of a 1h candle" },
    { "times not increasing", A, M1, binance_file (5, 4, 1, "1704067200000"), BOURSE_CSV_ERROR_ORDER, 4, 1,
      "before the one on line 3" },
    { "duplicate", A, M1, binance_file (5, 4, 1, "1704067320000"), BOURSE_CSV_ERROR_DUPLICATE, 4, 1,
      "already on line 3" },
    { "seconds are not a time", A, M1, binance_file (5, 1, 1, "1704067200"), BOURSE_CSV_ERROR_TIME, 1, 1,
      "is not a time" },
    /* Fewer than 13 digits are refused even when they would make a candle
     * of 1970 that fits the interval. */
    { "seconds on the minute", A, M1, g_strdup ("time,open,high,low,close,volume\n1704060000,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_TIME, 2, 1, "is not a time" },
    { "12 digits", A, M1, g_strdup ("time,open,high,low,close,volume\n170406720000,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_TIME, 2, 1, "milliseconds (13 digits)" },
    { "a time of 0", A, M1, g_strdup ("time,open,high,low,close,volume\n0,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_TIME, 2, 1, "is not a time" },
    { "a short negative time", A, M1, g_strdup ("time,open,high,low,close,volume\n-60000,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_TIME, 2, 1, "is not a time" },
    { "a close time in seconds", A, M1, binance_file (5, 2, 7, "1704067319"), BOURSE_CSV_ERROR_TIME, 2, 7,
      "is not a time" },
    { "14 digits", A, M1, binance_file (5, 2, 1, "17040672600000"), BOURSE_CSV_ERROR_TIME, 2, 1,
      "microseconds (16 digits)" },
    { "inexact microseconds", A, M1, binance_file (5, 2, 1, "1704067260000001"), BOURSE_CSV_ERROR_TIME, 2, 1,
      "whole number of milliseconds" },
    { "a date is not a time", A, M1, binance_file (5, 2, 1, "2024-01-01"), BOURSE_CSV_ERROR_TIME, 2, 1,
      "is not a time" },
    { "close time of another interval", A, M1, binance_file (5, 3, 7, "1704070919999"),
      BOURSE_CSV_ERROR_TIME, 3, 7, "is the interval right?" },
    { "quote volume", A, M1, binance_file (5, 2, 8, "x"), BOURSE_CSV_ERROR_NUMBER, 2, 8, "“x”" },
    { "negative trades", A, M1, binance_file (5, 2, 9, "-3"), BOURSE_CSV_ERROR_NUMBER, 2, 9, "trades" },
    { "fractional trades", A, M1, binance_file (5, 2, 9, "1.5"), BOURSE_CSV_ERROR_NUMBER, 2, 9, "trades" },
    { "ignore column", A, M1, binance_file (5, 5, 12, "-"), BOURSE_CSV_ERROR_NUMBER, 5, 12, "“-”" },
    { "bad generic header", A, M1, g_strdup ("time,open,hi,low,close,volume\n1704067200000,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_HEADER, 1, 3, "expected the column “high”, found “hi”" },
    { "short generic header", A, M1, g_strdup ("time,open,high,low\n1704067200000,1,1,1\n"),
      BOURSE_CSV_ERROR_HEADER, 1, 5, "before the column “close”" },
    { "extra generic column", A, M1,
      g_strdup ("time,open,high,low,close,volume,trades,vwap\n1704067200000,1,1,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_HEADER, 1, 8, "“vwap”" },
    { "unknown header", A, M1, g_strdup ("date,price\n2024-01-01,1\n"), BOURSE_CSV_ERROR_HEADER, 1, 1,
      "neither" },
    { "generic file named Binance", B, M1, g_strdup ("time,open,high,low,close,volume\n1704067200000,1,1,1,1,1\n"),
      BOURSE_CSV_ERROR_HEADER, 1, 1, "no header" },
    { "Binance file named generic", G, M1, binance_file (5, 0, 0, NULL), BOURSE_CSV_ERROR_HEADER, 1, 1,
      "is missing" },
    { "generic data wrong after blank lines", A, M1,
      g_strdup ("\ntime,open,high,low,close,volume\n\n1704067200000,1,2,1,1,1\n1704067260000,1,0.5,1,1,1\n"),
      BOURSE_CSV_ERROR_CANDLE, 5, 3, "the high is below the low" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      check_bad (&cases[i]);
      g_free (cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bourse_time_freeze (NOW);

  g_test_add_func ("/csv/binance", test_binance);
  g_test_add_func ("/csv/binance-header", test_binance_header);
  g_test_add_func ("/csv/generic", test_generic);
  g_test_add_func ("/csv/crlf-and-trailing-newline", test_crlf_and_trailing_newline);
  g_test_add_func ("/csv/round-trip", test_round_trip);
  g_test_add_func ("/csv/writer", test_writer);
  g_test_add_func ("/csv/early-times", test_early_times);
  g_test_add_func ("/csv/forming-candle", test_forming_candle);
  g_test_add_func ("/csv/formats", test_formats);
  g_test_add_func ("/csv/json", test_json);
  g_test_add_func ("/csv/bad", test_bad);

  return g_test_run ();
}
