/* bourse-instrument-row.h — an instrument in the Markets page's list
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "client/bourse-client.h"
#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_INSTRUMENT_ROW (bourse_instrument_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseInstrumentRow, bourse_instrument_row, BOURSE, INSTRUMENT_ROW, GtkListBoxRow)

/* Named "instrument-row-SYMBOL". It follows @instrument (notify) and, for
 * as long as it lives, @client's ticker:SYMBOL topic, read first (and after
 * a gap) with GET …/ticker/{symbol}, which @cancellable cancels. */
GtkWidget              *bourse_instrument_row_new            (BourseClientInstrument *instrument,
                                                              BourseClient           *client,
                                                              GCancellable           *cancellable);
BourseClientInstrument *bourse_instrument_row_get_instrument (BourseInstrumentRow    *self);

G_END_DECLS
