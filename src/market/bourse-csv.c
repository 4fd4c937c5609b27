/* bourse-csv.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* PRId64 in translatable strings: xgettext understands it, not G_GINT64_FORMAT. */
#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"

#include "bourse-candles-private.h"
#include "bourse-csv.h"

/* Error domain {{{ */

typedef struct
{
  guint line;
  guint column;
} BourseCsvErrorPrivate;

static void
bourse_csv_error_private_init (BourseCsvErrorPrivate *priv)
{
}

static void
bourse_csv_error_private_copy (const BourseCsvErrorPrivate *src,
                               BourseCsvErrorPrivate       *dest)
{
  *dest = *src;
}

static void
bourse_csv_error_private_clear (BourseCsvErrorPrivate *priv)
{
}

/* An extended domain: the line and column travel with the GError, through
 * GTask and g_error_copy (), so the API can answer them as numbers. */
G_DEFINE_EXTENDED_ERROR (BourseCsvError, bourse_csv_error)

guint
bourse_csv_error_get_line (const GError *error)
{
  BourseCsvErrorPrivate *priv = bourse_csv_error_get_private (error);

  return priv ? priv->line : 0;
}

guint
bourse_csv_error_get_column (const GError *error)
{
  BourseCsvErrorPrivate *priv = bourse_csv_error_get_private (error);

  return priv ? priv->column : 0;
}

static void set_error (GError         **error,
                       BourseCsvError   code,
                       guint            line,
                       guint            column,
                       const char      *format,
                       ...) G_GNUC_PRINTF (5, 6);

static void
set_error (GError         **error,
           BourseCsvError   code,
           guint            line,
           guint            column,
           const char      *format,
           ...)
{
  g_autofree char *reason = NULL;
  BourseCsvErrorPrivate *priv;
  GError *local;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  local = g_error_new (BOURSE_CSV_ERROR, code, _("Line %u, column %u: %s"), line, column, reason);
  priv = bourse_csv_error_get_private (local);
  priv->line = line;
  priv->column = column;
  g_propagate_error (error, local);
}

/* }}} */
/* Formats {{{ */

gboolean
bourse_csv_format_parse (const char      *text,
                         BourseCsvFormat *out)
{
  if (g_strcmp0 (text, "auto") == 0)
    *out = BOURSE_CSV_FORMAT_AUTO;
  else if (g_strcmp0 (text, "binance") == 0)
    *out = BOURSE_CSV_FORMAT_BINANCE;
  else if (g_strcmp0 (text, "generic") == 0)
    *out = BOURSE_CSV_FORMAT_GENERIC;
  else
    return FALSE;
  return TRUE;
}

const char *
bourse_csv_format_to_string (BourseCsvFormat format)
{
  switch (format)
    {
    case BOURSE_CSV_FORMAT_AUTO:    return "auto";
    case BOURSE_CSV_FORMAT_BINANCE: return "binance";
    case BOURSE_CSV_FORMAT_GENERIC: return "generic";
    default:                        g_return_val_if_reached ("auto");
    }
}

/* }}} */
/* Parsing {{{ */

#define BINANCE_COLUMNS 12
#define MAX_FIELDS      16

/* The columns shared by both formats: time, open, high, low, close, volume. */
enum { COL_TIME = 1, COL_OPEN, COL_HIGH, COL_LOW, COL_CLOSE, COL_VOLUME };
/* Binance's others. */
enum { COL_CLOSE_TIME = 7, COL_QUOTE_VOLUME, COL_TRADES, COL_TAKER_BASE, COL_TAKER_QUOTE, COL_IGNORE };
/* The generic format's optional seventh. */
#define COL_GENERIC_TRADES 7

static const char * const generic_columns[] = { "time", "open", "high", "low", "close", "volume", "trades" };
#define GENERIC_REQUIRED 6

/* One line cut at its commas, in place: nothing is allocated per field. */
typedef struct
{
  const char *start[MAX_FIELDS];
  const char *end[MAX_FIELDS];
  guint       n;        /* every field counted, even past MAX_FIELDS */
} Fields;

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* The next ',' in [p, end), or end. Fields are a dozen bytes: eight at a
 * time, with the "has a zero byte" test on the word XOR ',', beats both a
 * byte loop and a memchr () call per field. */
static inline const char *
find_comma (const char *p,
            const char *end)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  while (end - p >= 8)
    {
      guint64 word;
      guint64 x;
      guint64 found;

      memcpy (&word, p, sizeof word);
      x = word ^ G_GUINT64_CONSTANT (0x2c2c2c2c2c2c2c2c);
      found = (x - G_GUINT64_CONSTANT (0x0101010101010101)) & ~x & G_GUINT64_CONSTANT (0x8080808080808080);
      /* The lowest flagged byte is always a real match. */
      if (found != 0)
        return p + (__builtin_ctzll (found) >> 3);
      p += 8;
    }
#endif
  while (p < end && *p != ',')
    p++;
  return p;
}

static void
split_fields (const char *p,
              const char *end,
              Fields     *fields)
{
  guint n = 0;

  for (;;)
    {
      const char *comma = find_comma (p, end);

      if (n < MAX_FIELDS)
        {
          const char *s = p;
          const char *e = comma;

          while (s < e && is_blank (*s))
            s++;
          while (e > s && is_blank (e[-1]))
            e--;
          fields->start[n] = s;
          fields->end[n] = e;
        }
      n++;
      if (comma == end)
        break;
      p = comma + 1;
    }
  fields->n = n;
}

