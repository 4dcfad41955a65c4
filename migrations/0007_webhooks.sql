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
