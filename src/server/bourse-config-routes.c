/* bourse-config-routes.c — configuration management (docs/OPERATIONS.md, "Configuration management")
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "core/bourse-log.h"

#include "bourse-server-private.h"

/* What a secret's old and new values are shown as, everywhere. */
#define MASK "••••"

static BourseSecrets *
secrets_of (BourseServer *self)
{
  BourseAuth *auth = bourse_engine_get_auth (self->engine);

  return auth != NULL ? bourse_auth_get_secrets (auth) : NULL;
}

static char *
secret_name (const BourseConfigKey *spec)
{
  return g_strdup_printf ("%s.%s", spec->section, spec->key);
}

/* Set in the secrets store, or (headless) in the file or the environment. */
static gboolean
secret_is_set (const BourseConfigKey *spec,
               gpointer               user_data)
{
  BourseServer *self = user_data;
  g_autofree char *value = bourse_config_dup_secret (self->config, secrets_of (self), spec->section, spec->key);

  return value != NULL;
}

/* A value in its JSON type: integers and booleans as such, the rest (decimals
 * included, DESIGN.md §4) as strings. */
static void
add_typed_value (JsonBuilder           *builder,
                 const BourseConfigKey *spec,
                 const char            *value)
{
  if (spec->type == BOURSE_CONFIG_TYPE_INT)
    json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
  else if (spec->type == BOURSE_CONFIG_TYPE_BOOLEAN)
    json_builder_add_boolean_value (builder, g_str_equal (value, "true"));
  else
    json_builder_add_string_value (builder, value);
}

