/* bourse-risk-routes.c — limits, profiles and the trading state (docs/TRADING.md, "Risk")
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "bourse-server-private.h"

static BourseRisk *
risk_of (BourseRequest *request)
{
  return bourse_engine_get_risk (bourse_request_get_engine (request));
}

/* Who asks, for the audit entry; @context must outlive the caller. */
static BourseRiskCaller
caller_of (BourseRequest     *request,
           BourseAuthContext *context)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);

  bourse_request_get_context (request, context);
  return (BourseRiskCaller) { principal->actor, principal->user_id, context };
}

/* 200 with @node, or a 500 when it could not be read (the log says why). */
static void
reply_node (BourseRequest *request,
            JsonNode      *node)
{
  if (node == NULL)
    bourse_request_reply_problem (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                  _("Something went wrong on the server; its log has the details"), NULL, 0);
  else
    bourse_request_reply_json (request, SOUP_STATUS_OK, node);
  g_clear_pointer (&node, json_node_unref);
}

static void
global_get_cb (BourseRequest *request,
               gpointer       user_data)
{
  reply_node (request, bourse_risk_get_global (risk_of (request)));
}

static void
profile_get_cb (BourseRequest *request,
                gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);

  reply_node (request, bourse_risk_get_profile (risk_of (request), principal->user_id));
}

static void
state_get_cb (BourseRequest *request,
              gpointer       user_data)
{
  reply_node (request, bourse_risk_state_to_json (risk_of (request)));
}

/* PUT /risk/global (@user_data FALSE) and /risk/profile (TRUE): the
 * settings as they are now, or the refusal. */
static void
put_cb (BourseRequest *request,
        gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  gboolean profile = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseRiskCaller caller;
  gboolean ok;

  if (body == NULL)
    return;
  caller = caller_of (request, &context);
  ok = profile ? bourse_risk_set_profile (risk_of (request), caller.user_id, body, &caller, &error)
               : bourse_risk_set_global (risk_of (request), body, &caller, &error);
  if (ok && profile)
    profile_get_cb (request, NULL);
  else if (ok)
    global_get_cb (request, NULL);
  else
    bourse_request_reply_error (request, error, 0);
}

/* POST /risk/halt {"reason","cancel_orders"?,"flatten"?}, /risk/reduce
 * {"reason"} and /risk/resume {"reason"?} (its body is optional). */
static void
state_post_cb (BourseRequest *request,
               gpointer       user_data)
{
  BourseTradingState state = GPOINTER_TO_INT (user_data);
  g_autoptr(GBytes) raw = bourse_request_dup_body (request);
  g_autoptr(GError) error = NULL;
  gboolean cancel_orders = FALSE, flatten = FALSE, ok;
  BourseAuthContext context;
  BourseRiskCaller caller;
  const char *reason = NULL;

  if (state != BOURSE_TRADING_STATE_ACTIVE || g_bytes_get_size (raw) > 0)
    {
      JsonObject *body = bourse_request_get_json_object (request);

      if (body == NULL
          || !bourse_request_get_string_member (request, body, "reason", state != BOURSE_TRADING_STATE_ACTIVE,
                                                &reason)
          || (state == BOURSE_TRADING_STATE_HALTED
              && (!bourse_request_get_boolean_member (request, body, "cancel_orders", &cancel_orders)
                  || !bourse_request_get_boolean_member (request, body, "flatten", &flatten))))
        return;
    }

  caller = caller_of (request, &context);
  if (state == BOURSE_TRADING_STATE_HALTED)
    ok = bourse_risk_halt (risk_of (request), reason, cancel_orders, flatten, &caller, &error);
  else
    ok = bourse_risk_set_state (risk_of (request), state, reason, &caller, &error);
  if (ok)
    state_get_cb (request, NULL);
  else
    bourse_request_reply_error (request, error, 0);
}

void
_bourse_server_add_risk_routes (BourseServer *self)
{
  BourseRouter *router = self->router;

  bourse_router_add (router, "GET", "/api/v1/risk/global", "risk.read", global_get_cb, NULL);
  bourse_router_add (router, "PUT", "/api/v1/risk/global", "risk.write", put_cb, GINT_TO_POINTER (FALSE));
  bourse_router_add (router, "GET", "/api/v1/risk/profile", "risk.read", profile_get_cb, NULL);
  bourse_router_add (router, "PUT", "/api/v1/risk/profile", "risk.profile", put_cb, GINT_TO_POINTER (TRUE));
  bourse_router_add (router, "GET", "/api/v1/risk/state", "risk.read", state_get_cb, NULL);
  bourse_router_add (router, "POST", "/api/v1/risk/halt", "risk.halt", state_post_cb,
                     GINT_TO_POINTER (BOURSE_TRADING_STATE_HALTED));
  bourse_router_add (router, "POST", "/api/v1/risk/reduce", "risk.resume", state_post_cb,
                     GINT_TO_POINTER (BOURSE_TRADING_STATE_REDUCING));
  bourse_router_add (router, "POST", "/api/v1/risk/resume", "risk.resume", state_post_cb,
                     GINT_TO_POINTER (BOURSE_TRADING_STATE_ACTIVE));
}
