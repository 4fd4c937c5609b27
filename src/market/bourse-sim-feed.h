/* bourse-sim-feed.h — the simulated market, the embedded default
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-feed.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_SIM_FEED (bourse_sim_feed_get_type ())

G_DECLARE_FINAL_TYPE (BourseSimFeed, bourse_sim_feed, BOURSE, SIM_FEED, GObject)

/* The price a simulated instrument starts from: realistic levels for the
 * demo instruments, 100 for others. */
double bourse_sim_feed_initial_price (const char *symbol);

G_END_DECLS
