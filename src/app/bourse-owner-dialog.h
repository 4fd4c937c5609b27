/* bourse-owner-dialog.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_OWNER_DIALOG (bourse_owner_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BourseOwnerDialog, bourse_owner_dialog, BOURSE, OWNER_DIALOG, AdwWindow)

/* Offers the local owner an account of their own on a new installation
 * (POST /api/v1/users, role admin), for the web UI and remote consoles.
 * Emits "created" with the username, then closes. */
GtkWidget    *bourse_owner_dialog_new        (GtkWindow         *parent,
                                              BourseClient      *client);
BourseClient *bourse_owner_dialog_get_client (BourseOwnerDialog *self);

G_END_DECLS
