/* bourse-client-store.c — a list the API serves, kept live by its topic
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Items are kept by key, so that an event or a reload updates the object
 * a row is bound to instead of making another one: rows follow through
 * notify, and only what was inserted or removed is announced as such.
 */

#include "config.h"

#include <string.h>

#include "bourse-client-store.h"

struct _BourseClientStore
{
  GObject        parent_instance;

  BourseClient  *client;
  GType          item_type;
  char          *path;
  char          *topic;

  GPtrArray     *items;      /* BourseClientObject, in the model's order */
  GHashTable    *by_key;     /* key → item, borrowed from items */

  GCancellable  *cancellable; /* the load under way, or NULL */
  GPtrArray     *loading;    /* JsonObject of the pages read so far */
  gboolean       loaded;
  gboolean       stale;      /* an event came while loading: load again */
  gboolean       live;       /* the subscription is confirmed, and read since */
  gint64         live_seq;   /* events up to this seq are in what was read */
  guint          n_loads;

  gboolean       paged;      /* a page at a time (bourse_client_store_new_paged) */
  gboolean       appending;  /* the load under way is the next page */
  char          *next_cursor;
};

static void bourse_client_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseClientStore, bourse_client_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bourse_client_store_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADED,
  PROP_N_LOADS,
  PROP_HAS_MORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GListModel {{{ */

static GType
bourse_client_store_get_item_type (GListModel *model)
{
  return BOURSE_CLIENT_STORE (model)->item_type;
}

static guint
bourse_client_store_get_n_items (GListModel *model)
{
  return BOURSE_CLIENT_STORE (model)->items->len;
}

static gpointer
bourse_client_store_get_item (GListModel *model,
                              guint       position)
{
  BourseClientStore *self = BOURSE_CLIENT_STORE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
bourse_client_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bourse_client_store_get_item_type;
  iface->get_n_items = bourse_client_store_get_n_items;
  iface->get_item = bourse_client_store_get_item;
}

/* }}} */

/* Changes {{{ */

static void
bourse_client_store_insert (BourseClientStore  *self,
                            guint               position,
                            BourseClientObject *item)
{
  g_ptr_array_insert (self->items, position, g_object_ref (item));
  g_hash_table_insert (self->by_key, (gpointer) bourse_client_object_get_key (item), item);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
bourse_client_store_remove (BourseClientStore *self,
                            const char        *key)
{
  BourseClientObject *item = g_hash_table_lookup (self->by_key, key);
  guint position;

  if (item == NULL || !g_ptr_array_find (self->items, item, &position))
    return;

  g_hash_table_remove (self->by_key, key);
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* The list as served: the objects already held are updated and kept,
 * and only the span that differs is announced. */
static void
bourse_client_store_replace (BourseClientStore *self,
                             GPtrArray         *objects)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint prefix = 0, suffix = 0;

  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      g_autofree char *key = bourse_client_object_dup_key_of (self->item_type, object);
      BourseClientObject *item;

      /* Pages overlap when items are added between two of them. */
      if (key == NULL || g_hash_table_contains (seen, key))
        continue;

      if ((item = g_hash_table_lookup (self->by_key, key)) != NULL)
        {
          bourse_client_object_update (item, object);
          g_object_ref (item);
        }
      else if ((item = bourse_client_object_new_from_json (self->item_type, object)) == NULL)
        continue;

      g_ptr_array_add (items, item);
      g_hash_table_add (seen, g_steal_pointer (&key));
    }

  while (prefix < items->len && prefix < self->items->len
         && g_ptr_array_index (items, prefix) == g_ptr_array_index (self->items, prefix))
    prefix++;
  while (suffix < items->len - prefix && suffix < self->items->len - prefix
         && g_ptr_array_index (items, items->len - 1 - suffix)
            == g_ptr_array_index (self->items, self->items->len - 1 - suffix))
    suffix++;

  old = g_steal_pointer (&self->items);
  self->items = g_steal_pointer (&items);
  g_hash_table_remove_all (self->by_key);
  for (guint i = 0; i < self->items->len; i++)
    {
      BourseClientObject *item = g_ptr_array_index (self->items, i);

      g_hash_table_insert (self->by_key, (gpointer) bourse_client_object_get_key (item), item);
    }

  if (old->len != self->items->len || prefix + suffix < old->len)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old->len - prefix - suffix,
                                self->items->len - prefix - suffix);
}

/* The next page, after what is held (newer items may have come first
 * meanwhile: one already held is updated, not added twice). */
static void
bourse_client_store_append (BourseClientStore *self,
                            GPtrArray         *objects)
{
  guint position = self->items->len;

  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = g_ptr_array_index (objects, i);
      g_autofree char *key = bourse_client_object_dup_key_of (self->item_type, object);
      BourseClientObject *item;

      if (key == NULL)
        continue;
      if ((item = g_hash_table_lookup (self->by_key, key)) != NULL)
        bourse_client_object_update (item, object);
      else if ((item = bourse_client_object_new_from_json (self->item_type, object)) != NULL)
        {
          g_ptr_array_add (self->items, item);
          g_hash_table_insert (self->by_key, (gpointer) bourse_client_object_get_key (item), item);
        }
    }

  if (self->items->len > position)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, self->items->len - position);
}

