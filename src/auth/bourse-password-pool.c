/* bourse-password-pool.c — password hashing and checking off the engine's context
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "bourse-password.h"
#include "bourse-password-pool.h"

struct _BoursePasswordPool
{
  GThreadPool *threads;
  guint64      opslimit;
  gsize        memlimit;
  guint        max_waiting;
  GMutex       dummy_lock;
  char        *dummy_hash;   /* made on first need, with the configured cost */
};

typedef struct
{
  BoursePasswordPool  *pool;
  BourseUser          *user;
  BourseAuthenticator *authenticator;
  char                *password;
  char                *new_password;
} Job;

static void
wipe_free (char *text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
  g_free (text);
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->user, bourse_user_free);
  g_clear_object (&job->authenticator);
  g_clear_pointer (&job->password, wipe_free);
  g_clear_pointer (&job->new_password, wipe_free);
  g_free (job);
}

void
bourse_password_outcome_free (BoursePasswordOutcome *outcome)
{
  if (outcome == NULL)
    return;

  g_clear_error (&outcome->check_error);
  g_clear_pointer (&outcome->hash, wipe_free);
  g_free (outcome);
}

static const char *
dummy_hash (BoursePasswordPool *self)
{
  g_mutex_lock (&self->dummy_lock);
  if (self->dummy_hash == NULL)
    {
      guint8 bytes[24];
      g_autofree char *random_text = NULL;

      randombytes_buf (bytes, sizeof bytes);
      random_text = g_base64_encode (bytes, sizeof bytes);
      self->dummy_hash = bourse_password_hash (random_text, self->opslimit, self->memlimit, NULL);
    }
  g_mutex_unlock (&self->dummy_lock);
  return self->dummy_hash;
}

static void
run_in_worker (gpointer data,
               gpointer user_data)
{
  g_autoptr(GTask) task = data;
  Job *job = g_task_get_task_data (task);
  BoursePasswordPool *self = job->pool;
  g_autoptr(BoursePasswordOutcome) outcome = g_new0 (BoursePasswordOutcome, 1);
  const char *to_hash = job->new_password;

  if (job->password != NULL && job->user != NULL && job->authenticator != NULL)
    {
      outcome->checked = bourse_authenticator_verify (job->authenticator, job->user, job->password,
                                                      &outcome->check_error);
      /* Cost settings changed since this hash was made: upgrade it now
       * that we hold the password. Only ours: PAM keeps no hash here. */
      if (outcome->checked && to_hash == NULL && g_strcmp0 (job->user->auth_source, "local") == 0
          && job->user->password_hash != NULL
          && bourse_password_needs_rehash (job->user->password_hash, self->opslimit, self->memlimit))
        to_hash = job->password;
    }
  else if (job->password != NULL)
    {
      /* The same work as for a real account, for the same time. */
      const char *dummy = dummy_hash (self);

      if (dummy != NULL)
        bourse_password_verify (dummy, job->password);
    }

  if (to_hash != NULL && (job->password == NULL || outcome->checked))
    {
      GError *error = NULL;

      outcome->hash = bourse_password_hash (to_hash, self->opslimit, self->memlimit, &error);
      if (outcome->hash == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&outcome), (GDestroyNotify)bourse_password_outcome_free);
}

BoursePasswordPool *
bourse_password_pool_new (guint64 opslimit,
                          gsize   memlimit,
                          guint   max_threads,
                          guint   max_waiting)
{
  BoursePasswordPool *self = g_new0 (BoursePasswordPool, 1);

  self->opslimit = opslimit;
  self->memlimit = memlimit;
  self->max_waiting = MAX (max_waiting, 1);
  g_mutex_init (&self->dummy_lock);
  self->threads = g_thread_pool_new (run_in_worker, self, MAX (max_threads, 1), FALSE, NULL);
  return self;
}

void
bourse_password_pool_free (BoursePasswordPool *self)
{
  if (self == NULL)
    return;

  /* Waits for the jobs under way: they hold the pool. */
  g_thread_pool_free (self->threads, FALSE, TRUE);
  g_clear_pointer (&self->dummy_hash, g_free);
  g_mutex_clear (&self->dummy_lock);
  g_free (self);
}

static BourseUser *
user_copy (const BourseUser *user)
{
  BourseUser *copy = g_new0 (BourseUser, 1);

  copy->id = user->id;
  copy->username = g_strdup (user->username);
  copy->password_hash = g_strdup (user->password_hash);
  copy->role = g_strdup (user->role);
  copy->status = g_strdup (user->status);
  copy->auth_source = g_strdup (user->auth_source);
  return copy;
}

void
bourse_password_pool_run_async (BoursePasswordPool  *self,
                                const BourseUser    *user,
                                BourseAuthenticator *authenticator,
                                const char          *password,
                                const char          *new_password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (password != NULL || new_password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_password_pool_run_async);
  g_task_set_name (task, "password");

  if (g_thread_pool_unprocessed (self->threads) >= self->max_waiting)
    {
      g_task_return_new_error (task, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_THROTTLED,
                               _("The server is busy checking passwords: try again in a second"));
      return;
    }

  job = g_new0 (Job, 1);
  job->pool = self;
  job->user = user != NULL ? user_copy (user) : NULL;
  job->authenticator = authenticator != NULL ? g_object_ref (authenticator) : NULL;
  job->password = g_strdup (password);
  job->new_password = g_strdup (new_password);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);

  g_thread_pool_push (self->threads, g_steal_pointer (&task), NULL);
}

BoursePasswordOutcome *
bourse_password_pool_run_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
