/* bourse-request.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "core/bourse-time.h"
#include "engine/bourse-engine.h"

#include "bourse-router.h"

#include "core/bourse-decimal.h"

G_BEGIN_DECLS

/* One field-level validation error of a problem+json answer. */
typedef struct
{
  const char *field;
  const char *message;
} BourseFieldError;

SoupServerMessage *bourse_request_get_message     (BourseRequest            *request);
BourseEngine      *bourse_request_get_engine      (BourseRequest            *request);
const BourseRoute *bourse_request_get_route       (BourseRequest            *request);
const char        *bourse_request_get_request_id  (BourseRequest            *request);
/* Who is asking, on routes that need a permission (NULL on public ones). */
const BoursePrincipal *bourse_request_get_principal (BourseRequest        *request);
/* Client address, request id and user agent, for audit entries. */
void               bourse_request_get_context     (BourseRequest            *request,
                                                   BourseAuthContext        *context);
/* problem+json for a domain error, with the status, the field and the
 * members the one table gives it (bourse-error-status.c): 401, 403, 404,
 * 409, 422, 429 (with Retry-After: @retry_after_s), 502, 503; 500 for an
 * error it does not know, whose message goes to the log, not the client. */
void               bourse_request_reply_error     (BourseRequest            *request,
                                                   const GError             *error,
                                                   guint                     retry_after_s);
/* The same for an error about a record the request names in @field of its
 * body rather than in its path: a missing one is the request's mistake, a
 * 422 naming @field. */
void               bourse_request_reply_reference_error (BourseRequest      *request,
                                                   const GError             *error,
                                                   const char               *field);
/* The audit function of a domain change made for @user_data, a request
 * with a principal: the entry names the caller and the request's address
 * and id (a BourseMarketAuditFunc). */
gboolean           bourse_request_audit_cb        (BourseStore              *store,
                                                   const char               *action,
                                                   const char               *target,
                                                   JsonNode                 *details,
                                                   gpointer                  user_data,
                                                   GError                  **error);
const char        *bourse_request_get_param       (BourseRequest            *request,
                                                   const char               *name);
const char        *bourse_request_get_query       (BourseRequest            *request,
                                                   const char               *name);
/* An optional integer query parameter in [min, max]: TRUE and *value
 * untouched when absent; FALSE once a 422 naming it is answered. */
gboolean           bourse_request_get_int_query   (BourseRequest            *request,
                                                   const char               *name,
                                                   gint64                    min,
                                                   gint64                    max,
                                                   gint64                   *value);
/* The engine's accounts service, for handlers. */
BourseAuth        *bourse_request_get_auth        (BourseRequest            *request);
/* The {id} path parameter as a positive integer; else answers 404 and
 * returns 0. */
gint64             bourse_request_get_id_param    (BourseRequest            *request);
/* A string member of a JSON body: absent or null leaves *value NULL (a 422
 * if required); anything but a non-empty string is a 422 naming the field.
 * Returns FALSE when the answer has been given. */
gboolean           bourse_request_get_string_member (BourseRequest          *request,
                                                   JsonObject               *body,
                                                   const char               *field,
                                                   gboolean                  required,
                                                   const char              **value);
/* An optional boolean member: absent leaves *value untouched; FALSE once a
 * 422 naming it is answered. */
gboolean           bourse_request_get_boolean_member (BourseRequest         *request,
                                                   JsonObject               *body,
                                                   const char               *field,
                                                   gboolean                 *value);
/* A decimal string member ("0.01"); numbers are refused, since a JSON
 * number may already have lost digits on its way here. *present says
 * whether it was there; FALSE when it answered a 422. */
gboolean           bourse_request_get_decimal_member (BourseRequest         *request,
                                                   JsonObject               *body,
                                                   const char               *field,
                                                   gboolean                  required,
                                                   gboolean                 *present,
                                                   BourseDecimal            *value);
/* problem+json with one error about field; its message is the detail. */
void               bourse_request_reply_field_error (BourseRequest          *request,
                                                   guint                     status,
                                                   const char               *field,
                                                   const char               *message);
/* The raw body (empty when there is none), for handlers that check a
 * signature over its exact bytes. */
GBytes            *bourse_request_dup_body        (BourseRequest            *request);
/* Parses the body as a JSON object; on failure it has already answered
 * 400/413/415 and returns NULL, so a handler just returns. */
JsonObject        *bourse_request_get_json_object (BourseRequest            *request);
void               bourse_request_reply_json      (BourseRequest            *request,
                                                   guint                     status,
                                                   JsonNode                 *body);
void               bourse_request_reply_builder   (BourseRequest            *request,
                                                   guint                     status,
                                                   JsonBuilder              *builder);
void               bourse_request_reply_problem   (BourseRequest            *request,
                                                   guint                     status,
                                                   const char               *detail,
                                                   const BourseFieldError   *errors,
                                                   guint                     n_errors);