/* }}} */

/* Loading {{{ */

static void bourse_client_store_load_page (BourseClientStore *self,
                                           const char        *cursor);

static void
bourse_client_store_load_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(BourseClientStore) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *page;
  JsonArray *items;
  JsonNode *cursor;

  answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_clear_object (&self->cancellable);
      g_ptr_array_set_size (self->loading, 0);
      if (error == NULL)
        g_set_error (&error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_PROTOCOL,
                     "%s is not a list", self->path);
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }

  page = json_node_get_object (answer);
  items = json_object_get_array_member (page, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (self->loading, json_object_ref (json_node_get_object (node)));
    }

  cursor = json_object_get_member (page, "next_cursor");
  if (cursor != NULL && JSON_NODE_HOLDS_VALUE (cursor) && json_node_get_value_type (cursor) == G_TYPE_STRING)
    {
      if (!self->paged)
        {
          bourse_client_store_load_page (self, json_node_get_string (cursor));
          return;
        }
    }
  else
    cursor = NULL;

  g_clear_object (&self->cancellable);
  if (self->appending)
    bourse_client_store_append (self, self->loading);
  else
    bourse_client_store_replace (self, self->loading);
  g_ptr_array_set_size (self->loading, 0);
  self->appending = FALSE;

  if (self->paged)
    {
      g_free (self->next_cursor);
      self->next_cursor = cursor != NULL ? g_strdup (json_node_get_string (cursor)) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
    }

  self->n_loads++;
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LOADS]);

  /* What was read may be older than an event applied meanwhile. */
  if (self->stale)
    bourse_client_store_reload (self);
}

static void
bourse_client_store_load_page (BourseClientStore *self,
                               const char        *cursor)
{
  g_autofree char *path = NULL;

  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("%s%scursor=%s", self->path, strchr (self->path, '?') ? "&" : "?", escaped);
    }
  else
    path = g_strdup (self->path);

  bourse_client_get_json_async (self->client, path, self->cancellable,
                                bourse_client_store_load_cb, g_object_ref (self));
}

void
bourse_client_store_reload (BourseClientStore *self)
{
  g_return_if_fail (BOURSE_IS_CLIENT_STORE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_ptr_array_set_size (self->loading, 0);

  self->stale = FALSE;
  self->appending = FALSE;
  self->cancellable = g_cancellable_new ();
  bourse_client_store_load_page (self, NULL);
}

void
bourse_client_store_load_more (BourseClientStore *self)
{
  g_return_if_fail (BOURSE_IS_CLIENT_STORE (self));

  /* A reload under way replaces the list: the next page waits for it. */
  if (!self->paged || self->next_cursor == NULL || self->cancellable != NULL)
    return;

  self->appending = TRUE;
  self->cancellable = g_cancellable_new ();
  bourse_client_store_load_page (self, self->next_cursor);
}

gboolean
bourse_client_store_get_has_more (BourseClientStore *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (self), FALSE);

  return self->next_cursor != NULL;
}

/* }}} */

/* The topic {{{ */

static void
bourse_client_store_event_cb (BourseClientStore *self,
                              const char        *topic,
                              gint64             seq,
                              JsonNode          *data,
                              BourseClient      *client)
{
  g_autofree char *key = NULL;
  BourseClientObject *item;
  JsonObject *object;
  gboolean deleted = FALSE;
  JsonNode *node;

  /* Events up to the subscription's seq (the replay of the latest among
   * them) are in the list read since it was confirmed. */
  if (!self->live || seq <= self->live_seq || !JSON_NODE_HOLDS_OBJECT (data))
    return;

  /* An older page does not hold what the event changed. */
  if (self->cancellable != NULL && !self->appending)
    self->stale = TRUE;

  object = json_node_get_object (data);
  if ((key = bourse_client_object_dup_key_of (self->item_type, object)) == NULL)
    return;

  node = json_object_get_member (object, "deleted");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    deleted = json_node_get_boolean (node);

  if (deleted)
    bourse_client_store_remove (self, key);
  else if ((item = g_hash_table_lookup (self->by_key, key)) != NULL)
    bourse_client_object_update (item, object);
  else
    {
      g_autoptr(BourseClientObject) created = bourse_client_object_new_from_json (self->item_type, object);

      if (created != NULL)
        bourse_client_store_insert (self, 0, created);
    }
}

