-- Bulk record tables stop declaring a foreign key to connections. PostgreSQL checks such a key row by row, locking the
-- one connection row each time: measured, it was a sixth of an initial sync of 300,000 procedures. The records keep
-- their connection_id (always written by the platform from the connection it is syncing). Connections cannot be
-- removed yet; when they can, removal must purge the connection's records itself. Low-volume tables (cursors, runs,
-- deliveries) keep their keys.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['patients', 'appointments', 'procedures', 'payments', 'adjustments', 'providers', 'source_locations',
    'referral_sources', 'leads', 'spend', 'ad_campaigns', 'ad_groups', 'ad_keywords', 'ad_clicks', 'gbp_metrics', 'ga4_metrics']
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, t || '_connection_id_fkey');
  END LOOP;
END $$;