static void
add_key (BourseServer          *self,
         JsonBuilder           *builder,
         const BourseConfigKey *spec)
{
  BourseConfig *config = self->config;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, spec->key);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, bourse_config_type_to_string (spec->type));
  json_builder_set_member_name (builder, "value");
  if (spec->secret)
    json_builder_add_null_value (builder);
  else
    add_typed_value (builder, spec, bourse_config_get_string (config, spec->section, spec->key));
  json_builder_set_member_name (builder, "default");
  if (spec->secret)
    json_builder_add_null_value (builder);
  else
    add_typed_value (builder, spec, spec->default_value);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder,
                                 bourse_config_source_to_string (bourse_config_get_source (config, spec->section,
                                                                                           spec->key)));
  json_builder_set_member_name (builder, "origin");
  json_builder_add_string_value (builder, bourse_config_get_origin (config, spec->section, spec->key));
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, _(spec->description));
  json_builder_set_member_name (builder, "restart_required");
  json_builder_add_boolean_value (builder, spec->restart_required);
  json_builder_set_member_name (builder, "pending_restart");
  json_builder_add_boolean_value (builder, bourse_config_is_pending_restart (config, spec->section, spec->key));
  json_builder_set_member_name (builder, "secret");
  json_builder_add_boolean_value (builder, spec->secret);
  if (spec->secret)
    {
      json_builder_set_member_name (builder, "set");
      json_builder_add_boolean_value (builder, secret_is_set (spec, self));
    }
  if (spec->type == BOURSE_CONFIG_TYPE_INT || spec->type == BOURSE_CONFIG_TYPE_DECIMAL)
    {
      json_builder_set_member_name (builder, "min");
      json_builder_add_int_value (builder, spec->min);
      json_builder_set_member_name (builder, "max");
      json_builder_add_int_value (builder, spec->max);
    }
  if (spec->type == BOURSE_CONFIG_TYPE_ENUM)
    {
      g_auto(GStrv) allowed = g_strsplit (spec->allowed, "|", -1);

      json_builder_set_member_name (builder, "allowed");
      json_builder_begin_array (builder);
      for (guint i = 0; allowed[i] != NULL; i++)
        json_builder_add_string_value (builder, allowed[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

/* {"name","keys":[…]}, left open for the caller's members. */
static void
begin_section (BourseServer *self,
               JsonBuilder  *builder,
               const char   *name)
{
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_keys; i++)
    if (g_str_equal (schema[i].section, name))
      add_key (self, builder, &schema[i]);
  json_builder_end_array (builder);
}

static gboolean
section_exists (const char *name)
{
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  for (guint i = 0; i < n_keys; i++)
    if (g_str_equal (schema[i].section, name))
      return TRUE;
  return FALSE;
}

static void
get_all_cb (BourseRequest *request,
            gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *path = bourse_config_get_path (self->config);
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  if (path != NULL)
    json_builder_add_string_value (builder, path);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_keys; i++)
    if (i == 0 || !g_str_equal (schema[i].section, schema[i - 1].section))
      {
        begin_section (self, builder, schema[i].section);
        json_builder_end_object (builder);
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* The {section} of the path, or NULL once a 404 naming it is answered. */
static const char *
section_param (BourseRequest *request)
{
  const char *name = bourse_request_get_param (request, "section");

  if (name == NULL || !section_exists (name))
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_NOT_FOUND, "section",
                                        _("There is no such configuration section"));
      return NULL;
    }
  return name;
}

static void
get_section_cb (BourseRequest *request,
                gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *name = section_param (request);

  if (name == NULL)
    return;
  begin_section (self, builder, name);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* The changes as the audit entry, the event and the import's answer list
 * them. "field" rather than "key": the audit trail redacts members named
 * like secrets, "key" among them. */
static JsonNode *
changes_json (GPtrArray *changes,
              gboolean   with_restart)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      BourseConfigChange *change = changes->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, change->field);
      json_builder_set_member_name (builder, "old");
      json_builder_add_string_value (builder, change->spec->secret ? MASK : change->old_value);
      json_builder_set_member_name (builder, "new");
      json_builder_add_string_value (builder, change->spec->secret ? MASK : change->new_value);
      if (with_restart)
        {
          json_builder_set_member_name (builder, "restart_required");
          json_builder_add_boolean_value (builder, change->spec->restart_required);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* One audit entry and one event for a set of changes, whoever made them. */
static void
record_changes (BourseServer            *self,
                GPtrArray               *changes,
                const char              *actor,
                const BourseAuthContext *context)
{
  BourseAuth *auth = bourse_engine_get_auth (self->engine);
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  if (changes->len == 0)
    return;

  json_object_set_member (details, "changes", changes_json (changes, FALSE));
  json_node_set_object (node, details);
  if (auth != NULL && !bourse_auth_audit (auth, actor, "config.change", NULL, node, context, &error))
    g_warning ("Cannot audit a configuration change: %s", error->message);

  json_object_set_string_member (details, "actor", actor);
  bourse_event_bus_publish (bourse_engine_get_event_bus (self->engine), "config", node);

  /* Names only: a value may be private even when it is not a secret. */
  for (guint i = 0; i < changes->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", ((BourseConfigChange *)changes->pdata[i])->field);
  g_message ("Configuration changed by %s: %s", actor, names->str);
}

/* Secret changes go to the secrets store, never to the configuration or its
 * file: "section.key" → value (NULL deletes). */
static gboolean
store_secrets (BourseServer  *self,
               GHashTable    *secrets,
               GPtrArray     *changes,
               GError       **error)
{
  BourseSecrets *store = secrets_of (self);
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *name = secret_name (&schema[i]);
      gpointer value;
      gboolean was_set;

      if (!schema[i].secret || !g_hash_table_lookup_extended (secrets, name, NULL, &value))
        continue;
      if (store == NULL)
        {
          g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE, _("The secrets store is not open"));
          return FALSE;
        }
      was_set = secret_is_set (&schema[i], self);
      if (value != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (value, strlen (value));

          if (!bourse_secrets_store (store, name, bytes, error))
            return FALSE;
        }
      else if (!bourse_secrets_delete (store, name, error))
        return FALSE;

      if (value != NULL || was_set)
        {
          BourseConfigChange *change = g_new0 (BourseConfigChange, 1);

          change->spec = &schema[i];
          change->field = g_steal_pointer (&name);
          g_ptr_array_add (changes, change);
        }
    }
  return TRUE;
}

/* Splits "section.key" → value into the secrets and the rest. */
static GHashTable *
take_secrets (GHashTable *changes)
{
  GHashTable *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer field, value;

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &field, &value))
    {
      const BourseConfigKey *spec = bourse_config_lookup_field (field);

      if (spec != NULL && spec->secret)
        {
          g_hash_table_insert (secrets, g_strdup (field), g_strdup (value));
          g_hash_table_iter_remove (&iter);
        }
    }
  return secrets;
}

/* Secrets, then the rest all or nothing; the changes made, or NULL with
 * the problems added to @problems, or @error. */
