/* bourse-secrets.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-secrets"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bourse-secrets.h"

#define FILE_NAME     "secrets.keyfile"
#define FILE_GROUP    "secrets"
/* A few hundred secrets of a few kilobytes each at most. */
#define MAX_FILE_SIZE (1024 * 1024)

struct _BourseSecrets
{
  GObject               parent_instance;
  GMutex                mutex;      /* one read-modify-write of the file at a time */
  char                 *data_dir;   /* canonical: the keyring attribute must not vary */
  char                 *path;       /* <data_dir>/secrets.keyfile */
  SecretService        *service;    /* with the KEYRING backend */
  BourseSecretsBackend  backend;    /* KEYRING or FILE, never AUTO */
};

G_DEFINE_FINAL_TYPE (BourseSecrets, bourse_secrets, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-secrets-error-quark, bourse_secrets_error)

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.bourse.Bourse.Secret", SECRET_SCHEMA_NONE,
    {
      { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "data-dir", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
bourse_secrets_finalize (GObject *object)
{
  BourseSecrets *self = (BourseSecrets *)object;

  g_mutex_clear (&self->mutex);
  g_clear_object (&self->service);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (bourse_secrets_parent_class)->finalize (object);
}

static void
bourse_secrets_class_init (BourseSecretsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_secrets_finalize;
}

static void
bourse_secrets_init (BourseSecrets *self)
{
  g_mutex_init (&self->mutex);
}

/* Names are chosen by the program ("jwt-signing-key", "server:host:8470"),
 * and must be usable as a key file key: no '=', brackets, spaces or '#'. */
static gboolean
is_valid_name (const char *name)
{
  if (name == NULL || !g_ascii_isalnum (name[0]))
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._:@/+-", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* Secret bytes in a GBytes that wipes them when the last reference goes. */
typedef struct
{
  gsize  size;
  guint8 data[];
} WipedBuffer;

static void
wiped_buffer_free (gpointer data)
{
  WipedBuffer *buffer = data;

  sodium_memzero (buffer->data, buffer->size);
  g_free (buffer);
}

static void
wipe_string (char *text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
}

static char *
encode_value (GBytes *value)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (value, &size);

  return g_base64_encode (data, size);
}

static GBytes *
decode_value (const char  *text,
              const char  *name,
              GError     **error)
{
  gsize len = strlen (text);
  WipedBuffer *buffer;
  int state = 0;
  guint save = 0;

  /* g_base64_decode skips what it does not know: check first, so a damaged
   * value is reported rather than turned into other bytes. */
  if (len % 4 != 0 || strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789+/=") != len)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("The stored secret %s is damaged: store it again"), name);
      return NULL;
    }

  buffer = g_malloc (sizeof (WipedBuffer) + len / 4 * 3 + 3);
  buffer->size = g_base64_decode_step (text, len, buffer->data, &state, &save);

  return g_bytes_new_with_free_func (buffer->data, buffer->size, wiped_buffer_free, buffer);
}

/* ---- keyring ---------------------------------------------------------- */

/* The SecretService calls rather than the secret_password_*() shortcuts:
 * with libsecret 0.20.5 the shortcuts leak a D-Bus reply or a proxy on
 * every call (seen under LeakSanitizer); these do not. Same schema, same
 * items: secret-tool and Seahorse see no difference. */

static GHashTable *
keyring_attributes (BourseSecrets *self,
                    const char    *name)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer)"name", (gpointer)name);
  g_hash_table_insert (attributes, (gpointer)"data-dir", self->data_dir);

  return attributes;
}

static gboolean
keyring_connect (BourseSecrets  *self,
                 GError        **error)
{
  self->service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, error);

  return self->service != NULL;
}

/* Whether the Secret Service answers with an unlocked default collection:
 * a locked one would ask for a password in a prompt nobody may see, so a
 * headless daemon would hang on its first store. */
