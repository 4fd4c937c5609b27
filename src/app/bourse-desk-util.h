/* bourse-desk-util.h — what the Approvals and Strategies pages both show
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

/* A number member, integer or not: JSON does not tell 1 from 1.0. */
gboolean    bourse_json_get_double              (JsonObject   *object,
                                                 const char   *member,
                                                 double       *value);
/* A decimal string member as a double for drawing, or NAN. */
double      bourse_json_get_price               (JsonObject   *object,
                                                 const char   *member);
/* A decimal string as a double for drawing (never for sums), or NAN. */
double      bourse_price_to_double              (const char   *decimal);

/* "101.50000000" → "101.50": at least two decimals, no trailing zeros
 * beyond; "—" for NULL. */
char       *bourse_format_price                 (const char   *decimal);
/* A recommendation's confidence in [0, 1] as "72 %", or "—" for none. */
char       *bourse_format_confidence            (BourseClientRecommendation *recommendation);
/* "Entry 101.50 · Stop 99.00 · Target 105.00", or the reason for a NO_TRADE. */
char       *bourse_format_levels                (BourseClientRecommendation *recommendation);
/* Its risk/reward as "2.50", or "—" where there is none (a NO_TRADE). */
char       *bourse_format_risk_reward           (BourseClientRecommendation *recommendation);

const char *bourse_decision_to_display          (const char   *decision);
/* The style class that colours a decision: success (BUY), error (SELL). */
const char *bourse_decision_to_css_class        (const char   *decision);
const char *bourse_approval_status_to_display   (const char   *status);
const char *bourse_policy_to_display            (const char   *policy);

/* What went wrong, in the server's words: a problem's detail, then each
 * field it names ("reason: must not be empty"). */
char       *bourse_problem_to_text              (JsonNode     *problem,
                                                 const GError *error);

/* Scrolls the page around @widget so that it starts at the top, once what
 * was just added around it is laid out. */
void        bourse_widget_scroll_into_view      (GtkWidget    *widget);

G_END_DECLS
