/* desk-fixture.h — THE CONTRACT'S FIXTURE: a stand-in for the approval desk's API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small loopback SoupServer that answers the routes of the issue 5 desk
 * contract (approvals, strategies, strategy types, recommendations,
 * and the candles the charts draw) from in-memory data, and publishes on
 * /api/v1/ws in the hub's envelope ({"type":"event","topic","seq","ts",
 * "data"}, the last event replayed on subscribe, as src/server/bourse-hub.c
 * does). It exists only until the engine serves these routes: then the GUI
 * tests run against the real embedded engine (gui-util.c, start_engine())
 * and this file goes. It checks what a client sends as the contract says,
 * not more: it is not the engine.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The bearer token the stand-in accepts. */
#define DESK_FIXTURE_TOKEN "desk-fixture-token"

/* The one account the stand-in knows: GET /api/v1/users/me. */
#define DESK_FIXTURE_USER_ID 2

/* Candles exist for every symbol: 48 hourly ones from this instant. */
#define DESK_FIXTURE_CANDLES 48

typedef struct
{
  char *method;
  char *path;
  char *query;
  char *body;
} DeskRequest;

typedef struct
{
  SoupServer *server;
  char       *url;
  char       *role;          /* what GET /api/v1/users/me says: admin, trader, viewer */
  gboolean    four_eyes;     /* [approvals] four_eyes */
  GPtrArray  *approvals;     /* JsonObject, oldest first */
  GPtrArray  *strategies;    /* JsonObject */
  JsonArray  *types;
  GPtrArray  *requests;      /* DeskRequest, every one received */
  GPtrArray  *connections;   /* SoupWebsocketConnection */
  GHashTable *topics;        /* name → last envelope and seq */
  GHashTable *refusals;      /* approval id → HTTP status to answer instead */
  gint64      next_id;
  gint64      window_start;  /* ms: the first candle */
} DeskFixture;

DeskFixture *desk_fixture_new              (void);
void         desk_fixture_free             (DeskFixture *fixture);

/* A pending (or decided) approval of a BUY or SELL recommendation on
 * @symbol over the candles' window; not published. */
JsonObject  *desk_fixture_add_approval     (DeskFixture *fixture,
                                            const char  *symbol,
                                            const char  *decision,
                                            const char  *status,
                                            gint64       requested_by);
JsonObject  *desk_fixture_find_approval    (DeskFixture *fixture,
                                            gint64       id);
/* Decides approval @id as someone else did, and publishes it. */
void         desk_fixture_settle           (DeskFixture *fixture,
                                            gint64       id,
                                            const char  *status,
                                            const char  *reason);
void         desk_fixture_publish          (DeskFixture *fixture,
                                            const char  *topic,
                                            JsonObject  *data);
/* The next decision on approval @id is answered with @status (409, 403)
 * whatever its state. */
void         desk_fixture_refuse           (DeskFixture *fixture,
                                            gint64       id,
                                            guint        status);

/* The last request of @method on @path (without the query), or NULL. */
DeskRequest *desk_fixture_last_request     (DeskFixture *fixture,
                                            const char  *method,
                                            const char  *path);
guint        desk_fixture_count_requests   (DeskFixture *fixture,
                                            const char  *method,
                                            const char  *path);
/* WebSocket connections subscribed to @topic now. */
guint        desk_fixture_n_subscribers    (DeskFixture *fixture,
                                            const char  *topic);

G_END_DECLS
