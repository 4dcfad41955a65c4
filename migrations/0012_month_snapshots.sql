-- Month-end close: a practice freezes a month's figures once it is over, so later views can show what was reported
-- then and what late data has changed since. A snapshot is immutable: the app may add one, never change or remove it
-- (no UPDATE or DELETE grant, and a trigger refuses both to everyone, the owner included). Its content hash (SHA-256
-- of the figures as stored) lets anyone check that nothing was altered behind the database's back.
CREATE TABLE month_snapshots (
  practice_id   uuid        NOT NULL,
  -- The month's first day.
  month         date        NOT NULL CHECK (extract(day FROM month) = 1),
  model         text        NOT NULL,
  -- Totals, channels and top campaigns as reports/month-snapshots.ts builds them: aggregates, never PHI.
  figures       jsonb       NOT NULL,
  content_hash  bytea       NOT NULL CHECK (length(content_hash) = 32),
  frozen_by     uuid,
  frozen_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT month_snapshots_pkey PRIMARY KEY (practice_id, month)
);

CREATE FUNCTION month_snapshots_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a frozen month cannot be changed or removed' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER month_snapshots_immutable BEFORE UPDATE OR DELETE ON month_snapshots
  FOR EACH ROW EXECUTE FUNCTION month_snapshots_are_immutable();

ALTER TABLE month_snapshots ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY month_snapshots_tenant ON month_snapshots TO sourceline_app
  USING (practice_id = ANY (app_practice_ids())) WITH CHECK (practice_id = ANY (app_practice_ids()));
CREATE POLICY month_snapshots_system ON month_snapshots TO sourceline_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON month_snapshots TO sourceline_app, sourceline_system;
