/* fuzz-csv-import.c — the streamed CSV import, a few bytes at a time
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a format byte, an interval byte, a chunk byte, then the file. The
 * import reads its input in pieces and keeps a line the piece cut for the
 * next one; here the pieces are 1 to 64 bytes long, as the chunk byte
 * says, so that every cut is tried. Whatever the cuts, the import must
 * agree with bourse_csv_parse () on the whole file: refused or accepted,
 * and the same rows.
 */

#include "config.h"

#include <string.h>

#include "market/bourse-csv.h"

#include "fuzz-engine.h"
#include "fuzz-util.h"

/* An input stream that hands out its bytes a few at a time. {{{ */

#define FUZZ_TYPE_TRICKLE (fuzz_trickle_get_type ())
G_DECLARE_FINAL_TYPE (FuzzTrickle, fuzz_trickle, FUZZ, TRICKLE, GInputStream)

struct _FuzzTrickle
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         length;
  gsize         position;
  guint         seed;
};

G_DEFINE_FINAL_TYPE (FuzzTrickle, fuzz_trickle, G_TYPE_INPUT_STREAM)

static gssize
fuzz_trickle_read (GInputStream  *stream,
                   void          *buffer,
                   gsize          count,
                   GCancellable  *cancellable,
                   GError       **error)
{
  FuzzTrickle *self = FUZZ_TRICKLE (stream);
  gsize n = MIN (MIN (count, self->length - self->position), 1 + (self->seed + self->position) % 64);

  memcpy (buffer, self->data + self->position, n);
  self->position += n;
  return n;
}

static void
fuzz_trickle_class_init (FuzzTrickleClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fuzz_trickle_read;
}

static void
fuzz_trickle_init (FuzzTrickle *self)
{
}

/* }}} */

static BourseFuzzEngine *engine;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bourse_fuzz_init_logging ();
  engine = bourse_fuzz_engine_new (NULL);
  return 0;
}

static gboolean
audit_cb (BourseStore  *store,
          const char   *action,
          const char   *target,
          JsonNode     *details,
          gpointer      user_data,
          GError      **error)
{
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GArray) candles = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GError) import_error = NULL;
  g_autoptr(FuzzTrickle) input = NULL;
  BourseCsvImport result = { 0 };
  BourseCsvFormat format, detected;
  BourseInterval interval;
  gboolean imported;

  if (size < 3)
    return 0;
  format = data[0] % (BOURSE_CSV_FORMAT_GENERIC + 1);
  interval = data[1] % BOURSE_N_INTERVALS;
  input = g_object_new (FUZZ_TYPE_TRICKLE, NULL);
  input->seed = data[2];
  input->data = data + 3;
  input->length = size - 3;

  candles = bourse_csv_parse (size > 3 ? (const char *)data + 3 : NULL, size - 3, format, interval, &detected,
                              &parse_error);
  imported = bourse_csv_import_stream (bourse_engine_get_store (engine->engine), "BTCUSDT", interval, format,
                                       G_INPUT_STREAM (input), audit_cb, NULL, &result, NULL, &import_error);

  if ((candles != NULL) != imported)
    g_printerr ("Parsed whole: %s; imported in pieces: %s\n", parse_error ? parse_error->message : "accepted",
                import_error ? import_error->message : "accepted");
  FUZZ_CHECK ((candles != NULL) == imported);
  if (imported)
    {
      FUZZ_CHECK (result.rows == candles->len && result.format == detected);
      FUZZ_CHECK (result.first_open_time == g_array_index (candles, BourseCandle, 0).open_time);
      FUZZ_CHECK (result.last_open_time == g_array_index (candles, BourseCandle, candles->len - 1).open_time);
    }
  else if (import_error->domain == BOURSE_CSV_ERROR)
    {
      /* The same line and column, wherever the pieces were cut. */
      FUZZ_CHECK (parse_error->code == import_error->code);
      FUZZ_CHECK (bourse_csv_error_get_line (parse_error) == bourse_csv_error_get_line (import_error));
      FUZZ_CHECK (bourse_csv_error_get_column (parse_error) == bourse_csv_error_get_column (import_error));
    }
  bourse_fuzz_engine_spin (engine);
  return 0;
}
