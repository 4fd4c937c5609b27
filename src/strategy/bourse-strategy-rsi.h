/* bourse-strategy-rsi.h — the built-in strategy "rsi": the RSI overbought/oversold baseline
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-strategy.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGY_RSI (bourse_strategy_rsi_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategyRsi, bourse_strategy_rsi, BOURSE, STRATEGY_RSI, GObject)

G_END_DECLS
