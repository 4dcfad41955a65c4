-- The append-only, hash-chained audit log, and the per-practice data keys that encrypt PHI.

-- One chain per practice (its id), per agency ('agency:<id>') and one for events outside any tenant ('global').
-- Each row's hash covers its content and the previous row's hash, so an edit or deletion anywhere breaks every later
-- link; `sourceline audit verify` recomputes the chain and names the first broken row.
CREATE TABLE audit_log (
  id              bigint      GENERATED ALWAYS AS IDENTITY,
  chain           text        NOT NULL,
  seq             bigint      NOT NULL,
  practice_id     uuid,
  agency_id       uuid,
  actor_user_id   uuid,
  actor_token_id  uuid,
  actor_label     text,
  action          text        NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  target_type     text,
  target_id       text,
  fields          text[]      NOT NULL DEFAULT '{}',
  ip              text,
  user_agent      text,
  request_id      text,
  details         jsonb       NOT NULL DEFAULT '{}',
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  prev_hash       bytea       NOT NULL,
  hash            bytea       NOT NULL,
  CONSTRAINT audit_log_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX audit_log_chain_seq_key ON audit_log (chain, seq);
CREATE INDEX audit_log_practice_id_occurred_at_idx ON audit_log (practice_id, occurred_at);
CREATE INDEX audit_log_agency_id_occurred_at_idx ON audit_log (agency_id, occurred_at);
CREATE INDEX audit_log_actor_user_id_occurred_at_idx ON audit_log (actor_user_id, occurred_at);

-- The head of each chain. Its row lock serialises appends to one chain without serialising the others.
CREATE TABLE audit_chain_heads (
  chain  text   NOT NULL,
  seq    bigint NOT NULL,
  hash   bytea  NOT NULL,
  CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (chain)
);

-- The canonical form hashed for a row. Timestamps enter as epoch microseconds so the hash does not depend on the
-- session's TimeZone setting.
CREATE FUNCTION audit_row_hash(r audit_log) RETURNS bytea
  LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(r.prev_hash || convert_to(jsonb_build_array(
    r.chain, r.seq, r.practice_id, r.agency_id, r.actor_user_id, r.actor_token_id, r.actor_label, r.action,
    r.target_type, r.target_id, r.fields, r.ip, r.user_agent, r.request_id, r.details,
    (extract(epoch FROM r.occurred_at) * 1000000)::bigint
  )::text, 'UTF8'))
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head audit_chain_heads;
BEGIN
  NEW.chain := CASE
    WHEN NEW.practice_id IS NOT NULL THEN NEW.practice_id::text
    WHEN NEW.agency_id IS NOT NULL THEN 'agency:' || NEW.agency_id::text
    ELSE 'global' END;
  NEW.occurred_at := clock_timestamp();
  INSERT INTO audit_chain_heads AS h (chain, seq, hash) VALUES (NEW.chain, 0, '\x'::bytea)
    ON CONFLICT (chain) DO UPDATE SET seq = h.seq
    RETURNING * INTO head;
  NEW.seq := head.seq + 1;
  NEW.prev_hash := CASE WHEN head.seq = 0 THEN sha256(convert_to('sourceline-audit:' || NEW.chain, 'UTF8')) ELSE head.hash END;
  NEW.hash := audit_row_hash(NEW);
  UPDATE audit_chain_heads SET seq = NEW.seq, hash = NEW.hash WHERE chain = NEW.chain;
  RETURN NEW;
END $$;
ALTER FUNCTION audit_log_chain() OWNER TO sourceline_system;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- Members read their tenants' events and their own; anyone may append events about tenants in their context.
CREATE POLICY audit_log_read ON audit_log FOR SELECT TO sourceline_app
  USING (practice_id = ANY (app_practice_ids()) OR agency_id = ANY (app_agency_ids()) OR actor_user_id = app_user_id());
CREATE POLICY audit_log_append ON audit_log FOR INSERT TO sourceline_app
  WITH CHECK ((practice_id IS NULL OR practice_id = ANY (app_practice_ids()))
          AND (agency_id IS NULL OR agency_id = ANY (app_agency_ids())));
CREATE POLICY audit_log_system ON audit_log TO sourceline_system USING (true) WITH CHECK (true);
CREATE POLICY audit_chain_heads_system ON audit_chain_heads TO sourceline_system USING (true) WITH CHECK (true);

GRANT SELECT, INSERT ON audit_log TO sourceline_app;
GRANT SELECT, INSERT ON audit_log TO sourceline_system;
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO sourceline_system;

-- Envelope encryption: each practice has a data key (AES-256) for PHI fields and a separate key for blind indexes,
-- both stored wrapped (AES-256-GCM) under the master key identified by master_key_id. Rotating the master key
-- re-wraps these rows; rotating a data key adds a new version and leaves old versions able to decrypt old values.
CREATE TABLE data_keys (
  id             uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id    uuid        NOT NULL,
  purpose        text        NOT NULL CHECK (purpose IN ('data', 'blind_index')),
  version        integer     NOT NULL CHECK (version > 0),
  wrapped_key    bytea       NOT NULL,
  master_key_id  text        NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  rewrapped_at   timestamptz,
  retired_at     timestamptz,
  CONSTRAINT data_keys_pkey PRIMARY KEY (id),
  CONSTRAINT data_keys_practice_id_fkey FOREIGN KEY (practice_id) REFERENCES practices (id) ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX data_keys_practice_id_purpose_version_key ON data_keys (practice_id, purpose, version);
CREATE INDEX data_keys_master_key_id_idx ON data_keys (master_key_id);

ALTER TABLE data_keys ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY data_keys_tenant ON data_keys TO sourceline_app
  USING (practice_id = ANY (app_practice_ids())) WITH CHECK (practice_id = ANY (app_practice_ids()));
CREATE POLICY data_keys_system ON data_keys TO sourceline_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON data_keys TO sourceline_app;
GRANT SELECT, INSERT, UPDATE ON data_keys TO sourceline_system;
