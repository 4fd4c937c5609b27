/* bourse-sim-feed.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulated feed makes each instrument's one-minute candles with a
 * BourseSimProcess seeded from the configured seed and the symbol, from a
 * fixed first candle (the origin), so the same seed and origin always give
 * the same market. At start a worker thread replays the stored history
 * (the process has state, so it must walk through it) and makes what is
 * missing up to the current minute — the backfill at first start, or the
 * gap since the engine last ran. Then the engine's context ticks it live:
 * every five simulated seconds the forming candle grows by one sub-step of
 * the process, and closes after twelve.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "bourse-market.h"
#include "bourse-sim-feed.h"
#include "bourse-sim-process.h"

#define MINUTE_MS   G_GINT64_CONSTANT (60000)
#define DAY_MS      (1440 * MINUTE_MS)
#define SUBSTEP_MS  (MINUTE_MS / BOURSE_SIM_SUBSTEPS)
/* Candles written per transaction by the backfill: big enough to be fast,
 * small enough that the engine's own writes never wait long for the lock. */
#define CHUNK       4096

typedef struct
{
  BourseInstrument *instrument;
  BourseSimProcess *process;
  gint64            origin;        /* the first simulated candle's open time */
  gint64            last_closed;   /* the last closed candle stored, or G_MININT64 */
  gint64            next_open;     /* the open time of current */
  BourseSimCandle   current;       /* made, and being shown */
  double            path[BOURSE_SIM_SUBSTEPS];
  int               shown;         /* sub-steps of current shown; -1: none yet */
} Lane;

struct _BourseSimFeed
{
  GObject        parent_instance;

  BourseMarket  *market;           /* not a reference: the market owns its feeds */
  GMainContext  *context;
  GPtrArray     *lanes;            /* Lane * */
  char          *db_path;
  gint64         speed;

  GThread       *worker;
  GCancellable  *cancellable;
  GMutex         lock;             /* done_source, backfilled, error_message */
  GSource       *done_source;
  gint64         backfilled;
  char          *error_message;

  GSource       *tick_source;
  gint64         sim_anchor_ms;    /* the simulated time at mono_anchor_us */
  gint64         mono_anchor_us;
  const char    *state;            /* stopped | backfilling | live | failed */
};

static void bourse_sim_feed_iface_init (BourseFeedInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseSimFeed, bourse_sim_feed, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_FEED, bourse_sim_feed_iface_init))

static void
lane_free (Lane *lane)
{
  g_clear_pointer (&lane->instrument, bourse_instrument_free);
  g_clear_pointer (&lane->process, bourse_sim_process_free);
  g_free (lane);
}

