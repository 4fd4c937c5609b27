/* bourse-strategy-kalman.h — the built-in strategy "kalman": model B, a Kalman-filtered trend
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-strategy.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGY_KALMAN (bourse_strategy_kalman_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategyKalman, bourse_strategy_kalman, BOURSE, STRATEGY_KALMAN, GObject)

G_END_DECLS
