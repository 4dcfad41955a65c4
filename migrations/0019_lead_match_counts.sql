-- The dashboard's matching panel and data-quality panel counted a practice's links on every load: an index-only scan
-- of 326,000 entries (15 ms) at ten times a large practice. The counts are kept beside the links instead, by
-- statement-level triggers that add up each statement's inserted and deleted rows, so a full run that replaces every
-- link costs one upsert per statement, not one per row. Matching writes under the practice's matching lock, so the
-- counter rows are not contended. Restore disables user triggers and copies this table like any other.
CREATE TABLE lead_match_counts (
  practice_id uuid   NOT NULL,
  links       bigint NOT NULL DEFAULT 0 CHECK (links >= 0),
  review      bigint NOT NULL DEFAULT 0 CHECK (review >= 0),
  CONSTRAINT lead_match_counts_pkey PRIMARY KEY (practice_id)
);

ALTER TABLE lead_match_counts ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY lead_match_counts_tenant ON lead_match_counts TO sourceline_app
  USING (practice_id = ANY ((SELECT app_practice_ids())::uuid[])) WITH CHECK (practice_id = ANY ((SELECT app_practice_ids())::uuid[]));
CREATE POLICY lead_match_counts_system ON lead_match_counts TO sourceline_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON lead_match_counts TO sourceline_app, sourceline_system;

-- Adds one statement's rows: `sign` is +1 for rows that arrived, -1 for rows that left.
CREATE FUNCTION count_lead_matches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO lead_match_counts AS c (practice_id, links, review)
    SELECT practice_id, count(*) FILTER (WHERE decision = 'link'), count(*) FILTER (WHERE decision = 'review')
      FROM arrived GROUP BY practice_id
    ON CONFLICT (practice_id) DO UPDATE SET links = c.links + EXCLUDED.links, review = c.review + EXCLUDED.review;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE lead_match_counts c SET links = c.links - d.links, review = c.review - d.review
      FROM (SELECT practice_id, count(*) FILTER (WHERE decision = 'link') AS links, count(*) FILTER (WHERE decision = 'review') AS review
              FROM departed GROUP BY practice_id) d
     WHERE c.practice_id = d.practice_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER lead_matches_count_inserted AFTER INSERT ON lead_matches
  REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION count_lead_matches();
CREATE TRIGGER lead_matches_count_deleted AFTER DELETE ON lead_matches
  REFERENCING OLD TABLE AS departed FOR EACH STATEMENT EXECUTE FUNCTION count_lead_matches();
CREATE TRIGGER lead_matches_count_updated AFTER UPDATE ON lead_matches
  REFERENCING OLD TABLE AS departed NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION count_lead_matches();

INSERT INTO lead_match_counts (practice_id, links, review)
SELECT practice_id, count(*) FILTER (WHERE decision = 'link'), count(*) FILTER (WHERE decision = 'review')
  FROM lead_matches GROUP BY practice_id;
