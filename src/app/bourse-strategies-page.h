/* bourse-strategies-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"
#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_STRATEGIES_PAGE (bourse_strategies_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseStrategiesPage, bourse_strategies_page, BOURSE, STRATEGIES_PAGE, AdwBin)

GtkWidget    *bourse_strategies_page_new             (void);
BourseClient *bourse_strategies_page_get_client      (BourseStrategiesPage *self);
void          bourse_strategies_page_set_client      (BourseStrategiesPage *self,
                                                      BourseClient         *client);
/* Whether the signed-in role may configure strategies and run analyses
 * (strategies.write, recommendations.write): without it, only the lists. */
gboolean      bourse_strategies_page_get_can_write   (BourseStrategiesPage *self);
void          bourse_strategies_page_set_can_write   (BourseStrategiesPage *self,
                                                      gboolean              can_write);
void          bourse_strategies_page_reload          (BourseStrategiesPage *self);
/* Types and live strategies listed, once loaded (-1 before). */
int           bourse_strategies_page_get_n_types     (BourseStrategiesPage *self);
int           bourse_strategies_page_get_n_strategies (BourseStrategiesPage *self);
/* The parameters as the form would send them now. */
JsonNode     *bourse_strategies_page_dup_params      (BourseStrategiesPage *self);
/* Opens the editor on @strategy (what activating its row does, with
 * strategies.write); Save sends PUT /api/v1/strategies/{id}. */
void          bourse_strategies_page_edit            (BourseStrategiesPage *self,
                                                      BourseClientStrategy *strategy);

G_END_DECLS
