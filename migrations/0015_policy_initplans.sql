-- Every tenant policy compared against app_practice_ids() (and its siblings) inline, so PostgreSQL re-parsed the
-- comma-separated setting for each row it checked: an agency user with 200 practices paid for 200 uuid casts per row,
-- seconds on the console's aggregates. Wrapped in a scalar sub-select the call becomes an InitPlan, evaluated once per
-- statement. Same predicate, same rows: only the evaluation moves.
DO $$
DECLARE
  p record;
  fn text;
  using_sql text;
  check_sql text;
BEGIN
  FOR p IN SELECT schemaname, tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = 'public' LOOP
    using_sql := p.qual;
    check_sql := p.with_check;
    -- The array ones keep a cast: `ANY ((SELECT ...))` would parse as ANY over a sub-query's rows, not over an array.
    FOREACH fn IN ARRAY ARRAY['app_practice_ids', 'app_agency_ids'] LOOP
      using_sql := replace(using_sql, fn || '()', '(SELECT ' || fn || '())::uuid[]');
      check_sql := replace(check_sql, fn || '()', '(SELECT ' || fn || '())::uuid[]');
    END LOOP;
    FOREACH fn IN ARRAY ARRAY['app_user_id', 'app_token_hash', 'app_is_platform_admin'] LOOP
      using_sql := replace(using_sql, fn || '()', '(SELECT ' || fn || '())');
      check_sql := replace(check_sql, fn || '()', '(SELECT ' || fn || '())');
    END LOOP;
    using_sql := regexp_replace(using_sql, '(app_setting\(''[a-z_.]+''::text\))', '(SELECT \1)', 'g');
    check_sql := regexp_replace(check_sql, '(app_setting\(''[a-z_.]+''::text\))', '(SELECT \1)', 'g');
    IF using_sql IS DISTINCT FROM p.qual THEN
      EXECUTE format('ALTER POLICY %I ON %I.%I USING (%s)', p.policyname, p.schemaname, p.tablename, using_sql);
    END IF;
    IF check_sql IS DISTINCT FROM p.with_check THEN
      EXECUTE format('ALTER POLICY %I ON %I.%I WITH CHECK (%s)', p.policyname, p.schemaname, p.tablename, check_sql);
    END IF;
  END LOOP;
END $$;