/* A field as it may appear in a message: valid UTF-8, and short. */
static char *
shown (const char *start,
       const char *end)
{
  g_autofree char *raw = g_strndup (start, MIN (end - start, 64));
  g_autofree char *valid = g_utf8_make_valid (raw, -1);

  if (g_utf8_strlen (valid, -1) > 32)
    {
      g_autofree char *cut = g_utf8_substring (valid, 0, 32);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&valid);
}

static gboolean
field_equals (const Fields *fields,
              guint         i,
              const char   *name)
{
  gsize length = fields->end[i] - fields->start[i];

  return length == strlen (name) && g_ascii_strncasecmp (fields->start[i], name, length) == 0;
}

typedef enum
{
  NUMBER_OK,
  NUMBER_INVALID,
  NUMBER_TOO_PRECISE,
  NUMBER_RANGE,
} NumberStatus;

/* The grammar of bourse_decimal_parse (): [+-] DIGITS [. DIGITS], at most
 * 8 decimals that are not zeros, straight into units, with no copy. */
static NumberStatus
parse_decimal (const char *s,
               const char *e,
               gint64     *out)
{
  static const guint64 scale[] = {
    100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1
  };
  gboolean negative = FALSE;
  const char *digits;
  guint64 whole = 0;
  guint64 frac = 0;
  guint64 magnitude;
  guint n_frac = 0;

  if (s < e && (*s == '-' || *s == '+'))
    negative = *s++ == '-';

  for (digits = s; s < e && is_digit (*s); s++)
    {
      /* Far above the largest whole part (92233720368), and far from wrapping. */
      if (whole > G_GUINT64_CONSTANT (1000000000000))
        return NUMBER_RANGE;
      whole = whole * 10 + (guint64) (*s - '0');
    }
  if (s == digits)
    return NUMBER_INVALID;
  /* G_MAXINT64 units: then whole × 10^8 + decimals cannot wrap. */
  if (whole > G_GUINT64_CONSTANT (92233720368))
    return NUMBER_RANGE;

  if (s < e && *s == '.')
    {
      for (digits = ++s; s < e && is_digit (*s); s++)
        {
          if (n_frac < BOURSE_DECIMAL_SCALE)
            frac = frac * 10 + (guint64) (*s - '0'), n_frac++;
          else if (*s != '0')
            return NUMBER_TOO_PRECISE;
        }
      if (s == digits)
        return NUMBER_INVALID;
    }
  if (s != e)
    return NUMBER_INVALID;

  magnitude = whole * (guint64) BOURSE_DECIMAL_UNIT + frac * scale[n_frac];
  if (magnitude > (guint64) G_MAXINT64 + (negative ? 1 : 0))
    return NUMBER_RANGE;
  *out = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
  return NUMBER_OK;
}

/* A column we check but do not store (Binance's quote volumes): any size. */
static gboolean
is_number (const char *s,
           const char *e)
{
  const char *digits;

  if (s < e && (*s == '-' || *s == '+'))
    s++;
  for (digits = s; s < e && is_digit (*s); s++)
    ;
  if (s == digits)
    return FALSE;
  if (s < e && *s == '.')
    {
      for (digits = ++s; s < e && is_digit (*s); s++)
        ;
      if (s == digits)
        return FALSE;
    }
  return s == e;
}

/* Milliseconds have 13 digits from 2001-09-09 to the year 2286 (earlier
 * times are written with leading zeros); microseconds, as Binance writes
 * them since 2025, have 16. Anything else is refused rather than guessed:
 * seconds (10 digits) read as milliseconds would land in 1970. */
typedef enum
{
  TIME_OK,
  TIME_INVALID,
  TIME_INEXACT,
} TimeStatus;

static TimeStatus
parse_time (const char *s,
            const char *e,
            gboolean    exact,
            gint64     *out_ms)
{
  gboolean negative = FALSE;
  const char *digits;
  gint64 value = 0;
  gsize n;

  if (s < e && *s == '-')
    negative = TRUE, s++;
  for (digits = s; s < e && is_digit (*s); s++)
    if (s - digits < 16)
      value = value * 10 + (*s - '0');
  n = s - digits;
  if (s != e || (n != 13 && n != 16))
    return TIME_INVALID;

  if (negative)
    value = -value;
  if (n == 16)
    {
      if (exact && value % 1000 != 0)
        return TIME_INEXACT;
      /* Down to the millisecond: a close time's last microsecond is its last millisecond. */
      value = value / 1000 - (value % 1000 < 0 ? 1 : 0);
    }
  *out_ms = value;
  return *out_ms >= BOURSE_TIME_MIN_MS ? TIME_OK : TIME_INVALID;
}

/* Candles the parser hands on at a time: an import holds a batch, not
 * the file's candles. */
#define BATCH_CANDLES  4096
/* Our lines are under 300 bytes. The limit bounds what is kept of a line
 * cut by the end of a chunk, so that no file takes memory by its size. */
#define MAX_LINE_BYTES 65536

/* Takes a batch of checked candles, ascending. */
typedef gboolean (*CandlesFunc) (const BourseCandle  *candles,
                                 gsize                n_candles,
                                 gpointer             user_data,
                                 GError             **error);

