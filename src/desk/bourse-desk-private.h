/* bourse-desk-private.h — BourseDesk's instance and what its files share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "desk/bourse-desk-approvals.h"
#include "bourse-desk.h"
#include "desk/bourse-desk-live.h"
#include "desk/bourse-desk-recommendations.h"
#include "desk/bourse-desk-webhooks.h"

G_BEGIN_DECLS

/* Counts the worker threads of a desk, so that stopping can wait for
 * them; shared with the workers, which may outlive the desk's services. */
typedef struct
{
  gatomicrefcount ref_count;
  GMutex          lock;
  GCond           cond;
  guint           n_running;
} BourseDeskWorkers;

struct _BourseDesk
{
  GObject             parent_instance;

  /* NULL once stopped: a worker's result arriving later is dropped. */
  BourseStore        *store;
  BourseConfig       *config;
  BourseEventBus     *bus;
  BourseAuth         *auth;
  BourseMarket       *market;
  char               *db_path;

  GMainContext       *context;        /* the engine's */
  GCancellable       *cancellable;    /* cancelled on stop */
  BourseDeskWorkers  *workers;
  gulong              candle_handler;
  GHashTable         *live_runs;      /* strategy id (gint64 *) → LiveRun *: evaluations in flight */
  GHashTable         *live_feeds;     /* "SYMBOL interval" with an enabled strategy: the set */
  GHashTable         *secrets;        /* webhook id (gint64 *) → GBytes: loaded at start */
  GHashTable         *replays;        /* "id:timestamp:signature" → arrival (monotonic µs) */
  GQueue              replay_order;   /* of the same keys, oldest first */
  gboolean            stopped;
  gboolean            live_paused;    /* the trading loop is stopped: closed candles are not evaluated */
  gboolean            paper;          /* the engine trades on paper: auto-paper may approve */
};

/* JSON members the desk's records share: an id, or null when there is
 * none (0); a text, or null; a price level, or null for NO-TRADE. */
void                _bourse_desk_json_set_id      (JsonObject             *object,
                                                   const char             *member,
                                                   gint64                  id);
void                _bourse_desk_json_set_text    (JsonObject             *object,
                                                   const char             *member,
                                                   const char             *text);
void                _bourse_desk_json_set_level   (JsonObject             *object,
                                                   const char             *member,
                                                   BourseDecision          decision,
                                                   BourseDecimal           value);

/* Events published once their transaction has committed. */
typedef GPtrArray BourseDeskEvents;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseDeskEvents, g_ptr_array_unref)

void                _bourse_desk_set_field_error  (GError                **error,
                                                   BourseDeskError         code,
                                                   const char             *field,
                                                   const char             *format,
                                                   ...) G_GNUC_PRINTF (4, 5);
BourseDeskEvents   *_bourse_desk_events_new       (void);
/* Takes @data. */
void                _bourse_desk_events_add       (BourseDeskEvents       *events,
                                                   const char             *topic,
                                                   JsonNode               *data);
void                _bourse_desk_publish          (BourseDesk             *self,
                                                   BourseDeskEvents       *events);

/* In the worker thread's bookkeeping: enter on the engine's context when
 * submitting, leave at the very end of the thread's function. */
BourseDeskWorkers  *_bourse_desk_workers_enter    (BourseDesk             *self);
void                _bourse_desk_workers_leave    (BourseDeskWorkers      *workers);

/* A double json-glib 1.6 writes as valid JSON ("1e-08" would become
 * "1e-08.0"): moved one ulp towards zero when needed. */
double              _bourse_desk_json_double      (double                  value);
/* Every double in @node made safe as above, non-finite ones null. */
void                _bourse_desk_sanitize_json    (JsonNode               *node);
char               *_bourse_desk_object_to_text   (JsonObject             *object);
/* A JSON object from stored text; an empty one if it is not one. */
JsonObject         *_bourse_desk_object_from_text (const char             *text);
/* The username of account @user_id, or NULL (none, or gone): for a
 * record made in memory, whose readers get it from their query. */
char               *_bourse_desk_user_name        (BourseStore            *store,
                                                   gint64                  user_id);
/* What a strategy is shown as: @name (a live strategy's or a webhook's)
 * when there is one, else the human name of the strategy type @type. */
char               *_bourse_desk_strategy_name    (const char             *name,
                                                   const char             *type);
/* "2026-…Z" of now. */
char               *_bourse_desk_now_text         (void);
gboolean            _bourse_desk_audit            (BourseDesk             *self,
                                                   const BourseDeskCaller *caller,
                                                   const char             *action,
                                                   const char             *target,
                                                   JsonNode               *details,
                                                   GError                **error);

/* In the caller's transaction: stores @recommendation (id, created_at and
 * approval_id set), audits it and, for a BUY or SELL under any policy but
 * notify-only, opens its approval (approved at once by the engine under
 * auto-paper while trading on paper). The events go to @events. */
gboolean            _bourse_desk_open_recommendation (BourseDesk             *self,
                                                   BourseRecommendation   *recommendation,
                                                   BourseApprovalPolicy    policy,
                                                   const BourseDeskCaller *caller,
                                                   BourseDeskEvents       *events,
                                                   GError                **error);

/* Reads the closed candles of (instrument, interval) with open times in
 * [start, end] into a GArray of BourseCandle, oldest first; at most @max
 * (keeping the newest). */
GArray             *_bourse_desk_read_candles     (BourseStore            *store,
                                                   gint64                  instrument_id,
                                                   BourseInterval          interval,
                                                   gint64                  start,
                                                   gint64                  end,
                                                   guint                   max,
                                                   GError                **error);

/* The columns bourse_recommendation_from_row () reads, recommendations
 * aliased "r" and a LEFT JOIN of approvals aliased "a". */
#define BOURSE_RECOMMENDATION_COLUMNS \
  "r.id, r.symbol, r.interval, r.strategy, r.strategy_version, r.strategy_id, r.webhook_id, " \
  "r.params, r.decision, r.entry, r.stop_loss, r.take_profit, r.risk_reward, r.confidence, " \
  "r.reason, r.metrics, r.window_start, r.window_end, r.window_candles, r.origin, r.simulated, " \
  "r.created_by, r.requester, r.created_at, a.id, " \
  "(SELECT username FROM users WHERE id = r.created_by), " \
  "COALESCE ((SELECT name FROM live_strategies WHERE id = r.strategy_id), " \
  "          (SELECT name FROM webhooks WHERE id = r.webhook_id))"
#define BOURSE_RECOMMENDATION_N_COLUMNS 27

BourseRecommendation *_bourse_recommendation_from_row (sqlite3_stmt       *stmt,
                                                   int                     first);

/* Rereads which (symbol, interval) pairs have enabled strategies, after a change. */
void                _bourse_desk_live_refresh     (BourseDesk             *self);
/* On the topic "strategies": the strategy as stored, or {id, deleted: true}
 * when @strategy is NULL. After the commit, as every event. */
void                _bourse_desk_publish_strategy (BourseDesk               *self,
                                                   gint64                    id,
                                                   const BourseLiveStrategy *strategy);
void                _bourse_desk_live_start       (BourseDesk             *self);
void                _bourse_desk_live_stop        (BourseDesk             *self);
gboolean            _bourse_desk_webhooks_load    (BourseDesk             *self,
                                                   GError                **error);

G_END_DECLS
