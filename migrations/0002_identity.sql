-- People and how they prove who they are: users, memberships (agency- or practice-level, with a role), sessions,
-- personal API tokens, invitations, password resets, MFA recovery codes, login attempts and the e-mail outbox.
-- Every secret (session cookie, token, one-time link, recovery code) is stored only as its SHA-256 hash.

CREATE TABLE users (
  id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
  email               text        NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
  display_name        text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
  password_hash       text,
  is_platform_admin   boolean     NOT NULL DEFAULT false,
  -- The TOTP secret, encrypted under the master key (see platform/src/crypto). Enrolment is confirmed when
  -- mfa_enabled_at is set; a secret without it is a pending enrolment.
  mfa_secret          bytea,
  mfa_enabled_at      timestamptz,
  -- The last TOTP time step accepted, so a code cannot be replayed within its validity window.
  mfa_last_step       bigint,
  disabled_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE memberships (
  id           uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id      uuid        NOT NULL,
  agency_id    uuid,
  practice_id  uuid,
  role         text        NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT memberships_pkey PRIMARY KEY (id),
  CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT memberships_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT memberships_practice_id_fkey FOREIGN KEY (practice_id) REFERENCES practices (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT memberships_one_scope CHECK ((agency_id IS NULL) <> (practice_id IS NULL))
);
CREATE UNIQUE INDEX memberships_user_id_agency_id_key ON memberships (user_id, agency_id);
CREATE UNIQUE INDEX memberships_user_id_practice_id_key ON memberships (user_id, practice_id);
CREATE INDEX memberships_agency_id_idx ON memberships (agency_id);
CREATE INDEX memberships_practice_id_idx ON memberships (practice_id);

CREATE TABLE sessions (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id       uuid        NOT NULL,
  token_hash    bytea       NOT NULL,
  -- A session that passed the password but not yet the second factor can do nothing but finish MFA.
  mfa_pending   boolean     NOT NULL DEFAULT false,
  ip            text,
  user_agent    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id       uuid        NOT NULL,
  name          text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  -- The first characters of the token, shown in lists so a person can tell their tokens apart.
  prefix        text        NOT NULL,
  token_hash    bytea       NOT NULL,
  role          text        NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  practice_ids  uuid[]      NOT NULL CHECK (cardinality(practice_ids) > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  CONSTRAINT api_tokens_pkey PRIMARY KEY (id),
  CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE invitations (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  agency_id     uuid,
  practice_id   uuid,
  email         text        NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
  role          text        NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  token_hash    bytea       NOT NULL,
  invited_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  accepted_at   timestamptz,
  revoked_at    timestamptz,
  CONSTRAINT invitations_pkey PRIMARY KEY (id),
  CONSTRAINT invitations_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT invitations_practice_id_fkey FOREIGN KEY (practice_id) REFERENCES practices (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT invitations_one_scope CHECK ((agency_id IS NULL) <> (practice_id IS NULL))
);
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash);
CREATE INDEX invitations_agency_id_idx ON invitations (agency_id);
CREATE INDEX invitations_practice_id_idx ON invitations (practice_id);

CREATE TABLE password_resets (
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id     uuid        NOT NULL,
  token_hash  bytea       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  CONSTRAINT password_resets_pkey PRIMARY KEY (id),
  CONSTRAINT password_resets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets (token_hash);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

CREATE TABLE mfa_recovery_codes (
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id     uuid        NOT NULL,
  code_hash   bytea       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  used_at     timestamptz,
  CONSTRAINT mfa_recovery_codes_pkey PRIMARY KEY (id),
  CONSTRAINT mfa_recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX mfa_recovery_codes_code_hash_key ON mfa_recovery_codes (code_hash);
CREATE INDEX mfa_recovery_codes_user_id_idx ON mfa_recovery_codes (user_id);

-- Failed and successful sign-ins, keyed by an HMAC of the e-mail (so throttling works the same whether or not the
-- account exists, and the table holds no addresses) and by client IP.
CREATE TABLE login_attempts (
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  email_key   bytea       NOT NULL,
  ip          text        NOT NULL,
  succeeded   boolean     NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT login_attempts_pkey PRIMARY KEY (id)
);
CREATE INDEX login_attempts_email_key_created_at_idx ON login_attempts (email_key, created_at);
CREATE INDEX login_attempts_ip_created_at_idx ON login_attempts (ip, created_at);

-- Mail waits here until the mailer delivers it (SMTP when configured, otherwise a local outbox folder). Bodies carry
-- one-time links, so they are sealed under the master key and the app role may add mail but never read it back.
CREATE TABLE outbox_emails (
  id           uuid        NOT NULL DEFAULT gen_random_uuid(),
  to_address   text        NOT NULL,
  subject      text        NOT NULL,
  body_sealed  bytea       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  attempts     integer     NOT NULL DEFAULT 0,
  last_error   text,
  CONSTRAINT outbox_emails_pkey PRIMARY KEY (id)
);
CREATE INDEX outbox_emails_sent_at_idx ON outbox_emails (sent_at);

ALTER TABLE users ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE mfa_recovery_codes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE login_attempts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE outbox_emails ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- Sign-in sets app.login_email for the one statement that fetches the account being signed in to.
CREATE POLICY users_visible ON users FOR SELECT TO sourceline_app
  USING (id = app_user_id() OR id IN (SELECT user_id FROM memberships) OR email = app_setting('app.login_email'));
CREATE POLICY users_self_update ON users FOR UPDATE TO sourceline_app
  USING (id = app_user_id()) WITH CHECK (id = app_user_id());
-- New accounts are created by accepting an invitation: the session context then names the new user's id.
CREATE POLICY users_self_create ON users FOR INSERT TO sourceline_app WITH CHECK (id = app_user_id());

CREATE POLICY memberships_tenant ON memberships TO sourceline_app
  USING (user_id = app_user_id() OR agency_id = ANY (app_agency_ids()) OR practice_id = ANY (app_practice_ids()))
  WITH CHECK (agency_id = ANY (app_agency_ids()) OR practice_id = ANY (app_practice_ids()));

CREATE POLICY sessions_own ON sessions TO sourceline_app
  USING (user_id = app_user_id() OR token_hash = app_token_hash()) WITH CHECK (user_id = app_user_id());
CREATE POLICY api_tokens_own ON api_tokens TO sourceline_app
  USING (user_id = app_user_id() OR token_hash = app_token_hash()) WITH CHECK (user_id = app_user_id());
CREATE POLICY invitations_tenant ON invitations TO sourceline_app
  USING (agency_id = ANY (app_agency_ids()) OR practice_id = ANY (app_practice_ids()) OR token_hash = app_token_hash())
  WITH CHECK (agency_id = ANY (app_agency_ids()) OR practice_id = ANY (app_practice_ids()) OR token_hash = app_token_hash());
CREATE POLICY password_resets_own ON password_resets TO sourceline_app
  USING (user_id = app_user_id() OR token_hash = app_token_hash()) WITH CHECK (user_id = app_user_id());
CREATE POLICY mfa_recovery_codes_own ON mfa_recovery_codes TO sourceline_app
  USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY login_attempts_keyed ON login_attempts TO sourceline_app
  USING (email_key = decode(app_setting('app.login_key'), 'hex') OR ip = app_setting('app.client_ip'))
  WITH CHECK (email_key = decode(app_setting('app.login_key'), 'hex'));
CREATE POLICY outbox_emails_enqueue ON outbox_emails FOR INSERT TO sourceline_app WITH CHECK (true);

CREATE POLICY users_system ON users TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY memberships_system ON memberships TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY sessions_system ON sessions TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY api_tokens_system ON api_tokens TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY invitations_system ON invitations TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY password_resets_system ON password_resets TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY mfa_recovery_codes_system ON mfa_recovery_codes TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY login_attempts_system ON login_attempts TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY outbox_emails_system ON outbox_emails TO sourceline_system USING (true) WITH CHECK (true);

GRANT SELECT, INSERT, UPDATE ON users TO sourceline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, sessions, api_tokens, invitations, password_resets, mfa_recovery_codes
  TO sourceline_app;
GRANT SELECT, INSERT ON login_attempts TO sourceline_app;
GRANT INSERT ON outbox_emails TO sourceline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, memberships, sessions, api_tokens, invitations, password_resets,
  mfa_recovery_codes, login_attempts, outbox_emails TO sourceline_system;
