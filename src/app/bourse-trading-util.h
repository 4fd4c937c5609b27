/* bourse-trading-util.h — what the trading pages, the order dialog and the
 * window all show of orders, money and the trading state
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"

G_BEGIN_DECLS

/* Money in the account's currency from the API's decimal string, rounded
 * half-even to cents without ever going through a double: "10000.00";
 * with @sign, "+12.50" or "−3.10". "—" for NULL or what is not a decimal. */
char       *bourse_format_money                 (const char   *decimal,
                                                 gboolean      sign);
/* "12.50 USDT", with the currency when there is one. */
char       *bourse_format_money_in              (const char   *decimal,
                                                 const char   *currency,
                                                 gboolean      sign);
/* The style class of a signed amount: success (above zero), error (below),
 * or NULL. */
const char *bourse_decimal_css_class            (const char   *decimal);
/* Sets @label's text and its success/error class from a signed amount. */
void        bourse_label_set_pnl                (GtkLabel     *label,
                                                 const char   *decimal,
                                                 const char   *currency);
/* A fraction (0.0523) as "5.23 %", or "—". */
char       *bourse_format_ratio                 (JsonObject   *object,
                                                 const char   *member);

const char *bourse_order_side_to_display        (const char   *side);
const char *bourse_order_type_to_display        (const char   *type);
const char *bourse_order_status_to_display      (const char   *status);
gboolean    bourse_order_status_is_open         (const char   *status);
const char *bourse_trading_state_to_display     (const char   *state);
const char *bourse_account_mode_to_display      (const char   *mode);
const char *bourse_exit_reason_to_display       (const char   *reason);

/* A decimal member, or FALSE when absent, null or not a decimal. */
gboolean    bourse_json_get_decimal             (JsonObject   *object,
                                                 const char   *member,
                                                 BourseDecimal *value);
/* The field a problem+json names first ("quantity"), or NULL. */
const char *bourse_problem_get_field            (JsonNode     *problem);

/* Finishes a GET of the client: the answer (owned), or NULL after
 * logging why, unless it was cancelled, with @what ("the calendar"). With
 * @member, *@items is the answer's array member of that name, or NULL. */
JsonNode   *bourse_client_finish_logged         (GObject       *client,
                                                 GAsyncResult  *result,
                                                 const char    *what,
                                                 const char    *member,
                                                 JsonArray    **items);

/* "Paper": the tag shown beside money of the paper account; hidden for
 * any other mode. */
void        bourse_mode_tag_update              (GtkWidget    *tag,
                                                 const char   *mode);

G_END_DECLS
