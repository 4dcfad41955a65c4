-- Roles, tenancy context and the tenant tables: agencies → practices → locations.
--
-- Three roles, each with one job:
--   * the owner (whoever runs migrations) owns every object. Tables FORCE row-level security and no policy names the
--     owner, so a process that mistakenly connects as the owner sees no tenant rows at all (fail closed).
--   * sourceline_app: what the API and workers use. Not superuser, not BYPASSRLS, not owner; it sees rows only through
--     policies that read the per-transaction settings app.user_id / app.practice_ids / app.agency_ids.
--   * sourceline_system: NOLOGIN. Entered with SET ROLE by owner-run maintenance (audit verify, key rotation, backups)
--     and by SECURITY DEFINER triggers; its policies see every row. Nothing on the request path uses it.
-- Roles are cluster-wide, so creation is idempotent (several Sourceline databases may share one cluster, as tests do).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sourceline_app') THEN
    CREATE ROLE sourceline_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sourceline_system') THEN
    CREATE ROLE sourceline_system NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;

GRANT sourceline_system TO CURRENT_USER;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sourceline_app, sourceline_system;

-- The tenancy context. Each request or job runs in a transaction that first calls set_config(..., true); an unset or
-- empty setting yields an empty array, so a query without context sees nothing.
CREATE FUNCTION app_setting(name text) RETURNS text
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting(name, true), '') $$;

CREATE FUNCTION app_practice_ids() RETURNS uuid[]
  LANGUAGE sql STABLE AS $$ SELECT coalesce(string_to_array(app_setting('app.practice_ids'), ',')::uuid[], '{}') $$;

CREATE FUNCTION app_agency_ids() RETURNS uuid[]
  LANGUAGE sql STABLE AS $$ SELECT coalesce(string_to_array(app_setting('app.agency_ids'), ',')::uuid[], '{}') $$;

CREATE FUNCTION app_user_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT app_setting('app.user_id')::uuid $$;

CREATE FUNCTION app_is_platform_admin() RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT coalesce(app_setting('app.platform_admin') = 'on', false) $$;

-- A secret the caller presents (session cookie, API token, one-time link) as its SHA-256 hash, hex-encoded.
-- Knowing the secret is what grants sight of the one row it names.
CREATE FUNCTION app_token_hash() RETURNS bytea
  LANGUAGE sql STABLE AS $$ SELECT decode(app_setting('app.token_hash'), 'hex') $$;

CREATE TABLE agencies (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  name          text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  mfa_required  boolean     NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agencies_pkey PRIMARY KEY (id)
);

CREATE TABLE practices (
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  agency_id   uuid        NOT NULL,
  name        text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  time_zone   text        NOT NULL DEFAULT 'America/New_York',
  -- Seven-digit phone numbers written on intake forms are completed with this area code.
  area_code   text        CHECK (area_code ~ '^[2-9][0-9]{2}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT practices_pkey PRIMARY KEY (id),
  CONSTRAINT practices_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX practices_agency_id_idx ON practices (agency_id);

CREATE TABLE locations (
  id           uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id  uuid        NOT NULL,
  name         text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  time_zone    text        NOT NULL DEFAULT 'America/New_York',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT locations_pkey PRIMARY KEY (id),
  CONSTRAINT locations_practice_id_fkey FOREIGN KEY (practice_id) REFERENCES practices (id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX locations_practice_id_idx ON locations (practice_id);

ALTER TABLE agencies ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE practices ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE locations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- Practice-level members see their practice's agency (its name heads their console); only agency members change it.
CREATE POLICY agencies_read ON agencies FOR SELECT TO sourceline_app
  USING (id = ANY (app_agency_ids()) OR id IN (SELECT agency_id FROM practices));
CREATE POLICY agencies_create ON agencies FOR INSERT TO sourceline_app WITH CHECK (app_is_platform_admin());
CREATE POLICY agencies_update ON agencies FOR UPDATE TO sourceline_app
  USING (id = ANY (app_agency_ids())) WITH CHECK (id = ANY (app_agency_ids()));

CREATE POLICY practices_tenant ON practices TO sourceline_app
  USING (id = ANY (app_practice_ids()) OR agency_id = ANY (app_agency_ids()))
  WITH CHECK (id = ANY (app_practice_ids()) OR agency_id = ANY (app_agency_ids()));

CREATE POLICY locations_tenant ON locations TO sourceline_app
  USING (practice_id = ANY (app_practice_ids())) WITH CHECK (practice_id = ANY (app_practice_ids()));

CREATE POLICY agencies_system ON agencies TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY practices_system ON practices TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY locations_system ON locations TO sourceline_system USING (true) WITH CHECK (true);

GRANT SELECT, INSERT, UPDATE ON agencies, practices, locations TO sourceline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON agencies, practices, locations TO sourceline_system;
