/* test-log.c — the log ring: bounds, order, threads, levels, secrets, watches
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-log"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/bourse-log.h"

static GPtrArray *
query_all (GLogLevelFlags min_level)
{
  BourseLogQuery query = { min_level, G_LOG_DOMAIN, 0, 0, G_MAXUINT };

  return bourse_log_ring_query (&query, NULL);
}

static const BourseLogEntry *
entry_at (GPtrArray *entries,
          guint      index)
{
  return g_ptr_array_index (entries, index);
}

static void
test_bounds (void)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) page = NULL;
  BourseLogQuery query = { G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN, 0, 0, 10 };
  gboolean more = FALSE;

  bourse_log_set_ring_size (100);
  bourse_log_ring_clear ();
  for (guint i = 0; i < 250; i++)
    g_info ("message %u", i);

  /* The newest 100, newest first, ids without a gap. */
  entries = query_all (G_LOG_LEVEL_DEBUG);
  g_assert_cmpuint (entries->len, ==, 100);
  g_assert_cmpstr (entry_at (entries, 0)->message, ==, "message 249");
  g_assert_cmpstr (entry_at (entries, 99)->message, ==, "message 150");
  g_assert_cmpstr (entry_at (entries, 0)->domain, ==, G_LOG_DOMAIN);
  g_assert_cmpint (entry_at (entries, 0)->level, ==, G_LOG_LEVEL_INFO);
  for (guint i = 1; i < entries->len; i++)
    g_assert_cmpuint (entry_at (entries, i)->id, ==, entry_at (entries, i - 1)->id - 1);

  /* A page, then the next from its cursor. */
  page = bourse_log_ring_query (&query, &more);
  g_assert_cmpuint (page->len, ==, 10);
  g_assert_true (more);
  query.before_id = entry_at (page, 9)->id;
  g_clear_pointer (&page, g_ptr_array_unref);
  page = bourse_log_ring_query (&query, &more);
  g_assert_cmpstr (entry_at (page, 0)->message, ==, "message 239");

  /* A smaller ring keeps the newest. */
  bourse_log_set_ring_size (5);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = query_all (G_LOG_LEVEL_DEBUG);
  g_assert_cmpuint (entries->len, ==, 5);
  g_assert_cmpstr (entry_at (entries, 0)->message, ==, "message 249");
  g_assert_cmpstr (entry_at (entries, 4)->message, ==, "message 245");
  g_assert_cmpuint (bourse_log_get_ring_size (), ==, 5);
}

#define N_THREADS 4
#define N_PER_THREAD 500

static gpointer
log_thread (gpointer data)
{
  guint thread = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < N_PER_THREAD; i++)
    g_info ("thread %u message %u", thread, i);
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(GPtrArray) entries = NULL;
  GThread *threads[N_THREADS];
  int last[N_THREADS];

  bourse_log_set_ring_size (N_THREADS * N_PER_THREAD);
  bourse_log_ring_clear ();
  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("logger", log_thread, GUINT_TO_POINTER (t));
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  /* Every message once; each thread's in its order; ids strictly falling. */
  entries = query_all (G_LOG_LEVEL_DEBUG);
  g_assert_cmpuint (entries->len, ==, N_THREADS * N_PER_THREAD);
  for (guint t = 0; t < N_THREADS; t++)
    last[t] = N_PER_THREAD;
  for (guint i = 0; i < entries->len; i++)
    {
      guint thread, index;

      if (i > 0)
        g_assert_cmpuint (entry_at (entries, i)->id, <, entry_at (entries, i - 1)->id);
      g_assert_cmpint (sscanf (entry_at (entries, i)->message, "thread %u message %u", &thread, &index), ==, 2);
      g_assert_cmpuint (thread, <, N_THREADS);
      g_assert_cmpint ((int)index, ==, last[thread] - 1);
      last[thread] = index;
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_assert_cmpint (last[t], ==, 0);
}

