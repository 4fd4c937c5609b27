/* bourse-desk-util.c — what the Approvals and Strategies pages both show
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"

gboolean
bourse_json_get_double (JsonObject *object,
                        const char *member,
                        double     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;

  *value = json_node_get_double (node);
  return isfinite (*value);
}

double
bourse_json_get_price (JsonObject *object,
                       const char *member)
{
  return bourse_price_to_double (bourse_json_get_string (object, member));
}

double
bourse_price_to_double (const char *text)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return NAN;

  value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (value) ? value : NAN;
}

char *
bourse_format_price (const char *decimal)
{
  const char *point;
  gsize len;

  if (decimal == NULL || decimal[0] == '\0')
    return g_strdup ("—");

  /* The API writes eight decimals; people read the ones that carry. */
  len = strlen (decimal);
  if ((point = strchr (decimal, '.')) != NULL)
    {
      gsize keep = point - decimal + 3;

      while (len > keep && decimal[len - 1] == '0')
        len--;
    }

  return g_strndup (decimal, len);
}

char *
bourse_format_confidence (BourseClientRecommendation *recommendation)
{
  double confidence;

  if (recommendation == NULL)
    return g_strdup ("—");

  confidence = bourse_client_recommendation_get_confidence (recommendation);

  /* SI style, a space before the sign (right in English and German alike),
   * one that never breaks the line. */
  return g_strdup_printf ("%.0f\u00a0%%", CLAMP (confidence, 0, 1) * 100);
}

char *
bourse_format_levels (BourseClientRecommendation *recommendation)
{
  g_autofree char *entry = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *target = NULL;

  if (recommendation == NULL || !bourse_client_recommendation_has_levels (recommendation))
    return g_strdup (_("No levels: no trade"));

  entry = bourse_format_price (bourse_client_recommendation_get_entry (recommendation));
  stop = bourse_format_price (bourse_client_recommendation_get_stop_loss (recommendation));
  target = bourse_format_price (bourse_client_recommendation_get_take_profit (recommendation));

  /* Translators: a recommendation's entry, stop-loss and take-profit prices */
  return g_strdup_printf (_("Entry %s · Stop %s · Target %s"), entry, stop, target);
}

char *
bourse_format_risk_reward (BourseClientRecommendation *recommendation)
{
  double value;

  if (recommendation == NULL || !bourse_client_recommendation_get_risk_reward (recommendation, &value))
    return g_strdup ("—");
  return g_strdup_printf ("%.2f", value);
}

const char *
bourse_decision_to_display (const char *decision)
{
  if (g_strcmp0 (decision, "BUY") == 0)
    return _("BUY");
  if (g_strcmp0 (decision, "SELL") == 0)
    return _("SELL");
  if (g_strcmp0 (decision, "NO_TRADE") == 0)
    return _("NO TRADE");
  return decision != NULL ? decision : "—";
}

const char *
bourse_decision_to_css_class (const char *decision)
{
  if (g_strcmp0 (decision, "BUY") == 0)
    return "success";
  if (g_strcmp0 (decision, "SELL") == 0)
    return "error";
  return "dim-label";
}

const char *
bourse_approval_status_to_display (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return _("Pending");
  if (g_strcmp0 (status, "approved") == 0)
    return _("Approved");
  if (g_strcmp0 (status, "rejected") == 0)
    return _("Rejected");
  if (g_strcmp0 (status, "expired") == 0)
    return _("Expired");
  return status != NULL ? status : "—";
}

const char *
bourse_policy_to_display (const char *policy)
{
  if (g_strcmp0 (policy, "manual") == 0)
    return _("Manual approval");
  if (g_strcmp0 (policy, "auto-paper") == 0)
    return _("Paper trade automatically");
  if (g_strcmp0 (policy, "notify-only") == 0)
    return _("Notify only");
  return policy != NULL ? policy : "—";
}

char *
bourse_problem_to_text (JsonNode     *problem,
                        const GError *error)
{
  g_autoptr(GString) text = g_string_new (error != NULL ? error->message : NULL);
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
                     ? json_node_get_object (problem) : NULL;
  JsonArray *errors = bourse_json_get_array (object, "errors");
  guint n_added = 0;

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *field = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = bourse_json_get_string (field, "field");
      const char *message = bourse_json_get_string (field, "message");

      if (name == NULL || message == NULL)
        continue;

      /* The detail may already say it. */
      if (strstr (text->str, message) != NULL)
        continue;

      if (text->len > 0)
        g_string_append (text, n_added == 0 ? ": " : "; ");
      /* Translators: a field of a request and what is wrong with it */
      g_string_append_printf (text, _("%s %s"), name, message);
      n_added++;
    }

  if (text->len == 0)
    g_string_append (text, _("Unknown error"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* On the second frame: the first one laid out what was just added. */
static gboolean
scroll_into_view_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       data)
{
  guint *frames = data;
  GtkWidget *scrolled;
  GtkWidget *child;
  double x, y;

  if ((*frames)++ == 0)
    return G_SOURCE_CONTINUE;

  scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  child = scrolled != NULL ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)) : NULL;

  /* Relative to what is visible now, hence from the current value. */
  if (child != NULL && gtk_widget_translate_coordinates (widget, child, 0, 0, &x, &y))
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + y);
    }

  return G_SOURCE_REMOVE;
}

void
bourse_widget_scroll_into_view (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_add_tick_callback (widget, scroll_into_view_cb, g_new0 (guint, 1), g_free);
}
