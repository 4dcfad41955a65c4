-- graphile-worker frees a dead worker's locked jobs (and its job queue) only after four hours. Each Sourceline worker
-- process records a heartbeat here for every graphile-worker it runs; a sweep force-unlocks workers whose heartbeat
-- stopped, so a sync cut off by kill -9 resumes within a couple of minutes. Owner-only: no tenant data lives here.
CREATE TABLE sourceline_meta.worker_heartbeats (
  worker_id     text        PRIMARY KEY,
  hostname      text        NOT NULL,
  pid           integer     NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now()
);
