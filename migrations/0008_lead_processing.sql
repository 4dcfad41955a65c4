-- What the platform derives from leads once they land: the channel (with the rule that fired, so a change of rules is a
-- replay) and whether a contact is a person's first or a repeat within an episode, so one person calling three times is
-- counted once. Plus what that reads — per-practice override rules, channel tables and the episode window — the progress
-- of reprocessing a practice's history after those change, and the channel of spend entered by hand.

-- A lead is "settled" when its derived columns were computed from its current content: the content hash (or, for a
-- withdrawn lead, the empty marker) they were computed from is kept in settled_state. Anything that rewrites a lead —
-- an upsert with new content, a deletion, a restore — changes lead_settle_key, so the lead is pending again without
-- the writer knowing about this step, and a settle that raced a rewrite never marks the newer content settled.
CREATE FUNCTION lead_settle_key(content_hash bytea, deleted_at timestamptz) RETURNS bytea
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN deleted_at IS NULL THEN content_hash ELSE '\x'::bytea END $$;

ALTER TABLE leads
  -- The platform's channel (platform/src/channels: ChannelId). `channel` stays the source's own value, if it sent one.
  ADD COLUMN classified_channel     text,
  -- `R0`…`R19` or `override:<rule key>`, and the name shown for the channel (an override may rename it).
  ADD COLUMN channel_rule           text,
  ADD COLUMN channel_display_name   text,
  -- `<default rules version>.<practice rules revision>`: leads classified under other rules are stale.
  ADD COLUMN channel_rules_version  text,
  -- The episode is named by its first contact's lead id; null while pending or when the lead was withdrawn.
  ADD COLUMN episode_id             uuid,
  ADD COLUMN contact_type           text CHECK (contact_type IN ('first-time', 'repeat')),
  ADD COLUMN settled_state          bytea;

-- What the settle step and its sweep look for: a small index, since nearly every lead is settled nearly always.
CREATE INDEX leads_unsettled_idx ON leads (practice_id) WHERE settled_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at);
-- When a lead leaves an episode (withdrawn, or its phone changed), the rest of that episode is recomputed.
CREATE INDEX leads_episode_id_idx ON leads (episode_id);

-- Spend entered by hand names its channel; spend from ad APIs is classified from its source and medium when read.
ALTER TABLE spend ADD COLUMN channel text;

-- A practice's own channel rules, evaluated in `position` order before the defaults (first match wins). The shape is
-- validated by OverrideRule in platform/src/channels; positions are kept dense (0…n-1) under the practice's lock.
CREATE TABLE channel_rules (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id   uuid        NOT NULL,
  position      integer     NOT NULL CHECK (position >= 0),
  rule_key      text        NOT NULL CHECK (rule_key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  description   text,
  conditions    jsonb       NOT NULL,
  channel       text        NOT NULL,
  display_name  text,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT channel_rules_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX channel_rules_practice_id_rule_key_key ON channel_rules (practice_id, rule_key);
CREATE INDEX channel_rules_practice_id_position_idx ON channel_rules (practice_id, position);

-- The rest of a practice's channel configuration (tracking number → channel, its own hosts, CallRail label additions),
-- and the revision every change to rules or tables bumps. No row: the defaults, revision 0.
CREATE TABLE channel_settings (
  practice_id     uuid        NOT NULL,
  tables          jsonb       NOT NULL DEFAULT '{}',
  rules_revision  integer     NOT NULL DEFAULT 0,
  updated_by      uuid,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT channel_settings_pkey PRIMARY KEY (practice_id)
);

-- How contacts group into episodes. No row: a 30-day window.
CREATE TABLE lead_settings (
  practice_id          uuid        NOT NULL,
  episode_window_days  integer     NOT NULL DEFAULT 30 CHECK (episode_window_days BETWEEN 1 AND 365),
  updated_by           uuid,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lead_settings_pkey PRIMARY KEY (practice_id)
);

-- Reprocessing a practice's lead history after its rules or window changed: one row per job, shown as progress.
CREATE TABLE lead_reprocessing_runs (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id   uuid        NOT NULL,
  -- What changed: `channel-rules` (reclassify) and/or `episode-window` (regroup). Edits made while a run waits join it.
  reasons       text[]      NOT NULL,
  status        text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  leads_total   integer,
  leads_done    integer     NOT NULL DEFAULT 0,
  requested_by  uuid,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  failure       text,
  CONSTRAINT lead_reprocessing_runs_pkey PRIMARY KEY (id)
);
CREATE INDEX lead_reprocessing_runs_practice_id_requested_at_idx ON lead_reprocessing_runs (practice_id, requested_at);

-- Tenant tables, like those of 0004: the same two policies, forced, on each.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['channel_rules', 'channel_settings', 'lead_settings', 'lead_reprocessing_runs']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY (app_practice_ids())) '
                   'WITH CHECK (practice_id = ANY (app_practice_ids()))', t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sourceline_app, sourceline_system', t);
  END LOOP;
END $$;
