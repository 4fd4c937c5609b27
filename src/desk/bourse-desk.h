/* bourse-desk.h — the approval desk: recommendations, approvals, live strategies, webhooks
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "auth/bourse-auth.h"
#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-store.h"
#include "market/bourse-market.h"

G_BEGIN_DECLS

#define BOURSE_DESK_ERROR (bourse_desk_error_quark ())

typedef enum
{
  /* A request field is wrong: bourse_desk_error_get_field () names it (422). */
  BOURSE_DESK_ERROR_INVALID = 1,
  BOURSE_DESK_ERROR_NOT_FOUND,
  /* The record is no longer in a state that allows this (409); may name a field. */
  BOURSE_DESK_ERROR_CONFLICT,
  /* The four-eyes rule (403). */
  BOURSE_DESK_ERROR_FORBIDDEN,
  /* A webhook without a valid signature, or a replay (401). */
  BOURSE_DESK_ERROR_UNAUTHENTICATED,
  BOURSE_DESK_ERROR_TOO_LARGE,
  /* Missing candles could not be fetched (502). */
  BOURSE_DESK_ERROR_DOWNLOAD,
  /* The engine is stopping (503). */
  BOURSE_DESK_ERROR_STOPPED,
} BourseDeskError;

/* What happens to an actionable recommendation of a live strategy. */
typedef enum
{
  BOURSE_POLICY_MANUAL,        /* a pending approval */
  BOURSE_POLICY_AUTO_PAPER,    /* approved at once by the engine while trading on paper */
  BOURSE_POLICY_NOTIFY_ONLY,   /* no approval: the recommendation is a notice */
} BourseApprovalPolicy;

/* Who asks, for the records and their audit entries. */
typedef struct
{
  const char              *actor;     /* "user:42", "api-key:7", "local-owner", "system", "webhook:3" */
  gint64                   user_id;   /* 0: none (the desktop owner, the engine, a webhook) */
  const BourseAuthContext *context;   /* may be NULL */
} BourseDeskCaller;

#define BOURSE_TYPE_DESK (bourse_desk_get_type ())

G_DECLARE_FINAL_TYPE (BourseDesk, bourse_desk, BOURSE, DESK, GObject)

GQuark       bourse_desk_error_quark       (void);
/* The request field a BOURSE_DESK_ERROR is about ("symbol", "params.lags"), or NULL. */
const char  *bourse_desk_error_get_field   (const GError        *error);

const char  *bourse_approval_policy_to_string (BourseApprovalPolicy  policy);
gboolean     bourse_approval_policy_parse  (const char          *text,
                                            BourseApprovalPolicy *policy);

/* On the engine's context, once store, auth and market run: loads the
 * webhook secrets, expires overdue approvals and follows the market's
 * closed candles. The engine's scheduler expires them from then on, every
 * approvals.expiry_check (job approvals.expire). */
BourseDesk  *bourse_desk_new               (BourseStore         *store,
                                            BourseConfig        *config,
                                            BourseEventBus      *bus,
                                            BourseAuth          *auth,
                                            BourseMarket        *market,
                                            GError             **error);
/* Stops the timer and the live strategies, cancels the worker threads and
 * waits for them; the desk lets go of the engine's services. */
void         bourse_desk_stop              (BourseDesk          *self);
BourseStore *bourse_desk_get_store         (BourseDesk          *self);
/* [approvals] four_eyes, and whether auto-paper may approve (paper mode). */
gboolean     bourse_desk_get_four_eyes     (BourseDesk          *self);
gboolean     bourse_desk_is_paper          (BourseDesk          *self);
/* The engine's mode, set by the engine (paper until it says otherwise). */
void         bourse_desk_set_paper         (BourseDesk          *self,
                                            gboolean             paper);
/* While the trading loop is stopped, live strategies do not evaluate. */
void         bourse_desk_set_live_paused   (BourseDesk          *self,
                                            gboolean             paused);
/* Evaluations of live strategies in flight (for tests and the status). */
guint        bourse_desk_get_n_running     (BourseDesk          *self);

G_END_DECLS
