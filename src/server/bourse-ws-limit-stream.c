/* bourse-ws-limit-stream.c — a WebSocket's incoming messages bounded whatever their framing
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-hub"

#include "config.h"

#include "bourse-ws-limit-stream.h"

/* {{{ The frame follower: the input side, a private type */

#define LIMIT_TYPE_INPUT (limit_input_get_type ())
G_DECLARE_FINAL_TYPE (LimitInput, limit_input, LIMIT, INPUT, GInputStream)

struct _LimitInput
{
  GInputStream         parent_instance;

  GInputStream        *base;          /* pollable */
  BourseWsLimitStream *owner;         /* weak: owns us */
  guint64              max_message;

  guint8               header[14];    /* the frame header being read */
  guint                header_len;
  guint                header_need;
  guint64              payload_left;  /* of the current frame */
  guint64              message_total; /* data bytes of the current message */
  gboolean             over;
};

static void limit_input_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LimitInput, limit_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      limit_input_pollable_iface_init))

static void limit_input_over (LimitInput *self);

/* Follows @length bytes just read. Returns how many of them may reach the
 * WebSocket: all, or those before the header of the frame that takes its
 * message over the limit. */
static gsize
limit_input_follow (LimitInput   *self,
                    const guint8 *data,
                    gsize         length)
{
  gsize frame_start = 0;
  gsize at = 0;

  while (at < length)
    {
      if (self->payload_left > 0)
        {
          gsize skip = MIN (self->payload_left, length - at);

          self->payload_left -= skip;
          at += skip;
          continue;
        }

      if (self->header_len == 0)
        frame_start = at;
      self->header[self->header_len++] = data[at++];

      if (self->header_len == 2)
        {
          guint length7 = self->header[1] & 0x7f;

          self->header_need = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0)
                            + ((self->header[1] & 0x80) ? 4 : 0);
        }
      if (self->header_len < 2 || self->header_len < self->header_need)
        continue;

      {
        guint opcode = self->header[0] & 0x0f;
        gboolean fin = (self->header[0] & 0x80) != 0;
        guint length7 = self->header[1] & 0x7f;
        guint64 payload = length7;

        if (length7 == 126)
          payload = ((guint64)self->header[2] << 8) | self->header[3];
        else if (length7 == 127)
          {
            payload = 0;
            for (guint i = 0; i < 8; i++)
              payload = (payload << 8) | self->header[2 + i];
          }
        self->header_len = 0;
        self->payload_left = payload;

        /* Control frames (close, ping, pong) are not part of a message. */
        if (opcode >= 0x8)
          continue;
        if (payload > self->max_message || self->message_total + payload > self->max_message)
          {
            limit_input_over (self);
            return frame_start;
          }
        self->message_total = fin ? 0 : self->message_total + payload;
      }
    }

  return length;
}

static gssize
limit_input_filter (LimitInput  *self,
                    guint8      *buffer,
                    gssize       n,
                    GError     **error)
{
  gsize passed;

  if (n <= 0)
    return n;

  passed = limit_input_follow (self, buffer, n);
  if (passed > 0)
    return passed;

  /* Over the limit: what follows is dropped, but the peer's end of stream
   * still gets through, so the connection closes when it hangs up. */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "message over the limit");
  return -1;
}

static gssize
limit_input_read_nonblocking (GPollableInputStream  *stream,
                              void                  *buffer,
                              gsize                  count,
                              GError               **error)
{
  LimitInput *self = LIMIT_INPUT (stream);
  gssize n;

  if (self->over)
    {
      guint8 discard[4096];

      do
        n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base),
                                                      discard, sizeof discard, NULL, error);
      while (n > 0);
      if (n == 0)
        return 0;
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "message over the limit");
      return -1;
    }

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer, count, NULL, error);
  return limit_input_filter (self, buffer, n, error);
}

static gssize
limit_input_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  LimitInput *self = LIMIT_INPUT (stream);
  gssize n;

  if (self->over)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "message over the limit");
      return -1;
    }

  n = g_input_stream_read (self->base, buffer, count, cancellable, error);
  if (n > 0 && limit_input_follow (self, buffer, n) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "message over the limit");
      return -1;
    }
  return n;
}

static gboolean
limit_input_can_poll (GPollableInputStream *stream)
{
  return g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (LIMIT_INPUT (stream)->base));
}