static GPtrArray *
apply_changes (BourseServer  *self,
               GHashTable    *changes,
               GPtrArray     *problems,
               GError       **error)
{
  g_autoptr(GHashTable) secrets = take_secrets (changes);
  g_autoptr(GPtrArray) found = bourse_config_check (self->config, changes);
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_change_free);
  g_autoptr(GPtrArray) applied = NULL;
  GHashTableIter iter;
  gpointer field, value;

  g_hash_table_iter_init (&iter, secrets);
  while (g_hash_table_iter_next (&iter, &field, &value))
    if (value != NULL && (!g_utf8_validate (value, -1, NULL) || ((char *)value)[0] == '\0'))
      {
        BourseConfigProblem *problem = g_new0 (BourseConfigProblem, 1);

        problem->field = g_strdup (field);
        problem->message = g_strdup (_("A secret must be text; null removes it"));
        g_ptr_array_add (found, problem);
      }
  if (found->len > 0)
    {
      g_ptr_array_extend_and_steal (problems, g_steal_pointer (&found));
      return NULL;
    }
  g_clear_pointer (&found, g_ptr_array_unref);
  if (!store_secrets (self, secrets, made, error)
      || (applied = bourse_config_apply (self->config, changes, &found, error)) == NULL)
    {
      if (found != NULL)
        g_ptr_array_extend_and_steal (problems, g_steal_pointer (&found));
      return NULL;
    }
  g_ptr_array_extend_and_steal (made, g_steal_pointer (&applied));
  return g_steal_pointer (&made);
}

static void
reply_problems (BourseRequest *request,
                GPtrArray     *problems,
                const char    *detail)
{
  g_autofree BourseFieldError *errors = g_new0 (BourseFieldError, problems->len);

  for (guint i = 0; i < problems->len; i++)
    {
      BourseConfigProblem *problem = problems->pdata[i];

      errors[i] = (BourseFieldError) { problem->field, problem->message };
    }
  bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, detail, errors, problems->len);
}

static void
reply_failure (BourseRequest *request,
               const GError  *error)
{
  g_warning ("Cannot change the configuration: %s", error->message);
  bourse_request_reply_problem (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                _("Something went wrong on the server; its log has the details"), NULL, 0);
}

/* A member of a PUT body as the value of @spec (NULL: the default), or
 * FALSE with a message. */
static gboolean
member_value (const BourseConfigKey  *spec,
              JsonNode               *node,
              char                  **value,
              const char            **message)
{
  *value = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *value = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  if (spec->type == BOURSE_CONFIG_TYPE_INT && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  if (spec->type == BOURSE_CONFIG_TYPE_BOOLEAN && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    }
  *message = spec->type == BOURSE_CONFIG_TYPE_INT ? _("Expected an integer, a string or null")
           : spec->type == BOURSE_CONFIG_TYPE_BOOLEAN ? _("Expected true, false or null")
           : _("Expected a string or null");
  return FALSE;
}

static void
put_section_cb (BourseRequest *request,
                gpointer       user_data)
{
  BourseServer *self = user_data;
  const char *name = section_param (request);
  JsonObject *body;
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GHashTable) changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_problem_free);
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BourseAuthContext context;

  if (name == NULL || (body = bourse_request_get_json_object (request)) == NULL)
    return;

  members = json_object_get_members (body);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const BourseConfigKey *spec = bourse_config_lookup_key (name, l->data);
      g_autofree char *field = g_strdup_printf ("%s.%s", name, (const char *)l->data);
      const char *message = NULL;
      char *value = NULL;

      if (spec == NULL)
        g_hash_table_insert (changes, g_steal_pointer (&field), NULL);   /* check() names it */
      else if (!member_value (spec, json_object_get_member (body, l->data), &value, &message))
        {
          BourseConfigProblem *problem = g_new0 (BourseConfigProblem, 1);

          problem->field = g_steal_pointer (&field);
          problem->message = g_strdup (message);
          g_ptr_array_add (problems, problem);
        }
      else
        g_hash_table_insert (changes, g_steal_pointer (&field), value);
    }

  /* Every bad field in one answer: the type errors and the values'. */
  if (problems->len == 0)
    made = apply_changes (self, changes, problems, &error);
  else
    {
      g_autoptr(GHashTable) secrets = take_secrets (changes);
      g_autoptr(GPtrArray) more = bourse_config_check (self->config, changes);

      g_ptr_array_extend_and_steal (problems, g_steal_pointer (&more));
    }
  if (made == NULL)
    {
      if (problems->len > 0)
        reply_problems (request, problems, _("The configuration was not changed: some values are invalid"));
      else
        reply_failure (request, error);
      return;
    }

  bourse_request_get_context (request, &context);
  record_changes (self, made, principal->actor, &context);

  begin_section (self, builder, name);
  json_builder_set_member_name (builder, "applied");
  json_builder_begin_array (builder);
  for (guint i = 0; i < made->len; i++)
    if (!((BourseConfigChange *)made->pdata[i])->spec->restart_required)
      json_builder_add_string_value (builder, ((BourseConfigChange *)made->pdata[i])->field);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "restart_required");
  json_builder_begin_array (builder);
  for (guint i = 0; i < made->len; i++)
    if (((BourseConfigChange *)made->pdata[i])->spec->restart_required)
      json_builder_add_string_value (builder, ((BourseConfigChange *)made->pdata[i])->field);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