static gboolean
keyring_probe (BourseSecrets  *self,
               GError        **error)
{
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) local_error = NULL;
  GList *items;

  if (!keyring_connect (self, error))
    return FALSE;

  collection = secret_collection_for_alias_sync (self->service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &local_error);
  if (collection == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                             "no default keyring");
      return FALSE;
    }

  if (secret_collection_get_locked (collection))
    {
      g_set_error_literal (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                           "the default keyring is locked");
      return FALSE;
    }

  /* A search that finds nothing still proves that searches work. */
  attributes = keyring_attributes (self, "probe");
  items = secret_service_search_sync (self->service, get_schema (), attributes,
                                      SECRET_SEARCH_NONE, NULL, &local_error);
  g_list_free_full (items, g_object_unref);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static gboolean
keyring_store (BourseSecrets  *self,
               const char     *name,
               GBytes         *value,
               GError        **error)
{
  g_autoptr(GHashTable) attributes = keyring_attributes (self, name);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = g_strdup_printf ("Bourse: %s", name);
  SecretValue *secret;
  char *encoded = encode_value (value);
  gboolean ok;

  /* Replaces an item with the same attributes. */
  secret = secret_value_new (encoded, -1, "text/plain");
  ok = secret_service_store_sync (self->service, get_schema (), attributes,
                                  SECRET_COLLECTION_DEFAULT, label, secret, NULL, &local_error);
  secret_value_unref (secret);
  wipe_string (encoded);
  g_free (encoded);

  if (!ok)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot store the secret %s in the keyring: %s"), name, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static GBytes *
keyring_lookup (BourseSecrets  *self,
                const char     *name,
                GError        **error)
{
  g_autoptr(GHashTable) attributes = keyring_attributes (self, name);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SecretValue) secret = NULL;
  g_autofree char *encoded = NULL;
  GList *items;
  gsize len;
  const char *text;
  GBytes *value;

  /* UNLOCK as the secret_password_lookup() shortcut does: when the
   * keyring was chosen explicitly, a desktop may prompt to unlock it. */
  items = secret_service_search_sync (self->service, get_schema (), attributes,
                                      SECRET_SEARCH_LOAD_SECRETS | SECRET_SEARCH_UNLOCK,
                                      NULL, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot read the secret %s from the keyring: %s"), name, local_error->message);
      return NULL;
    }
  if (items == NULL)
    return NULL;

  secret = secret_item_get_secret (items->data);
  g_list_free_full (items, g_object_unref);
  if (secret == NULL)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot read the secret %s from the keyring: it is locked"), name);
      return NULL;
    }

  /* SecretValue keeps its bytes in non-pageable memory; the copy made
   * here to NUL-terminate them is wiped below. */
  text = secret_value_get (secret, &len);
  encoded = g_strndup (text, len);
  value = decode_value (encoded, name, error);
  wipe_string (encoded);

  return value;
}

