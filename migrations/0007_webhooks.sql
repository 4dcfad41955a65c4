-- Push delivery: every connection with webhooks gets an unguessable path secret (stored as its SHA-256 only), and
-- every delivery's raw body is kept sealed with the practice's data key before the sender gets its 2xx, so a crash
-- after the acknowledgement loses nothing: a job parses it, and `sourceline leads replay` reprocesses it later.

ALTER TABLE connections ADD COLUMN webhook_secret_hash bytea;
CREATE UNIQUE INDEX connections_webhook_secret_hash_key ON connections (webhook_secret_hash);

-- The sender knows only the path secret: that alone reveals the one connection it names (as for sessions).
CREATE POLICY connections_webhook ON connections FOR SELECT TO sourceline_app USING (webhook_secret_hash = app_token_hash());

CREATE TABLE webhook_deliveries (
  id             uuid        NOT NULL DEFAULT uuidv7(),
  practice_id    uuid        NOT NULL,
  connection_id  uuid        NOT NULL,
  webhook        text        NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  -- The body and content type exactly as received, sealed: raw payloads are PHI.
  body_sealed    bytea       NOT NULL,
  content_type   text,
  body_bytes     integer     NOT NULL,
  status         text        NOT NULL CHECK (status IN ('received', 'processed', 'quarantined', 'failed')),
  attempts       integer     NOT NULL DEFAULT 0,
  processed_at   timestamptz,
  -- Counts per record kind, and problems by record and field (never values).
  counts         jsonb       NOT NULL DEFAULT '{}',
  issues         jsonb       NOT NULL DEFAULT '[]',
  failure        text,
  CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id),
  CONSTRAINT webhook_deliveries_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX webhook_deliveries_connection_id_received_at_idx ON webhook_deliveries (connection_id, received_at);
CREATE INDEX webhook_deliveries_status_received_at_idx ON webhook_deliveries (status, received_at);
CREATE INDEX webhook_deliveries_practice_id_idx ON webhook_deliveries (practice_id);

ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY webhook_deliveries_tenant ON webhook_deliveries TO sourceline_app
  USING (practice_id = ANY (app_practice_ids())) WITH CHECK (practice_id = ANY (app_practice_ids()));
CREATE POLICY webhook_deliveries_system ON webhook_deliveries TO sourceline_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO sourceline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO sourceline_system;

-- Storing a delivery (or marking one for replay) queues its processing in the same transaction: an acknowledged
-- delivery can never be left unqueued. One job per connection gathers everything waiting (the job key coalesces a
-- burst of deliveries into one run; graphile-worker makes a fresh job when the existing one is already running).
-- SECURITY DEFINER: the app role has no rights on graphile-worker's schema; only this function reaches it.
CREATE FUNCTION webhook_deliveries_enqueue() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM graphile_worker.add_job(
    'process_webhooks',
    json_build_object('connectionId', NEW.connection_id, 'practiceId', NEW.practice_id),
    job_key := 'webhooks:' || NEW.connection_id::text,
    job_key_mode := 'preserve_run_at',
    max_attempts := 25
  );
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION webhook_deliveries_enqueue() FROM PUBLIC;

CREATE TRIGGER webhook_deliveries_enqueue AFTER INSERT OR UPDATE OF status ON webhook_deliveries
  FOR EACH ROW WHEN (NEW.status = 'received') EXECUTE FUNCTION webhook_deliveries_enqueue();
