import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withSystem } from '../src/db/tenant-transaction.ts';

export interface SeededTenant {
  agencyId: string;
  practiceIds: string[];
  userId: string;
  /** Every id that belongs to this tenant, in any table: no query scoped to the other tenant may return one. */
  ids: Set<string>;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Seeds one tenant — an agency with two practices, a location, an admin, sessions, tokens, an invitation, a password
 * reset, recovery codes, login attempts, mail, data keys and audit events — as sourceline_system, so every table of
 * the foundation holds rows of it. Tests seed two and check that neither sees the other.
 */
export async function seedTenant(owner: pg.Pool, label: string): Promise<SeededTenant> {
  return withSystem(owner, async (db) => {
    const ids = new Set<string>();
    const one = async (sql: string, params: unknown[]) => {
      const { rows } = await db.query<{ id: string }>(/RETURNING/.test(sql) ? sql : `${sql} RETURNING id::text`, params);
      const id = rows[0]!.id;
      // Only UUIDs identify a tenant's rows unambiguously; the audit log's sequence numbers do not.
      if (/^[0-9a-f-]{36}$/.test(id)) ids.add(id);
      return id;
    };
    const agencyId = await one('INSERT INTO agencies (name) VALUES ($1)', [`Agency ${label}`]);
    const practiceIds = [
      await one('INSERT INTO practices (agency_id, name) VALUES ($1, $2)', [agencyId, `Practice ${label}1`]),
      await one('INSERT INTO practices (agency_id, name) VALUES ($1, $2)', [agencyId, `Practice ${label}2`]),
    ];
    await one('INSERT INTO locations (practice_id, name) VALUES ($1, $2)', [practiceIds[0], `Location ${label}`]);
    const userId = await one('INSERT INTO users (email, display_name) VALUES ($1, $2)', [
      `admin-${label.toLowerCase()}@example.test`,
      `Admin ${label}`,
    ]);
    const practiceUserId = await one('INSERT INTO users (email, display_name) VALUES ($1, $2)', [
      `analyst-${label.toLowerCase()}@example.test`,
      `Analyst ${label}`,
    ]);
    await one(`INSERT INTO memberships (user_id, agency_id, role) VALUES ($1, $2, 'admin')`, [userId, agencyId]);
    await one(`INSERT INTO memberships (user_id, practice_id, role) VALUES ($1, $2, 'analyst')`, [
      practiceUserId,
      practiceIds[1],
    ]);
    await one(`INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
      userId,
      sha256(`session-${label}`),
    ]);
    await one(
      `INSERT INTO api_tokens (user_id, name, prefix, token_hash, role, practice_ids) VALUES ($1, 'ci', 'slt_x', $2, 'viewer', $3)`,
      [userId, sha256(`token-${label}`), practiceIds],
    );
    await one(
      `INSERT INTO invitations (agency_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, 'viewer', $3, $4, now() + interval '7 days')`,
      [agencyId, `invitee-${label.toLowerCase()}@example.test`, sha256(`invite-${label}`), userId],
    );
    await one(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
      userId,
      sha256(`reset-${label}`),
    ]);
    await one('INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, sha256(`code-${label}`)]);
    await one(`INSERT INTO login_attempts (email_key, ip, succeeded) VALUES ($1, $2, false)`, [
      sha256(`login-${label}`),
      `192.0.2.${label.charCodeAt(0) % 250}`,
    ]);
    await one(`INSERT INTO outbox_emails (to_address, subject, body_sealed) VALUES ($1, 'Hello', '\\x00')`, [
      `invitee-${label.toLowerCase()}@example.test`,
    ]);
    for (const practiceId of practiceIds) {
      await one(
        `INSERT INTO data_keys (practice_id, purpose, version, wrapped_key, master_key_id) VALUES ($1, 'data', 1, $2, 'test')`,
        [practiceId, randomBytes(60)],
      );
      await one(`INSERT INTO audit_log (practice_id, actor_user_id, action) VALUES ($1, $2, 'practice.viewed')`, [
        practiceId,
        userId,
      ]);
    }
    await one(`INSERT INTO audit_log (agency_id, actor_user_id, action) VALUES ($1, $2, 'agency.viewed')`, [
      agencyId,
      userId,
    ]);
    const practiceId = practiceIds[0]!;
    const connectionId = await one(
      `INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, 'open-dental', 'OD', '\\x00')`,
      [practiceId],
    );
    await seedConnectionRecords(one, practiceId, connectionId);
    return { agencyId, practiceIds, userId, ids };
  });
}

/** One row of every connection and record table, for a practice's connection. */
async function seedConnectionRecords(
  one: (sql: string, params: unknown[]) => Promise<string>,
  practiceId: string,
  connectionId: string,
): Promise<void> {
  const base = [practiceId, connectionId];
  await one(`INSERT INTO sync_cursors (connection_id, stream, practice_id, cursor) VALUES ($2, 'patients', $1, '{}') RETURNING connection_id AS id`, base);
  await one(`INSERT INTO sync_runs (practice_id, connection_id, stream, trigger) VALUES ($1, $2, 'patients', 'manual')`, base);
  const patientId = await one(
    `INSERT INTO patients (practice_id, connection_id, source_id, content_hash, gender, status) VALUES ($1, $2, 'p1', '\\x01', 'unknown', 'active')`,
    base,
  );
  await one(`INSERT INTO patient_identifiers (patient_id, practice_id, kind, digest) VALUES ($1, $2, 'phone', '\\x02') RETURNING patient_id AS id`, [patientId, practiceId]);
  await one(`INSERT INTO appointments (practice_id, connection_id, source_id, content_hash, patient_source_id, status, scheduled_at, is_new_patient)
             VALUES ($1, $2, 'a1', '\\x01', 'p1', 'scheduled', now(), true)`, base);
  await one(`INSERT INTO procedures (practice_id, connection_id, source_id, content_hash, patient_source_id, status, code, unit_fee_cents, quantity, fee_cents, discount_cents)
             VALUES ($1, $2, 'pr1', '\\x01', 'p1', 'completed', 'D0150', 9900, 1, 9900, 0)`, base);
  await one(`INSERT INTO payments (practice_id, connection_id, source_id, content_hash, patient_source_id, payer, amount_cents, paid_on)
             VALUES ($1, $2, 'pay1', '\\x01', 'p1', 'patient', 5000, current_date)`, base);
  await one(`INSERT INTO adjustments (practice_id, connection_id, source_id, content_hash, patient_source_id, amount_cents, adjusted_on)
             VALUES ($1, $2, 'adj1', '\\x01', 'p1', -500, current_date)`, base);
  await one(`INSERT INTO providers (practice_id, connection_id, source_id, content_hash, role, is_active) VALUES ($1, $2, 'dr1', '\\x01', 'dentist', true)`, base);
  await one(`INSERT INTO source_locations (practice_id, connection_id, source_id, content_hash, name) VALUES ($1, $2, 'c1', '\\x01', 'Clinic')`, base);
  await one(`INSERT INTO referral_sources (practice_id, connection_id, source_id, content_hash, patient_source_id, source_name, source_kind, rank)
             VALUES ($1, $2, 'r1', '\\x01', 'p1', '\\x03', 'marketing', 0)`, base);
  await one(`INSERT INTO webhook_deliveries (practice_id, connection_id, webhook, body_sealed, body_bytes, status) VALUES ($1, $2, 'entry', '\\x00', 1, 'processed')`, base);
  const leadId = await one(`INSERT INTO leads (practice_id, connection_id, source_id, content_hash, occurred_at, kind) VALUES ($1, $2, 'l1', '\\x01', now(), 'call')`, base);
  await one(`INSERT INTO lead_identifiers (lead_id, practice_id, kind, digest) VALUES ($1, $2, 'phone', '\\x02') RETURNING lead_id AS id`, [leadId, practiceId]);
  const pair = [leadId, patientId, practiceId];
  await one(`INSERT INTO chart_match_keys (patient_id, practice_id, kind, digest) VALUES ($1, $2, 'phone', '\\x04') RETURNING patient_id AS id`, [patientId, practiceId]);
  await one(`INSERT INTO lead_match_keys (lead_id, practice_id, digest) VALUES ($1, $2, '\\x04') RETURNING lead_id AS id`, [leadId, practiceId]);
  await one(`INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method) VALUES ($1, $2, $3, 'link', 0.9, 'phone') RETURNING lead_id AS id`, pair);
  await one(`INSERT INTO match_decisions (lead_id, patient_id, practice_id, verdict) VALUES ($1, $2, $3, 'link') RETURNING lead_id AS id`, pair);
  await one(`INSERT INTO attribution_settings (practice_id, lookback_days) VALUES ($1, 60) RETURNING practice_id AS id`, [practiceId]);
  await one(`INSERT INTO attribution_runs (practice_id, markov, paths, settings, new_patients, rollup_rows, duration_ms) VALUES ($1, '{}', '[]', '{}', 1, 1, 5) RETURNING practice_id AS id`, [practiceId]);
  await one(`INSERT INTO patient_attributions (patient_id, practice_id, first_visit_on, primary_channel, touchpoints, primary_contributing, production_level1_cents,
               production_level2_cents, production_level3_cents, collections_level1_cents, collections_level2_cents)
             VALUES ($1, $2, current_date, 'paid-search', '[]', '{}', 100, 0, 0, 0, 0) RETURNING patient_id AS id`, [patientId, practiceId]);
  await one(`INSERT INTO attribution_rollups (practice_id, model, day, channel, leads, new_patients, credited_patient_millionths, production_level1_cents,
               production_level2_cents, production_level3_cents, collections_level1_cents, collections_level2_cents)
             VALUES ($1, 'linear', current_date, 'paid-search', 1, 1, 1000000, 100, 0, 0, 0, 0) RETURNING id::text AS id`, [practiceId]);
  await one(`INSERT INTO attribution_episodes (practice_id, episode_id, day, channel, linked) VALUES ($1, $2, current_date, 'paid-search', true) RETURNING episode_id AS id`, [practiceId, leadId]);
  await one(`INSERT INTO month_snapshots (practice_id, month, model, figures, content_hash) VALUES ($1, date_trunc('month', current_date), 'linear', '{}', sha256('{}'::bytea)) RETURNING practice_id AS id`, [practiceId]);
  await one(`INSERT INTO manual_touchpoints (practice_id, patient_id, occurred_on, channel) VALUES ($1, $2, current_date, 'offline-other')`, [practiceId, patientId]);
  await one(`INSERT INTO match_models (practice_id, snapshot, charts, leads, links, review, duration_ms) VALUES ($1, '{}', 1, 1, 1, 0, 5) RETURNING practice_id AS id`, [practiceId]);
  await one(`INSERT INTO spend (practice_id, connection_id, source_id, content_hash, date, source, campaign, cost_cents, currency)
             VALUES ($1, $2, 's1', '\\x01', current_date, 'google', 'Implants', 12345, 'USD')`, base);
  await one(`INSERT INTO ad_campaigns (practice_id, connection_id, source_id, content_hash, network, account_id, name, status)
             VALUES ($1, $2, 'cmp1', '\\x01', 'google-ads', '1234567890', 'Implants', 'ENABLED')`, base);
  await one(`INSERT INTO ad_groups (practice_id, connection_id, source_id, content_hash, network, account_id, campaign_source_id, name, status)
             VALUES ($1, $2, 'ag1', '\\x01', 'google-ads', '1234567890', 'cmp1', 'Dental Implants', 'ENABLED')`, base);
  await one(`INSERT INTO ad_keywords (practice_id, connection_id, source_id, content_hash, network, account_id, campaign_source_id, ad_group_source_id, keyword_text, status)
             VALUES ($1, $2, 'ag1~kw1', '\\x01', 'google-ads', '1234567890', 'cmp1', 'ag1', 'dental implants', 'ENABLED')`, base);
  await one(`INSERT INTO ad_clicks (practice_id, connection_id, source_id, content_hash, network, account_id, click_id, clicked_on, campaign_source_id)
             VALUES ($1, $2, 'gads:click:g1', '\\x01', 'google-ads', '1234567890', 'g1', current_date, 'cmp1')`, base);
  await one(`INSERT INTO gbp_metrics (practice_id, connection_id, source_id, content_hash, location_source_id, date, call_clicks)
             VALUES ($1, $2, 'gbp:loc1:d1', '\\x01', 'loc1', current_date, 3)`, base);
  await one(`INSERT INTO ga4_metrics (practice_id, connection_id, source_id, content_hash, property_id, date, source, medium, campaign, sessions, total_users)
             VALUES ($1, $2, 'ga4:p1:d1', '\\x01', 'p1', current_date, 'google', 'organic', '(not set)', 10, 8)`, base);
  await one(`INSERT INTO channel_rules (practice_id, position, rule_key, conditions, channel)
             VALUES ($1, 0, 'zocdoc', '[{"field":"referrer","operator":"contains","value":"zocdoc"}]', 'referral-web')`, [practiceId]);
  await one(`INSERT INTO channel_settings (practice_id, rules_revision) VALUES ($1, 1) RETURNING practice_id AS id`, [practiceId]);
  await one(`INSERT INTO lead_settings (practice_id, episode_window_days) VALUES ($1, 45) RETURNING practice_id AS id`, [practiceId]);
  await one(`INSERT INTO lead_reprocessing_runs (practice_id, reasons) VALUES ($1, '{channel-rules}')`, [practiceId]);
  await one(`INSERT INTO google_ads_conversion_uploads (practice_id, connection_id, conversion_action_id, range_from, range_to)
             VALUES ($1, $2, '987654321', current_date - 30, current_date)`, base);
}
