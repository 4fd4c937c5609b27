/* bourse-client-object.c — a record the API serves, as a GObject
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subclasses describe their members in a table; reading the JSON, the
 * properties and their notifications are done here once, so that a type is
 * its table and its getters.
 */

#include "config.h"

#include <string.h>

#include "bourse-client-object.h"

typedef struct
{
  char       *key;
  JsonObject *json;
} BourseClientObjectPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BourseClientObject, bourse_client_object, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_JSON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Members {{{ */

/* Frames come from the network: a member of another type counts as missing. */
static JsonNode *
get_value (JsonObject *object,
           const char *member,
           GType       type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

char *
bourse_client_object_dup_key_of (GType       type,
                                 JsonObject *object)
{
  g_autoptr(BourseClientObjectClass) klass = g_type_class_ref (type);
  JsonNode *node;

  g_return_val_if_fail (g_type_is_a (type, BOURSE_TYPE_CLIENT_OBJECT), NULL);
  g_return_val_if_fail (klass->key_member != NULL, NULL);

  if ((node = get_value (object, klass->key_member, G_TYPE_INT64)) != NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if ((node = get_value (object, klass->key_member, G_TYPE_STRING)) != NULL)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

static char **
dup_strv (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

/* A TEXT field's value: the text the API would write in a file. */
static char *
dup_text (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    default:
      return g_strdup ("");
    }
}

/* Whether the field changed. */
static gboolean
take_field (gpointer                 instance,
            const BourseClientField *field,
            JsonObject              *object)
{
  gpointer slot = G_STRUCT_MEMBER_P (instance, field->offset);
  JsonNode *node;

  switch (field->type)
    {
    case BOURSE_CLIENT_FIELD_STRING:
      {
        char **current = slot;
        const char *value;

        node = get_value (object, field->member, G_TYPE_STRING);
        value = node != NULL ? json_node_get_string (node) : NULL;
        if (g_strcmp0 (*current, value) == 0)
          return FALSE;
        g_free (*current);
        *current = g_strdup (value);
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_INT64:
      {
        gint64 value = (node = get_value (object, field->member, G_TYPE_INT64)) ? json_node_get_int (node) : 0;

        if (*(gint64 *) slot == value)
          return FALSE;
        *(gint64 *) slot = value;
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_BOOLEAN:
      {
        gboolean value = (node = get_value (object, field->member, G_TYPE_BOOLEAN)) ? json_node_get_boolean (node) : FALSE;

        if (*(gboolean *) slot == value)
          return FALSE;
        *(gboolean *) slot = value;
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_DOUBLE:
      {
        double value = 0;

        if ((node = get_value (object, field->member, G_TYPE_DOUBLE)) != NULL
            || (node = get_value (object, field->member, G_TYPE_INT64)) != NULL)
          value = json_node_get_double (node);
        if (*(double *) slot == value)
          return FALSE;
        *(double *) slot = value;
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_OBJECT:
      {
        JsonObject **current = slot;
        JsonObject *value = NULL;

        node = json_object_get_member (object, field->member);
        value = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
              ? json_object_ref (json_node_get_object (node)) : json_object_new ();
        if (*current != NULL && json_object_equal (*current, value))
          {
            json_object_unref (value);
            return FALSE;
          }
        g_clear_pointer (current, json_object_unref);
        *current = value;
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_RECORD:
      {
        BourseClientObject **current = slot;
        BourseClientObject *value = NULL;

        node = json_object_get_member (object, field->member);
        /* The same record (its key) is updated in place: whoever follows
         * it has its own notify, and the property notifies only when it is
         * another record, or none. */
        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          {
            if (*current != NULL && bourse_client_object_update (*current, json_node_get_object (node)))
              return FALSE;
            value = bourse_client_object_new_from_json (field->record_type (), json_node_get_object (node));
          }
        if (*current == NULL && value == NULL)
          return FALSE;
        g_clear_object (current);
        *current = value;
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_TEXT:
      {
        char **current = slot;
        g_autofree char *value = dup_text (object, field->member);

        if (*current != NULL && g_str_equal (*current, value))
          return FALSE;
        g_free (*current);
        *current = g_steal_pointer (&value);
        return TRUE;
      }

    case BOURSE_CLIENT_FIELD_STRV:
      {
        char ***current = slot;
        char **value = dup_strv (object, field->member);

        if (*current != NULL && g_strv_equal ((const char * const *) *current, (const char * const *) value))
          {
            g_strfreev (value);
            return FALSE;
          }
        g_strfreev (*current);
        *current = value;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
clear_field (gpointer                 instance,
             const BourseClientField *field)
{
  gpointer slot = G_STRUCT_MEMBER_P (instance, field->offset);

  if (field->type == BOURSE_CLIENT_FIELD_STRING || field->type == BOURSE_CLIENT_FIELD_TEXT)
    g_clear_pointer ((char **) slot, g_free);
  else if (field->type == BOURSE_CLIENT_FIELD_OBJECT)
    g_clear_pointer ((JsonObject **) slot, json_object_unref);
  else if (field->type == BOURSE_CLIENT_FIELD_STRV)
    g_clear_pointer ((char ***) slot, g_strfreev);
  else if (field->type == BOURSE_CLIENT_FIELD_RECORD)
    g_clear_object ((BourseClientObject **) slot);
}

/* }}} */

static void bourse_client_object_get_property (GObject    *object,
                                               guint       prop_id,
                                               GValue     *value,
                                               GParamSpec *pspec);

void
bourse_client_object_class_install (BourseClientObjectClass *klass,
                                    const char              *key_member,
                                    const BourseClientField *fields,
                                    guint                    n_fields)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  g_return_if_fail (BOURSE_IS_CLIENT_OBJECT_CLASS (klass));
  g_return_if_fail (key_member != NULL);

  /* GObject gives each class its own get_property: the fields are read here. */
  object_class->get_property = bourse_client_object_get_property;
  klass->key_member = key_member;
  klass->fields = fields;
  klass->n_fields = n_fields;
  klass->pspecs = g_new0 (GParamSpec *, n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (fields[i].member), "_", '-');
      GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_NICK | G_PARAM_STATIC_BLURB;
      GParamSpec *pspec = NULL;

      switch (fields[i].type)
        {
        case BOURSE_CLIENT_FIELD_STRING:
        case BOURSE_CLIENT_FIELD_TEXT:
          pspec = g_param_spec_string (name, NULL, NULL, NULL, flags);
          break;
        case BOURSE_CLIENT_FIELD_INT64:
          pspec = g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
          break;
        case BOURSE_CLIENT_FIELD_BOOLEAN:
          pspec = g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
          break;
        case BOURSE_CLIENT_FIELD_DOUBLE:
          pspec = g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
          break;
        case BOURSE_CLIENT_FIELD_OBJECT:
          pspec = g_param_spec_boxed (name, NULL, NULL, JSON_TYPE_OBJECT, flags);
          break;
        case BOURSE_CLIENT_FIELD_STRV:
          pspec = g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags);
          break;
        case BOURSE_CLIENT_FIELD_RECORD:
          g_assert (fields[i].record_type != NULL);
          pspec = g_param_spec_object (name, NULL, NULL, fields[i].record_type (), flags);
          break;
        default:
          g_assert_not_reached ();
        }

      klass->pspecs[i] = pspec;
      g_object_class_install_property (object_class, i + 1, pspec);
    }
}

BourseClientObject *
bourse_client_object_new_from_json (GType       type,
                                    JsonObject *object)
{
  g_autoptr(BourseClientObject) self = NULL;

  g_return_val_if_fail (g_type_is_a (type, BOURSE_TYPE_CLIENT_OBJECT), NULL);

  self = g_object_new (type, NULL);
  if (!bourse_client_object_update (self, object))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
bourse_client_object_update (BourseClientObject *self,
                             JsonObject         *object)
{
  BourseClientObjectPrivate *priv = bourse_client_object_get_instance_private (self);
  BourseClientObjectClass *klass;
  g_autofree char *key = NULL;

  g_return_val_if_fail (BOURSE_IS_CLIENT_OBJECT (self), FALSE);

  if (object == NULL
      || (key = bourse_client_object_dup_key_of (G_OBJECT_TYPE (self), object)) == NULL
      || (priv->key != NULL && !g_str_equal (priv->key, key)))
    return FALSE;

  klass = BOURSE_CLIENT_OBJECT_GET_CLASS (self);
  if (priv->key != NULL && klass->accepts != NULL && !klass->accepts (self, object))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  if (priv->key == NULL)
    {
      priv->key = g_steal_pointer (&key);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
    }
  for (guint i = 0; i < klass->n_fields; i++)
    if (take_field (self, &klass->fields[i], object))
      g_object_notify_by_pspec (G_OBJECT (self), klass->pspecs[i]);
  if (priv->json == NULL || !json_object_equal (priv->json, object))
    {
      g_clear_pointer (&priv->json, json_object_unref);
      priv->json = json_object_ref (object);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JSON]);
    }

  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

const char *
bourse_client_object_get_key (BourseClientObject *self)
{
  BourseClientObjectPrivate *priv = bourse_client_object_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_CLIENT_OBJECT (self), NULL);

  return priv->key;
}

JsonObject *
bourse_client_object_get_json (BourseClientObject *self)
{
  BourseClientObjectPrivate *priv = bourse_client_object_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_CLIENT_OBJECT (self), NULL);

  return priv->json;
}

static void
bourse_client_object_finalize (GObject *object)
{
  BourseClientObject *self = BOURSE_CLIENT_OBJECT (object);
  BourseClientObjectPrivate *priv = bourse_client_object_get_instance_private (self);
  BourseClientObjectClass *klass = BOURSE_CLIENT_OBJECT_GET_CLASS (self);

  for (guint i = 0; i < klass->n_fields; i++)
    clear_field (self, &klass->fields[i]);
  g_clear_pointer (&priv->key, g_free);
  g_clear_pointer (&priv->json, json_object_unref);

  G_OBJECT_CLASS (bourse_client_object_parent_class)->finalize (object);
}

/* The subclasses' properties come here too: their fields say where. */
static void
bourse_client_object_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BourseClientObject *self = BOURSE_CLIENT_OBJECT (object);
  BourseClientObjectClass *klass;
  const BourseClientField *field;
  gpointer slot;

  if (pspec->owner_type == BOURSE_TYPE_CLIENT_OBJECT)
    {
      switch (prop_id)
        {
        case PROP_KEY:
          g_value_set_string (value, bourse_client_object_get_key (self));
          return;
        case PROP_JSON:
          g_value_set_boxed (value, bourse_client_object_get_json (self));
          return;
        default:
          G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
          return;
        }
    }

  klass = g_type_class_peek (pspec->owner_type);
  if (prop_id == 0 || prop_id > klass->n_fields)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  field = &klass->fields[prop_id - 1];
  slot = G_STRUCT_MEMBER_P (object, field->offset);
  switch (field->type)
    {
    case BOURSE_CLIENT_FIELD_STRING:
    case BOURSE_CLIENT_FIELD_TEXT:
      g_value_set_string (value, *(char **) slot);
      break;
    case BOURSE_CLIENT_FIELD_INT64:
      g_value_set_int64 (value, *(gint64 *) slot);
      break;
    case BOURSE_CLIENT_FIELD_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) slot);
      break;
    case BOURSE_CLIENT_FIELD_DOUBLE:
      g_value_set_double (value, *(double *) slot);
      break;
    case BOURSE_CLIENT_FIELD_OBJECT:
    case BOURSE_CLIENT_FIELD_STRV:
      g_value_set_boxed (value, *(gpointer *) slot);
      break;
    case BOURSE_CLIENT_FIELD_RECORD:
      g_value_set_object (value, *(gpointer *) slot);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
bourse_client_object_class_init (BourseClientObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_client_object_finalize;
  object_class->get_property = bourse_client_object_get_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_JSON] =
    g_param_spec_boxed ("json", NULL, NULL,
                        JSON_TYPE_OBJECT,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bourse_client_object_init (BourseClientObject *self)
{
}
