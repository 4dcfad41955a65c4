-- An initial sync writes every record of a connection, hundreds of thousands of them, and each statement's trigger
-- noted its rows one by one (a probe into the charts per procedure, a note per patient): measured with `pnpm bench
-- sync`, about 3 of the 21 ms PostgreSQL spent on each page of 1,000 procedures, and 94,000 notes left for the next run,
-- which is a full one's work anyway. A transaction that has noted a full run of its practice
-- (`attribution/practice/attribution-changes.ts`, `bulkLoadNoteStatement`) sets `app.attribution_notes` to
-- 'full-run'; the triggers then note nothing more in it. The full-run note commits with the rows it stands for, so a
-- change is never left unnoted.
CREATE FUNCTION attribution_full_run_noted() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.attribution_notes', true) = 'full-run', false)
$$;

CREATE OR REPLACE FUNCTION attribution_changes_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF attribution_full_run_noted() THEN RETURN NULL; END IF;
  EXECUTE 'INSERT INTO attribution_changes (practice_id, patient_id, episode_id) ' || TG_ARGV[0];
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION attribution_changes_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF attribution_full_run_noted() THEN RETURN NULL; END IF;
  INSERT INTO attribution_changes (practice_id, episode_id)
  SELECT DISTINCT NEW.practice_id, e FROM (VALUES
    (CASE WHEN OLD.classified_channel IS NOT NULL THEN coalesce(OLD.episode_id, OLD.id) END),
    (CASE WHEN NEW.classified_channel IS NOT NULL THEN coalesce(NEW.episode_id, NEW.id) END)) AS v(e)
   WHERE e IS NOT NULL;
  INSERT INTO attribution_changes (practice_id, patient_id)
  SELECT m.practice_id, m.patient_id FROM lead_matches m WHERE m.lead_id = NEW.id AND m.decision = 'link';
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION attribution_changes_chart() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF attribution_full_run_noted() THEN RETURN NULL; END IF;
  IF OLD.first_visit_on IS NOT NULL OR NEW.first_visit_on IS NOT NULL THEN
    INSERT INTO attribution_changes (practice_id, patient_id) VALUES (NEW.practice_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;