static void
test_levels (void)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GLogLevelFlags level;

  bourse_log_set_ring_size (100);
  bourse_log_ring_clear ();
  g_debug ("not written, not kept");
  g_info ("an info");
  g_message ("a message");

  all = query_all (G_LOG_LEVEL_DEBUG);
  g_assert_cmpuint (all->len, ==, 2);
  messages = query_all (G_LOG_LEVEL_MESSAGE);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (entry_at (messages, 0)->message, ==, "a message");

  g_assert_true (bourse_log_parse_min_level ("critical", &level));
  g_assert_cmpint (level, ==, G_LOG_LEVEL_CRITICAL);
  g_assert_false (bourse_log_parse_min_level ("loud", &level));
  g_assert_false (bourse_log_parse_level ("critical", &level));
}

static void
test_secrets (void)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  const BourseLogEntry *entry;

  bourse_log_ring_clear ();
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "REQUEST_ID", "req-1",
                    "HTTP_PATH", "/api/v1/users",
                    "USER_PASSWORD", "hunter2-password",
                    "API_KEY", "bk_abcdefghSECRETSECRET",
                    "MESSAGE", "sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig and key bk_abcdefghSECRETSECRET");

  entries = query_all (G_LOG_LEVEL_DEBUG);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = entry_at (entries, 0);
  g_assert_cmpstr (entry->request_id, ==, "req-1");
  node = bourse_log_entry_to_json (entry);
  text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, "SECRET"));
  g_assert_null (strstr (text, "hunter2"));
  g_assert_null (strstr (text, "eyJhbGci"));
  g_assert_nonnull (strstr (text, "bk_abcdefgh••••"));
  g_assert_nonnull (strstr (text, "Bearer ••••"));
  g_assert_nonnull (strstr (text, "\"HTTP_PATH\":\"/api/v1/users\""));
  g_assert_nonnull (strstr (text, "\"request_id\":\"req-1\""));
}

typedef struct
{
  GPtrArray *seen;   /* guint64 ids */
} Tail;

static void
tail_cb (const BourseLogEntry *entry,
         gpointer              user_data)
{
  Tail *tail = user_data;

  g_ptr_array_add (tail->seen, g_memdup2 (&entry->id, sizeof entry->id));
}

/* Entries logged on other threads arrive on the watch's context, in
 * order; a burst larger than the ring delivers at most the ring. */
static void
test_watch (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  Tail tail = { g_ptr_array_new_with_free_func (g_free) };
  GThread *threads[N_THREADS];
  gint64 deadline;
  guint id;

  bourse_log_set_ring_size (100);
  bourse_log_ring_clear ();
  id = bourse_log_watch (context, tail_cb, &tail, NULL);

  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("logger", log_thread, GUINT_TO_POINTER (t));
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_main_context_pending (context) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, FALSE);
  g_assert_cmpuint (tail.seen->len, >, 0);
  g_assert_cmpuint (tail.seen->len, <=, 100);
  for (guint i = 1; i < tail.seen->len; i++)
    g_assert_cmpuint (*(guint64 *)g_ptr_array_index (tail.seen, i), >,
                      *(guint64 *)g_ptr_array_index (tail.seen, i - 1));

  /* Then one more, delivered alone; none after the unwatch. */
  g_ptr_array_set_size (tail.seen, 0);
  g_info ("one more");
  while (tail.seen->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_assert_cmpuint (tail.seen->len, ==, 1);
  bourse_log_unwatch (id);
  g_info ("after the unwatch");
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpuint (tail.seen->len, ==, 1);
  g_ptr_array_unref (tail.seen);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bourse_log_init (BOURSE_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO);

  g_test_add_func ("/log/bounds", test_bounds);
  g_test_add_func ("/log/threads", test_threads);
  g_test_add_func ("/log/levels", test_levels);
  g_test_add_func ("/log/secrets", test_secrets);
  g_test_add_func ("/log/watch", test_watch);

  return g_test_run ();
}