static gboolean
keyring_delete (BourseSecrets  *self,
                const char     *name,
                GError        **error)
{
  g_autoptr(GHashTable) attributes = keyring_attributes (self, name);
  g_autoptr(GError) local_error = NULL;

  /* FALSE without an error just means there was nothing to delete. */
  if (!secret_service_clear_sync (self->service, get_schema (), attributes, NULL, &local_error)
      && local_error != NULL)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot delete the secret %s from the keyring: %s"), name,
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* ---- file ------------------------------------------------------------- */

/* Reads the key file, refusing one that other users could read or change.
 * A missing file is an empty one. Called with the mutex held. */
static GKeyFile *
file_read (BourseSecrets  *self,
           GError        **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *contents = NULL;
  struct stat st;
  gboolean ok;
  gsize len = 0;
  int saved_errno;
  int fd;

  /* fstat on the descriptor we read from: no window between check and use,
   * and O_NOFOLLOW keeps a planted symlink from redirecting us. */
  fd = g_open (self->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        return g_steal_pointer (&key_file);
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot open the secrets file %s: %s"), self->path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      g_close (fd, NULL);
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot open the secrets file %s: %s"), self->path, g_strerror (saved_errno));
      return NULL;
    }

  if (!S_ISREG (st.st_mode) || st.st_size > MAX_FILE_SIZE)
    {
      g_close (fd, NULL);
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("The secrets file %s is not a regular file of at most %d bytes"),
                   self->path, MAX_FILE_SIZE);
      return NULL;
    }

  if (st.st_uid != geteuid ())
    {
      g_close (fd, NULL);
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS,
                   _("The secrets file %s belongs to another user: it must belong to the user "
                     "running Bourse, with mode 0600"), self->path);
      return NULL;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_close (fd, NULL);
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS,
                   _("The secrets file %s can be accessed by other users (mode %04o). Make it "
                     "private with “chmod 600 %s”, and consider changing the secrets it holds."),
                   self->path, (unsigned)(st.st_mode & 07777), self->path);
      return NULL;
    }

  contents = g_malloc (st.st_size + 1);
  while (len < (gsize)st.st_size)
    {
      gssize n = read (fd, contents + len, st.st_size - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          g_close (fd, NULL);
          sodium_memzero (contents, len);
          g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                       _("Cannot read the secrets file %s: %s"), self->path,
                       g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      len += n;
    }
  contents[len] = '\0';
  g_close (fd, NULL);

  /* GKeyFile's message quotes the offending line, which may hold a secret:
   * it is not passed on. */
  ok = g_key_file_load_from_data (key_file, contents, len, G_KEY_FILE_NONE, NULL);
  sodium_memzero (contents, len);
  if (!ok)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("The secrets file %s is damaged: restore it from a backup, or remove it "
                     "and store the secrets again"), self->path);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

/* Replaces the file atomically (write a temporary file, fsync, rename), so
 * a crash leaves the old secrets or the new ones, never half of them. */
static gboolean
file_write (BourseSecrets  *self,
            GKeyFile       *key_file,
            GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len;
  char *data = g_key_file_to_data (key_file, &len, NULL);
  gboolean ok;

  ok = g_file_set_contents_full (self->path, data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error);
  sodium_memzero (data, len);
  g_free (data);

  if (!ok)
    {
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot write the secrets file %s: %s"), self->path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
file_store (BourseSecrets  *self,
            const char     *name,
            GBytes         *value,
            GError        **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(GKeyFile) key_file = file_read (self, error);
  char *encoded;

  if (key_file == NULL)
    return FALSE;

  encoded = encode_value (value);
  g_key_file_set_string (key_file, FILE_GROUP, name, encoded);
  wipe_string (encoded);
  g_free (encoded);

  return file_write (self, key_file, error);
}

static GBytes *
file_lookup (BourseSecrets  *self,
             const char     *name,
             GError        **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(GKeyFile) key_file = file_read (self, error);
  GBytes *value;
  char *encoded;

  if (key_file == NULL)
    return NULL;

  encoded = g_key_file_get_string (key_file, FILE_GROUP, name, NULL);
  if (encoded == NULL)
    return NULL;

  value = decode_value (encoded, name, error);
  wipe_string (encoded);
  g_free (encoded);

  return value;
}

static gboolean
file_delete (BourseSecrets  *self,
             const char     *name,
             GError        **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(GKeyFile) key_file = file_read (self, error);

  if (key_file == NULL)
    return FALSE;

  if (!g_key_file_remove_key (key_file, FILE_GROUP, name, NULL))
    return TRUE;

  return file_write (self, key_file, error);
}

static gboolean
file_open (BourseSecrets  *self,
           GError        **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  int saved_errno;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                   _("Cannot create the data directory %s: %s"), self->data_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  /* Refuse a file with wrong permissions now, at start-up, rather than at
   * the first secret somebody needs. */
  key_file = file_read (self, error);

  return key_file != NULL;
}

/* ---- public ----------------------------------------------------------- */

BourseSecrets *
bourse_secrets_new (const char            *data_dir,
                    BourseSecretsBackend   backend,
                    GError               **error)
{
  g_autoptr(BourseSecrets) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data_dir != NULL && *data_dir != '\0', NULL);
  g_return_val_if_fail (backend <= BOURSE_SECRETS_BACKEND_FILE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BOURSE_TYPE_SECRETS, NULL);
  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  self->path = g_build_filename (self->data_dir, FILE_NAME, NULL);

  switch (backend)
    {
    case BOURSE_SECRETS_BACKEND_AUTO:
      if (keyring_probe (self, &local_error))
        {
          self->backend = BOURSE_SECRETS_BACKEND_KEYRING;
          break;
        }
      g_debug ("Secret Service unusable: %s", local_error->message);
      g_clear_object (&self->service);
      self->backend = BOURSE_SECRETS_BACKEND_FILE;
      if (!file_open (self, error))
        return NULL;
      g_message ("No Secret Service: keeping secrets in %s (mode 0600)", self->path);
      break;

    case BOURSE_SECRETS_BACKEND_KEYRING:
      if (!keyring_connect (self, &local_error))
        {
          g_set_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED,
                       _("The keyring (Secret Service) is not available: %s"),
                       local_error->message);
          return NULL;
        }
      self->backend = BOURSE_SECRETS_BACKEND_KEYRING;
      break;

    case BOURSE_SECRETS_BACKEND_FILE:
      self->backend = BOURSE_SECRETS_BACKEND_FILE;
      if (!file_open (self, error))
        return NULL;
      break;

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&self);
}

