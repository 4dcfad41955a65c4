-- The processing job claims a connection's oldest waiting deliveries. Through the connection's index of all its
-- deliveries (or that one ANDed with the status index) each call stepped over everything the connection had ever
-- received: 20,000 index entries for 50 waiting in the plan test, and under `pnpm bench ingest` the claim grew to
-- 15 ms a call as processed deliveries piled up. Waiting deliveries are few at any moment; their own index stays small.
CREATE INDEX webhook_deliveries_waiting_idx ON webhook_deliveries (connection_id, received_at) WHERE status = 'received';
