/* bourse-strategy-ar.h — the built-in strategy "ar": model A, an AR(p) forecast of the price changes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-strategy.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGY_AR (bourse_strategy_ar_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategyAr, bourse_strategy_ar, BOURSE, STRATEGY_AR, GObject)

G_END_DECLS
