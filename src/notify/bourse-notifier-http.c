/* bourse-notifier-http.c — one HTTP send of a notifier, and what its answer means
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-notifier.h"
#include "bourse-notifier-http.h"

/* Of the provider's body, the history keeps this much. */
#define ANSWER_MAX_CHARS 200
#define TIMEOUT_S        30

typedef struct
{
  SoupMessage *message;
  guint        invalid_recipient[4];
} Send;

static void
send_free (gpointer data)
{
  Send *send = data;

  g_clear_object (&send->message);
  g_free (send);
}

/* "HTTP 503 Service Unavailable: <the body's first line>", on one line. */
static char *
describe_answer (SoupMessage *message,
                 GBytes      *body)
{
  GString *answer = g_string_new (NULL);
  const char *reason = soup_message_get_reason_phrase (message);

  g_string_append_printf (answer, "HTTP %u", soup_message_get_status (message));
  if (reason != NULL && *reason != '\0')
    g_string_append_printf (answer, " %s", reason);
  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      g_autofree char *text = g_utf8_make_valid (g_bytes_get_data (body, NULL),
                                                 MIN (g_bytes_get_size (body), ANSWER_MAX_CHARS * 4));
      g_autofree char *stripped = NULL;

      g_strdelimit (text, "\r\n\t", ' ');
      stripped = g_utf8_substring (g_strstrip (text), 0, MIN (g_utf8_strlen (text, -1), ANSWER_MAX_CHARS));
      if (*stripped != '\0')
        g_string_append_printf (answer, ": %s", stripped);
    }
  return g_string_free (answer, FALSE);
}

static gboolean
is_invalid_recipient (const Send *send,
                      guint       status)
{
  for (guint i = 0; i < G_N_ELEMENTS (send->invalid_recipient) && send->invalid_recipient[i] != 0; i++)
    if (send->invalid_recipient[i] == status)
      return TRUE;
  return FALSE;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_autofree char *answer = NULL;
  guint status;
  int code;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_TEMPORARY,
                                 "%s", error->message);
      return;
    }

  status = soup_message_get_status (send->message);
  answer = describe_answer (send->message, body);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_pointer (task, g_steal_pointer (&answer), g_free);
      return;
    }
  if (is_invalid_recipient (send, status))
    code = BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT;
  else if (status == 429 || status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT)
    code = BOURSE_NOTIFIER_ERROR_TEMPORARY;
  else
    code = BOURSE_NOTIFIER_ERROR_PERMANENT;
  g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, code, "%s", answer);
}

void
bourse_notifier_http_send_async (SoupSession         *session,
                                 SoupMessage         *message,
                                 const guint         *invalid_recipient,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Send *send;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_notifier_http_send_async);
  send = g_new0 (Send, 1);
  send->message = g_object_ref (message);
  for (guint i = 0; invalid_recipient != NULL && invalid_recipient[i] != 0
                    && i < G_N_ELEMENTS (send->invalid_recipient) - 1; i++)
    send->invalid_recipient[i] = invalid_recipient[i];
  g_task_set_task_data (task, send, send_free);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable, sent_cb,
                                    g_steal_pointer (&task));
}

char *
bourse_notifier_http_send_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

SoupSession *
bourse_notifier_http_session_new (void)
{
  return soup_session_new_with_options ("timeout", TIMEOUT_S, "idle-timeout", 60,
                                        "user-agent", "Bourse/" PACKAGE_VERSION " notifications", NULL);
}
