-- Migration 0019 counted the stored links into lead_match_counts as the owner. On a PostgreSQL whose owner is not a
-- superuser, forced row-level security showed it no tenant's rows, so the counts of such an upgrade started at zero
-- and stayed off by the links stored before it. Counted again here as the system role, which sees every tenant; the
-- links are locked against writes meanwhile, so no trigger's change lands between the delete and the count.
LOCK TABLE lead_matches IN SHARE MODE;
SET LOCAL ROLE sourceline_system;
DELETE FROM lead_match_counts;
INSERT INTO lead_match_counts (practice_id, links, review)
SELECT practice_id, count(*) FILTER (WHERE decision = 'link'), count(*) FILTER (WHERE decision = 'review')
  FROM lead_matches GROUP BY practice_id;
RESET ROLE;
