-- Connections to source systems, their sync runs and cursors, and the canonical records connectors emit.
--
-- Records are keyed by (connection, source id): ids are the source's own, so two practices' Open Dental PatNum 2041
-- never collide, and references between records (a procedure's patient) stay source ids, which lets records arrive
-- in any order. Direct identifiers are stored only encrypted (bytea, sealed with the practice's data key); lookups
-- use keyed blind-index digests in *_identifiers. content_hash is an HMAC of the canonical record under the
-- practice's blind-index key: an unchanged record is recognised without decrypting and is not rewritten. Record ids
-- are time-ordered (uuidv7) so a bulk sync appends to the primary-key index instead of scattering writes over it.

CREATE TABLE connections (
  id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id            uuid        NOT NULL,
  location_id            uuid,
  connector_id           text        NOT NULL CHECK (connector_id ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  display_name           text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
  -- The settings JSON, secrets included, sealed with the practice's data key.
  settings_sealed        bytea       NOT NULL,
  status                 text        NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'auth_failed', 'rate_limited', 'error')),
  status_message         text,
  sync_interval_minutes  integer     NOT NULL DEFAULT 15 CHECK (sync_interval_minutes BETWEEN 5 AND 1440),
  paused_at              timestamptz,
  last_synced_at         timestamptz,
  created_by             uuid,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT connections_pkey PRIMARY KEY (id),
  CONSTRAINT connections_practice_id_fkey FOREIGN KEY (practice_id) REFERENCES practices (id) ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT connections_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX connections_practice_id_idx ON connections (practice_id);

CREATE TABLE sync_cursors (
  connection_id  uuid        NOT NULL,
  stream         text        NOT NULL,
  practice_id    uuid        NOT NULL,
  cursor         jsonb       NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sync_cursors_pkey PRIMARY KEY (connection_id, stream),
  CONSTRAINT sync_cursors_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX sync_cursors_practice_id_idx ON sync_cursors (practice_id);

CREATE TABLE sync_runs (
  id              uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id     uuid        NOT NULL,
  connection_id   uuid        NOT NULL,
  stream          text        NOT NULL,
  trigger         text        NOT NULL CHECK (trigger IN ('schedule', 'manual', 'reconcile')),
  status          text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  -- { "<kind>": { "inserted": n, "updated": n, "deleted": n, "skipped": n } }
  counts          jsonb       NOT NULL DEFAULT '{}',
  -- Rejected records, by kind and source id, with the field and reason (never the value): at most 500 kept.
  errors          jsonb       NOT NULL DEFAULT '[]',
  error_count     integer     NOT NULL DEFAULT 0,
  cursor_before   jsonb,
  cursor_after    jsonb,
  progress_done   bigint      NOT NULL DEFAULT 0,
  progress_total  bigint,
  failure         text,
  CONSTRAINT sync_runs_pkey PRIMARY KEY (id),
  CONSTRAINT sync_runs_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX sync_runs_connection_id_started_at_idx ON sync_runs (connection_id, started_at);
CREATE INDEX sync_runs_practice_id_idx ON sync_runs (practice_id);

CREATE TABLE patients (
  id                          uuid        NOT NULL DEFAULT uuidv7(),
  practice_id                 uuid        NOT NULL,
  connection_id               uuid        NOT NULL,
  source_id                   text        NOT NULL,
  content_hash                bytea       NOT NULL,
  first_name                  bytea,
  last_name                   bytea,
  middle_name                 bytea,
  preferred_name              bytea,
  birth_date                  bytea,
  email                       bytea,
  phones                      bytea,
  address                     bytea,
  gender                      text        NOT NULL,
  status                      text        NOT NULL,
  guarantor_source_id         text,
  primary_provider_source_id  text,
  location_source_id          text,
  first_visit_on              date,
  created_on                  date,
  source_updated_at           timestamptz,
  deleted_at                  timestamptz,
  first_seen_at               timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT patients_pkey PRIMARY KEY (id),
  CONSTRAINT patients_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX patients_connection_id_source_id_key ON patients (connection_id, source_id);
CREATE INDEX patients_practice_id_idx ON patients (practice_id);

-- Blind-index digests of a patient's normalised identifiers (E.164 phones, canonical e-mail, name keys): the
-- matcher's blocking keys and the lookups behind search, without decrypting anything.
CREATE TABLE patient_identifiers (
  patient_id   uuid   NOT NULL,
  practice_id  uuid   NOT NULL,
  kind         text   NOT NULL,
  digest       bytea  NOT NULL,
  CONSTRAINT patient_identifiers_pkey PRIMARY KEY (patient_id, kind, digest),
  CONSTRAINT patient_identifiers_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX patient_identifiers_practice_id_kind_digest_idx ON patient_identifiers (practice_id, kind, digest);

CREATE TABLE appointments (
  id                   uuid        NOT NULL DEFAULT uuidv7(),
  practice_id          uuid        NOT NULL,
  connection_id        uuid        NOT NULL,
  source_id            text        NOT NULL,
  content_hash         bytea       NOT NULL,
  patient_source_id    text        NOT NULL,
  status               text        NOT NULL,
  scheduled_at         timestamptz NOT NULL,
  provider_source_id   text,
  hygienist_source_id  text,
  location_source_id   text,
  is_new_patient       boolean     NOT NULL,
  source_created_at    timestamptz,
  source_updated_at    timestamptz,
  deleted_at           timestamptz,
  first_seen_at        timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT appointments_pkey PRIMARY KEY (id),
  CONSTRAINT appointments_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX appointments_connection_id_source_id_key ON appointments (connection_id, source_id);
CREATE INDEX appointments_connection_id_patient_source_id_idx ON appointments (connection_id, patient_source_id);
CREATE INDEX appointments_practice_id_scheduled_at_idx ON appointments (practice_id, scheduled_at);

CREATE TABLE procedures (
  id                     uuid        NOT NULL DEFAULT uuidv7(),
  practice_id            uuid        NOT NULL,
  connection_id          uuid        NOT NULL,
  source_id              text        NOT NULL,
  content_hash           bytea       NOT NULL,
  patient_source_id      text        NOT NULL,
  appointment_source_id  text,
  provider_source_id     text,
  location_source_id     text,
  status                 text        NOT NULL,
  performed_on           date,
  code                   text        NOT NULL,
  description            text,
  unit_fee_cents         bigint      NOT NULL,
  quantity               integer     NOT NULL,
  fee_cents              bigint      NOT NULL,
  discount_cents         bigint      NOT NULL,
  source_updated_at      timestamptz,
  deleted_at             timestamptz,
  first_seen_at          timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT procedures_pkey PRIMARY KEY (id),
  CONSTRAINT procedures_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX procedures_connection_id_source_id_key ON procedures (connection_id, source_id);
CREATE INDEX procedures_connection_id_patient_source_id_idx ON procedures (connection_id, patient_source_id);
CREATE INDEX procedures_practice_id_performed_on_idx ON procedures (practice_id, performed_on);

CREATE TABLE payments (
  id                  uuid        NOT NULL DEFAULT uuidv7(),
  practice_id         uuid        NOT NULL,
  connection_id       uuid        NOT NULL,
  source_id           text        NOT NULL,
  content_hash        bytea       NOT NULL,
  patient_source_id   text        NOT NULL,
  location_source_id  text,
  provider_source_id  text,
  payer               text        NOT NULL,
  amount_cents        bigint      NOT NULL,
  paid_on             date        NOT NULL,
  method              text,
  source_updated_at   timestamptz,
  deleted_at          timestamptz,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_pkey PRIMARY KEY (id),
  CONSTRAINT payments_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX payments_connection_id_source_id_key ON payments (connection_id, source_id);
CREATE INDEX payments_connection_id_patient_source_id_idx ON payments (connection_id, patient_source_id);
CREATE INDEX payments_practice_id_paid_on_idx ON payments (practice_id, paid_on);

CREATE TABLE adjustments (
  id                   uuid        NOT NULL DEFAULT uuidv7(),
  practice_id          uuid        NOT NULL,
  connection_id        uuid        NOT NULL,
  source_id            text        NOT NULL,
  content_hash         bytea       NOT NULL,
  patient_source_id    text        NOT NULL,
  location_source_id   text,
  provider_source_id   text,
  procedure_source_id  text,
  amount_cents         bigint      NOT NULL,
  adjusted_on          date        NOT NULL,
  type                 text,
  source_updated_at    timestamptz,
  deleted_at           timestamptz,
  first_seen_at        timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT adjustments_pkey PRIMARY KEY (id),
  CONSTRAINT adjustments_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX adjustments_connection_id_source_id_key ON adjustments (connection_id, source_id);
CREATE INDEX adjustments_connection_id_patient_source_id_idx ON adjustments (connection_id, patient_source_id);

-- Providers are the practice's staff, not patients: their names are not PHI and stay readable.
CREATE TABLE providers (
  id             uuid        NOT NULL DEFAULT uuidv7(),
  practice_id    uuid        NOT NULL,
  connection_id  uuid        NOT NULL,
  source_id      text        NOT NULL,
  content_hash   bytea       NOT NULL,
  abbreviation   text,
  first_name     text,
  last_name      text,
  role           text        NOT NULL,
  is_active      boolean     NOT NULL,
  npi            text,
  deleted_at     timestamptz,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT providers_pkey PRIMARY KEY (id),
  CONSTRAINT providers_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX providers_connection_id_source_id_key ON providers (connection_id, source_id);

-- A source system's own locations (Open Dental clinics), mapped to a Sourceline location when one is chosen.
CREATE TABLE source_locations (
  id             uuid        NOT NULL DEFAULT uuidv7(),
  practice_id    uuid        NOT NULL,
  connection_id  uuid        NOT NULL,
  source_id      text        NOT NULL,
  content_hash   bytea       NOT NULL,
  name           text        NOT NULL,
  abbreviation   text,
  address        jsonb,
  phone          text,
  time_zone      text,
  location_id    uuid,
  deleted_at     timestamptz,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT source_locations_pkey PRIMARY KEY (id),
  CONSTRAINT source_locations_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT source_locations_location_id_fkey FOREIGN KEY (location_id) REFERENCES locations (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX source_locations_connection_id_source_id_key ON source_locations (connection_id, source_id);

CREATE TABLE referral_sources (
  id                           uuid        NOT NULL DEFAULT uuidv7(),
  practice_id                  uuid        NOT NULL,
  connection_id                uuid        NOT NULL,
  source_id                    text        NOT NULL,
  content_hash                 bytea       NOT NULL,
  patient_source_id            text        NOT NULL,
  -- Free text typed at the front desk ("Google", but also "Dr. Lee" or a referring patient's name): encrypted.
  source_name                  bytea       NOT NULL,
  source_kind                  text        NOT NULL,
  referring_patient_source_id  text,
  referred_on                  text,
  rank                         integer     NOT NULL,
  deleted_at                   timestamptz,
  first_seen_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT referral_sources_pkey PRIMARY KEY (id),
  CONSTRAINT referral_sources_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX referral_sources_connection_id_source_id_key ON referral_sources (connection_id, source_id);
CREATE INDEX referral_sources_connection_id_patient_source_id_idx ON referral_sources (connection_id, patient_source_id);

CREATE TABLE leads (
  id                  uuid        NOT NULL DEFAULT uuidv7(),
  practice_id         uuid        NOT NULL,
  connection_id       uuid        NOT NULL,
  source_id           text        NOT NULL,
  content_hash        bytea       NOT NULL,
  occurred_at         timestamptz NOT NULL,
  kind                text        NOT NULL,
  channel             text,
  source              text,
  medium              text,
  campaign            text,
  ad_group            text,
  keyword             text,
  gclid               text,
  name                bytea,
  phone               bytea,
  email               bytea,
  landing_page        text,
  message             bytea,
  duration_seconds    integer,
  location_source_id  text,
  deleted_at          timestamptz,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT leads_pkey PRIMARY KEY (id),
  CONSTRAINT leads_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX leads_connection_id_source_id_key ON leads (connection_id, source_id);
CREATE INDEX leads_practice_id_occurred_at_idx ON leads (practice_id, occurred_at);

CREATE TABLE lead_identifiers (
  lead_id      uuid   NOT NULL,
  practice_id  uuid   NOT NULL,
  kind         text   NOT NULL,
  digest       bytea  NOT NULL,
  CONSTRAINT lead_identifiers_pkey PRIMARY KEY (lead_id, kind, digest),
  CONSTRAINT lead_identifiers_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX lead_identifiers_practice_id_kind_digest_idx ON lead_identifiers (practice_id, kind, digest);

CREATE TABLE spend (
  id             uuid        NOT NULL DEFAULT uuidv7(),
  practice_id    uuid        NOT NULL,
  connection_id  uuid        NOT NULL,
  source_id      text        NOT NULL,
  content_hash   bytea       NOT NULL,
  date           date        NOT NULL,
  source         text        NOT NULL,
  medium         text,
  campaign       text        NOT NULL,
  ad_group       text,
  cost_cents     bigint      NOT NULL,
  currency       text        NOT NULL,
  clicks         integer,
  impressions    integer,
  deleted_at     timestamptz,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT spend_pkey PRIMARY KEY (id),
  CONSTRAINT spend_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX spend_connection_id_source_id_key ON spend (connection_id, source_id);
CREATE INDEX spend_practice_id_date_idx ON spend (practice_id, date);

-- Every table above is a tenant table: the same two policies, forced, on each.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['connections', 'sync_cursors', 'sync_runs', 'patients', 'patient_identifiers', 'appointments',
    'procedures', 'payments', 'adjustments', 'providers', 'source_locations', 'referral_sources', 'leads',
    'lead_identifiers', 'spend']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY (app_practice_ids())) '
                   'WITH CHECK (practice_id = ANY (app_practice_ids()))', t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sourceline_app, sourceline_system', t);
  END LOOP;
END $$;
