-- Incremental attribution. A run used to recompute the whole practice each time (13–14 s at 200,000 patients), and
-- runs follow every matching pass. Now a run recomputes only the new patients and lead episodes whose records changed
-- since the last, with the Markov fit the last full run stored, and adds the difference to the rollups; a full run
-- (refit, every row) is left for the nightly schedule, settings and the like.
--
-- Writers need not remember to say what changed: statement triggers on every table attribution reads note it in
-- `attribution_changes`, in the writer's own transaction. A note naming neither a patient nor an episode asks for a
-- full run: a change with no per-patient delta (settings, the time zone, location mapping, Google Ads click names,
-- a chart hard-deleted with its stored attribution).
CREATE TABLE attribution_changes (
  id           bigint GENERATED ALWAYS AS IDENTITY,
  practice_id  uuid   NOT NULL,
  patient_id   uuid,
  episode_id   uuid,
  CONSTRAINT attribution_changes_pkey PRIMARY KEY (id)
);
CREATE INDEX attribution_changes_practice_id_id_idx ON attribution_changes (practice_id, id);
-- A queue: rows live seconds, so vacuum it by row count, not as a share of a table that is mostly dead.
ALTER TABLE attribution_changes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                     autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);

-- Each lead episode as the rollups count it: its first contact's day, location, channel and campaign, linked or not.
-- What a run takes back out of the rollups when the episode changes. `episode_id` is the leads' episode, or the lead's
-- own id for a lead without one.
CREATE TABLE attribution_episodes (
  practice_id  uuid    NOT NULL,
  episode_id   uuid    NOT NULL,
  day          date    NOT NULL,
  location_id  uuid,
  channel      text    NOT NULL,
  campaign     text,
  linked       boolean NOT NULL,
  CONSTRAINT attribution_episodes_pkey PRIMARY KEY (practice_id, episode_id)
);

-- The patient's credited revenue per day, [[date, production L1, L2, L3, collections L1, L2], …] in cents: with the
-- touchpoints' weights, enough to rebuild the patient's rollup rows and take them back out. Null for rows stored
-- before this migration: the first run after it is a full one.
ALTER TABLE patient_attributions ADD COLUMN revenue_days jsonb;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['attribution_changes', 'attribution_episodes']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY ((SELECT app_practice_ids())::uuid[])) '
                   'WITH CHECK (practice_id = ANY ((SELECT app_practice_ids())::uuid[]))', t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sourceline_app, sourceline_system', t);
  END LOOP;
END $$;

-- Inserts the notes TG_ARGV[0] selects (practice_id, patient_id, episode_id) from the statement's rows.
CREATE FUNCTION attribution_changes_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'INSERT INTO attribution_changes (practice_id, patient_id, episode_id) ' || TG_ARGV[0];
  RETURN NULL;
END $$;

-- The notes' lookups into other tables are LATERAL subqueries kept from being flattened (LIMIT 1, OFFSET 0): one index
-- probe per changed row. As joins, a statement of 1,000 procedures was planned as a scan of every chart, encrypted
-- columns and all, which doubled an initial sync's time (300 such statements).
--
-- Per table: its key, what makes an update matter to attribution (old row `r`, new row `a`; NULL: a row trigger
-- below notes updates), and the notes its changed rows `c` make (`%1$s` stands for them: the inserted rows, the
-- deleted ones, or both versions of the updated rows that matter). A row's deletion may note differently
-- (`on_delete`); 'update-only' tables note updates alone.
DO $$
DECLARE
  f record;
  updated text;
