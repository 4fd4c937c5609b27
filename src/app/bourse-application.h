/* bourse-application.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_APPLICATION (bourse_application_get_type ())

G_DECLARE_FINAL_TYPE (BourseApplication, bourse_application, BOURSE, APPLICATION, AdwApplication)

BourseApplication *bourse_application_new (void);

G_END_DECLS
