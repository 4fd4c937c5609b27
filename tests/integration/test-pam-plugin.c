/* test-pam-plugin.c — a third-party authenticator, loaded as a GIO module
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built as libbourse-test-authenticator.so, found through $BOURSE_PLUGIN_PATH.
 * It links nothing of Bourse: the interface comes from the process.
 */

#include <gio/gio.h>

#include "auth/bourse-authenticator.h"

#define TEST_TYPE_AUTHENTICATOR (test_authenticator_get_type ())

G_DECLARE_FINAL_TYPE (TestAuthenticator, test_authenticator, TEST, AUTHENTICATOR, GObject)

struct _TestAuthenticator
{
  GObject parent_instance;
};

static void authenticator_iface_init (BourseAuthenticatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (TestAuthenticator, test_authenticator, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (BOURSE_TYPE_AUTHENTICATOR, authenticator_iface_init))

static const char *
test_authenticator_get_id (BourseAuthenticator *authenticator)
{
  return "test";
}

static const char *
test_authenticator_get_name (BourseAuthenticator *authenticator)
{
  return "Test plugin";
}

static gboolean
test_authenticator_verify (BourseAuthenticator  *authenticator,
                           const BourseUser     *user,
                           const char           *password,
                           GError              **error)
{
  /* Leaves the error unset on purpose: the interface fills it in. */
  return g_str_equal (password, "open sesame");
}

static void
authenticator_iface_init (BourseAuthenticatorInterface *iface)
{
  iface->get_id = test_authenticator_get_id;
  iface->get_name = test_authenticator_get_name;
  iface->verify = test_authenticator_verify;
}

static void
test_authenticator_class_init (TestAuthenticatorClass *klass)
{
}

static void
test_authenticator_class_finalize (TestAuthenticatorClass *klass)
{
}

static void
test_authenticator_init (TestAuthenticator *self)
{
}

G_MODULE_EXPORT void
g_io_module_load (GIOModule *module)
{
  test_authenticator_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME, TEST_TYPE_AUTHENTICATOR, "test", 10);
}

G_MODULE_EXPORT void
g_io_module_unload (GIOModule *module)
{
}