typedef struct
{
  BourseInterval  interval;
  gint64          now;
  guint           line;
  guint           n_columns;     /* of every data line, once known */
  BourseCsvFormat format;
  guint           header_line;
  gint64          previous_time;
  guint           previous_line;
  gsize           n_total;       /* candles read */
  gint64          first_time;
  GString        *partial;       /* a line cut by the end of a chunk */
  CandlesFunc     func;
  gpointer        user_data;
  gsize           n_candles;     /* in the batch */
  BourseCandle    candles[BATCH_CANDLES];
} Parser;

static G_GNUC_NO_INLINE void
set_number_error (Parser        *parser,
                  const Fields  *fields,
                  guint          column,
                  NumberStatus   status,
                  GError       **error)
{
  g_autofree char *text = shown (fields->start[column - 1], fields->end[column - 1]);

  switch (status)
    {
    case NUMBER_TOO_PRECISE:
      set_error (error, BOURSE_CSV_ERROR_NUMBER, parser->line, column,
                 _("“%s” has more than 8 decimals"), text);
      break;
    case NUMBER_RANGE:
      set_error (error, BOURSE_CSV_ERROR_NUMBER, parser->line, column,
                 _("“%s” is out of range: numbers go up to 92233720368.54775807"), text);
      break;
    case NUMBER_OK:
    case NUMBER_INVALID:
    default:
      set_error (error, BOURSE_CSV_ERROR_NUMBER, parser->line, column,
                 _("“%s” is not a decimal number such as 42000.5"), text);
      break;
    }
}

static inline gboolean
decimal_field (Parser        *parser,
               const Fields  *fields,
               guint          column,
               BourseDecimal *out,
               GError       **error)
{
  NumberStatus status = parse_decimal (fields->start[column - 1], fields->end[column - 1], &out->units);

  if (G_LIKELY (status == NUMBER_OK))
    return TRUE;
  set_number_error (parser, fields, column, status, error);
  return FALSE;
}

static G_GNUC_NO_INLINE void
set_time_error (Parser        *parser,
                const Fields  *fields,
                guint          column,
                TimeStatus     status,
                GError       **error)
{
  g_autofree char *text = shown (fields->start[column - 1], fields->end[column - 1]);

  if (status == TIME_INEXACT)
    set_error (error, BOURSE_CSV_ERROR_TIME, parser->line, column,
               _("“%s” microseconds is not a whole number of milliseconds"), text);
  else
    set_error (error, BOURSE_CSV_ERROR_TIME, parser->line, column,
               _("“%s” is not a time: give milliseconds (13 digits) or microseconds "
                 "(16 digits) since the epoch"), text);
}

static inline gboolean
time_field (Parser        *parser,
            const Fields  *fields,
            guint          column,
            gboolean       exact,
            gint64        *out,
            GError       **error)
{
  TimeStatus status = parse_time (fields->start[column - 1], fields->end[column - 1], exact, out);

  if (G_LIKELY (status == TIME_OK))
    return TRUE;
  set_time_error (parser, fields, column, status, error);
  return FALSE;
}

static G_GNUC_NO_INLINE void
set_trades_error (Parser        *parser,
                  const Fields  *fields,
                  guint          column,
                  GError       **error)
{
  g_autofree char *text = shown (fields->start[column - 1], fields->end[column - 1]);

  set_error (error, BOURSE_CSV_ERROR_NUMBER, parser->line, column,
             _("“%s” is not a number of trades (a whole number, 0 or more)"), text);
}

static inline gboolean
trades_field (Parser        *parser,
              const Fields  *fields,
              guint          column,
              gint64        *out,
              GError       **error)
{
  const char *s = fields->start[column - 1];
  const char *e = fields->end[column - 1];
  gint64 value = 0;

  if (e > s && e - s <= 18)
    {
      const char *p;

      for (p = s; p < e && is_digit (*p); p++)
        value = value * 10 + (*p - '0');
      if (p == e)
        {
          *out = value;
          return TRUE;
        }
    }
  set_trades_error (parser, fields, column, error);
  return FALSE;
}

static inline gboolean
unstored_field (Parser        *parser,
                const Fields  *fields,
                guint          column,
                GError       **error)
{
  if (G_LIKELY (is_number (fields->start[column - 1], fields->end[column - 1])))
    return TRUE;
  set_number_error (parser, fields, column, NUMBER_INVALID, error);
  return FALSE;
}

/* The prices fit together and the volume is not negative. */
static gboolean
check_consistent (Parser              *parser,
                  const BourseCandle  *c,
                  GError             **error)
{
  if (c->high.units < c->low.units)
    set_error (error, BOURSE_CSV_ERROR_CANDLE, parser->line, COL_HIGH, _("the high is below the low"));
  else if (c->high.units < c->open.units)
    set_error (error, BOURSE_CSV_ERROR_CANDLE, parser->line, COL_HIGH, _("the high is below the open"));
  else if (c->high.units < c->close.units)
    set_error (error, BOURSE_CSV_ERROR_CANDLE, parser->line, COL_HIGH, _("the high is below the close"));
  else if (c->low.units > c->open.units)
    set_error (error, BOURSE_CSV_ERROR_CANDLE, parser->line, COL_LOW, _("the low is above the open"));
  else if (c->low.units > c->close.units)
    set_error (error, BOURSE_CSV_ERROR_CANDLE, parser->line, COL_LOW, _("the low is above the close"));
  else if (c->volume.units < 0)
    set_error (error, BOURSE_CSV_ERROR_CANDLE, parser->line, COL_VOLUME, _("the volume is negative"));
  else
    return TRUE;
  return FALSE;
}

