-- A connection's processing job ran as soon as a worker was free, so under steady traffic each job found the few
-- deliveries that had arrived since the last one (about five at 200 a second): every lead paid for a job's fixed work
-- (its advisory lock, the scans, the episode regrouping, the jobs it queues for matching and attribution) and the
-- worker's PostgreSQL time grew with the number of jobs, not of leads. Under `pnpm bench ingest 30 200` PostgreSQL used
-- 78 % of a core and the worker 55 %.
--
-- The job a delivery queues now waits a quarter of a second (and up to the worker's one-second poll), so the deliveries
-- of that moment are parsed, grouped and matched together: a lead reaches its list at most a second or so later, and
-- the same bench used 40 % and 31 %. A job already waiting keeps its time (`preserve_run_at`); one backing off after a
-- failure is brought forward to that same quarter second. Everything else is as migration 0024 left it.
CREATE OR REPLACE FUNCTION webhook_deliveries_enqueue() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  queue_key text := 'webhooks:' || NEW.connection_id::text;
BEGIN
  IF EXISTS (SELECT 1 FROM graphile_worker._private_jobs j WHERE j.key = queue_key AND j.locked_at IS NULL AND j.attempts = 0) THEN
    RETURN NULL;
  END IF;
  PERFORM graphile_worker.add_job(
    'process_webhooks',
    json_build_object('connectionId', NEW.connection_id, 'practiceId', NEW.practice_id),
    run_at := now() + interval '250 milliseconds',
    job_key := queue_key,
    job_key_mode := 'preserve_run_at',
    max_attempts := 25
  );
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION webhook_deliveries_enqueue() FROM PUBLIC;