export_cb (BourseRequest *request,
           gpointer       user_data)
{
  BourseServer *self = user_data;
  SoupServerMessage *message = bourse_request_get_message (request);
  g_autoptr(GHashTable) disposition = g_hash_table_new (g_str_hash, g_str_equal);
  char *text = bourse_config_export (self->config, secret_is_set, self);

  g_hash_table_insert (disposition, (gpointer) "filename", (gpointer) "bourse.conf");
  soup_message_headers_set_content_disposition (soup_server_message_get_response_headers (message),
                                                "attachment", disposition);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_TAKE, text, strlen (text));
}

/* The secrets of an import whose values equal what is stored change nothing. */
static void
drop_unchanged_secrets (BourseServer *self,
                        GHashTable   *changes)
{
  GHashTableIter iter;
  gpointer field, value;

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &field, &value))
    {
      const BourseConfigKey *spec = bourse_config_lookup_field (field);
      g_autofree char *current = NULL;

      if (!spec->secret)
        continue;
      current = bourse_config_dup_secret (self->config, secrets_of (self), spec->section, spec->key);
      if (g_strcmp0 (current, value) == 0)
        g_hash_table_iter_remove (&iter);
    }
}

static void
import_cb (BourseRequest *request,
           gpointer       user_data)
{
  BourseServer *self = user_data;
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GBytes) body = bourse_request_dup_body (request);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_problem_free);
  g_autoptr(GHashTable) changes = NULL;
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  gboolean dry_run = FALSE;
  gsize length;
  const char *text = g_bytes_get_data (body, &length);

  if (!bourse_request_get_boolean_query (request, "dry_run", &dry_run))
    return;
  if ((changes = bourse_config_parse_text (text, length, problems)) == NULL)
    {
      reply_problems (request, problems, _("The configuration file is invalid; nothing was changed"));
      return;
    }
  drop_unchanged_secrets (self, changes);

  if (dry_run)
    {
      g_autoptr(GHashTable) secrets = take_secrets (changes);
      GHashTableIter iter;
      gpointer field;

      made = bourse_config_diff (self->config, changes);
      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, &field, NULL))
        {
          BourseConfigChange *change = g_new0 (BourseConfigChange, 1);

          change->spec = bourse_config_lookup_field (field);
          change->field = g_strdup (field);
          g_ptr_array_add (made, change);
        }
    }
  else if ((made = apply_changes (self, changes, problems, &error)) == NULL)
    {
      if (problems->len > 0)
        reply_problems (request, problems, _("The configuration file is invalid; nothing was changed"));
      else
        reply_failure (request, error);
      return;
    }
  else
    {
      BourseAuthContext context;

      bourse_request_get_context (request, &context);
      record_changes (self, made, principal->actor, &context);
    }

  json_object_set_member (answer, "changes", changes_json (made, TRUE));
  json_object_set_boolean_member (answer, "dry_run", dry_run);
  json_node_set_object (node, answer);
  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

gboolean
bourse_server_reload_config (BourseServer  *self,
                             GError       **error)
{
  g_autoptr(GPtrArray) changes = NULL;

  g_return_val_if_fail (BOURSE_IS_SERVER (self), FALSE);

  if (!bourse_config_reload (self->config, &changes, error))
    {
      g_autoptr(JsonObject) alert = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      g_warning ("The configuration file was not reloaded, the running configuration stays: %s",
                 (*error)->message);
      json_object_set_string_member (alert, "type", "config");
      json_object_set_string_member (alert, "status", "refused");
      json_object_set_string_member (alert, "reason", (*error)->message);
      json_node_set_object (node, alert);
      bourse_event_bus_publish (bourse_engine_get_event_bus (self->engine), "alerts", node);
      return FALSE;
    }
  record_changes (self, changes, "system", NULL);
  return TRUE;
}