/* One data line: every field left to right, so the first problem of the
 * line is the one reported. */
static gboolean
parse_row (Parser        *parser,
           const Fields  *fields,
           GError       **error)
{
  BourseCandle *c = &parser->candles[parser->n_candles];
  gint64 next;

  if (fields->n != parser->n_columns)
    {
      set_error (error, BOURSE_CSV_ERROR_COLUMNS, parser->line,
                 MIN (fields->n, parser->n_columns) + 1,
                 _("expected %u columns, found %u"), parser->n_columns, fields->n);
      return FALSE;
    }

  if (!time_field (parser, fields, COL_TIME, TRUE, &c->open_time, error))
    return FALSE;
  if (bourse_interval_align (parser->interval, c->open_time) != c->open_time)
    {
      set_error (error, BOURSE_CSV_ERROR_TIME, parser->line, COL_TIME,
                 _("the open time %" PRId64 " is not the start of a %s candle"),
                 c->open_time, bourse_interval_to_string (parser->interval));
      return FALSE;
    }
  if (parser->n_total > 0 && c->open_time == parser->previous_time)
    {
      set_error (error, BOURSE_CSV_ERROR_DUPLICATE, parser->line, COL_TIME,
                 _("the open time %" PRId64 " is already on line %u"), c->open_time, parser->previous_line);
      return FALSE;
    }
  if (parser->n_total > 0 && c->open_time < parser->previous_time)
    {
      set_error (error, BOURSE_CSV_ERROR_ORDER, parser->line, COL_TIME,
                 _("the open time %" PRId64 " is before the one on line %u: times must increase"),
                 c->open_time, parser->previous_line);
      return FALSE;
    }

  if (!decimal_field (parser, fields, COL_OPEN, &c->open, error)
      || !decimal_field (parser, fields, COL_HIGH, &c->high, error)
      || !decimal_field (parser, fields, COL_LOW, &c->low, error)
      || !decimal_field (parser, fields, COL_CLOSE, &c->close, error)
      || !decimal_field (parser, fields, COL_VOLUME, &c->volume, error))
    return FALSE;

  if (!check_consistent (parser, c, error))
    return FALSE;

  next = bourse_interval_next (parser->interval, c->open_time);
  c->trades = 0;

  if (parser->format == BOURSE_CSV_FORMAT_BINANCE)
    {
      gint64 close_time;

      if (!time_field (parser, fields, COL_CLOSE_TIME, FALSE, &close_time, error))
        return FALSE;
      /* A file of another interval has aligned open times too (every hour
       * starts a minute); its close times give it away. */
      if (close_time < c->open_time || close_time >= next)
        {
          set_error (error, BOURSE_CSV_ERROR_TIME, parser->line, COL_CLOSE_TIME,
                     _("the close time is not inside a %s candle opening at %" PRId64 "; is the interval right?"),
                     bourse_interval_to_string (parser->interval), c->open_time);
          return FALSE;
        }
      if (!unstored_field (parser, fields, COL_QUOTE_VOLUME, error)
          || !trades_field (parser, fields, COL_TRADES, &c->trades, error)
          || !unstored_field (parser, fields, COL_TAKER_BASE, error)
          || !unstored_field (parser, fields, COL_TAKER_QUOTE, error)
          || !unstored_field (parser, fields, COL_IGNORE, error))
        return FALSE;
    }
  else if (parser->n_columns > GENERIC_REQUIRED
           && !trades_field (parser, fields, COL_GENERIC_TRADES, &c->trades, error))
    return FALSE;

  /* Files are history: a candle is closed once its time is over. */
  c->closed = next <= parser->now;
  if (parser->n_total == 0)
    parser->first_time = c->open_time;
  parser->previous_time = c->open_time;
  parser->previous_line = parser->line;
  parser->n_candles++;
  parser->n_total++;
  return TRUE;
}

static gboolean
parse_generic_header (Parser        *parser,
                      const Fields  *fields,
                      GError       **error)
{
  guint n = MIN (fields->n, MAX_FIELDS);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;

      if (i < G_N_ELEMENTS (generic_columns) && field_equals (fields, i, generic_columns[i]))
        continue;

      text = shown (fields->start[i], fields->end[i]);
      if (i < G_N_ELEMENTS (generic_columns))
        set_error (error, BOURSE_CSV_ERROR_HEADER, parser->line, i + 1,
                   _("expected the column “%s”, found “%s”"), generic_columns[i], text);
      else
        set_error (error, BOURSE_CSV_ERROR_HEADER, parser->line, i + 1,
                   _("unexpected column “%s”: the columns are time,open,high,low,close,volume and "
                     "optionally trades"), text);
      return FALSE;
    }
  if (fields->n < GENERIC_REQUIRED)
    {
      set_error (error, BOURSE_CSV_ERROR_HEADER, parser->line, fields->n + 1,
                 _("the header ends before the column “%s”"), generic_columns[fields->n]);
      return FALSE;
    }
  parser->n_columns = fields->n;
  return TRUE;
}

