/* bourse-authenticator-pam.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <security/pam_appl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bourse-authenticator-pam.h"

/* Admins write /etc/pam.d/bourse (docs/API.md); without it PAM falls back
 * to its "other" service, which denies on most systems. */
#define SERVICE "bourse"

struct _BourseAuthenticatorPam
{
  GObject parent_instance;
};

static void authenticator_iface_init (BourseAuthenticatorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseAuthenticatorPam, bourse_authenticator_pam, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_AUTHENTICATOR, authenticator_iface_init))

static const char *
bourse_authenticator_pam_get_id (BourseAuthenticator *authenticator)
{
  return "pam";
}

static const char *
bourse_authenticator_pam_get_name (BourseAuthenticator *authenticator)
{
  return _("System account (PAM)");
}

static const char *
bourse_authenticator_pam_get_parameters (BourseAuthenticator *authenticator)
{
  return "{\"type\":\"object\",\"properties\":{\"service\":"
         "{\"type\":\"string\",\"default\":\"" SERVICE "\",\"readOnly\":true}}}";
}

static void
free_replies (struct pam_response *replies,
              int                  n_replies)
{
  for (int i = 0; i < n_replies; i++)
    if (replies[i].resp != NULL)
      {
        sodium_memzero (replies[i].resp, strlen (replies[i].resp));
        free (replies[i].resp);
      }
  free (replies);
}

/* Every hidden prompt gets the password; PAM frees the replies with free().
 * A visible prompt (a one-time code, say) cannot be answered from a form
 * with one password field. */
static int
conversation_cb (int                        n_messages,
                 const struct pam_message **messages,
                 struct pam_response      **responses,
                 void                      *user_data)
{
  const char *password = user_data;
  struct pam_response *replies;

  if (n_messages <= 0 || n_messages > PAM_MAX_NUM_MSG)
    return PAM_CONV_ERR;
  if ((replies = calloc ((size_t)n_messages, sizeof *replies)) == NULL)
    return PAM_BUF_ERR;

  for (int i = 0; i < n_messages; i++)
    switch (messages[i]->msg_style)
      {
      case PAM_PROMPT_ECHO_OFF:
        if ((replies[i].resp = strdup (password)) == NULL)
          {
            free_replies (replies, n_messages);
            return PAM_BUF_ERR;
          }
        break;

      case PAM_ERROR_MSG:
      case PAM_TEXT_INFO:
        g_debug ("PAM: %s", messages[i]->msg);
        break;

      default:
        free_replies (replies, n_messages);
        return PAM_CONV_ERR;
      }

  *responses = replies;
  return PAM_SUCCESS;
}

/* Bourse throttles failed sign-ins itself; PAM's own delay (2 s with
 * pam_unix) would stall the server's main loop, where sign-in runs. */
static void
no_fail_delay_cb (int           status,
                  unsigned int  delay_us,
                  void         *user_data)
{
}

/* Blocking: a PAM stack may ask a directory server. Called from
 * bourse_auth_login, which is synchronous as a whole. */
static gboolean
bourse_authenticator_pam_verify (BourseAuthenticator  *authenticator,
                                 const BourseUser     *user,
                                 const char           *password,
                                 GError              **error)
{
  struct pam_conv conversation = { conversation_cb, (void *)password };
  pam_handle_t *pamh = NULL;
  int rc;

  g_assert (BOURSE_IS_AUTHENTICATOR_PAM (authenticator));

  rc = pam_start (SERVICE, user->username, &conversation, &pamh);
  if (rc != PAM_SUCCESS)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_FAILED,
                   _("PAM could not start the “%s” service: %s"), SERVICE, pam_strerror (pamh, rc));
      if (pamh != NULL)
        pam_end (pamh, rc);
      return FALSE;
    }

#ifdef PAM_FAIL_DELAY
  pam_set_item (pamh, PAM_FAIL_DELAY, (const void *)no_fail_delay_cb);
#endif
  rc = pam_authenticate (pamh, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
  /* The account part: expired, locked, or not allowed on this service. */
  if (rc == PAM_SUCCESS)
    rc = pam_acct_mgmt (pamh, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);

  switch (rc)
    {
    case PAM_SUCCESS:
      break;

    case PAM_AUTH_ERR:
    case PAM_USER_UNKNOWN:
    case PAM_MAXTRIES:
    case PAM_CRED_INSUFFICIENT:
    case PAM_ACCT_EXPIRED:
    case PAM_PERM_DENIED:
    case PAM_NEW_AUTHTOK_REQD:
      g_debug ("PAM refused %s: %s", user->username, pam_strerror (pamh, rc));
      g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                           _("Wrong username or password"));
      break;

    default:
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_FAILED,
                   _("PAM could not check the password: %s"), pam_strerror (pamh, rc));
      break;
    }

  pam_end (pamh, rc);
  return rc == PAM_SUCCESS;
}

static void
authenticator_iface_init (BourseAuthenticatorInterface *iface)
{
  iface->get_id = bourse_authenticator_pam_get_id;
  iface->get_name = bourse_authenticator_pam_get_name;
  iface->get_parameters = bourse_authenticator_pam_get_parameters;
  iface->verify = bourse_authenticator_pam_verify;
}

static void
bourse_authenticator_pam_class_init (BourseAuthenticatorPamClass *klass)
{
}

static void
bourse_authenticator_pam_init (BourseAuthenticatorPam *self)
{
}
