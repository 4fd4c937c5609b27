/* bourse-audit-item.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-app-util.h"
#include "bourse-audit-item.h"

struct _BourseAuditItem
{
  GObject  parent_instance;

  gint64   id;
  char    *time;
  char    *actor;
  char    *action;
  char    *target;
  char    *details;
};

G_DEFINE_FINAL_TYPE (BourseAuditItem, bourse_audit_item, G_TYPE_OBJECT)

/* Read-only: an entry of a tamper-evident log never changes. */
enum {
  PROP_0,
  PROP_ID,
  PROP_TIME,
  PROP_ACTOR,
  PROP_ACTION,
  PROP_TARGET,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bourse_audit_item_finalize (GObject *object)
{
  BourseAuditItem *self = (BourseAuditItem *)object;

  g_clear_pointer (&self->time, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->target, g_free);
  g_clear_pointer (&self->details, g_free);

  G_OBJECT_CLASS (bourse_audit_item_parent_class)->finalize (object);
}

static void
bourse_audit_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BourseAuditItem *self = BOURSE_AUDIT_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_TIME:
      g_value_set_string (value, self->time);
      break;

    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;

    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;

    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;

    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_audit_item_class_init (BourseAuditItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_audit_item_finalize;
  object_class->get_property = bourse_audit_item_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TIME] =
    g_param_spec_string ("time", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bourse_audit_item_init (BourseAuditItem *self)
{
}

BourseAuditItem *
bourse_audit_item_new_from_json (JsonObject *entry)
{
  BourseAuditItem *self;
  JsonObject *details;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (BOURSE_TYPE_AUDIT_ITEM, NULL);
  bourse_json_get_int (entry, "id", &self->id);
  self->time = bourse_format_local_time (bourse_json_get_string (entry, "ts"));
  self->actor = g_strdup (bourse_json_get_string (entry, "actor"));
  self->action = g_strdup (bourse_json_get_string (entry, "action"));
  self->target = g_strdup (bourse_json_get_string (entry, "target"));

  if ((details = bourse_json_get_object (entry, "details")) && json_object_get_size (details) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), details);

      self->details = json_to_string (node, FALSE);
    }

  return self;
}

gint64
bourse_audit_item_get_id (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), 0);

  return self->id;
}

const char *
bourse_audit_item_get_time (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->time;
}

const char *
bourse_audit_item_get_actor (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->actor;
}

const char *
bourse_audit_item_get_action (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->action;
}

const char *
bourse_audit_item_get_target (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->target;
}

const char *
bourse_audit_item_get_details (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->details;
}
