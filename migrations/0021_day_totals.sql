-- Day totals: a practice's rollups summed per model and day, and its spend summed per day — what the agency console
-- and the data-quality panel read when they need neither location, channel nor campaign. At 200 practices a year of
-- the console is 73,000 rows of each instead of 300,000 rollups and 219,000 spend rows (140 ms + 27 ms of index-only
-- scan before, 33 ms + 10 ms after). Kept current by statement triggers on the detailed tables, so every writer (the
-- attribution run's difference write, spend entry and imports, a bulk load) keeps them in step in its own
-- transaction: each statement adds its new rows' sums and subtracts its old rows', key by key. Restore disables user
-- triggers and copies these tables like any other.
CREATE TABLE attribution_day_totals (
  practice_id                   uuid    NOT NULL,
  model                         text    NOT NULL,
  day                           date    NOT NULL,
  leads                         bigint  NOT NULL,
  linked_leads                  bigint  NOT NULL,
  new_patients                  bigint  NOT NULL,
  credited_patient_millionths   bigint  NOT NULL,
  production_level1_cents       bigint  NOT NULL,
  production_level2_cents       bigint  NOT NULL,
  production_level3_cents       bigint  NOT NULL,
  collections_level1_cents      bigint  NOT NULL,
  collections_level2_cents      bigint  NOT NULL,
  -- The measures ride in the key's index, so range reads are index-only.
  CONSTRAINT attribution_day_totals_pkey PRIMARY KEY (practice_id, model, day)
    INCLUDE (leads, linked_leads, new_patients, credited_patient_millionths, production_level1_cents, production_level2_cents,
             production_level3_cents, collections_level1_cents, collections_level2_cents)
);

CREATE TABLE spend_day_totals (
  practice_id  uuid    NOT NULL,
  day          date    NOT NULL,
  -- Of the rows not deleted.
  cost_cents   bigint  NOT NULL,
  CONSTRAINT spend_day_totals_pkey PRIMARY KEY (practice_id, day) INCLUDE (cost_cents)
);

-- Runs TG_ARGV[0], a table's upsert of its day totals, over the statement's rows as `c`, each with its sign: 1 for the
-- rows it added, -1 for those it removed (an update does both). Each upsert writes its keys in order, so two
-- statements over the same days lock them in the same order. Transactions that write the same practice's days in
-- several statements each can still deadlock; PostgreSQL then fails one, and its job or request is retried (manual
-- spend writers take the practice's spend lock, and attribution runs the practice's attribution lock).
CREATE FUNCTION day_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(TG_ARGV[0], CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM added'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM removed'
    ELSE 'SELECT 1 AS sign, * FROM added UNION ALL SELECT -1, * FROM removed' END);
  RETURN NULL;
END $$;

DO $$
DECLARE
  target record;
BEGIN
  FOR target IN SELECT * FROM (VALUES
    ('attribution_day_totals', 'attribution_rollups', $upsert$
      INSERT INTO attribution_day_totals AS t
      SELECT practice_id, model, day, sum(sign * leads), sum(sign * linked_leads), sum(sign * new_patients),
             sum(sign * credited_patient_millionths), sum(sign * production_level1_cents), sum(sign * production_level2_cents),
             sum(sign * production_level3_cents), sum(sign * collections_level1_cents), sum(sign * collections_level2_cents)
        FROM (%s) c
       GROUP BY practice_id, model, day
       ORDER BY practice_id, model, day
      ON CONFLICT (practice_id, model, day) DO UPDATE SET
        leads = t.leads + EXCLUDED.leads,
        linked_leads = t.linked_leads + EXCLUDED.linked_leads,
        new_patients = t.new_patients + EXCLUDED.new_patients,
        credited_patient_millionths = t.credited_patient_millionths + EXCLUDED.credited_patient_millionths,
        production_level1_cents = t.production_level1_cents + EXCLUDED.production_level1_cents,
        production_level2_cents = t.production_level2_cents + EXCLUDED.production_level2_cents,
        production_level3_cents = t.production_level3_cents + EXCLUDED.production_level3_cents,
        collections_level1_cents = t.collections_level1_cents + EXCLUDED.collections_level1_cents,
        collections_level2_cents = t.collections_level2_cents + EXCLUDED.collections_level2_cents
    $upsert$),
    ('spend_day_totals', 'spend', $upsert$
      INSERT INTO spend_day_totals AS t
      SELECT practice_id, date, sum(sign * cost_cents) FILTER (WHERE deleted_at IS NULL)
        FROM (%s) c
       GROUP BY practice_id, date
      -- A day whose total did not move (a file imported again, a row deleted twice) is not rewritten.
      HAVING coalesce(sum(sign * cost_cents) FILTER (WHERE deleted_at IS NULL), 0) <> 0
       ORDER BY practice_id, date
      ON CONFLICT (practice_id, day) DO UPDATE SET cost_cents = t.cost_cents + EXCLUDED.cost_cents
    $upsert$)) AS t(totals, detail, upsert)
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', target.totals);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY ((SELECT app_practice_ids())::uuid[])) '
                   'WITH CHECK (practice_id = ANY ((SELECT app_practice_ids())::uuid[]))', target.totals || '_tenant', target.totals);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', target.totals || '_system', target.totals);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO sourceline_app, sourceline_system', target.totals);
    -- A trigger with transition tables takes one event only.
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION day_totals_follow(%L)',
                   target.totals || '_insert', target.detail, target.upsert);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION day_totals_follow(%L)',
                   target.totals || '_update', target.detail, target.upsert);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION day_totals_follow(%L)',
                   target.totals || '_delete', target.detail, target.upsert);
    -- What the detailed table held before this migration: all of it, "added". Read and written as the system role:
    -- forced row-level security shows the owner no tenant's rows unless it is a superuser.
    SET LOCAL ROLE sourceline_system;
    EXECUTE format('CREATE TEMP TABLE added ON COMMIT DROP AS SELECT * FROM %I', target.detail);
    EXECUTE format(target.upsert, 'SELECT 1 AS sign, * FROM added');
    DROP TABLE added;
    RESET ROLE;
  END LOOP;
END $$;