BEGIN
  FOR f IN SELECT * FROM (VALUES
    ('patients', 'id', NULL,
     $notes$SELECT DISTINCT practice_id, id, NULL::uuid FROM %1$s c WHERE first_visit_on IS NOT NULL$notes$,
     -- The stored attribution goes with the chart (a foreign key cascades): nothing is left to take back per patient.
     $notes$SELECT DISTINCT practice_id, NULL::uuid, NULL::uuid FROM %1$s c$notes$),
    ('procedures', 'id', 'true',
     $notes$SELECT DISTINCT p.practice_id, p.id, NULL::uuid FROM %1$s c, LATERAL (SELECT p.id, p.practice_id FROM patients p
              WHERE p.connection_id = c.connection_id AND p.source_id = c.patient_source_id AND p.first_visit_on IS NOT NULL LIMIT 1) p$notes$, NULL),
    ('payments', 'id', 'true',
     $notes$SELECT DISTINCT p.practice_id, p.id, NULL::uuid FROM %1$s c, LATERAL (SELECT p.id, p.practice_id FROM patients p
              WHERE p.connection_id = c.connection_id AND p.source_id = c.patient_source_id AND p.first_visit_on IS NOT NULL LIMIT 1) p$notes$, NULL),
    ('referral_sources', 'id', 'true',
     $notes$SELECT DISTINCT p.practice_id, p.id, NULL::uuid FROM %1$s c, LATERAL (SELECT p.id, p.practice_id FROM patients p
              WHERE p.connection_id = c.connection_id AND p.source_id = c.patient_source_id AND p.first_visit_on IS NOT NULL LIMIT 1) p$notes$, NULL),
    ('manual_touchpoints', 'id', 'true', $notes$SELECT DISTINCT practice_id, patient_id, NULL::uuid FROM %1$s c$notes$, NULL),
    ('lead_matches', 'lead_id, patient_id', '(a.decision = ''link'') <> (r.decision = ''link'')',
     $notes$WITH c AS MATERIALIZED (SELECT * FROM %1$s x WHERE decision = 'link')
            SELECT DISTINCT practice_id, patient_id, NULL::uuid FROM c
            UNION SELECT DISTINCT c.practice_id, NULL::uuid, l.episode_id FROM c, LATERAL (SELECT coalesce(l.episode_id, l.id) AS episode_id FROM leads l WHERE l.id = c.lead_id LIMIT 1) l$notes$, NULL),
    ('leads', 'id', NULL,
     $notes$WITH c AS MATERIALIZED (SELECT * FROM %1$s x)
            SELECT DISTINCT practice_id, NULL::uuid, coalesce(episode_id, id) FROM c WHERE classified_channel IS NOT NULL
            UNION SELECT DISTINCT c.practice_id, m.patient_id, NULL::uuid FROM c, LATERAL (SELECT m.patient_id FROM lead_matches m WHERE m.lead_id = c.id AND m.decision = 'link' OFFSET 0) m$notes$, NULL),
    -- Google Ads' names for a click become its leads' campaign, ad group and keyword (leads/ad-click-names.ts).
    ('ad_clicks', 'id', '(a.click_id, a.campaign_name, a.ad_group_name, a.keyword, a.deleted_at IS NULL, a.clicked_on)
                         IS DISTINCT FROM (r.click_id, r.campaign_name, r.ad_group_name, r.keyword, r.deleted_at IS NULL, r.clicked_on)',
     $notes$WITH l AS MATERIALIZED (SELECT DISTINCT c.practice_id, l.id, l.episode_id FROM %1$s c, LATERAL (
                                      SELECT l.id, coalesce(l.episode_id, l.id) AS episode_id FROM leads l
                                       WHERE l.practice_id = c.practice_id AND l.gclid = c.click_id AND l.gclid IS NOT NULL AND l.classified_channel IS NOT NULL OFFSET 0) l)
            SELECT practice_id, NULL::uuid, episode_id FROM l
            UNION SELECT DISTINCT l.practice_id, m.patient_id, NULL::uuid FROM l, LATERAL (SELECT m.patient_id FROM lead_matches m WHERE m.lead_id = l.id AND m.decision = 'link' OFFSET 0) m$notes$, NULL),
    ('source_locations', 'id', 'a.location_id IS DISTINCT FROM r.location_id',
     $notes$SELECT DISTINCT practice_id, NULL::uuid, NULL::uuid FROM %1$s c$notes$, NULL),
    -- Only an update: a new connection has no records yet, and a deleted one's records note their own deletion.
    ('connections', 'id', 'a.location_id IS DISTINCT FROM r.location_id',
     $notes$SELECT DISTINCT practice_id, NULL::uuid, NULL::uuid FROM %1$s c$notes$, 'update-only'),
    ('practices', 'id', 'a.time_zone IS DISTINCT FROM r.time_zone', $notes$SELECT id, NULL::uuid, NULL::uuid FROM %1$s c$notes$, 'update-only'),
    ('attribution_settings', 'practice_id', 'true', $notes$SELECT practice_id, NULL::uuid, NULL::uuid FROM %1$s c$notes$, NULL)
  ) AS t(tab, key, matters, notes, on_delete)
  LOOP
    IF f.matters IS NOT NULL THEN
      updated := format('(SELECT r.* FROM removed r JOIN added a USING (%1$s) WHERE %2$s UNION ALL SELECT a.* FROM removed r JOIN added a USING (%1$s) WHERE %2$s)',
                        f.key, f.matters);
      EXECUTE format('CREATE TRIGGER attribution_changes_update AFTER UPDATE ON %I REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION attribution_changes_follow(%L)',
                     f.tab, format(f.notes, updated));
    END IF;
    CONTINUE WHEN f.on_delete = 'update-only';
    EXECUTE format('CREATE TRIGGER attribution_changes_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION attribution_changes_follow(%L)',
                   f.tab, format(f.notes, 'added'));
    EXECUTE format('CREATE TRIGGER attribution_changes_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION attribution_changes_follow(%L)',
                   f.tab, format(coalesce(f.on_delete, f.notes), 'removed'));
  END LOOP;
