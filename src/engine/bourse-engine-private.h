/* bourse-engine-private.h — what the engine's files share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ops/bourse-scheduler.h"

#include "bourse-engine.h"

G_BEGIN_DECLS

/* bourse-engine-jobs.c: the scheduler with the heartbeat and the
 * housekeeping (docs/OPERATIONS.md), not yet started; its state goes to
 * the engine's health as "scheduler". */
BourseScheduler *_bourse_engine_scheduler_new (BourseEngine  *self,
                                               GError       **error);
/* The heartbeat event's data (docs/OPERATIONS.md, "Heartbeat"). */
JsonNode        *_bourse_engine_heartbeat     (BourseEngine  *self,
                                               GError       **error);

G_END_DECLS
