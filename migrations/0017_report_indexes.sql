-- The agency console sums a year of daily rollups and spend for every practice of the agency at once (300,000 rollup
-- rows and 200,000 spend rows at 200 practices). Carrying the measures in the indexes the reports already range-scan
-- turns those scans into index-only scans: no heap page per row. Same names, same key columns, so every plan that used
-- them still does; the extra width is paid once per write.
DROP INDEX attribution_rollups_practice_id_model_day_idx;
CREATE INDEX attribution_rollups_practice_id_model_day_idx ON attribution_rollups (practice_id, model, day)
  INCLUDE (leads, linked_leads, new_patients, credited_patient_millionths, production_level1_cents, production_level2_cents,
           production_level3_cents, collections_level1_cents, collections_level2_cents);

DROP INDEX spend_practice_id_date_idx;
CREATE INDEX spend_practice_id_date_idx ON spend (practice_id, date) INCLUDE (cost_cents, deleted_at);

-- The data-quality panel counts the range's new leads that arrived with no marketing evidence (classified only by the
-- fallback rule R19). Few leads are, so a partial index holds just them: the count no longer walks every lead.
CREATE INDEX leads_sourceless_idx ON leads (practice_id, occurred_at)
  WHERE channel_rule = 'R19' AND contact_type = 'first-time' AND deleted_at IS NULL;
