/* bourse-audit-item.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

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
  char    *actor_display;
  char    *target_display;
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
  PROP_ACTOR_DISPLAY,
  PROP_TARGET_DISPLAY,
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
  g_clear_pointer (&self->actor_display, g_free);
  g_clear_pointer (&self->target_display, g_free);

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

    case PROP_ACTOR_DISPLAY:
      g_value_set_string (value, self->actor_display);
      break;

    case PROP_TARGET_DISPLAY:
      g_value_set_string (value, self->target_display);
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
  /* What a person reads: names, and words for the engine's own actors. */
  properties[PROP_ACTOR_DISPLAY] =
    g_param_spec_string ("actor-display", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TARGET_DISPLAY] =
    g_param_spec_string ("target-display", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bourse_audit_item_init (BourseAuditItem *self)
{
}

/* The kinds of "kind:id" an entry names, as words. */
static const char *
kind_to_display (const char *kind)
{
  static const struct {
    const char *kind;
    const char *display;
  } kinds[] = {
    /* Translators: the kinds of things the audit trail names, each
     * followed by a name or a number */
    { "user",           N_("User") },
    { "api-key",        N_("API key") },
    { "session",        N_("Session") },
    { "strategy",       N_("Strategy") },
    { "webhook",        N_("Webhook") },
    { "approval",       N_("Approval") },
    { "recommendation", N_("Recommendation") },
    { "order",          N_("Order") },
    { "backtest",       N_("Backtest") },
    { "optimisation",   N_("Optimisation") },
    { "job",            N_("Job") },
    { "protection",     N_("Protection") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kind, kinds[i].kind))
      return _(kinds[i].display);
  return NULL;
}

/* "User ada", "Approval BUY BTCUSDT", "Order #12"; the raw text for what
 * has no words here. */
static char *
dup_reference_display (const char *reference,
                       const char *name)
{
  g_auto(GStrv) parts = NULL;
  const char *kind;

  if (reference == NULL)
    return g_strdup ("—");
  parts = g_strsplit (reference, ":", 2);
  if (g_strv_length (parts) != 2 || (kind = kind_to_display (parts[0])) == NULL)
    return g_strdup (name != NULL ? name : reference);
  if (name != NULL)
    /* Translators: a kind of thing and its name, e.g. “User ada” */
    return g_strdup_printf (_("%s %s"), kind, name);
  /* Translators: a kind of thing and its number, e.g. “Order #12” */
  return g_strdup_printf (_("%s #%s"), kind, parts[1]);
}

static char *
dup_actor_display (const char *actor,
                   const char *name)
{
  if (name != NULL)
    return g_strdup (name);
  if (g_strcmp0 (actor, "system") == 0)
    return g_strdup (_("The engine"));
  if (g_strcmp0 (actor, "local-owner") == 0)
    return g_strdup (_("The local owner"));
  if (actor != NULL && g_str_has_prefix (actor, "cli:"))
    /* Translators: a system account that ran boursed on the command line */
    return g_strdup_printf (_("%s (command line)"), actor + strlen ("cli:"));
  return dup_reference_display (actor, NULL);
}

BourseAuditItem *
bourse_audit_item_new (BourseClientAuditEntry *entry)
{
  BourseAuditItem *self;
  JsonObject *details;

  g_return_val_if_fail (BOURSE_IS_CLIENT_AUDIT_ENTRY (entry), NULL);

  self = g_object_new (BOURSE_TYPE_AUDIT_ITEM, NULL);
  self->id = bourse_client_audit_entry_get_id (entry);
  self->time = bourse_format_local_time (bourse_client_audit_entry_get_ts (entry));
  self->actor = g_strdup (bourse_client_audit_entry_get_actor (entry));
  self->action = g_strdup (bourse_client_audit_entry_get_action (entry));
  self->target = g_strdup (bourse_client_audit_entry_get_target (entry));
  self->actor_display = dup_actor_display (self->actor, bourse_client_audit_entry_get_actor_name (entry));
  self->target_display = dup_reference_display (self->target, bourse_client_audit_entry_get_target_name (entry));

  if ((details = bourse_client_audit_entry_get_details (entry)) && json_object_get_size (details) > 0)
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
bourse_audit_item_get_actor_display (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->actor_display;
}

const char *
bourse_audit_item_get_target_display (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->target_display;
}

const char *
bourse_audit_item_get_details (BourseAuditItem *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_ITEM (self), NULL);

  return self->details;
}
