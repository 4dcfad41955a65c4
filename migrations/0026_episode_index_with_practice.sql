-- Regrouping episodes reads an episode's other leads by `episode_id`, and row-level security adds the practice. While
-- statistics are stale (a practice's first weeks, a burst of webhooks) the planner combined the episode index with the
-- practice's whole range of `leads_practice_id_occurred_at_idx` (a BitmapAnd reading every lead of the practice) on
-- every probe. With the practice in the episode's index, one index answers both (test/episode-plans.int.test.ts).
DROP INDEX leads_episode_id_idx;
CREATE INDEX leads_episode_id_idx ON leads (episode_id, practice_id);
