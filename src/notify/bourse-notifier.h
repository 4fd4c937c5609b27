/* bourse-notifier.h — the notifier plugin type (docs/OPERATIONS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "auth/bourse-secrets.h"
#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-plugins.h"

G_BEGIN_DECLS

#define BOURSE_NOTIFIER_EXTENSION_POINT_NAME BOURSE_PLUGIN_NOTIFIER

#define BOURSE_NOTIFIER_ERROR (bourse_notifier_error_quark ())

/* How a send failed, which decides what the worker does next. */
typedef enum
{
  BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED = 1,  /* the channel's settings are missing: failed */
  BOURSE_NOTIFIER_ERROR_TEMPORARY,           /* refused connection, SMTP 4xx, HTTP 429/5xx: retried */
  BOURSE_NOTIFIER_ERROR_PERMANENT,           /* SMTP 5xx, HTTP 400/401/403: failed at once */
  BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT,   /* a device token the provider calls invalid: dropped */
} BourseNotifierError;

/* One message to one recipient, rendered already. */
typedef struct
{
  gint64      id;          /* the delivery's id, sent along for idempotence; 0 for a test */
  const char *event;       /* "approval.pending", … */
  const char *recipient;   /* an address, a device token, an ntfy topic, a user id: the channel's */
  const char *subject;
  const char *text;        /* plain text */
  const char *html;        /* the HTML alternative, or NULL */
  JsonNode   *data;        /* the event's data, an object */
} BourseNotification;

#define BOURSE_TYPE_NOTIFIER (bourse_notifier_get_type ())

G_DECLARE_INTERFACE (BourseNotifier, bourse_notifier, BOURSE, NOTIFIER, GObject)

/* Every notifier has the construct-only properties "config" (BourseConfig:
 * its settings, read at each send, so a reload applies at once), "secrets"
 * (BourseSecrets: its credentials, under the names of its secret config
 * keys, "notify.smtp_password"…) and "bus" (BourseEventBus: the desktop
 * channel publishes there). Implementations override them. */
struct _BourseNotifierInterface
{
  GTypeInterface parent_iface;

  /* "email", "push", "ntfy", "webhook", "desktop" */
  const char *(*get_id)        (BourseNotifier *self);
  /* For people, translated. */
  const char *(*get_name)      (BourseNotifier *self);
  /* Whether its settings let it send at all. */
  gboolean    (*is_configured) (BourseNotifier *self);
  void        (*send_async)    (BourseNotifier           *self,
                                const BourseNotification *notification,
                                GCancellable             *cancellable,
                                GAsyncReadyCallback       callback,
                                gpointer                  user_data);
  /* The provider's answer for the history ("250 2.0.0 Ok: queued as …",
   * FCM's message name, "HTTP 200"), or NULL with a BOURSE_NOTIFIER_ERROR. */
  char       *(*send_finish)   (BourseNotifier  *self,
                                GAsyncResult    *result,
                                GError         **error);
};

GQuark      bourse_notifier_error_quark   (void);
/* Registers the extension point and the built-in notifiers (each under its
 * id, through the same door as modules), then loads the plugins; idempotent. */
void        bourse_notifiers_ensure       (void);
/* Every registered notifier, constructed with these (a GPtrArray of
 * BourseNotifier, in the extension point's order). */
GPtrArray  *bourse_notifiers_create_all   (BourseConfig             *config,
                                           BourseSecrets            *secrets,
                                           BourseEventBus           *bus);
/* The same, and @session (the service's one SoupSession, on the engine's
 * context) given to every notifier that derives from BourseNotifierBase as
 * its "session": the channels send through it, or, without one, through a
 * session of their own. */
GPtrArray  *bourse_notifiers_create_all_full (BourseConfig          *config,
                                           BourseSecrets            *secrets,
                                           BourseEventBus           *bus,
                                           SoupSession              *session);

const char *bourse_notifier_get_id        (BourseNotifier           *self);
const char *bourse_notifier_get_name      (BourseNotifier           *self);
gboolean    bourse_notifier_is_configured (BourseNotifier           *self);
void        bourse_notifier_send_async    (BourseNotifier           *self,
                                           const BourseNotification *notification,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
char       *bourse_notifier_send_finish   (BourseNotifier           *self,
                                           GAsyncResult             *result,
                                           GError                  **error);

/* Helpers for implementations. */
/* A secret setting (name "notify.smtp_password"): the keyring's (or the
 * 0600 file's) value, else the configuration's; NULL when neither is set.
 * The caller wipes and frees it; it is never logged. */
char       *bourse_notifier_dup_secret    (BourseConfig             *config,
                                           BourseSecrets            *secrets,
                                           const char               *name);
/* A secret's copy, wiped when freed: g_auto(BourseNotifierSecret). */
typedef char *BourseNotifierSecret;
void        bourse_notifier_secret_free   (char                     *secret);
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (BourseNotifierSecret, bourse_notifier_secret_free, NULL)
/* Sorts an HTTP provider's answer, for every channel (docs/OPERATIONS.md,
 * "Channels"): NULL for a 2xx, delivered; else the error: INVALID_RECIPIENT
 * when @recipient_invalid (the channel's reading of the answer: ntfy's 404
 * and 410, FCM's UNREGISTERED), TEMPORARY for 408, 429 and 5xx, PERMANENT for
 * any other status; status 0 (@provider was not reached, @detail says why)
 * TEMPORARY. @detail is the answer's text (bourse_notifier_answer_text()). */
GError     *bourse_notifier_http_error    (guint                     status,
                                           gboolean                  recipient_invalid,
                                           const char               *provider,
                                           const char               *detail);

G_END_DECLS
