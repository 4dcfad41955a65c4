-- What attribution (platform/src/attribution) stores for each practice: its settings, the last run's Markov fit and
-- journeys (the agency pool reads those), each new patient's touchpoints with every model's credit, and the rollups
-- dashboards read instead of raw tables: day × location × channel × campaign × model.
--
-- Nothing here is PHI: touchpoints name channels, campaigns and days, not people; the referral source's free text is
-- read to find its channel and is not stored.

-- No row: the defaults (position based, 90-day lookback, 7-day half-life).
CREATE TABLE attribution_settings (
  practice_id     uuid             NOT NULL,
  default_model   text             NOT NULL DEFAULT 'position-based'
                  CHECK (default_model IN ('first-touch', 'last-touch', 'linear', 'time-decay', 'position-based', 'markov')),
  lookback_days   integer          NOT NULL DEFAULT 90 CHECK (lookback_days BETWEEN 0 AND 3650),
  half_life_days  double precision NOT NULL DEFAULT 7 CHECK (half_life_days > 0 AND half_life_days <= 3650),
  updated_by      uuid,
  updated_at      timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT attribution_settings_pkey PRIMARY KEY (practice_id)
);

-- The last run: the Markov fit (StoredMarkovFit), the practice's journeys by channel path (ChannelPathCount[]), the
-- settings it ran with, and what it covered.
CREATE TABLE attribution_runs (
  practice_id   uuid        NOT NULL,
  markov        jsonb       NOT NULL,
  paths         jsonb       NOT NULL,
  settings      jsonb       NOT NULL,
  new_patients  integer     NOT NULL CHECK (new_patients >= 0),
  rollup_rows   integer     NOT NULL CHECK (rollup_rows >= 0),
  duration_ms   integer     NOT NULL CHECK (duration_ms >= 0),
  computed_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT attribution_runs_pkey PRIMARY KEY (practice_id)
);

-- One row per new patient (a first visit): the drill-down and the patient timeline read it.
CREATE TABLE patient_attributions (
  patient_id                uuid    NOT NULL,
  practice_id               uuid    NOT NULL,
  first_visit_on            date    NOT NULL,
  location_id               uuid,
  -- Under the practice's default model at the time of the run; `unattributed` when no touch was recorded.
  primary_channel           text    NOT NULL,
  -- [{ id, origin, channel, campaign, adGroup, keyword, day, daysBeforeFirstVisit, credits: { <model>: weight } }]
  touchpoints               jsonb   NOT NULL,
  primary_contributing      jsonb   NOT NULL,
  production_level1_cents   bigint  NOT NULL,
  production_level2_cents   bigint  NOT NULL,
  production_level3_cents   bigint  NOT NULL,
  collections_level1_cents  bigint  NOT NULL,
  collections_level2_cents  bigint  NOT NULL,
  CONSTRAINT patient_attributions_pkey PRIMARY KEY (patient_id),
  CONSTRAINT patient_attributions_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX patient_attributions_practice_id_first_visit_on_idx ON patient_attributions (practice_id, first_visit_on);

-- Integer measures only, so sums never drift (see platform/src/attribution/rollup-accumulator.ts).
CREATE TABLE attribution_rollups (
  id                            bigint  GENERATED ALWAYS AS IDENTITY,
  practice_id                   uuid    NOT NULL,
  model                         text    NOT NULL,
  day                           date    NOT NULL,
  location_id                   uuid,
  channel                       text    NOT NULL,
  campaign                      text,
  leads                         bigint  NOT NULL,
  new_patients                  bigint  NOT NULL,
  credited_patient_millionths   bigint  NOT NULL,
  production_level1_cents       bigint  NOT NULL,
  production_level2_cents       bigint  NOT NULL,
  production_level3_cents       bigint  NOT NULL,
  collections_level1_cents      bigint  NOT NULL,
  collections_level2_cents      bigint  NOT NULL,
  CONSTRAINT attribution_rollups_pkey PRIMARY KEY (id)
);
-- Dashboards ask for one practice, one model and a range of days.
CREATE INDEX attribution_rollups_practice_id_model_day_idx ON attribution_rollups (practice_id, model, day);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['attribution_settings', 'attribution_runs', 'patient_attributions', 'attribution_rollups']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY (app_practice_ids())) '
                   'WITH CHECK (practice_id = ANY (app_practice_ids()))', t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sourceline_app, sourceline_system', t);
  END LOOP;
END $$;
