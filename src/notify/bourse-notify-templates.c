/* bourse-notify-templates.c — the words of each notification
 *
 * One function per event fills translatable sentences from the event's
 * data; the HTML body is the same text, escaped, with links made links.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bourse-notify-templates.h"

/* A member as text: strings as they are, numbers formatted, "—" when absent. */
static char *
field (JsonObject *data,
       const char *name)
{
  JsonNode *node = data != NULL ? json_object_get_member (data, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return g_strdup (json_node_get_string (node));
        case G_TYPE_INT64:
          return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        case G_TYPE_BOOLEAN:
          return g_strdup (json_node_get_boolean (node) ? "true" : "false");
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
        default:
          break;
        }
    }
  return json_to_string (node, FALSE);
}

#define F(name) g_autofree char *name = field (data, #name)

static void
render_signup (BourseNotifyMessage *message,
               JsonObject          *data)
{
  F (username);
  F (email);

  message->subject = g_strdup_printf (_("New sign-up waiting for approval: %s"), username);
  message->text = g_strdup_printf (_("%s (%s) signed up and waits for an administrator to approve the "
                                     "account (Users in Bourse)."), username, email);
}

static void
render_signup_declined (BourseNotifyMessage *message,
                        JsonObject          *data)
{
  F (username);
  F (reason);

  message->subject = g_strdup (_("Your Bourse sign-up was declined"));
  message->text = g_strdup_printf (_("The sign-up of the account %s was declined by an administrator, who "
                                     "gave this reason:\n\n%s"), username, reason);
}

static void
render_password_reset (BourseNotifyMessage *message,
                       JsonObject          *data)
{
  const char *url = data != NULL && json_object_has_member (data, "url")
                    ? json_object_get_string_member_with_default (data, "url", NULL) : NULL;
  F (username);
  F (token);
  F (expires_at);

  message->subject = g_strdup (_("Choose a new Bourse password"));
  if (url != NULL && *url != '\0')
    message->text = g_strdup_printf (_("Someone asked for a new password for your Bourse account %s.\n\n"
                                       "Open this link to choose one (it works until %s):\n%s\n\n"
                                       "If that was not you, ignore this message: your password stays as "
                                       "it is."), username, expires_at, url);
  else
    message->text = g_strdup_printf (_("Someone asked for a new password for your Bourse account %s.\n\n"
                                       "Enter this reset token on the sign-in page (it works until %s):\n"
                                       "%s\n\nIf that was not you, ignore this message: your password stays "
                                       "as it is."), username, expires_at, token);
}

static void
render_approval (BourseNotifyMessage *message,
                 JsonObject          *data)
{
  F (approval_id);
  F (symbol);
  F (decision);
  F (entry);
  F (stop_loss);
  F (take_profit);
  F (strategy);
  F (expires_at);

  message->subject = g_strdup_printf (_("Approval waiting: %s %s"), decision, symbol);
  message->text = g_strdup_printf (_("%s recommends %s %s at %s (stop-loss %s, take-profit %s). "
                                     "Approve or reject request %s before %s."),
                                   strategy, decision, symbol, entry, stop_loss, take_profit, approval_id,
                                   expires_at);
}

static void
render_order_filled (BourseNotifyMessage *message,
                     JsonObject          *data)
{
  F (order_id);
  F (symbol);
  F (side);
  F (price);
  F (quantity);
  F (fee);
  F (mode);

  message->subject = g_strdup_printf (_("Order filled: %s %s %s"), side, quantity, symbol);
  message->text = g_strdup_printf (_("Order %s (%s): %s %s %s at %s, fee %s."),
                                   order_id, mode, side, quantity, symbol, price, fee);
}

static void
render_protection (BourseNotifyMessage *message,
                   JsonObject          *data)
{
  F (protection);
  F (symbol);
  F (until);
  F (reason);

  message->subject = g_strdup_printf (_("Protection triggered: %s"), protection);
  message->text = g_strdup_printf (_("The %s protection holds (symbol %s) until %s: %s"),
                                   protection, symbol, until, reason);
}

static void
render_halted (BourseNotifyMessage *message,
               JsonObject          *data)
{
  F (state);
  F (actor);
  F (reason);

  message->subject = g_strdup_printf (_("Trading is %s"), state);
  message->text = g_strdup_printf (_("Trading is now %s, set by %s: %s"), state, actor, reason);
}

static void
render_component (BourseNotifyMessage *message,
                  JsonObject          *data)
{
  F (component);
  F (status);
  F (previous);
  F (reason);
  F (since);

  message->subject = g_strdup_printf (_("%s is %s"), component, status);
  message->text = g_strdup_printf (_("The component %s went from %s to %s at %s: %s"),
                                   component, previous, status, since, reason);
}

