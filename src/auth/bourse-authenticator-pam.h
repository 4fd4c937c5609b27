/* bourse-authenticator-pam.h — the built-in "pam" authenticator: the system's own accounts
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-authenticator.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_AUTHENTICATOR_PAM (bourse_authenticator_pam_get_type ())

G_DECLARE_FINAL_TYPE (BourseAuthenticatorPam, bourse_authenticator_pam, BOURSE, AUTHENTICATOR_PAM, GObject)

G_END_DECLS
