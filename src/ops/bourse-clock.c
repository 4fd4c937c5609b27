/* bourse-clock.c — the time the scheduler goes by, replaceable in tests
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/bourse-source.h"
#include "core/bourse-time.h"

#include "bourse-clock.h"

/* GLib's timeouts run on the monotonic clock, which stands still while the
 * machine is suspended: a long wait would end hours late after a sleep. */
#define MAX_WAIT_MS (60 * 1000)

typedef struct
{
  BourseClock *clock;     /* unowned: the clock owns its alarms */
  guint        id;
  gint64       at_ms;
  GSourceFunc  func;
  gpointer     data;
  GSource     *source;    /* real clocks: the pending wait */
} Alarm;

struct _BourseClock
{
  GObject       parent_instance;

  gboolean      manual;
  gint64        now_ms;     /* manual clocks */
  GMainContext *context;    /* real clocks */
  GList        *alarms;     /* of Alarm, by at_ms then id */
  guint         last_id;
};

G_DEFINE_FINAL_TYPE (BourseClock, bourse_clock, G_TYPE_OBJECT)

static void
alarm_free (Alarm *alarm)
{
  bourse_source_clear (&alarm->source);
  g_free (alarm);
}

static void
bourse_clock_finalize (GObject *object)
{
  BourseClock *self = (BourseClock *)object;

  g_list_free_full (self->alarms, (GDestroyNotify) alarm_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (bourse_clock_parent_class)->finalize (object);
}

static void
bourse_clock_class_init (BourseClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_clock_finalize;
}

static void
bourse_clock_init (BourseClock *self)
{
}

BourseClock *
bourse_clock_new (void)
{
  BourseClock *self = g_object_new (BOURSE_TYPE_CLOCK, NULL);

  self->context = g_main_context_ref_thread_default ();
  return self;
}

BourseClock *
bourse_clock_new_manual (gint64 now_ms)
{
  BourseClock *self = g_object_new (BOURSE_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->now_ms = now_ms;
  return self;
}

gboolean
bourse_clock_is_manual (BourseClock *self)
{
  g_return_val_if_fail (BOURSE_IS_CLOCK (self), FALSE);

  return self->manual;
}

gint64
bourse_clock_now_ms (BourseClock *self)
{
  g_return_val_if_fail (BOURSE_IS_CLOCK (self), 0);

  return self->manual ? self->now_ms : bourse_time_now_ms ();
}

static int
compare_alarms (gconstpointer a,
                gconstpointer b)
{
  const Alarm *x = a, *y = b;

  if (x->at_ms != y->at_ms)
    return x->at_ms < y->at_ms ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Takes the alarm out of the list, then calls it: its function may add or
 * remove alarms, this one included, without harm. */
static void
fire (BourseClock *self,
      Alarm       *alarm)
{
  GSourceFunc func = alarm->func;
  gpointer data = alarm->data;

  self->alarms = g_list_remove (self->alarms, alarm);
  alarm_free (alarm);
  func (data);
}

static void arm (Alarm *alarm);

static gboolean
wait_done_cb (gpointer data)
{
  Alarm *alarm = data;
  BourseClock *self = alarm->clock;

  g_clear_pointer (&alarm->source, g_source_unref);
  if (bourse_time_now_ms () >= alarm->at_ms)
    {
      g_object_ref (self);
      fire (self, alarm);
      g_object_unref (self);
    }
  else
    arm (alarm);
  return G_SOURCE_REMOVE;
}

static void
arm (Alarm *alarm)
{
  gint64 wait = alarm->at_ms - bourse_time_now_ms ();

  wait = CLAMP (wait, 0, MAX_WAIT_MS);
  alarm->source = bourse_timeout_source_attach (alarm->clock->context, (guint) wait, wait_done_cb, alarm);
}

guint
bourse_clock_add_alarm (BourseClock *self,
                        gint64       at_ms,
                        GSourceFunc  func,
                        gpointer     data)
{
  Alarm *alarm;

  g_return_val_if_fail (BOURSE_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  alarm = g_new0 (Alarm, 1);
  alarm->clock = self;
  alarm->id = ++self->last_id;
  alarm->at_ms = at_ms;
  alarm->func = func;
  alarm->data = data;
  self->alarms = g_list_insert_sorted (self->alarms, alarm, compare_alarms);
  if (!self->manual)
    arm (alarm);
  return alarm->id;
}

void
bourse_clock_remove_alarm (BourseClock *self,
                           guint        id)
{
  g_return_if_fail (BOURSE_IS_CLOCK (self));

  for (GList *l = self->alarms; l != NULL; l = l->next)
    {
      Alarm *alarm = l->data;

      if (alarm->id == id)
        {
          self->alarms = g_list_delete_link (self->alarms, l);
          alarm_free (alarm);
          return;
        }
    }
}

/* The earliest alarm due at @until_ms, or NULL. */
static Alarm *
first_due (BourseClock *self,
           gint64       until_ms)
{
  Alarm *alarm = self->alarms != NULL ? self->alarms->data : NULL;

  return alarm != NULL && alarm->at_ms <= until_ms ? alarm : NULL;
}

void
bourse_clock_advance (BourseClock *self,
                      gint64       ms)
{
  gint64 now;
  Alarm *alarm;

  g_return_if_fail (BOURSE_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (ms >= 0);

  self->now_ms += ms;
  now = self->now_ms;
  g_object_ref (self);
  /* Only what was due at the jump: an alarm added for later waits. */
  while ((alarm = first_due (self, now)) != NULL)
    fire (self, alarm);
  g_object_unref (self);
}

void
bourse_clock_run_until (BourseClock *self,
                        gint64       until_ms)
{
  Alarm *alarm;

  g_return_if_fail (BOURSE_IS_CLOCK (self));
  g_return_if_fail (self->manual);

  g_object_ref (self);
  while ((alarm = first_due (self, until_ms)) != NULL)
    {
      self->now_ms = MAX (self->now_ms, alarm->at_ms);
      fire (self, alarm);
    }
  self->now_ms = MAX (self->now_ms, until_ms);
  g_object_unref (self);
}