static void
render_job (BourseNotifyMessage *message,
            JsonObject          *data)
{
  F (job_id);
  F (kind);
  F (status);
  F (summary);

  message->subject = g_strdup_printf (_("Job %s (%s): %s"), job_id, kind, status);
  message->text = g_strdup_printf (_("Job %s (%s) ended: %s. %s"), job_id, kind, status, summary);
}

static void
render_heartbeat (BourseNotifyMessage *message,
                  JsonObject          *data)
{
  F (mode);
  F (engine);
  F (trading);
  F (equity);
  F (pnl_today);
  F (open_positions);
  F (pending_approvals);
  F (feeds);
  F (uptime_s);

  message->subject = g_strdup_printf (_("Bourse heartbeat: %s, trading %s"), mode, trading);
  message->text = g_strdup_printf (_("Mode: %s\nEngine: %s\nTrading: %s\nEquity: %s\nPnL today: %s\n"
                                     "Open positions: %s\nPending approvals: %s\nFeeds: %s\nUp for %s s"),
                                   mode, engine, trading, equity, pnl_today, open_positions,
                                   pending_approvals, feeds, uptime_s);
}

static void
render_test (BourseNotifyMessage *message,
             JsonObject          *data)
{
  F (channel);

  message->subject = g_strdup (_("Bourse test notification"));
  message->text = g_strdup_printf (_("This is a test of the %s channel: it works."), channel);
}

static const struct {
  const char *event;
  void      (*render) (BourseNotifyMessage *message, JsonObject *data);
} templates[] = {
  { "signup.pending",   render_signup },
  { "password.reset",   render_password_reset },
  { "signup.declined",  render_signup_declined },
  { "approval.pending", render_approval },
  { "order.filled",     render_order_filled },
  { "risk.protection",  render_protection },
  { "risk.halted",      render_halted },
  { "component.status", render_component },
  { "job.finished",     render_job },
  { "heartbeat",        render_heartbeat },
  { "test",             render_test },
};

/* Escaped paragraphs, lines broken, and an address on a line of its own a link. */
static char *
to_html (const char *subject,
         const char *text)
{
  g_auto(GStrv) paragraphs = g_strsplit (text, "\n\n", -1);
  g_autofree char *title = g_markup_escape_text (subject, -1);
  GString *html = g_string_new (NULL);

  g_string_append_printf (html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>"
                          "<body>\n", title);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_auto(GStrv) lines = g_strsplit (paragraphs[i], "\n", -1);

      g_string_append (html, "<p>");
      for (guint j = 0; lines[j] != NULL; j++)
        {
          g_autofree char *escaped = g_markup_escape_text (lines[j], -1);

          if (j > 0)
            g_string_append (html, "<br>\n");
          if ((g_str_has_prefix (lines[j], "https://") || g_str_has_prefix (lines[j], "http://"))
              && strpbrk (lines[j], " \t\"<>") == NULL)
            g_string_append_printf (html, "<a href=\"%s\">%s</a>", escaped, escaped);
          else
            g_string_append (html, escaped);
        }
      g_string_append (html, "</p>\n");
    }
  g_string_append (html, "</body></html>\n");
  return g_string_free (html, FALSE);
}

BourseNotifyMessage *
bourse_notify_render (const char *event,
                      JsonObject *data)
{
  g_autoptr(BourseNotifyMessage) message = g_new0 (BourseNotifyMessage, 1);

  g_return_val_if_fail (event != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    if (g_str_equal (templates[i].event, event))
      {
        templates[i].render (message, data);
        break;
      }
  if (message->subject == NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, data != NULL ? data : json_object_new ());
      message->subject = g_strdup_printf (_("Bourse: %s"), event);
      message->text = json_to_string (node, TRUE);
    }
  message->html = to_html (message->subject, message->text);
  return g_steal_pointer (&message);
}

void
bourse_notify_message_free (BourseNotifyMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->subject);
  g_free (message->text);
  g_free (message->html);
  g_free (message);
}

char *
bourse_notify_mask (const char *event,
                    JsonObject *data,
                    const char *text)
{
  const char *token;

  g_return_val_if_fail (text != NULL, NULL);

  token = data != NULL ? json_object_get_string_member_with_default (data, "token", NULL) : NULL;
  if (!g_str_equal (event, "password.reset") || token == NULL || *token == '\0')
    return g_strdup (text);
  {
    g_auto(GStrv) parts = g_strsplit (text, token, -1);

    return g_strjoinv (BOURSE_NOTIFY_MASK, parts);
  }
}