/* The first line that is not blank says which format the file is in.
 * Returns FALSE on error; *is_header says whether the line is done with. */
static gboolean
detect_format (Parser        *parser,
               const Fields  *fields,
               gboolean      *is_header,
               GError       **error)
{
  char first = fields->start[0] < fields->end[0] ? fields->start[0][0] : '\0';

  *is_header = !is_digit (first) && first != '-' && first != '+';

  if (*is_header && field_equals (fields, 0, "time"))
    {
      if (parser->format == BOURSE_CSV_FORMAT_BINANCE)
        {
          set_error (error, BOURSE_CSV_ERROR_HEADER, parser->line, 1,
                     _("a Binance kline file has no header; this one looks like a generic file "
                       "(format generic)"));
          return FALSE;
        }
      parser->format = BOURSE_CSV_FORMAT_GENERIC;
      return parse_generic_header (parser, fields, error);
    }

  /* Binance's futures files, and some tools, put a header on klines. */
  if (*is_header && field_equals (fields, 0, "open_time") && parser->format != BOURSE_CSV_FORMAT_GENERIC)
    {
      if (fields->n != BINANCE_COLUMNS)
        {
          set_error (error, BOURSE_CSV_ERROR_COLUMNS, parser->line, MIN (fields->n, BINANCE_COLUMNS) + 1,
                     _("expected %u columns, found %u"), BINANCE_COLUMNS, fields->n);
          return FALSE;
        }
      parser->format = BOURSE_CSV_FORMAT_BINANCE;
      parser->n_columns = BINANCE_COLUMNS;
      return TRUE;
    }

  switch (parser->format)
    {
    case BOURSE_CSV_FORMAT_GENERIC:
      if (*is_header)
        return parse_generic_header (parser, fields, error);
      set_error (error, BOURSE_CSV_ERROR_HEADER, parser->line, 1,
                 _("the header line “time,open,high,low,close,volume” is missing"));
      return FALSE;

    case BOURSE_CSV_FORMAT_BINANCE:
      /* Then the line is data, and its first field says what is wrong. */
      *is_header = FALSE;
      parser->n_columns = BINANCE_COLUMNS;
      return TRUE;

    case BOURSE_CSV_FORMAT_AUTO:
    default:
      if (*is_header)
        {
          set_error (error, BOURSE_CSV_ERROR_HEADER, parser->line, 1,
                     _("this is neither a Binance kline file (12 columns, no header) nor a generic one "
                       "(a header line starting with “time”)"));
          return FALSE;
        }
      if (fields->n != BINANCE_COLUMNS)
        {
          set_error (error, BOURSE_CSV_ERROR_COLUMNS, parser->line, MIN (fields->n, BINANCE_COLUMNS) + 1,
                     _("expected 12 columns (a Binance kline file) or a header line starting with “time” "
                       "(a generic file), found %u columns"), fields->n);
          return FALSE;
        }
      parser->format = BOURSE_CSV_FORMAT_BINANCE;
      parser->n_columns = BINANCE_COLUMNS;
      return TRUE;
    }
}

static gboolean
line_is_blank (const char *p,
               const char *end)
{
  for (; p < end; p++)
    if (!is_blank (*p))
      return FALSE;
  return TRUE;
}

static Parser *
parser_new (BourseCsvFormat  format,
            BourseInterval   interval,
            CandlesFunc      func,
            gpointer         user_data)
{
  Parser *parser = g_new0 (Parser, 1);

  parser->interval = interval;
  parser->format = format;
  parser->now = bourse_time_now_ms ();
  parser->partial = g_string_new (NULL);
  parser->func = func;
  parser->user_data = user_data;
  return parser;
}

static void
parser_free (Parser *parser)
{
  g_string_free (parser->partial, TRUE);
  g_free (parser);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parser, parser_free)

static G_GNUC_NO_INLINE void
set_line_error (Parser      *parser,
                guint        line,
                const char  *start,
                GError     **error)
{
  guint column = 1;

  for (const char *p = start; p < start + MAX_LINE_BYTES; p++)
    column += *p == ',';
  set_error (error, BOURSE_CSV_ERROR_LINE, line, column, _("the line is longer than %u bytes"),
             (guint) MAX_LINE_BYTES);
}

static gboolean
parser_emit (Parser  *parser,
             GError **error)
{
  gsize n = parser->n_candles;

  parser->n_candles = 0;
  return n == 0 || parser->func (parser->candles, n, parser->user_data, error);
}

