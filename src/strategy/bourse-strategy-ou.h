/* bourse-strategy-ou.h — the built-in strategy "ou": model C, Ornstein–Uhlenbeck mean reversion
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-strategy.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGY_OU (bourse_strategy_ou_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategyOu, bourse_strategy_ou, BOURSE, STRATEGY_OU, GObject)

G_END_DECLS