static void
config_file_changed_cb (BourseServer      *self,
                        GFile             *file,
                        GFile             *other,
                        GFileMonitorEvent  event,
                        GFileMonitor      *monitor)
{
  g_autoptr(GError) error = NULL;

  g_assert (BOURSE_IS_SERVER (self));

  /* Our own write-back comes here too, and finds nothing new. */
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_CREATED
      || event == G_FILE_MONITOR_EVENT_DELETED || event == G_FILE_MONITOR_EVENT_MOVED_IN
      || event == G_FILE_MONITOR_EVENT_RENAMED)
    bourse_server_reload_config (self, &error);
}

/* Values the parts keep rather than read each time follow their key here. */
static void
config_changed_cb (BourseServer        *self,
                   const char * const  *fields,
                   BourseConfig        *config)
{
  GLogLevelFlags level;

  if (g_strv_contains (fields, "log.level")
      && bourse_log_parse_level (bourse_config_get_string (config, "log", "level"), &level))
    bourse_log_set_max_level (level);
}

void
_bourse_server_watch_config (BourseServer *self)
{
  const char *path = bourse_config_get_path (self->config);
  g_autoptr(GError) error = NULL;

  g_signal_connect_object (self->config, "changed", G_CALLBACK (config_changed_cb), self, G_CONNECT_SWAPPED);
  if (path == NULL)
    return;

  {
    g_autoptr(GFile) file = g_file_new_for_path (path);

    self->config_monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  }
  if (self->config_monitor == NULL)
    {
      g_message ("Changes of %s are not followed (%s); SIGHUP reloads it", path, error->message);
      return;
    }
  g_signal_connect_object (self->config_monitor, "changed", G_CALLBACK (config_file_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static const BourseParamDoc section_params[] = {
  { "section", BOURSE_PARAM_PATH, "string", "A section of the configuration: server, log, paper…" },
  { NULL }
};

static const BourseParamDoc import_params[] = {
  { "dry_run", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"true\",\"false\"],\"default\":\"false\"}",
    "true: say what the file would change, and change nothing" },
  { NULL }
};

static const BourseRouteSpec config_routes[] = {
  { "GET", "/api/v1/config", "config.read", get_all_cb, {
      .id = "getConfig", .tag = "Operations", .summary = "Read the configuration",
      .description = "Every key of every section, where its value came from and whether a change waits for a "
                     "restart (docs/OPERATIONS.md, Configuration management).",
      .response = "Config" } },
  { "GET", "/api/v1/config/{section}", "config.read", get_section_cb, {
      .id = "getConfigSection", .tag = "Operations", .summary = "Read a configuration section",
      .params = section_params, .response = "ConfigSection", .errors = "404" } },
  { "PUT", "/api/v1/config/{section}", "config.write", put_section_cb, {
      .id = "updateConfigSection", .tag = "Operations", .summary = "Change keys of a section",
      .description = "All or nothing: one 422 names every bad section.key, and nothing changes. Secrets go to "
                     "the secrets store, never to the file. Audited config.change, published on config.",
      .params = section_params, .request = "ConfigSectionUpdate", .response = "ConfigSectionUpdated",
      .errors = "404 415 422" } },
  { "POST", "/api/v1/config/export", "config.write", export_cb, {
      .id = "exportConfig", .tag = "Operations", .summary = "Download the configuration as a file",
      .description = "The running configuration as bourse.conf (an attachment); secrets are never written out.",
      .response = "string", .response_type = "text/plain" } },
  { "POST", "/api/v1/config/import", "config.write", import_cb, {
      .id = "importConfig", .tag = "Operations", .summary = "Apply a configuration file",
      .description = "The body is the file itself. A bad file is a 422 naming each line (\"line N\") or "
                     "section.key, and changes nothing.",
      .params = import_params, .request = "string", .request_type = "text/plain",
      .response = "ConfigImportResult", .errors = "422" } },
};

void
_bourse_server_add_config_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, config_routes, G_N_ELEMENTS (config_routes), self);
}
