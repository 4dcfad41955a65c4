-- Offline conversion uploads to Google Ads (platform/src/conversions): one row per upload an admin asks for, and what
-- Google answered. Nothing here is PHI: counts, Sourceline's opaque order ids and Google's error codes. The click ids
-- sent are not kept; the upload can always be rebuilt from the records, and Google dedupes a repeat by itself.
CREATE TABLE google_ads_conversion_uploads (
  id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
  practice_id             uuid        NOT NULL,
  connection_id           uuid        NOT NULL,
  -- An int64 in Google Ads; kept as its digits.
  conversion_action_id    text        NOT NULL CHECK (conversion_action_id ~ '^[0-9]{1,19}$'),
  range_from              date        NOT NULL,
  range_to                date        NOT NULL CHECK (range_to >= range_from),
  validate_only           boolean     NOT NULL DEFAULT false,
  status                  text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  -- Read from the action when the upload runs: `external` (Sourceline's credit, no order ids) or `google` (its own).
  attribution             text        CHECK (attribution IN ('external', 'google')),
  conversion_action_name  text,
  -- The range's patients matched to an ad click, and what became of them. `skipped` counts by reason.
  selected                integer     NOT NULL DEFAULT 0 CHECK (selected >= 0),
  sent                    integer     NOT NULL DEFAULT 0 CHECK (sent >= 0),
  accepted                integer     NOT NULL DEFAULT 0 CHECK (accepted >= 0),
  already_uploaded        integer     NOT NULL DEFAULT 0 CHECK (already_uploaded >= 0),
  rejected                integer     NOT NULL DEFAULT 0 CHECK (rejected >= 0),
  skipped                 jsonb       NOT NULL DEFAULT '{}',
  -- [{ "orderId": …, "code": … }]: which conversion Google refused, and why.
  rejections              jsonb       NOT NULL DEFAULT '[]',
  google_job_ids          text[]      NOT NULL DEFAULT '{}',
  failure                 text,
  requested_by            uuid,
  requested_at            timestamptz NOT NULL DEFAULT now(),
  started_at              timestamptz,
  finished_at             timestamptz,
  CONSTRAINT google_ads_conversion_uploads_pkey PRIMARY KEY (id),
  CONSTRAINT google_ads_conversion_uploads_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
-- The practice's latest uploads, and the job's next queued one.
CREATE INDEX google_ads_conversion_uploads_practice_id_requested_at_idx ON google_ads_conversion_uploads (practice_id, requested_at);

ALTER TABLE google_ads_conversion_uploads ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY google_ads_conversion_uploads_tenant ON google_ads_conversion_uploads TO sourceline_app
  USING (practice_id = ANY ((SELECT app_practice_ids())::uuid[])) WITH CHECK (practice_id = ANY ((SELECT app_practice_ids())::uuid[]));
CREATE POLICY google_ads_conversion_uploads_system ON google_ads_conversion_uploads TO sourceline_system USING (true) WITH CHECK (true);
-- An upload is a record of what left Sourceline: the app updates its outcome but never deletes one.
GRANT SELECT, INSERT, UPDATE ON google_ads_conversion_uploads TO sourceline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON google_ads_conversion_uploads TO sourceline_system;