static gboolean
limit_input_is_readable (GPollableInputStream *stream)
{
  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (LIMIT_INPUT (stream)->base));
}

static GSource *
limit_input_create_source (GPollableInputStream *stream,
                           GCancellable         *cancellable)
{
  LimitInput *self = LIMIT_INPUT (stream);
  g_autoptr(GSource) base_source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static void
limit_input_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = limit_input_can_poll;
  iface->is_readable = limit_input_is_readable;
  iface->create_source = limit_input_create_source;
  iface->read_nonblocking = limit_input_read_nonblocking;
}

/* The base is closed with the whole stream, by BourseWsLimitStream. */
static gboolean
limit_input_close (GInputStream  *stream,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return TRUE;
}

static void
limit_input_finalize (GObject *object)
{
  LimitInput *self = LIMIT_INPUT (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (limit_input_parent_class)->finalize (object);
}

static void
limit_input_class_init (LimitInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = limit_input_finalize;
  input_class->read_fn = limit_input_read;
  input_class->close_fn = limit_input_close;
}

static void
limit_input_init (LimitInput *self)
{
}

/* }}} */

struct _BourseWsLimitStream
{
  GIOStream   parent_instance;

  GIOStream  *base;
  LimitInput *input;
};

G_DEFINE_FINAL_TYPE (BourseWsLimitStream, bourse_ws_limit_stream, G_TYPE_IO_STREAM)

enum {
  MESSAGE_TOO_BIG,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
limit_input_over (LimitInput *self)
{
  if (self->over)
    return;

  self->over = TRUE;
  if (self->owner != NULL)
    g_signal_emit (self->owner, signals[MESSAGE_TOO_BIG], 0);
}

static GInputStream *
bourse_ws_limit_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (BOURSE_WS_LIMIT_STREAM (stream)->input);
}

static GOutputStream *
bourse_ws_limit_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (BOURSE_WS_LIMIT_STREAM (stream)->base);
}

static gboolean
bourse_ws_limit_stream_close (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return g_io_stream_close (BOURSE_WS_LIMIT_STREAM (stream)->base, cancellable, error);
}

/* Closed the way the base closes, not in a worker thread as GIOStream's
 * default would: libsoup reports the socket closed when this completes. */
static void
base_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
bourse_ws_limit_stream_close_async (GIOStream           *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, bourse_ws_limit_stream_close_async);
  g_io_stream_close_async (BOURSE_WS_LIMIT_STREAM (stream)->base, io_priority, cancellable, base_closed_cb, task);
}

static gboolean
bourse_ws_limit_stream_close_finish (GIOStream     *stream,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
bourse_ws_limit_stream_finalize (GObject *object)
{
  BourseWsLimitStream *self = (BourseWsLimitStream *)object;

  if (self->input != NULL)
    self->input->owner = NULL;
  g_clear_object (&self->input);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (bourse_ws_limit_stream_parent_class)->finalize (object);
}

static void
bourse_ws_limit_stream_class_init (BourseWsLimitStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = bourse_ws_limit_stream_finalize;
  stream_class->get_input_stream = bourse_ws_limit_stream_get_input_stream;
  stream_class->get_output_stream = bourse_ws_limit_stream_get_output_stream;
  stream_class->close_fn = bourse_ws_limit_stream_close;
  stream_class->close_async = bourse_ws_limit_stream_close_async;
  stream_class->close_finish = bourse_ws_limit_stream_close_finish;

  /* (BourseWsLimitStream *stream): a message went over the limit. */
  signals[MESSAGE_TOO_BIG] =
    g_signal_new ("message-too-big",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bourse_ws_limit_stream_init (BourseWsLimitStream *self)
{
}

BourseWsLimitStream *
bourse_ws_limit_stream_new (GIOStream *base,
                            guint64    max_message_bytes)
{
  BourseWsLimitStream *self;
  GInputStream *base_input;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  base_input = g_io_stream_get_input_stream (base);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base_input), NULL);

  self = g_object_new (BOURSE_TYPE_WS_LIMIT_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (LIMIT_TYPE_INPUT, NULL);
  self->input->base = g_object_ref (base_input);
  self->input->owner = self;
  self->input->max_message = max_message_bytes;
  return self;
}

gboolean
bourse_ws_limit_stream_is_over_limit (BourseWsLimitStream *self)
{
  g_return_val_if_fail (BOURSE_IS_WS_LIMIT_STREAM (self), FALSE);

  return self->input->over;
}
