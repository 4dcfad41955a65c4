-- Every delivery's insert queued its connection's processing job with graphile-worker's keyed add_job, which updates
-- the one waiting job row of that key: concurrent deliveries to one connection queued behind each other's row lock
-- until each committed (a durable commit each). Under `pnpm bench ingest` the acknowledgement path spent more time
-- waiting on that lock than anything else (sampled pg_stat_activity: `transactionid` waits in the delivery insert).
--
-- A job of that key that no worker has taken yet will read every delivery waiting when it runs, this one included:
-- then there is nothing to add, and the row is only read. A job already running (locked) may have read the waiting
-- deliveries before this one commits, so then a fresh job is queued as before; so is one backing off after a failure
-- (add_job resets it to run now, as it always did). The one race left — the waiting job is
-- taken, runs and finishes between this check and this commit — leaves the delivery to the next delivery's job or to
-- `webhooks_sweep`, which queues connections with deliveries waiting over 30 seconds every minute.
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
    job_key := queue_key,
    job_key_mode := 'preserve_run_at',
    max_attempts := 25
  );
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION webhook_deliveries_enqueue() FROM PUBLIC;
