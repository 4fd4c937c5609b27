/* bourse-optimisation-view.h — an optimisation's result: its candidates,
 * a heatmap of two parameters, the walk-forward folds, and applying the
 * winner to a live strategy
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_OPTIMISATION_VIEW (bourse_optimisation_view_get_type ())

G_DECLARE_FINAL_TYPE (BourseOptimisationView, bourse_optimisation_view, BOURSE, OPTIMISATION_VIEW, GtkBox)

GtkWidget  *bourse_optimisation_view_new              (void);
void        bourse_optimisation_view_set_client       (BourseOptimisationView *self,
                                                       BourseClient           *client);
/* Whether the signed-in role may apply the winner (strategies.write). */
void        bourse_optimisation_view_set_can_apply    (BourseOptimisationView *self,
                                                       gboolean                can_apply);
/* GET /api/v1/optimisations/{id}'s answer, with its result; NULL
 * empties the view. */
void        bourse_optimisation_view_set_optimisation (BourseOptimisationView *self,
                                                       JsonObject             *optimisation);
/* The candidates' table: rows, and row @position's candidate as sorted now. */
guint       bourse_optimisation_view_get_n_rows       (BourseOptimisationView *self);
JsonObject *bourse_optimisation_view_get_row          (BourseOptimisationView *self,
                                                       guint                   position);

G_END_DECLS