/* problem+json with members of its own after the standard ones (a CSV
 * error's "line" and "column"); @extra may be NULL. */
void               bourse_request_reply_problem_extra (BourseRequest      *request,
                                                   guint                     status,
                                                   const char               *detail,
                                                   const BourseFieldError   *errors,
                                                   guint                     n_errors,
                                                   JsonObject               *extra);
/* The raw request body, for routes that do not take JSON (an upload):
 * an empty GBytes when there was none. The request keeps no copy. */
GBytes            *bourse_request_steal_body      (BourseRequest            *request);
/* For a handler that answers after asynchronous work: pauses the request
 * and keeps its message. get_request is NULL once the client has gone;
 * release answers nothing itself, it unpauses (after the handler's reply)
 * and lets go. */
typedef struct _BourseRequestHold BourseRequestHold;

BourseRequestHold *bourse_request_hold             (BourseRequest            *request);
BourseRequest     *bourse_request_hold_get_request (BourseRequestHold        *hold);
void               bourse_request_hold_release     (BourseRequestHold        *hold);
/* For handlers that answer later (DESIGN: soup_server_message_pause). */
void               bourse_request_pause           (BourseRequest            *request);
void               bourse_request_unpause         (BourseRequest            *request);

/* Shared by the server for answers outside any route (404, 405, 413…). */
void               bourse_reply_problem           (SoupServerMessage        *message,
                                                   guint                     status,
                                                   const char               *detail,
                                                   const BourseFieldError   *errors,
                                                   guint                     n_errors);
void               bourse_reply_json              (SoupServerMessage        *message,
                                                   guint                     status,
                                                   JsonNode                 *body);

/* Query parameters (docs/API.md, "Query parameters"). Each getter returns
 * TRUE and leaves its out value untouched when the parameter is absent. A
 * value that is present but wrong (empty, cut short by an escaped NUL, not
 * of the expected form) gets a 422 whose errors[0].field names the
 * parameter, and the getter returns FALSE: the handler just returns. */
void               bourse_request_reply_query_error (BourseRequest          *request,
                                                   const char               *name,
                                                   const char               *message);
/* An instant: RFC 3339 ("2024-01-01T00:00:00Z"), a date alone (that UTC
 * day's start or end, as @bound says) or milliseconds since the epoch, in
 * [BOURSE_TIME_MIN_MS, BOURSE_TIME_MAX_MS]. */
gboolean           bourse_request_get_time_query  (BourseRequest            *request,
                                                   const char               *name,
                                                   BourseTimeBound           bound,
                                                   gint64                   *ms);
/* A time member of a JSON body, in the same forms. With @present, it is
 * optional (absent or null: *present FALSE); without, absence is a 422
 * "is required". */
gboolean           bourse_request_get_time_member (BourseRequest            *request,
                                                   JsonObject               *body,
                                                   const char               *field,
                                                   BourseTimeBound           bound,
                                                   gboolean                 *present,
                                                   gint64                   *value);
/* ?cursor=: the positive id a page's next_cursor gave. */
gboolean           bourse_request_get_cursor_query (BourseRequest           *request,
                                                   gint64                   *cursor);
/* "true" or "false". */
gboolean           bourse_request_get_boolean_query (BourseRequest          *request,
                                                   const char               *name,
                                                   gboolean                 *value);
/* One of @values (NULL-terminated); *value points into @values. */
gboolean           bourse_request_get_enum_query  (BourseRequest            *request,
                                                   const char               *name,
                                                   const char * const       *values,
                                                   const char              **value);
/* ?scope=own|all: *everyone is TRUE for an administrator who did not ask
 * for their own records only (the default for them), FALSE for anyone else. */
gboolean           bourse_request_get_scope_query (BourseRequest            *request,
                                                   gboolean                 *everyone);
/* A symbol's form (2 to 20 of A-Z 0-9), not whether it exists; with
 * @required, absence is a 422 too. */
gboolean           bourse_request_get_symbol_query (BourseRequest           *request,
                                                   const char               *name,
                                                   gboolean                  required,
                                                   const char              **symbol);
gboolean           bourse_request_get_interval_query (BourseRequest         *request,
                                                   const char               *name,
                                                   gboolean                  required,
                                                   BourseInterval           *interval);
/* An identifier such as a strategy type: 1 to 64 ASCII letters, digits,
 * '.', '_' or '-'. */
gboolean           bourse_request_get_name_query  (BourseRequest            *request,
                                                   const char               *name,
                                                   const char              **value);
/* Free text: valid UTF-8, 1 to @max_chars characters, no control characters. */
gboolean           bourse_request_get_text_query  (BourseRequest            *request,
                                                   const char               *name,
                                                   guint                     max_chars,
                                                   const char              **value);

/* For an error whose message a client who is not an administrator may read
 * (a job's error): one that names a file, such as a database that cannot be
 * opened, is logged and replaced by one that names none. */
void               bourse_error_hide_paths        (GError                  **error);

G_END_DECLS