double
bourse_sim_feed_initial_price (const char *symbol)
{
  /* Late-2026 levels: a newcomer sees familiar numbers. */
  static const struct { const char *symbol; double price; } levels[] = {
    { "BTCUSDT", 65000.0 },
    { "ETHUSDT", 3200.0 },
    { "SOLUSDT", 150.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (levels[i].symbol, symbol) == 0)
      return levels[i].price;
  return 100.0;
}

/* Conversion to the instrument's steps {{{ */

static BourseDecimal
to_step (double  value,
         gint64  step,
         double (*round_fn) (double))
{
  double steps = round_fn (value * (double) BOURSE_DECIMAL_UNIT / (double) step);

  /* The process keeps prices within a band around the start; this only
   * keeps the conversion defined whatever happens. */
  steps = CLAMP (steps, 1.0, (double) (G_MAXINT64 / 4 / step));
  return (BourseDecimal) { (gint64) steps * step };
}

/* Prices on the tick grid, on the safe side for the extremes (the high
 * rounds up, the low down), so the candle stays consistent; volumes on the
 * lot grid. */
static void
to_candle (const Lane   *lane,
           gint64        open_time,
           double        open,
           double        high,
           double        low,
           double        close,
           double        volume,
           gboolean      closed,
           BourseCandle *out)
{
  gint64 tick = lane->instrument->tick_size.units;
  gint64 lot = lane->instrument->lot_step.units;
  double lots = round (volume * (double) BOURSE_DECIMAL_UNIT / (double) lot);

  out->open_time = open_time;
  out->open = to_step (open, tick, round);
  out->close = to_step (close, tick, round);
  out->high = to_step (high, tick, ceil);
  out->low = to_step (low, tick, floor);
  /* A minute that closed traded something; one just begun may not have. */
  lots = CLAMP (lots, closed ? 1.0 : 0.0, (double) (G_MAXINT64 / 4 / lot));
  out->volume.units = (gint64) lots * lot;
  out->trades = 0;
  out->closed = closed;
}

static void
closed_candle (const Lane            *lane,
               const BourseSimCandle *sim,
               BourseCandle          *out)
{
  to_candle (lane, sim->open_time_ms, sim->open, sim->high, sim->low, sim->close, sim->volume, TRUE, out);
}

/* The current candle as it stands after @substeps of its sub-steps. */
static void
forming_candle (const Lane   *lane,
                int           substeps,
                BourseCandle *out)
{
  double open = lane->current.open;
  double high = open;
  double low = open;
  double close = open;

  for (int k = 0; k < substeps; k++)
    {
      high = MAX (high, lane->path[k]);
      low = MIN (low, lane->path[k]);
      close = lane->path[k];
    }
  to_candle (lane, lane->next_open, open, high, low, close,
             lane->current.volume * substeps / BOURSE_SIM_SUBSTEPS, FALSE, out);
}

/* }}} */

/* Backfill (worker thread) {{{ */

/* The first candle stored and the last closed one, of one minute. */
static gboolean
stored_range (BourseStore  *store,
              gint64        instrument_id,
              gint64       *first,
              gint64       *last_closed,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = bourse_store_prepare (store,
                               "SELECT (SELECT min (open_time) FROM candles "
                               "        WHERE instrument_id = ?1 AND interval = '1m'), "
                               "       (SELECT max (open_time) FROM candles "
                               "        WHERE instrument_id = ?1 AND interval = '1m' AND closed = 1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  *first = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? G_MININT64 : sqlite3_column_int64 (stmt, 0);
  *last_closed = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? G_MININT64 : sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

static gboolean
flush (BourseSimFeed  *self,
       BourseStore    *store,
       Lane           *lane,
       GArray         *batch,
       GError        **error)
{
  if (batch->len == 0)
    return TRUE;
  if (!bourse_candles_upsert (store, lane->instrument->id, BOURSE_INTERVAL_1M,
                              (const BourseCandle *) (gpointer) batch->data, batch->len, NULL, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->backfilled += batch->len;
  g_mutex_unlock (&self->lock);
  g_array_set_size (batch, 0);
  return TRUE;
}

/* Replays the stored history, then makes and stores the closed candles
 * up to @target (exclusive); leaves the lane ready to go live. */
static gboolean
backfill_lane (BourseSimFeed  *self,
               BourseStore    *store,
               Lane           *lane,
               gint64          target,
               GError        **error)
{
  g_autoptr(GArray) batch = g_array_sized_new (FALSE, TRUE, sizeof (BourseCandle), CHUNK);
  BourseSimCandle sim;
  gint64 from = lane->origin;

  /* What is stored was made by this very process: walk through it. */
  if (lane->last_closed != G_MININT64)
    {
      for (gint64 t = lane->origin; t <= lane->last_closed; t += MINUTE_MS)
        {
          bourse_sim_process_next_candle (lane->process, t, &sim);
          if ((t / MINUTE_MS) % 65536 == 0 && g_cancellable_set_error_if_cancelled (self->cancellable, error))
            return FALSE;
        }
      from = lane->last_closed + MINUTE_MS;
    }

  for (gint64 t = from; t < target; t += MINUTE_MS)
    {
      BourseCandle candle;

      bourse_sim_process_next_candle (lane->process, t, &sim);
      closed_candle (lane, &sim, &candle);
      g_array_append_val (batch, candle);
      if (batch->len == CHUNK
          && (g_cancellable_set_error_if_cancelled (self->cancellable, error)
              || !flush (self, store, lane, batch, error)))
        return FALSE;
    }
  if (!flush (self, store, lane, batch, error))
    return FALSE;
  if (from < target
      && !bourse_candles_aggregate (store, lane->instrument->id, BOURSE_INTERVAL_1M,
                                    from, target - MINUTE_MS, error))
    return FALSE;

  lane->next_open = MAX (from, target);
  bourse_sim_process_next_candle_path (lane->process, lane->next_open, &lane->current, lane->path);
  lane->shown = -1;
  return TRUE;
}

static gboolean backfill_done_cb (gpointer data);

static gpointer
backfill_thread (gpointer data)
{
  BourseSimFeed *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseStore) store = NULL;
  /* Closed candles up to the current minute; that one goes live. */
  gint64 target = bourse_interval_align (BOURSE_INTERVAL_1M, bourse_time_now_ms ());

  store = bourse_store_open (self->db_path, &error);
  for (guint i = 0; store != NULL && i < self->lanes->len; i++)
    if (!backfill_lane (self, store, g_ptr_array_index (self->lanes, i), target, &error))
      break;

  g_mutex_lock (&self->lock);
  if (error != NULL)
    self->error_message = g_strdup (error->message);
  if (!g_cancellable_is_cancelled (self->cancellable))
    {
      self->done_source = g_idle_source_new ();
      g_source_set_callback (self->done_source, backfill_done_cb, self, NULL);
      g_source_attach (self->done_source, self->context);
    }
  g_mutex_unlock (&self->lock);

  return NULL;
}

/* }}} */

/* Live {{{ */

static gint64
sim_now (BourseSimFeed *self)
{
  return self->sim_anchor_ms + (g_get_monotonic_time () - self->mono_anchor_us) / 1000 * self->speed;
}

static void
tick_lane (BourseSimFeed *self,
           Lane          *lane,
           gint64         now)
{
  g_autoptr(GArray) batch = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GError) error = NULL;

  while (now >= lane->next_open)
    {
      gint64 substeps = MIN ((now - lane->next_open) / SUBSTEP_MS, BOURSE_SIM_SUBSTEPS);
      BourseCandle candle;

      if (substeps == BOURSE_SIM_SUBSTEPS)
        {
          closed_candle (lane, &lane->current, &candle);
          g_array_append_val (batch, candle);
          lane->next_open += MINUTE_MS;
          bourse_sim_process_next_candle_path (lane->process, lane->next_open, &lane->current, lane->path);
          lane->shown = -1;
          continue;
        }
      if (substeps != lane->shown)
        {
          forming_candle (lane, substeps, &candle);
          g_array_append_val (batch, candle);
          lane->shown = substeps;
        }
      break;
    }

  if (batch->len > 0
      && !bourse_market_ingest (self->market, lane->instrument, BOURSE_INTERVAL_1M,
                                (const BourseCandle *) (gpointer) batch->data, batch->len, &error))
    g_message ("The simulated %s candles were not stored: %s", lane->instrument->symbol, error->message);
}

static gboolean
tick_cb (gpointer data)
{
  BourseSimFeed *self = data;
  gint64 now = sim_now (self);

  for (guint i = 0; i < self->lanes->len; i++)
    tick_lane (self, g_ptr_array_index (self->lanes, i), now);
  return G_SOURCE_CONTINUE;
}

static gboolean
backfill_done_cb (gpointer data)
{
  BourseSimFeed *self = data;
  guint period_ms;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->done_source, g_source_unref);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->worker, g_thread_join);

  if (self->error_message != NULL)
    {
      self->state = "failed";
      g_message ("The simulated market stopped: %s", self->error_message);
      return G_SOURCE_REMOVE;
    }

  g_info ("The simulated market made %" G_GINT64_FORMAT " candles and is live", self->backfilled);
  self->state = "live";
  /* Simulated time goes on from the clock, or from where a faster run
   * left every instrument, if that is ahead of the clock. */
  self->sim_anchor_ms = G_MAXINT64;
  for (guint i = 0; i < self->lanes->len; i++)
    self->sim_anchor_ms = MIN (self->sim_anchor_ms, ((Lane *) g_ptr_array_index (self->lanes, i))->next_open);
  self->sim_anchor_ms = MAX (self->sim_anchor_ms, bourse_time_now_ms ());
  self->mono_anchor_us = g_get_monotonic_time ();

  /* One sub-step of simulated time, but not a busy loop at high speeds. */
  period_ms = MAX (SUBSTEP_MS / self->speed, 20);
  self->tick_source = g_timeout_source_new (period_ms);
  g_source_set_callback (self->tick_source, tick_cb, self, NULL);
  g_source_attach (self->tick_source, self->context);
  tick_cb (self);

  return G_SOURCE_REMOVE;
}

/* }}} */

/* BourseFeed {{{ */

static const char *
bourse_sim_feed_get_id (BourseFeed *feed)
{
  return "simulated";
}

static const char *
bourse_sim_feed_get_name (BourseFeed *feed)
{
  return _("Simulated market");
}

static const char *
bourse_sim_feed_get_parameters (BourseFeed *feed)
{
  return "{\"type\":\"object\",\"properties\":{"
         "\"seed\":{\"type\":\"integer\",\"minimum\":0,\"default\":1},"
         "\"start\":{\"type\":\"string\",\"format\":\"date-time\"},"
         "\"backfill_days\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":3650,\"default\":90},"
         "\"speed\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3600,\"default\":1}}}";
}

static gboolean
bourse_sim_feed_start (BourseFeed    *feed,
                       BourseMarket  *market,
                       GPtrArray     *instruments,
                       GError       **error)
{
  BourseSimFeed *self = BOURSE_SIM_FEED (feed);
  BourseConfig *config = bourse_market_get_config (market);
  BourseStore *store = bourse_market_get_store (market);
  const char *start_text = bourse_config_get_string (config, "simulated", "start");
  guint64 seed = bourse_config_get_int (config, "simulated", "seed");
  gint64 days = bourse_config_get_int (config, "simulated", "backfill_days");
  gint64 default_origin;

  g_return_val_if_fail (self->state == NULL || g_str_equal (self->state, "stopped"), FALSE);

  if (start_text != NULL && start_text[0] != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      if (!bourse_time_parse_rfc3339 (start_text, &default_origin, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Invalid value for simulated.start (%s): %s"),
                       bourse_config_get_origin (config, "simulated", "start"), local_error->message);
          return FALSE;
        }
      default_origin = bourse_interval_align (BOURSE_INTERVAL_1M, default_origin);
    }
  else
    default_origin = bourse_interval_align (BOURSE_INTERVAL_1M, bourse_time_now_ms ()) - days * DAY_MS;

  self->market = market;
  self->context = g_main_context_ref_thread_default ();
  self->db_path = g_strdup (bourse_store_get_path (store));
  self->speed = bourse_config_get_int (config, "simulated", "speed");
  self->cancellable = g_cancellable_new ();
  self->backfilled = 0;
  g_clear_pointer (&self->error_message, g_free);

  for (guint i = 0; i < instruments->len; i++)
    {
      const BourseInstrument *instrument = g_ptr_array_index (instruments, i);
      Lane *lane = g_new0 (Lane, 1);
      BourseSimParams params;
      gint64 first;

      g_ptr_array_add (self->lanes, lane);
      lane->instrument = bourse_instrument_copy (instrument);
      bourse_sim_params_init (&params, bourse_sim_feed_initial_price (instrument->symbol));
      lane->process = bourse_sim_process_new (bourse_sim_seed_for_symbol (seed, instrument->symbol), &params);
      if (!stored_range (store, instrument->id, &first, &lane->last_closed, error))
        {
          bourse_feed_stop (feed);
          return FALSE;
        }
      /* Stored history fixes the origin: it was made from there. */
      lane->origin = first != G_MININT64 ? first : default_origin;
      if (lane->last_closed < lane->origin)
        lane->last_closed = G_MININT64;
    }

  self->state = "backfilling";
  self->worker = g_thread_new ("bourse-sim-backfill", backfill_thread, self);
  return TRUE;
}

static void
bourse_sim_feed_stop (BourseFeed *feed)
{
  BourseSimFeed *self = BOURSE_SIM_FEED (feed);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->worker, g_thread_join);

  g_mutex_lock (&self->lock);
  if (self->done_source != NULL)
    g_source_destroy (self->done_source);
  g_clear_pointer (&self->done_source, g_source_unref);
  g_mutex_unlock (&self->lock);

  if (self->tick_source != NULL)
    g_source_destroy (self->tick_source);
  g_clear_pointer (&self->tick_source, g_source_unref);

  g_ptr_array_set_size (self->lanes, 0);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->db_path, g_free);
  self->market = NULL;
  self->state = "stopped";
}

