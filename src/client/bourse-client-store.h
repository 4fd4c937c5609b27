/* bourse-client-store.h — a list the API serves, kept live by its topic
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-client.h"
#include "bourse-client-object.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_CLIENT_STORE (bourse_client_store_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientStore, bourse_client_store, BOURSE, CLIENT_STORE, GObject)

/* A GListModel of @item_type (a BourseClientObject), in the order GET
 * @path lists them (every page, following next_cursor). With a @topic its
 * events keep it live: an item it already has is updated in place (the
 * same object notifies what changed), a new one goes first (lists are newest
 * first), {"id","deleted":true} removes one; a gap in the topic's seq, or
 * the server's confirmation of the subscription (the events it numbers up
 * to are in the list read after it), reloads it over REST. Loading starts
 * at once. */
BourseClientStore  *bourse_client_store_new        (BourseClient      *client,
                                                    GType              item_type,
                                                    const char        *path,
                                                    const char        *topic);
/* The same, a page at a time: the first page at once, the next with
 * bourse_client_store_load_more (). A reload (a seq gap, the confirmation)
 * reads the first page again, and the older pages read so far go. For
 * lists too long to hold whole, like the audit trail. */
BourseClientStore  *bourse_client_store_new_paged  (BourseClient      *client,
                                                    GType              item_type,
                                                    const char        *path,
                                                    const char        *topic);
void                bourse_client_store_load_more  (BourseClientStore *self);
/* Whether the list goes on past what is held ("has-more" notifies). */
gboolean            bourse_client_store_get_has_more (BourseClientStore *self);
BourseClient       *bourse_client_store_get_client (BourseClientStore *self);
/* Whether a load has completed (and none is under way). */
gboolean            bourse_client_store_get_loaded (BourseClientStore *self);
/* Whether the topic's first event came: from then on changes come as
 * events (a test waits for it before making any). */
gboolean            bourse_client_store_get_live   (BourseClientStore *self);
/* The number of loads completed: a test can wait for the next. */
guint               bourse_client_store_get_n_loads (BourseClientStore *self);
void                bourse_client_store_reload     (BourseClientStore *self);
/* (transfer none) The item of that key (bourse_client_object_get_key ()), or NULL. */
BourseClientObject *bourse_client_store_lookup     (BourseClientStore *self,
                                                    const char        *key);

G_END_DECLS
