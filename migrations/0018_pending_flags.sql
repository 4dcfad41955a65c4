-- "Pending" was an expression: a record whose match_state (or settled_state) is not the key of its current content.
-- The planner cannot estimate how many rows satisfy such a comparison between two columns, and guesses nearly all of
-- them. Once a table had statistics, every incremental match walked the practice's whole primary key in id order and
-- filtered each row (4 ms for 10,000 charts, 8 ms for 20,000 leads, per new lead; a million leads would take 400 ms), and the
-- sweeps scanned every lead of every practice. Stored as generated columns, the same predicates get statistics of
-- their own (nearly all false), and the partial indexes, ordered by id like the batches that read them, are used.
ALTER TABLE leads
  ADD COLUMN match_pending  boolean NOT NULL GENERATED ALWAYS AS (match_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at)) STORED,
  ADD COLUMN settle_pending boolean NOT NULL GENERATED ALWAYS AS (settled_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at)) STORED;
ALTER TABLE patients
  ADD COLUMN match_pending  boolean NOT NULL GENERATED ALWAYS AS (match_state IS DISTINCT FROM lead_settle_key(content_hash, deleted_at)) STORED;

DROP INDEX leads_match_pending_idx;
CREATE INDEX leads_match_pending_idx ON leads (practice_id, id) WHERE match_pending;
DROP INDEX patients_match_pending_idx;
CREATE INDEX patients_match_pending_idx ON patients (practice_id, id) WHERE match_pending;
DROP INDEX leads_unsettled_idx;
CREATE INDEX leads_unsettled_idx ON leads (practice_id, id) WHERE settle_pending;
