-- Every statement on a table attribution follows (0023) ran its notes through one function's EXECUTE, which parses and
-- plans them again each time, even for a statement that changed no row: in an incremental matching pass for one new
-- lead, the DELETE of its links (there were none) took 1.6 ms and the INSERT of its new ones 1.7, against 0.4 and
-- 0.6 for the same statements on its keys, which no trigger follows. Each trigger now calls a function of its own
-- holding its notes as static SQL, which PL/pgSQL plans once per session. The notes themselves are unchanged: they
-- are read back from each trigger's argument, and each trigger is made again as it was, with only its function changed.
DO $do$
DECLARE
  t record;
  fn text;
  definition text;
BEGIN
  FOR t IN
    SELECT tg.oid, tg.tgname, c.relname,
           convert_from(substring(tg.tgargs FROM 1 FOR octet_length(tg.tgargs) - 1), 'UTF8') AS notes
      FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
     WHERE tg.tgfoid = 'attribution_changes_follow'::regproc
  LOOP
    fn := format('%s_%s', t.tgname, t.relname);
    EXECUTE format($f$
      CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        IF attribution_full_run_noted() THEN RETURN NULL; END IF;
        INSERT INTO attribution_changes (practice_id, patient_id, episode_id) %s;
        RETURN NULL;
      END $body$ $f$, fn, t.notes);
    definition := regexp_replace(pg_get_triggerdef(t.oid), 'EXECUTE FUNCTION attribution_changes_follow\(.*\)$', format('EXECUTE FUNCTION %I()', fn));
    EXECUTE format('DROP TRIGGER %I ON %I', t.tgname, t.relname);
    EXECUTE definition;
  END LOOP;
  DROP FUNCTION attribution_changes_follow();
END $do$;
