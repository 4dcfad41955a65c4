-- Records from the lead sources beyond leads and spend: ad-network dimensions (campaigns, ad groups, keywords), ad
-- clicks (gclid → campaign / ad group / keyword), and the daily aggregates of Google Business Profile and GA4. Plus the
-- lead fields the channel rules read (referrer, click ids, tracking number, the source's own channel label, ad ids) and
-- the first-contact flag that tells a repeat caller from a new one.
--
-- Same shape as the record tables of 0004: keyed by (connection, source id), content-hashed, soft-deleted, time-ordered
-- ids. Nothing here is a direct identifier: ad metadata and aggregates are not PHI, and a click id names a click, not
-- a person, so every column stays queryable.

ALTER TABLE leads
  ADD COLUMN referrer          text,
  ADD COLUMN click_ids         jsonb,
  ADD COLUMN tracking_number   text,
  ADD COLUMN source_label      text,
  ADD COLUMN campaign_id       text,
  ADD COLUMN ad_id             text,
  ADD COLUMN is_first_contact  boolean;

CREATE TABLE ad_campaigns (
  id             uuid        NOT NULL DEFAULT uuidv7(),
  practice_id    uuid        NOT NULL,
  connection_id  uuid        NOT NULL,
  source_id      text        NOT NULL,
  content_hash   bytea       NOT NULL,
  network        text        NOT NULL,
  account_id     text        NOT NULL,
  name           text        NOT NULL,
  status         text        NOT NULL,
  channel_type   text,
  deleted_at     timestamptz,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ad_campaigns_pkey PRIMARY KEY (id),
  CONSTRAINT ad_campaigns_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX ad_campaigns_connection_id_source_id_key ON ad_campaigns (connection_id, source_id);
CREATE INDEX ad_campaigns_practice_id_idx ON ad_campaigns (practice_id);

CREATE TABLE ad_groups (
  id                  uuid        NOT NULL DEFAULT uuidv7(),
  practice_id         uuid        NOT NULL,
  connection_id       uuid        NOT NULL,
  source_id           text        NOT NULL,
  content_hash        bytea       NOT NULL,
  network             text        NOT NULL,
  account_id          text        NOT NULL,
  campaign_source_id  text        NOT NULL,
  name                text        NOT NULL,
  status              text        NOT NULL,
  deleted_at          timestamptz,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ad_groups_pkey PRIMARY KEY (id),
  CONSTRAINT ad_groups_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX ad_groups_connection_id_source_id_key ON ad_groups (connection_id, source_id);
CREATE INDEX ad_groups_practice_id_idx ON ad_groups (practice_id);

CREATE TABLE ad_keywords (
  id                  uuid        NOT NULL DEFAULT uuidv7(),
  practice_id         uuid        NOT NULL,
  connection_id       uuid        NOT NULL,
  source_id           text        NOT NULL,
  content_hash        bytea       NOT NULL,
  network             text        NOT NULL,
  account_id          text        NOT NULL,
  campaign_source_id  text        NOT NULL,
  ad_group_source_id  text        NOT NULL,
  keyword_text        text        NOT NULL,
  match_type          text,
  status              text        NOT NULL,
  deleted_at          timestamptz,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ad_keywords_pkey PRIMARY KEY (id),
  CONSTRAINT ad_keywords_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX ad_keywords_connection_id_source_id_key ON ad_keywords (connection_id, source_id);
CREATE INDEX ad_keywords_practice_id_idx ON ad_keywords (practice_id);

CREATE TABLE ad_clicks (
  id                  uuid        NOT NULL DEFAULT uuidv7(),
  practice_id         uuid        NOT NULL,
  connection_id       uuid        NOT NULL,
  source_id           text        NOT NULL,
  content_hash        bytea       NOT NULL,
  network             text        NOT NULL,
  account_id          text        NOT NULL,
  click_id            text        NOT NULL,
  clicked_on          date        NOT NULL,
  campaign_source_id  text        NOT NULL,
  campaign_name       text,
  ad_group_source_id  text,
  ad_group_name       text,
  keyword             text,
  match_type          text,
  campaign_type       text,
  deleted_at          timestamptz,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ad_clicks_pkey PRIMARY KEY (id),
  CONSTRAINT ad_clicks_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX ad_clicks_connection_id_source_id_key ON ad_clicks (connection_id, source_id);
-- Leads are joined to their click by the click id they carried (gclid), across the practice's connections.
CREATE INDEX ad_clicks_practice_id_click_id_idx ON ad_clicks (practice_id, click_id);

CREATE TABLE gbp_metrics (
  id                          uuid        NOT NULL DEFAULT uuidv7(),
  practice_id                 uuid        NOT NULL,
  connection_id               uuid        NOT NULL,
  source_id                   text        NOT NULL,
  content_hash                bytea       NOT NULL,
  location_source_id          text        NOT NULL,
  date                        date        NOT NULL,
  call_clicks                 integer,
  website_clicks              integer,
  direction_requests          integer,
  bookings                    integer,
  messaging_clicks            integer,
  impressions_desktop_maps    integer,
  impressions_desktop_search  integer,
  impressions_mobile_maps     integer,
  impressions_mobile_search   integer,
  deleted_at                  timestamptz,
  first_seen_at               timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gbp_metrics_pkey PRIMARY KEY (id),
  CONSTRAINT gbp_metrics_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX gbp_metrics_connection_id_source_id_key ON gbp_metrics (connection_id, source_id);
CREATE INDEX gbp_metrics_practice_id_date_idx ON gbp_metrics (practice_id, date);

CREATE TABLE ga4_metrics (
  id                uuid        NOT NULL DEFAULT uuidv7(),
  practice_id       uuid        NOT NULL,
  connection_id     uuid        NOT NULL,
  source_id         text        NOT NULL,
  content_hash      bytea       NOT NULL,
  property_id       text        NOT NULL,
  date              date        NOT NULL,
  source            text        NOT NULL,
  medium            text        NOT NULL,
  campaign          text        NOT NULL,
  sessions          integer     NOT NULL,
  total_users       integer     NOT NULL,
  new_users         integer,
  engaged_sessions  integer,
  key_events        integer,
  deleted_at        timestamptz,
  first_seen_at     timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ga4_metrics_pkey PRIMARY KEY (id),
  CONSTRAINT ga4_metrics_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX ga4_metrics_connection_id_source_id_key ON ga4_metrics (connection_id, source_id);
CREATE INDEX ga4_metrics_practice_id_date_idx ON ga4_metrics (practice_id, date);

-- Tenant tables, like those of 0004: the same two policies, forced, on each.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ad_campaigns', 'ad_groups', 'ad_keywords', 'ad_clicks', 'gbp_metrics', 'ga4_metrics']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_app USING (practice_id = ANY (app_practice_ids())) '
                   'WITH CHECK (practice_id = ANY (app_practice_ids()))', t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO sourceline_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sourceline_app, sourceline_system', t);
  END LOOP;
END $$;
