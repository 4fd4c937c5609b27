/* bourse-authenticator-local.h — the built-in "local" authenticator: argon2id hashes in the database
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-authenticator.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_AUTHENTICATOR_LOCAL (bourse_authenticator_local_get_type ())

G_DECLARE_FINAL_TYPE (BourseAuthenticatorLocal, bourse_authenticator_local, BOURSE, AUTHENTICATOR_LOCAL, GObject)

G_END_DECLS