END $$;

-- Leads and charts are updated far more often than anything attribution reads changes on them (matching's state,
-- settling's, key rotation), in statements of up to 20,000 wide rows: row triggers whose WHEN skips those updates
-- cost nothing there, where a statement trigger would copy every row into its transition tables.
CREATE FUNCTION attribution_changes_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO attribution_changes (practice_id, episode_id)
  SELECT DISTINCT NEW.practice_id, e FROM (VALUES
    (CASE WHEN OLD.classified_channel IS NOT NULL THEN coalesce(OLD.episode_id, OLD.id) END),
    (CASE WHEN NEW.classified_channel IS NOT NULL THEN coalesce(NEW.episode_id, NEW.id) END)) AS v(e)
   WHERE e IS NOT NULL;
  INSERT INTO attribution_changes (practice_id, patient_id)
  SELECT m.practice_id, m.patient_id FROM lead_matches m WHERE m.lead_id = NEW.id AND m.decision = 'link';
  RETURN NULL;
END $$;
CREATE TRIGGER attribution_changes_update AFTER UPDATE ON leads FOR EACH ROW
  WHEN ((OLD.occurred_at, OLD.classified_channel, OLD.episode_id, OLD.deleted_at IS NULL, OLD.campaign, OLD.ad_group, OLD.keyword, OLD.gclid, OLD.connection_id)
        IS DISTINCT FROM (NEW.occurred_at, NEW.classified_channel, NEW.episode_id, NEW.deleted_at IS NULL, NEW.campaign, NEW.ad_group, NEW.keyword, NEW.gclid, NEW.connection_id))
  EXECUTE FUNCTION attribution_changes_lead();

CREATE FUNCTION attribution_changes_chart() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.first_visit_on IS NOT NULL OR NEW.first_visit_on IS NOT NULL THEN
    INSERT INTO attribution_changes (practice_id, patient_id) VALUES (NEW.practice_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER attribution_changes_update AFTER UPDATE ON patients FOR EACH ROW
  WHEN ((OLD.first_visit_on, OLD.created_on, OLD.location_source_id, OLD.connection_id, OLD.status, OLD.deleted_at IS NULL)
        IS DISTINCT FROM (NEW.first_visit_on, NEW.created_on, NEW.location_source_id, NEW.connection_id, NEW.status, NEW.deleted_at IS NULL))
  EXECUTE FUNCTION attribution_changes_chart();

-- The ad-clicks trigger finds a click's leads by their gclid.
CREATE INDEX leads_practice_id_gclid_idx ON leads (practice_id, gclid) WHERE gclid IS NOT NULL;

-- Practices attributed before this migration have no stored episodes or revenue days, and during a rolling deploy
-- the old code may still attribute others: every practice's next run is a full one.
SET LOCAL ROLE sourceline_system;
INSERT INTO attribution_changes (practice_id) SELECT id FROM practices;
RESET ROLE;
