-- The console's match rate is linked lead episodes over lead episodes. Counting it from `leads` and `lead_matches`
-- scanned every lead of every practice in the agency (seconds at 200 practices); as a rollup measure it is summed
-- with the other figures from a few rows per practice and day. Existing rows read zero until the practice's next
-- attribution run (queued by any sync or match, and nightly) rewrites its rollups.
ALTER TABLE attribution_rollups ADD COLUMN linked_leads bigint NOT NULL DEFAULT 0;
