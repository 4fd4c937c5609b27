/* bourse-param-form.h — the rows of a form built from a strategy's
 * parameter description
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_PARAM_FORM (bourse_param_form_get_type ())

G_DECLARE_FINAL_TYPE (BourseParamForm, bourse_param_form, BOURSE, PARAM_FORM, GObject)

/* The rows go into @group, which must outlive the form (the page that
 * holds both disposes the form first). */
BourseParamForm *bourse_param_form_new          (AdwPreferencesGroup *group);
/* Makes the rows of @schema (a JSON Schema object: "properties" with
 * "type", "default", "minimum", "maximum", "multipleOf", "enum",
 * "title", "description"), in its order, replacing the group's. The same
 * @type_id again keeps what was typed: FALSE is returned then. Integers
 * and numbers become spin buttons held within their bounds, booleans
 * switches, an enum a combo row, strings entry rows. A row is named
 * "param-row-NAME", its spin button or switch "param-NAME". */
gboolean         bourse_param_form_set_schema   (BourseParamForm     *self,
                                                 const char          *type_id,
                                                 JsonObject          *schema);
guint            bourse_param_form_get_n_fields (BourseParamForm     *self);
/* The parameters as the form would send them now: a JSON object. */
JsonNode        *bourse_param_form_dup_params   (BourseParamForm     *self);
/* Fills the rows with @values (a strategy's "params"); members without
 * a row, and rows without a member, are left as they are. */
void             bourse_param_form_set_values   (BourseParamForm     *self,
                                                 JsonObject          *values);
/* The row that edits @name ("params.NAME" is taken too), or NULL. */
GtkWidget       *bourse_param_form_get_row      (BourseParamForm     *self,
                                                 const char          *name);

/* A JSON value for people: "yes", "12", "0.5", a short list. */
char            *bourse_format_json_value       (JsonNode            *node);
/* "fast = 10, slow = 30": parameters in the order given. */
char            *bourse_format_params           (JsonObject          *params);

G_END_DECLS
