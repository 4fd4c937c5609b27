/* bourse-strategy-row.h — a live strategy in the Strategies page's list
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGY_ROW (bourse_strategy_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategyRow, bourse_strategy_row, BOURSE, STRATEGY_ROW, AdwActionRow)

/* @types (BourseClientStrategyType) names the strategy's type. */
GtkWidget            *bourse_strategy_row_new          (BourseClientStrategy *strategy,
                                                        BourseClientStore    *types,
                                                        gboolean              can_write);
BourseClientStrategy *bourse_strategy_row_get_strategy (BourseStrategyRow    *self);
GtkSwitch            *bourse_strategy_row_get_switch   (BourseStrategyRow    *self);
/* Shows what the strategy says now (after a refused change). */
void                  bourse_strategy_row_sync         (BourseStrategyRow    *self);
/* While a change of the switch is in flight: the switch is left alone. */
void                  bourse_strategy_row_set_busy     (BourseStrategyRow    *self,
                                                        gboolean              busy);

G_END_DECLS
