/* bourse-sign-in-dialog.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bourse-remote-session.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_SIGN_IN_DIALOG (bourse_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BourseSignInDialog, bourse_sign_in_dialog, BOURSE, SIGN_IN_DIALOG, AdwWindow)

/* Asks for a username (or e-mail address) and password for @session's
 * server, signs in through it, emits "signed-in" and closes. */
GtkWidget           *bourse_sign_in_dialog_new         (GtkWindow           *parent,
                                                        BourseRemoteSession *session);
BourseRemoteSession *bourse_sign_in_dialog_get_session (BourseSignInDialog  *self);

G_END_DECLS
