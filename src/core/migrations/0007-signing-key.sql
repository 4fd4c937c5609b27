-- 0007-signing-key.sql: the generation of the token-signing key.
--
-- The key is a secret (the keyring, or secrets.keyfile) and never in the
-- database. `boursed keys rotate` stores a new key and then bumps the
-- generation; a running engine reads the generation before it checks or
-- signs a token, and loads the key again when it changed: tokens signed
-- with the old key are refused at once, without a restart.

CREATE TABLE signing_key (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  generation  INTEGER NOT NULL,
  rotated_at  TEXT
);

INSERT INTO signing_key (id, generation) VALUES (1, 1);
