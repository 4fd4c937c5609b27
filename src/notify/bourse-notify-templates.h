/* bourse-notify-templates.h — the words of each notification
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What replaces a secret (a reset's token) in everything kept. */
#define BOURSE_NOTIFY_MASK "••••"

typedef struct
{
  char *subject;
  char *text;    /* plain text */
  char *html;    /* the same as HTML, the event's data escaped */
} BourseNotifyMessage;

/* The event's subject and bodies from its data (docs/OPERATIONS.md's
 * table), translated in the process's language; an event without a
 * template of its own gets a generic one. */
BourseNotifyMessage *bourse_notify_render        (const char           *event,
                                                  JsonObject           *data);
void                 bourse_notify_message_free  (BourseNotifyMessage  *message);
/* @text with the event's secrets (a password.reset's token) replaced by
 * BOURSE_NOTIFY_MASK: what the history keeps. */
char                *bourse_notify_mask          (const char           *event,
                                                  JsonObject           *data,
                                                  const char           *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseNotifyMessage, bourse_notify_message_free)

G_END_DECLS