/* From the server's "subscribed" on, every change comes as an event: what
 * changed before it is read again (a load begun earlier may have missed
 * it; one still under way is replaced, so that the list is read once). */
static void
bourse_client_store_subscribed_cb (BourseClientStore *self,
                                   const char        *topic,
                                   gint64             seq,
                                   BourseClient      *client)
{
  self->live = TRUE;
  self->live_seq = seq;
  bourse_client_store_reload (self);
}

static void
bourse_client_store_resync_cb (BourseClientStore *self,
                               const char        *topic,
                               BourseClient      *client)
{
  bourse_client_store_reload (self);
}

/* }}} */

static BourseClientStore *
bourse_client_store_create (BourseClient *client,
                            GType         item_type,
                            const char   *path,
                            const char   *topic,
                            gboolean      paged)
{
  BourseClientStore *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (g_type_is_a (item_type, BOURSE_TYPE_CLIENT_OBJECT), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (BOURSE_TYPE_CLIENT_STORE, NULL);
  self->client = g_object_ref (client);
  self->item_type = item_type;
  self->path = g_strdup (path);
  self->topic = g_strdup (topic);
  self->paged = paged;

  if (topic != NULL)
    {
      g_autofree char *event = g_strconcat ("event::", topic, NULL);
      g_autofree char *resync = g_strconcat ("resync::", topic, NULL);
      g_autofree char *subscribed = g_strconcat ("subscribed::", topic, NULL);

      g_signal_connect_object (client, event, G_CALLBACK (bourse_client_store_event_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, resync, G_CALLBACK (bourse_client_store_resync_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, subscribed, G_CALLBACK (bourse_client_store_subscribed_cb),
                               self, G_CONNECT_SWAPPED);
      bourse_client_subscribe (client, topic);

      /* Another list follows the topic already: it is live from now. */
      if ((self->live_seq = bourse_client_get_topic_seq (client, topic)) >= 0)
        self->live = TRUE;
    }

  bourse_client_store_reload (self);

  return self;
}

BourseClientStore *
bourse_client_store_new (BourseClient *client,
                         GType         item_type,
                         const char   *path,
                         const char   *topic)
{
  return bourse_client_store_create (client, item_type, path, topic, FALSE);
}

BourseClientStore *
bourse_client_store_new_paged (BourseClient *client,
                               GType         item_type,
                               const char   *path,
                               const char   *topic)
{
  return bourse_client_store_create (client, item_type, path, topic, TRUE);
}

BourseClient *
bourse_client_store_get_client (BourseClientStore *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (self), NULL);

  return self->client;
}

gboolean
bourse_client_store_get_loaded (BourseClientStore *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (self), FALSE);

  return self->loaded && self->cancellable == NULL;
}

gboolean
bourse_client_store_get_live (BourseClientStore *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (self), FALSE);

  return self->live;
}

guint
bourse_client_store_get_n_loads (BourseClientStore *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (self), 0);

  return self->n_loads;
}

BourseClientObject *
bourse_client_store_lookup (BourseClientStore *self,
                            const char        *key)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->by_key, key);
}

static void
bourse_client_store_dispose (GObject *object)
{
  BourseClientStore *self = (BourseClientStore *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client != NULL && self->topic != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      bourse_client_unsubscribe (self->client, self->topic);
    }
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bourse_client_store_parent_class)->dispose (object);
}

static void
bourse_client_store_finalize (GObject *object)
{
  BourseClientStore *self = (BourseClientStore *)object;

  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->next_cursor, g_free);

  G_OBJECT_CLASS (bourse_client_store_parent_class)->finalize (object);
}

static void
bourse_client_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BourseClientStore *self = BOURSE_CLIENT_STORE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, bourse_client_store_get_loaded (self));
      break;

    case PROP_N_LOADS:
      g_value_set_uint (value, self->n_loads);
      break;

    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->next_cursor != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_client_store_class_init (BourseClientStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_client_store_dispose;
  object_class->finalize = bourse_client_store_finalize;
  object_class->get_property = bourse_client_store_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_LOADS] =
    g_param_spec_uint ("n-loads", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseClientStore::failed:
   * @error: why the list could not be read; what it holds stays
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
bourse_client_store_init (BourseClientStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->loading = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}
