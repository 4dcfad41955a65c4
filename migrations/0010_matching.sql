-- What matching (platform/src/matching) stores for each practice: the model its last full run fitted, the blind index
-- of every chart's and lead's blocking keys (so one new lead is matched without decrypting the practice), the links
-- and review-queue pairs it decided with their explanations, and people's sticky verdicts.
--
-- Nothing here is PHI in the clear: keys are keyed HMACs under the practice's blind-index key, explanations hold
-- comparison outcomes and weights (never the compared values), and a verdict's reason is sealed like other free text.

-- A record is "matched" when its links were decided from its current content: like settled_state of 0008, the
-- content key it was matched from is kept, so any rewrite makes it pending again without the writer knowing.
ALTER TABLE leads ADD COLUMN match_state bytea;
ALTER TABLE patients ADD COLUMN match_state bytea;
CREATE INDEX leads_match_pending_idx ON leads (practice_id) WHERE match_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at);
CREATE INDEX patients_match_pending_idx ON patients (practice_id) WHERE match_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at);

-- The last full run's fitted model (MatchSnapshot: weights, co-registration window, surname thirds, local area codes)
-- and what it was fitted on. Incremental matching between full runs scores with it.
CREATE TABLE match_models (
  practice_id   uuid        NOT NULL,
  snapshot      jsonb       NOT NULL,
  charts        integer     NOT NULL CHECK (charts >= 0),
  leads         integer     NOT NULL CHECK (leads >= 0),
  links         integer     NOT NULL CHECK (links >= 0),
  review        integer     NOT NULL CHECK (review >= 0),
  duration_ms   integer     NOT NULL CHECK (duration_ms >= 0),
  fitted_at     timestamptz NOT NULL DEFAULT now(),
  -- New or changed records matched incrementally since the fit: when the practice has outgrown its model.
  leads_since   integer     NOT NULL DEFAULT 0 CHECK (leads_since >= 0),
  charts_since  integer     NOT NULL DEFAULT 0 CHECK (charts_since >= 0),
  CONSTRAINT match_models_pkey PRIMARY KEY (practice_id)
);

-- Blocking keys (`phone:…`, `name:…`, `opened:…`, blinded): the engine's index, looked up by digest within a practice.
CREATE TABLE chart_match_keys (
  patient_id   uuid  NOT NULL,
  practice_id  uuid  NOT NULL,
  -- The key's kind (`phone`, `name`, `opened`, …): a changed chart's household keys find whom it affects.
  kind         text  NOT NULL,
  digest       bytea NOT NULL,
  CONSTRAINT chart_match_keys_pkey PRIMARY KEY (patient_id, digest),
  CONSTRAINT chart_match_keys_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX chart_match_keys_practice_id_digest_idx ON chart_match_keys (practice_id, digest);

-- A lead's own blocking keys: how a changed chart finds the leads that could reach it.
CREATE TABLE lead_match_keys (
  lead_id      uuid  NOT NULL,
  practice_id  uuid  NOT NULL,
  digest       bytea NOT NULL,
  CONSTRAINT lead_match_keys_pkey PRIMARY KEY (lead_id, digest),
  CONSTRAINT lead_match_keys_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX lead_match_keys_practice_id_digest_idx ON lead_match_keys (practice_id, digest);

-- Pairs the engine linked (`link`) or queued for a person (`review`), with the explanation the UI shows.
CREATE TABLE lead_matches (
  lead_id      uuid             NOT NULL,
  patient_id   uuid             NOT NULL,
  practice_id  uuid             NOT NULL,
  decision     text             NOT NULL CHECK (decision IN ('link', 'review')),
  confidence   double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  method       text             NOT NULL CHECK (method IN ('phone', 'email', 'name_date', 'household', 'manual')),
  manual       boolean          NOT NULL DEFAULT false,
  -- Explanation of platform/src/matching/explain.ts; null for a manual link the engine never proposed.
  explanation  jsonb,
  matched_at   timestamptz      NOT NULL DEFAULT now(),
  CONSTRAINT lead_matches_pkey PRIMARY KEY (lead_id, patient_id),
  CONSTRAINT lead_matches_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT lead_matches_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX lead_matches_patient_id_idx ON lead_matches (patient_id);
CREATE INDEX lead_matches_practice_id_decision_idx ON lead_matches (practice_id, decision);

-- A person's verdict on a pair ("this is her", "not a match"). Applied after scoring on every run: sticky.
CREATE TABLE match_decisions (
  lead_id        uuid        NOT NULL,
  patient_id     uuid        NOT NULL,
  practice_id    uuid        NOT NULL,
  verdict        text        NOT NULL CHECK (verdict IN ('link', 'not_a_match')),
  -- Free text a person typed ("her husband called for her"): sealed with the practice's data key.
  reason_sealed  bytea,
  decided_by     uuid,
  decided_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT match_decisions_pkey PRIMARY KEY (lead_id, patient_id),
  CONSTRAINT match_decisions_lead_id_fkey FOREIGN KEY (lead_id) REFERENCES leads (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT match_decisions_patient_id_fkey FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX match_decisions_practice_id_idx ON match_decisions (practice_id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['match_models', 'chart_match_keys', 'lead_match_keys', 'lead_matches', 'match_decisions']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY (app_practice_ids())) '
                   'WITH CHECK (practice_id = ANY (app_practice_ids()))', t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sourceline_app, sourceline_system', t);
  END LOOP;
END $$;