/* One line, without its '\n'. */
static gboolean
parser_line (Parser      *parser,
             const char  *line,
             const char  *line_end,
             GError     **error)
{
  Fields fields;

  parser->line++;
  if (line_end - line > MAX_LINE_BYTES)
    {
      set_line_error (parser, parser->line, line, error);
      return FALSE;
    }
  /* Spreadsheets on Windows start their files with a byte-order mark. */
  if (parser->line == 1 && line_end - line >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
    line += 3;
  if (line_end > line && line_end[-1] == '\r')
    line_end--;
  if (line_is_blank (line, line_end))
    return TRUE;

  split_fields (line, line_end, &fields);

  if (parser->n_columns == 0)
    {
      gboolean is_header;

      if (!detect_format (parser, &fields, &is_header, error))
        return FALSE;
      if (is_header)
        {
          parser->header_line = parser->line;
          return TRUE;
        }
    }

  if (!parse_row (parser, &fields, error))
    return FALSE;
  return parser->n_candles < BATCH_CANDLES || parser_emit (parser, error);
}

/* The next piece of the file: its lines are parsed where they are; the
 * last one, if the piece cuts it, is kept for the next call. */
static gboolean
parser_feed (Parser      *parser,
             const char  *data,
             gsize        length,
             GError     **error)
{
  const char *p = data;
  const char *end;

  if (length == 0)
    return TRUE;
  end = data + length;

  if (parser->partial->len > 0)
    {
      const char *newline = memchr (p, '\n', end - p);
      gsize n = (newline != NULL ? newline : end) - p;

      g_string_append_len (parser->partial, p, MIN (n, MAX_LINE_BYTES + 1 - parser->partial->len));
      if (parser->partial->len > MAX_LINE_BYTES)
        {
          set_line_error (parser, parser->line + 1, parser->partial->str, error);
          return FALSE;
        }
      if (newline == NULL)
        return TRUE;
      if (!parser_line (parser, parser->partial->str, parser->partial->str + parser->partial->len, error))
        return FALSE;
      g_string_truncate (parser->partial, 0);
      p = newline + 1;
    }

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);

      if (newline == NULL)
        {
          g_string_append_len (parser->partial, p, MIN ((gsize) (end - p), MAX_LINE_BYTES + 1));
          if (parser->partial->len > MAX_LINE_BYTES)
            {
              set_line_error (parser, parser->line + 1, parser->partial->str, error);
              return FALSE;
            }
          break;
        }
      if (!parser_line (parser, p, newline, error))
        return FALSE;
      p = newline + 1;
    }
  return TRUE;
}

/* The last line, the last batch, and whether there were candles at all. */
static gboolean
parser_finish (Parser  *parser,
               GError **error)
{
  if (parser->partial->len > 0
      && !parser_line (parser, parser->partial->str, parser->partial->str + parser->partial->len, error))
    return FALSE;
  g_string_truncate (parser->partial, 0);

  if (parser->n_total == 0)
    {
      if (parser->header_line != 0)
        set_error (error, BOURSE_CSV_ERROR_EMPTY, parser->header_line + 1, 1,
                   _("there are no candles after the header"));
      else
        set_error (error, BOURSE_CSV_ERROR_EMPTY, 1, 1, _("the file is empty"));
      return FALSE;
    }
  return parser_emit (parser, error);
}

static gboolean
append_candles_cb (const BourseCandle  *candles,
                   gsize                n_candles,
                   gpointer             user_data,
                   GError             **error)
{
  g_array_append_vals (user_data, candles, n_candles);
  return TRUE;
}

GArray *
bourse_csv_parse (const char       *data,
                  gsize             length,
                  BourseCsvFormat   format,
                  BourseInterval    interval,
                  BourseCsvFormat  *detected,
                  GError          **error)
{
  g_autoptr(GArray) candles = NULL;
  g_autoptr(Parser) parser = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, NULL);
  g_return_val_if_fail (format <= BOURSE_CSV_FORMAT_GENERIC, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  candles = g_array_new (FALSE, FALSE, sizeof (BourseCandle));
  parser = parser_new (format, interval, append_candles_cb, candles);
  if (!parser_feed (parser, data, length, error) || !parser_finish (parser, error))
    return NULL;

  if (detected != NULL)
    *detected = parser->format;
  return g_steal_pointer (&candles);
}

/* }}} */
/* Writing {{{ */

void
bourse_csv_append_header (GString         *out,
                          BourseCsvFormat  format)
{
  g_return_if_fail (out != NULL);

  if (format == BOURSE_CSV_FORMAT_GENERIC)
    g_string_append (out, "time,open,high,low,close,volume,trades\n");
}

/* A time as the parser reads it back: 13 digits at least, so times before
 * 2001-09-09 get leading zeros. @out needs 21 bytes. */
static char *
put_time (char   *out,
          gint64  ms)
{
  char digits[24];
  char *end = _bourse_candles_put_signed (digits, ms);
  const char *start = digits;
  gsize n;

  if (*start == '-')
    *out++ = *start++;
  n = end - start;
  if (n < 13)
    {
      memset (out, '0', 13 - n);
      out += 13 - n;
    }
  memcpy (out, start, n);
  return out + n;
}

