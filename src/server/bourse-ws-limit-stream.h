/* bourse-ws-limit-stream.h — a WebSocket's incoming messages bounded whatever their framing
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_WS_LIMIT_STREAM (bourse_ws_limit_stream_get_type ())

G_DECLARE_FINAL_TYPE (BourseWsLimitStream, bourse_ws_limit_stream, BOURSE, WS_LIMIT_STREAM, GIOStream)

/* Wraps the stream of an accepted WebSocket (client frames, RFC 6455 §5.2)
 * and follows its frames as they are read: when the data frames of one
 * message add up to more than @max_message_bytes, nothing more of it
 * reaches the WebSocket, "message-too-big" is emitted once (the owner
 * closes with 1009), and further input is discarded until the peer closes.
 * libsoup 3.2 bounds each frame but not a message sent in many fragments. */
BourseWsLimitStream *bourse_ws_limit_stream_new           (GIOStream           *base,
                                                           guint64              max_message_bytes);
gboolean             bourse_ws_limit_stream_is_over_limit (BourseWsLimitStream *self);

G_END_DECLS
