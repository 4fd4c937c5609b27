/* bourse-trading-util.c — what the trading pages, the order dialog and the
 * window all show of orders, money and the trading state
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "client/bourse-client.h"
#include "core/bourse-json.h"

#include "bourse-trading-util.h"

#define CENT ((BourseDecimal) { BOURSE_DECIMAL_UNIT / 100 })

char *
bourse_format_money (const char *decimal,
                     gboolean    sign)
{
  BourseDecimal value, rounded;
  g_autofree char *text = NULL;
  const char *digits;
  const char *point;
  GString *out;

  if (decimal == NULL ||
      !bourse_decimal_parse (decimal, &value, NULL) ||
      !bourse_decimal_round_to_step (value, CENT, BOURSE_ROUND_HALF_EVEN, &rounded, NULL))
    return g_strdup ("—");

  /* Exact all the way: the ledger's value, rounded to the cent it shows. */
  text = bourse_decimal_to_string (rounded);
  digits = text[0] == '-' ? text + 1 : text;
  point = strchr (digits, '.');

  out = g_string_new (NULL);
  if (rounded.units < 0)
    g_string_append (out, "−");
  else if (sign && rounded.units > 0)
    g_string_append_c (out, '+');
  if (point != NULL)
    g_string_append_len (out, digits, MIN ((gsize) (point - digits) + 3, strlen (digits)));
  else
    g_string_append_printf (out, "%s.00", digits);

  return g_string_free (out, FALSE);
}

char *
bourse_format_money_in (const char *decimal,
                        const char *currency,
                        gboolean    sign)
{
  g_autofree char *amount = bourse_format_money (decimal, sign);

  if (currency == NULL || decimal == NULL)
    return g_steal_pointer (&amount);

  /* Translators: an amount and its currency, e.g. “12.50 USDT” */
  return g_strdup_printf (_("%s %s"), amount, currency);
}

const char *
bourse_decimal_css_class (const char *decimal)
{
  BourseDecimal value;

  if (decimal == NULL || !bourse_decimal_parse (decimal, &value, NULL) || value.units == 0)
    return NULL;

  return value.units > 0 ? "success" : "error";
}

void
bourse_label_set_pnl (GtkLabel   *label,
                      const char *decimal,
                      const char *currency)
{
  g_autofree char *text = bourse_format_money_in (decimal, currency, TRUE);
  const char *css_class = bourse_decimal_css_class (decimal);

  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
}

char *
bourse_format_ratio (JsonObject *object,
                     const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("—");

  /* A ratio meant for people is a JSON number (docs/TRADING.md). */
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    value = g_ascii_strtod (json_node_get_string (node), NULL);
  else
    value = json_node_get_double (node);

  /* Same spacing as the confidence: a space that never breaks the line. */
  return g_strdup_printf ("%.2f\u00a0%%", value * 100);
}

typedef struct
{
  const char *value;
  const char *display;
} Display;

static const char *
lookup_display (const Display *table,
                gsize          n,
                const char    *value)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (table[i].value, value) == 0)
      return g_dgettext (GETTEXT_PACKAGE, table[i].display);

  return value != NULL ? value : "—";
}

const char *
bourse_order_side_to_display (const char *side)
{
  static const Display sides[] = {
    { "BUY", N_("Buy") },
    { "SELL", N_("Sell") },
    { "LONG", N_("Long") },
    { "SHORT", N_("Short") },
  };

  return lookup_display (sides, G_N_ELEMENTS (sides), side);
}

const char *
bourse_order_type_to_display (const char *type)
{
  static const Display types[] = {
    { "MARKET", N_("Market") },
    { "LIMIT", N_("Limit") },
    { "STOP_LOSS_LIMIT", N_("Stop-loss limit") },
    { "TAKE_PROFIT_LIMIT", N_("Take-profit limit") },
  };

  return lookup_display (types, G_N_ELEMENTS (types), type);
}

const char *
bourse_order_status_to_display (const char *status)
{
  static const Display statuses[] = {
    /* "Open" alone is a verb to translators (Öffnen): this one is a state. */
    { "NEW", NC_("order status", "Open") },
    { "PARTIALLY_FILLED", N_("Partially filled") },
    { "FILLED", N_("Filled") },
    { "CANCELED", N_("Canceled") },
    { "REJECTED", N_("Rejected") },
    { "EXPIRED", N_("Expired") },
  };

  if (g_strcmp0 (status, "NEW") == 0)
    return g_dpgettext2 (GETTEXT_PACKAGE, "order status", statuses[0].display);
  return lookup_display (statuses, G_N_ELEMENTS (statuses), status);
}

gboolean
bourse_order_status_is_open (const char *status)
{
  return g_strcmp0 (status, "NEW") == 0 || g_strcmp0 (status, "PARTIALLY_FILLED") == 0;
}

const char *
bourse_trading_state_to_display (const char *state)
{
  static const Display states[] = {
    { "ACTIVE", N_("Active") },
    { "REDUCING", N_("Reducing only") },
    { "HALTED", N_("Halted") },
  };

  return lookup_display (states, G_N_ELEMENTS (states), state);
}

const char *
bourse_account_mode_to_display (const char *mode)
{
  static const Display modes[] = {
    { "paper", N_("Paper") },
    { "live", N_("Live") },
  };

  return lookup_display (modes, G_N_ELEMENTS (modes), mode);
}

const char *
bourse_exit_reason_to_display (const char *reason)
{
  static const Display reasons[] = {
    { "stop_loss", N_("Stop-loss") },
    { "take_profit", N_("Take-profit") },
    { "manual", N_("Closed by hand") },
    { "signal", N_("Signal") },
    { "halt", N_("Kill switch") },
    { "order", N_("Order") },
  };

  return lookup_display (reasons, G_N_ELEMENTS (reasons), reason);
}

gboolean
bourse_json_get_decimal (JsonObject    *object,
                         const char    *member,
                         BourseDecimal *value)
{
  const char *text = bourse_json_get_string (object, member);

  return text != NULL && bourse_decimal_parse (text, value, NULL);
}

const char *
bourse_problem_get_field (JsonNode *problem)
{
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
                     ? json_node_get_object (problem) : NULL;
  JsonArray *errors = bourse_json_get_array (object, "errors");
  JsonNode *first;

  if (errors == NULL || json_array_get_length (errors) == 0)
    return NULL;

  first = json_array_get_element (errors, 0);
  return JSON_NODE_HOLDS_OBJECT (first)
       ? bourse_json_get_string (json_node_get_object (first), "field") : NULL;
}

void
bourse_mode_tag_update (GtkWidget  *tag,
                        const char *mode)
{
  g_return_if_fail (GTK_IS_LABEL (tag));

  gtk_label_set_label (GTK_LABEL (tag), bourse_account_mode_to_display (mode));
  gtk_widget_set_visible (tag, g_strcmp0 (mode, "paper") == 0);
}

JsonNode *
bourse_client_finish_logged (GObject       *client,
                             GAsyncResult  *result,
                             const char    *what,
                             const char    *member,
                             JsonArray    **items)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (member == NULL || items != NULL, NULL);

  if (items != NULL)
    *items = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (client), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not load %s: %s", what, error->message);
      return NULL;
    }

  if (member != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    *items = bourse_json_get_array (json_node_get_object (answer), member);

  return g_steal_pointer (&answer);
}