void
bourse_csv_append_candles (GString            *out,
                           BourseCsvFormat     format,
                           BourseInterval      interval,
                           const BourseCandle *candles,
                           gsize               n_candles)
{
  gboolean binance = format != BOURSE_CSV_FORMAT_GENERIC;

  g_return_if_fail (out != NULL);
  g_return_if_fail ((guint) interval < BOURSE_N_INTERVALS);
  g_return_if_fail (candles != NULL || n_candles == 0);

  for (gsize i = 0; i < n_candles; i++)
    {
      const BourseCandle *c = &candles[i];
      /* Twelve columns of at most 21 characters fit with room to spare. */
      char line[384];
      char *p = line;

      p = put_time (p, c->open_time);
      *p++ = ',';
      p = _bourse_candles_put_decimal (p, c->open, !binance);
      *p++ = ',';
      p = _bourse_candles_put_decimal (p, c->high, !binance);
      *p++ = ',';
      p = _bourse_candles_put_decimal (p, c->low, !binance);
      *p++ = ',';
      p = _bourse_candles_put_decimal (p, c->close, !binance);
      *p++ = ',';
      p = _bourse_candles_put_decimal (p, c->volume, !binance);
      *p++ = ',';
      if (binance)
        {
          /* What we do not store is written as zero (docs/MARKET-FILES.md). */
          p = put_time (p, bourse_interval_next (interval, c->open_time) - 1);
          memcpy (p, ",0.00000000,", 12);
          p += 12;
          p = _bourse_candles_put_signed (p, c->trades);
          memcpy (p, ",0.00000000,0.00000000,0\n", 25);
          p += 25;
        }
      else
        {
          p = _bourse_candles_put_signed (p, c->trades);
          *p++ = '\n';
        }
      g_string_append_len (out, line, p - line);
    }
}

gboolean
bourse_csv_export_page (BourseStore      *store,
                        gint64            instrument_id,
                        BourseInterval    interval,
                        BourseCsvFormat   format,
                        gint64           *cursor,
                        gint64            end,
                        GString          *out,
                        gsize            *n_candles,
                        gboolean         *done,
                        GError          **error)
{
  g_autoptr(GArray) candles = NULL;
  gboolean more = FALSE;
  gint64 next = 0;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (cursor != NULL && out != NULL && done != NULL, FALSE);

  *done = TRUE;
  if (n_candles != NULL)
    *n_candles = 0;
  if (*cursor > end)
    return TRUE;

  candles = bourse_candles_query (store, instrument_id, interval, *cursor, end, BOURSE_CANDLES_MAX_LIMIT,
                                  &more, &next, error);
  if (candles == NULL)
    return FALSE;
  bourse_csv_append_candles (out, format, interval, (const BourseCandle *) (gpointer) candles->data, candles->len);
  if (n_candles != NULL)
    *n_candles = candles->len;
  *done = !more;
  if (more)
    *cursor = next;
  return TRUE;
}

/* }}} */
/* Import {{{ */

JsonNode *
bourse_csv_import_to_json (const BourseCsvImport *result,
                           const char            *symbol,
                           BourseInterval         interval)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (builder);
  if (symbol != NULL)
    {
      json_builder_set_member_name (builder, "symbol");
      json_builder_add_string_value (builder, symbol);
    }
  json_builder_set_member_name (builder, "interval");
  json_builder_add_string_value (builder, bourse_interval_to_string (interval));
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, bourse_csv_format_to_string (result->format));
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, result->rows);
  json_builder_set_member_name (builder, "changed");
  json_builder_add_int_value (builder, result->changed);
  json_builder_set_member_name (builder, "first_open_time");
  json_builder_add_int_value (builder, result->first_open_time);
  json_builder_set_member_name (builder, "last_open_time");
  json_builder_add_int_value (builder, result->last_open_time);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