static JsonNode *
bourse_sim_feed_get_status (BourseFeed *feed)
{
  BourseSimFeed *self = BOURSE_SIM_FEED (feed);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_mutex_lock (&self->lock);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, self->state != NULL ? self->state : "stopped");
  json_builder_set_member_name (builder, "simulated");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "speed");
  json_builder_add_int_value (builder, self->speed);
  json_builder_set_member_name (builder, "backfilled");
  json_builder_add_int_value (builder, self->backfilled);
  if (self->error_message != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, self->error_message);
    }
  json_builder_end_object (builder);
  g_mutex_unlock (&self->lock);

  return json_builder_get_root (builder);
}

static void
bourse_sim_feed_iface_init (BourseFeedInterface *iface)
{
  iface->get_id = bourse_sim_feed_get_id;
  iface->get_name = bourse_sim_feed_get_name;
  iface->get_parameters = bourse_sim_feed_get_parameters;
  iface->start = bourse_sim_feed_start;
  iface->stop = bourse_sim_feed_stop;
  iface->get_status = bourse_sim_feed_get_status;
}

/* }}} */

static void
bourse_sim_feed_finalize (GObject *object)
{
  BourseSimFeed *self = (BourseSimFeed *)object;

  bourse_sim_feed_stop (BOURSE_FEED (self));
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (bourse_sim_feed_parent_class)->finalize (object);
}

static void
bourse_sim_feed_class_init (BourseSimFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_sim_feed_finalize;
}

static void
bourse_sim_feed_init (BourseSimFeed *self)
{
  g_mutex_init (&self->lock);
  self->lanes = g_ptr_array_new_with_free_func ((GDestroyNotify) lane_free);
  self->state = "stopped";
}