BourseSecretsBackend
bourse_secrets_get_backend (BourseSecrets *self)
{
  g_return_val_if_fail (BOURSE_IS_SECRETS (self), BOURSE_SECRETS_BACKEND_AUTO);

  return self->backend;
}

gboolean
bourse_secrets_store (BourseSecrets  *self,
                      const char     *name,
                      GBytes         *value,
                      GError        **error)
{
  g_return_val_if_fail (BOURSE_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (is_valid_name (name), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->backend == BOURSE_SECRETS_BACKEND_KEYRING)
    return keyring_store (self, name, value, error);
  else
    return file_store (self, name, value, error);
}

GBytes *
bourse_secrets_lookup (BourseSecrets  *self,
                       const char     *name,
                       GError        **error)
{
  g_return_val_if_fail (BOURSE_IS_SECRETS (self), NULL);
  g_return_val_if_fail (is_valid_name (name), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->backend == BOURSE_SECRETS_BACKEND_KEYRING)
    return keyring_lookup (self, name, error);
  else
    return file_lookup (self, name, error);
}

gboolean
bourse_secrets_delete (BourseSecrets  *self,
                       const char     *name,
                       GError        **error)
{
  g_return_val_if_fail (BOURSE_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (is_valid_name (name), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->backend == BOURSE_SECRETS_BACKEND_KEYRING)
    return keyring_delete (self, name, error);
  else
    return file_delete (self, name, error);
}

char *
bourse_config_dup_secret (BourseConfig  *config,
                          BourseSecrets *secrets,
                          const char    *section,
                          const char    *key)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", section, key);
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *value;

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (secrets == NULL || BOURSE_IS_SECRETS (secrets), NULL);

  if (secrets != NULL && (stored = bourse_secrets_lookup (secrets, name, &error)) != NULL)
    return g_strndup (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored));
  if (error != NULL)
    g_warning ("Cannot read the secret %s: %s", name, error->message);

  value = bourse_config_get_string (config, section, key);
  return value[0] != '\0' ? g_strdup (value) : NULL;
}

BourseSecrets *
bourse_secrets_new_for_config (BourseConfig  *config,
                               GError       **error)
{
  const char *name = bourse_config_get_string (config, "auth", "secrets_backend");
  BourseSecretsBackend backend = BOURSE_SECRETS_BACKEND_AUTO;
  g_autofree char *data_dir = bourse_config_dup_data_dir (config);

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  if (g_str_equal (name, "keyring"))
    backend = BOURSE_SECRETS_BACKEND_KEYRING;
  else if (g_str_equal (name, "file"))
    backend = BOURSE_SECRETS_BACKEND_FILE;
  return bourse_secrets_new (data_dir, backend, error);
}