read_pragma (BourseStore  *store,
             const char   *sql,
             gint64       *value,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
set_pragma (BourseStore  *store,
            const char   *name,
            gint64        value,
            GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s = %" G_GINT64_FORMAT, name, value);

  return bourse_store_exec (store, sql, error);
}

/* What `boursed market import` reads of its file at a time. */
#define IMPORT_CHUNK_BYTES (256 * 1024)

/* An import on its way: the parser hands batches of candles to the
 * writer, inside the transaction. */
typedef struct
{
  BourseStore         *store;
  char                *symbol;
  BourseInterval       interval;
  BourseCsvAuditFunc   audit;
  gpointer             audit_data;
  BourseInstrument    *instrument;
  Parser              *parser;
  BourseCandlesWriter *writer;
  gint64               foreign_keys;
  gint64               cache_size;
  gboolean             settings_changed;
  gboolean             in_transaction;
  gint64               started;
} Import;

static gboolean
import_candles_cb (const BourseCandle  *candles,
                   gsize                n_candles,
                   gpointer             user_data,
                   GError             **error)
{
  Import *import = user_data;

  return bourse_candles_writer_add (import->writer, candles, n_candles, error);
}

/* Rolls back what was not committed and restores the connection's
 * settings. */
static gboolean
import_clear (Import  *import,
              GError **error)
{
  gboolean ok = TRUE;

  if (import->in_transaction)
    bourse_store_rollback (import->store);
  if (import->settings_changed)
    ok = set_pragma (import->store, "foreign_keys", import->foreign_keys, error)
      && set_pragma (import->store, "cache_size", import->cache_size, error);
  g_clear_pointer (&import->writer, bourse_candles_writer_free);
  g_clear_pointer (&import->parser, parser_free);
  g_clear_pointer (&import->instrument, bourse_instrument_free);
  g_clear_pointer (&import->symbol, g_free);
  return ok;
}

static gboolean
import_begin (Import             *import,
              BourseStore        *store,
              const char         *symbol,
              BourseInterval      interval,
              BourseCsvFormat     format,
              BourseCsvAuditFunc  audit,
              gpointer            audit_data,
              GError            **error)
{
  *import = (Import) {
    .store = store,
    .symbol = g_strdup (symbol),
    .interval = interval,
    .audit = audit,
    .audit_data = audit_data,
    .foreign_keys = 1,
    .started = g_get_monotonic_time (),
  };

  /* This connection is the import's own (a worker's, or the command
   * line's), so its settings may change for the length of the import:
   * - foreign keys off: checking the instrument of every row costs a
   *   quarter of the write (bench/market); the instrument is checked
   *   once, inside the transaction.
   * - a 64 MiB page cache: a million candles and what derives from them
   *   fill about 100 MiB of pages; a small cache spills them to the WAL
   *   before the commit and writes some twice. It is what bounds the
   *   import's memory, with the batches of candles. */
  if (!read_pragma (store, "PRAGMA foreign_keys", &import->foreign_keys, error)
      || !read_pragma (store, "PRAGMA cache_size", &import->cache_size, error))
    return FALSE;
  import->settings_changed = TRUE;
  if (!set_pragma (store, "foreign_keys", 0, error)
      || !set_pragma (store, "cache_size", -65536, error))
    return FALSE;

  /* The candles, what derives from them and the audit entry: all or
   * nothing, however many batches the file takes. Found under the write
   * lock: with foreign keys off, this is what keeps candles of a deleted
   * instrument out; and an unknown symbol is said before the file is read. */
  if (!bourse_store_begin (store, error))
    return FALSE;
  import->in_transaction = TRUE;
  if ((import->instrument = bourse_instruments_find (store, symbol, error)) == NULL)
    return FALSE;

  import->writer = bourse_candles_writer_new (store, import->instrument->id, interval);
  import->parser = parser_new (format, interval, import_candles_cb, import);
  return TRUE;
}

static gboolean
import_feed (Import      *import,
             const char  *data,
             gsize        length,
             GError     **error)
{
  return parser_feed (import->parser, data, length, error);
}

static gboolean
import_commit (Import           *import,
               BourseCsvImport  *result,
               GError          **error)
{
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  BourseCsvImport done = { 0 };
  gint64 parsed;

  if (!parser_finish (import->parser, error))
    return FALSE;
  parsed = g_get_monotonic_time ();
  if (!bourse_candles_writer_finish (import->writer, &done.changed, error))
    return FALSE;

  done.format = import->parser->format;
  done.rows = import->parser->n_total;
  done.first_open_time = import->parser->first_time;
  done.last_open_time = import->parser->previous_time;

  target = g_strconcat ("instrument:", import->instrument->symbol, NULL);
  details = bourse_csv_import_to_json (&done, NULL, import->interval);
  if (!import->audit (import->store, "market.import", target, details, import->audit_data, error)
      || !bourse_store_commit (import->store, error))
    return FALSE;
  import->in_transaction = FALSE;

  g_debug ("Imported %" G_GSIZE_FORMAT " %s candles of %s in %.3f s, the last %.3f s of it after the last line",
           done.rows, bourse_interval_to_string (import->interval), import->symbol,
           (g_get_monotonic_time () - import->started) / 1e6, (g_get_monotonic_time () - parsed) / 1e6);
  *result = done;
  return TRUE;
}

/* Volumes that add up beyond the decimals' range in a higher interval: the
 * file is what is wrong, whoever asked for the import. */
static gboolean
import_failed (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == BOURSE_DECIMAL_ERROR)
    {
      g_autoptr(GError) overflow = g_steal_pointer (error);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "file", "%s", overflow->message);
    }
  return FALSE;
}

gboolean
bourse_csv_import (BourseStore         *store,
                   const char          *symbol,
                   BourseInterval       interval,
                   BourseCsvFormat      format,
                   const char          *data,
                   gsize                length,
                   BourseCsvAuditFunc   audit,
                   gpointer             audit_data,
                   BourseCsvImport     *result,
                   GError             **error)
{
  Import import;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (symbol != NULL, FALSE);
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (format <= BOURSE_CSV_FORMAT_GENERIC, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (audit != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  ok = import_begin (&import, store, symbol, interval, format, audit, audit_data, error)
    && import_feed (&import, data, length, error)
    && import_commit (&import, result, error);
  /* A failed import's error is the one reported. */
  if (!import_clear (&import, ok ? error : NULL) || !ok)
    return import_failed (error);
  return TRUE;
}

gboolean
bourse_csv_import_stream (BourseStore         *store,
                          const char          *symbol,
                          BourseInterval       interval,
                          BourseCsvFormat      format,
                          GInputStream        *input,
                          BourseCsvAuditFunc   audit,
                          gpointer             audit_data,
                          BourseCsvImport     *result,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autofree char *buffer = NULL;
  Import import;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (symbol != NULL, FALSE);
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (format <= BOURSE_CSV_FORMAT_GENERIC, FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), FALSE);
  g_return_val_if_fail (audit != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  ok = import_begin (&import, store, symbol, interval, format, audit, audit_data, error);
  if (ok)
    buffer = g_malloc (IMPORT_CHUNK_BYTES);
  while (ok)
    {
      gssize n = g_input_stream_read (input, buffer, IMPORT_CHUNK_BYTES, cancellable, error);

      if (n <= 0)
        {
          ok = n == 0 && import_commit (&import, result, error);
          break;
        }
      ok = import_feed (&import, buffer, n, error);
    }
  if (!import_clear (&import, ok ? error : NULL) || !ok)
    return import_failed (error);
  return TRUE;
}

/* }}} */
