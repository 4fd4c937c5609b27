/* bourse-outbox.h — the producer side of the notification outbox
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bourse-store.h"

G_BEGIN_DECLS

/* Stores a notification event (docs/OPERATIONS.md: its name, and the user
 * it is about or 0) inside the caller's open transaction, so that it exists
 * exactly when its cause was committed; outside a transaction it is stored
 * on its own. @data is an object (or NULL for {}); it is not consumed. The
 * delivery worker (src/notify) is woken through the store's
 * bourse_outbox_watch () callbacks once the event is committed. */
gboolean bourse_outbox_emit  (BourseStore  *store,
                              const char   *event,
                              gint64        user_id,
                              JsonNode     *data,
                              GError      **error);

/* Called on the store's thread after a transaction that emitted an event
 * commits (or at once outside one). One watch per store, NULL to remove. */
void     bourse_outbox_watch (BourseStore  *store,
                              GSourceFunc   func,
                              gpointer      data);

G_END_DECLS
