/* bourse-device-row.h — a device receiving push notifications
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_DEVICE_ROW (bourse_device_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseDeviceRow, bourse_device_row, BOURSE, DEVICE_ROW, AdwActionRow)

/* Named "device-ID". Its remove button, shown when @removable, activates
 * notifications.remove-device (an int64, the id) and stays insensitive
 * from then on: the list read after the removal drops the row. */
GtkWidget          *bourse_device_row_new        (BourseClientDevice *device,
                                                  gboolean            removable);
BourseClientDevice *bourse_device_row_get_device (BourseDeviceRow    *self);

G_END_DECLS
