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

/* PUT /risk/global and /risk/profile: the settings as they are now, or
 * the refusal. */
static void
put_limits (BourseRequest *request,
            gboolean       profile)
{
  JsonObject *body = bourse_request_get_json_object (request);
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

static void
global_put_cb (BourseRequest *request,
               gpointer       user_data)
{
  put_limits (request, FALSE);
}

static void
profile_put_cb (BourseRequest *request,
                gpointer       user_data)
{
  put_limits (request, TRUE);
}

/* POST /risk/halt {"reason","cancel_orders"?,"flatten"?}, /risk/reduce
 * {"reason"} and /risk/resume {"reason"?} (its body is optional). */
static void
set_state (BourseRequest      *request,
           BourseTradingState  state)
{
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

static void
halt_cb (BourseRequest *request,
         gpointer       user_data)
{
  set_state (request, BOURSE_TRADING_STATE_HALTED);
}

static void
reduce_cb (BourseRequest *request,
           gpointer       user_data)
{
  set_state (request, BOURSE_TRADING_STATE_REDUCING);
}

static void
resume_cb (BourseRequest *request,
           gpointer       user_data)
{
  set_state (request, BOURSE_TRADING_STATE_ACTIVE);
}

static const BourseRouteSpec risk_routes[] = {
  { "GET", "/api/v1/risk/global", "risk.read", global_get_cb, {
      .id = "getRiskLimits", .tag = "Risk", .summary = "Read the global limits and protections",
      .response = "RiskLimits" } },
  { "PUT", "/api/v1/risk/global", "risk.write", global_put_cb, {
      .id = "setRiskLimits", .tag = "Risk", .summary = "Change the global limits and protections",
      .description = "Audited as risk.global.update.",
      .request = "RiskLimitsRequest", .response = "RiskLimits", .errors = "422" } },
  { "GET", "/api/v1/risk/profile", "risk.read", profile_get_cb, {
      .id = "getRiskProfile", .tag = "Risk", .summary = "Read the caller's own risk profile",
      .response = "RiskProfile" } },
  { "PUT", "/api/v1/risk/profile", "risk.profile", profile_put_cb, {
      .id = "setRiskProfile", .tag = "Risk", .summary = "Change the caller's own risk profile",
      .description = "Within the global limits (422 naming the limit otherwise).",
      .request = "RiskProfileRequest", .response = "RiskProfile", .errors = "422" } },
  { "GET", "/api/v1/risk/state", "risk.read", state_get_cb, {
      .id = "getRiskState", .tag = "Risk", .summary = "Read the trading state in force",
      .description = "Why, since and until when, and the active protections.",
      .response = "RiskState" } },
  { "POST", "/api/v1/risk/halt", "risk.halt", halt_cb, {
      .id = "haltTrading", .tag = "Risk", .summary = "Halt trading (the kill switch)",
      .description = "HALTED at once; then, when asked, the open orders canceled and the positions closed "
                     "at market.",
      .request = "HaltRequest", .response = "RiskState", .errors = "409 422" } },
  { "POST", "/api/v1/risk/reduce", "risk.resume", reduce_cb, {
      .id = "reduceTrading", .tag = "Risk", .summary = "Allow only orders that reduce a position",
      .request = "ReduceRequest", .response = "RiskState", .errors = "409 422" } },
  { "POST", "/api/v1/risk/resume", "risk.resume", resume_cb, {
      .id = "resumeTrading", .tag = "Risk", .summary = "Resume trading",
      .description = "ACTIVE again, unless a protection still imposes a state until its time. The body may "
                     "be empty.",
      .request = "ResumeRequest", .response = "RiskState", .errors = "409 422" } },
};

void
_bourse_server_add_risk_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, risk_routes, G_N_ELEMENTS (risk_routes), NULL);
}
