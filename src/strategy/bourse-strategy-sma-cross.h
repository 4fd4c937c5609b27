/* bourse-strategy-sma-cross.h — the built-in strategy "sma-cross": a crossover baseline
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-strategy.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGY_SMA_CROSS (bourse_strategy_sma_cross_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategySmaCross, bourse_strategy_sma_cross,
                      BOURSE, STRATEGY_SMA_CROSS, GObject)

G_END_DECLS
