import type { RecordKind, RecordOf } from '@sourceline/sdk';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { marketingUrl } from './marketing-url.ts';

/** One stored column: its name and the PostgreSQL array type its batch is sent as (for `unnest`). */
export interface Column {
  name: string;
  type: 'text' | 'bytea' | 'int4' | 'int8' | 'bool' | 'date' | 'timestamptz' | 'jsonb';
}

/**
 * How one record kind is stored: its table, its columns, and how a canonical record becomes a row. Direct identifiers
 * go through `cipher.encrypt`, bound to their field name; everything else stays queryable.
 */
export interface RecordTable<K extends RecordKind> {
  kind: K;
  table: string;
  columns: readonly Column[];
  toRow(record: RecordOf<K>, seal: Sealer): unknown[];
  /** Where normalised identifiers of this kind are indexed (blind digests), if any. */
  identifierTable?: { table: string; idColumn: string };
}

/** Encrypts a nullable value for one field of one kind; null stays null. */
export type Sealer = (field: string, value: string | null) => Buffer | null;

export function sealerFor(cipher: PracticeCipher, kind: RecordKind): Sealer {
  return (field, value) => (value === null ? null : cipher.encrypt(`${kind}.${field}`, value));
}

const col = (name: string, type: Column['type']): Column => ({ name, type });
const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

export const patientTable: RecordTable<'patient'> = {
  kind: 'patient',
  table: 'patients',
  columns: [
    col('first_name', 'bytea'), col('last_name', 'bytea'), col('middle_name', 'bytea'), col('preferred_name', 'bytea'),
    col('birth_date', 'bytea'), col('email', 'bytea'), col('phones', 'bytea'), col('address', 'bytea'), col('gender', 'text'),
    col('status', 'text'), col('guarantor_source_id', 'text'), col('primary_provider_source_id', 'text'),
    col('location_source_id', 'text'), col('first_visit_on', 'date'), col('created_on', 'date'), col('source_updated_at', 'timestamptz'),
  ],
  toRow: (p, seal) => [
    seal('firstName', p.firstName), seal('lastName', p.lastName), seal('middleName', p.middleName), seal('preferredName', p.preferredName),
    seal('birthDate', p.birthDate), seal('email', p.email), seal('phones', p.phones.length ? JSON.stringify(p.phones) : null),
    seal('address', json(p.address)), p.gender, p.status, p.guarantorId, p.primaryProviderId, p.locationId, p.firstVisitOn,
    p.createdOn, p.sourceUpdatedAt,
  ],
  identifierTable: { table: 'patient_identifiers', idColumn: 'patient_id' },
};

export const appointmentTable: RecordTable<'appointment'> = {
  kind: 'appointment',
  table: 'appointments',
  columns: [
    col('patient_source_id', 'text'), col('status', 'text'), col('scheduled_at', 'timestamptz'), col('provider_source_id', 'text'),
    col('hygienist_source_id', 'text'), col('location_source_id', 'text'), col('is_new_patient', 'bool'),
    col('source_created_at', 'timestamptz'), col('source_updated_at', 'timestamptz'),
  ],
  toRow: (a) => [a.patientId, a.status, a.scheduledAt, a.providerId, a.hygienistId, a.locationId, a.isNewPatient, a.createdAt, a.sourceUpdatedAt],
};

export const procedureTable: RecordTable<'procedure'> = {
  kind: 'procedure',
  table: 'procedures',
  columns: [
    col('patient_source_id', 'text'), col('appointment_source_id', 'text'), col('provider_source_id', 'text'),
    col('location_source_id', 'text'), col('status', 'text'), col('performed_on', 'date'), col('code', 'text'),
    col('description', 'text'), col('unit_fee_cents', 'int8'), col('quantity', 'int4'), col('fee_cents', 'int8'),
    col('discount_cents', 'int8'), col('source_updated_at', 'timestamptz'),
  ],
  toRow: (p) => [
    p.patientId, p.appointmentId, p.providerId, p.locationId, p.status, p.performedOn, p.code, p.description, p.unitFeeCents,
    p.quantity, p.feeCents, p.discountCents, p.sourceUpdatedAt,
  ],
};

export const paymentTable: RecordTable<'payment'> = {
  kind: 'payment',
  table: 'payments',
  columns: [
    col('patient_source_id', 'text'), col('location_source_id', 'text'), col('provider_source_id', 'text'), col('payer', 'text'),
    col('amount_cents', 'int8'), col('paid_on', 'date'), col('method', 'text'), col('source_updated_at', 'timestamptz'),
  ],
  toRow: (p) => [p.patientId, p.locationId, p.providerId, p.payer, p.amountCents, p.paidOn, p.method, p.sourceUpdatedAt],
};

export const adjustmentTable: RecordTable<'adjustment'> = {
  kind: 'adjustment',
  table: 'adjustments',
  columns: [
    col('patient_source_id', 'text'), col('location_source_id', 'text'), col('provider_source_id', 'text'),
    col('procedure_source_id', 'text'), col('amount_cents', 'int8'), col('adjusted_on', 'date'), col('type', 'text'),
    col('source_updated_at', 'timestamptz'),
  ],
  toRow: (a) => [a.patientId, a.locationId, a.providerId, a.procedureId, a.amountCents, a.adjustedOn, a.type, a.sourceUpdatedAt],
};

export const providerTable: RecordTable<'provider'> = {
  kind: 'provider',
  table: 'providers',
  columns: [col('abbreviation', 'text'), col('first_name', 'text'), col('last_name', 'text'), col('role', 'text'), col('is_active', 'bool'), col('npi', 'text')],
  toRow: (p) => [p.abbreviation, p.firstName, p.lastName, p.role, p.isActive, p.npi],
};

export const locationTable: RecordTable<'location'> = {
  kind: 'location',
  table: 'source_locations',
  columns: [col('name', 'text'), col('abbreviation', 'text'), col('address', 'jsonb'), col('phone', 'text'), col('time_zone', 'text')],
  toRow: (l) => [l.name, l.abbreviation, json(l.address), l.phone, l.timeZone],
};

export const referralSourceTable: RecordTable<'referral-source'> = {
  kind: 'referral-source',
  table: 'referral_sources',
  columns: [
    col('patient_source_id', 'text'), col('source_name', 'bytea'), col('source_kind', 'text'),
    col('referring_patient_source_id', 'text'), col('referred_on', 'text'), col('rank', 'int4'),
  ],
  toRow: (r, seal) => [r.patientId, seal('sourceName', r.sourceName), r.sourceKind, r.referringPatientId, r.referredOn, r.rank],
};

export const leadTable: RecordTable<'lead'> = {
  kind: 'lead',
  table: 'leads',
  columns: [
    col('occurred_at', 'timestamptz'), col('kind', 'text'), col('channel', 'text'), col('source', 'text'), col('medium', 'text'),
    col('campaign', 'text'), col('ad_group', 'text'), col('keyword', 'text'), col('gclid', 'text'), col('name', 'bytea'),
    col('phone', 'bytea'), col('email', 'bytea'), col('landing_page', 'text'), col('message', 'bytea'),
    col('duration_seconds', 'int4'), col('location_source_id', 'text'), col('referrer', 'text'), col('click_ids', 'jsonb'),
    col('tracking_number', 'text'), col('source_label', 'text'), col('campaign_id', 'text'), col('ad_id', 'text'),
    col('is_first_contact', 'bool'),
  ],
  // The fields after locationId are optional in the SDK (connectors written before them omit them): absent is null.
  toRow: (l, seal) => [
    l.occurredAt, l.kind, l.channel, l.source, l.medium, l.campaign, l.adGroup, l.keyword, l.gclid, seal('name', l.name),
    seal('phone', l.phone), seal('email', l.email), marketingUrl(l.landingPage), seal('message', l.message), l.durationSeconds, l.locationId,
    marketingUrl(l.referrer), json(l.clickIds ?? null), l.trackingNumber ?? null, l.sourceLabel ?? null, l.campaignId ?? null,
    l.adId ?? null, l.isFirstContact ?? null,
  ],
  identifierTable: { table: 'lead_identifiers', idColumn: 'lead_id' },
};

export const spendTable: RecordTable<'spend'> = {
  kind: 'spend',
  table: 'spend',
  columns: [
    col('date', 'date'), col('source', 'text'), col('medium', 'text'), col('campaign', 'text'), col('ad_group', 'text'),
    col('cost_cents', 'int8'), col('currency', 'text'), col('clicks', 'int4'), col('impressions', 'int4'),
  ],
  toRow: (s) => [s.date, s.source, s.medium, s.campaign, s.adGroup, s.costCents, s.currency, s.clicks, s.impressions],
};

// Ad metadata, clicks and daily aggregates name campaigns and counts, never a person: nothing to seal.
export const adCampaignTable: RecordTable<'ad-campaign'> = {
  kind: 'ad-campaign',
  table: 'ad_campaigns',
  columns: [col('network', 'text'), col('account_id', 'text'), col('name', 'text'), col('status', 'text'), col('channel_type', 'text')],
  toRow: (c) => [c.network, c.accountId, c.name, c.status, c.channelType],
};

export const adGroupTable: RecordTable<'ad-group'> = {
  kind: 'ad-group',
  table: 'ad_groups',
  columns: [col('network', 'text'), col('account_id', 'text'), col('campaign_source_id', 'text'), col('name', 'text'), col('status', 'text')],
  toRow: (g) => [g.network, g.accountId, g.campaignId, g.name, g.status],
};

export const adKeywordTable: RecordTable<'ad-keyword'> = {
  kind: 'ad-keyword',
  table: 'ad_keywords',
  columns: [
    col('network', 'text'), col('account_id', 'text'), col('campaign_source_id', 'text'), col('ad_group_source_id', 'text'),
    col('keyword_text', 'text'), col('match_type', 'text'), col('status', 'text'),
  ],
  toRow: (k) => [k.network, k.accountId, k.campaignId, k.adGroupId, k.text, k.matchType, k.status],
};

export const adClickTable: RecordTable<'ad-click'> = {
  kind: 'ad-click',
  table: 'ad_clicks',
  columns: [
    col('network', 'text'), col('account_id', 'text'), col('click_id', 'text'), col('clicked_on', 'date'), col('campaign_source_id', 'text'),
    col('campaign_name', 'text'), col('ad_group_source_id', 'text'), col('ad_group_name', 'text'), col('keyword', 'text'),
    col('match_type', 'text'), col('campaign_type', 'text'),
  ],
  toRow: (c) => [
    c.network, c.accountId, c.clickId, c.clickedOn, c.campaignId, c.campaignName, c.adGroupId, c.adGroupName, c.keyword, c.matchType,
    c.campaignType,
  ],
};

export const gbpMetricTable: RecordTable<'gbp-metric'> = {
  kind: 'gbp-metric',
  table: 'gbp_metrics',
  columns: [
    col('location_source_id', 'text'), col('date', 'date'), col('call_clicks', 'int4'), col('website_clicks', 'int4'),
    col('direction_requests', 'int4'), col('bookings', 'int4'), col('messaging_clicks', 'int4'), col('impressions_desktop_maps', 'int4'),
    col('impressions_desktop_search', 'int4'), col('impressions_mobile_maps', 'int4'), col('impressions_mobile_search', 'int4'),
  ],
  toRow: (m) => [
    m.locationId, m.date, m.callClicks, m.websiteClicks, m.directionRequests, m.bookings, m.messagingClicks, m.impressionsDesktopMaps,
    m.impressionsDesktopSearch, m.impressionsMobileMaps, m.impressionsMobileSearch,
  ],
};

export const ga4MetricTable: RecordTable<'ga4-metric'> = {
  kind: 'ga4-metric',
  table: 'ga4_metrics',
  columns: [
    col('property_id', 'text'), col('date', 'date'), col('source', 'text'), col('medium', 'text'), col('campaign', 'text'),
    col('sessions', 'int4'), col('total_users', 'int4'), col('new_users', 'int4'), col('engaged_sessions', 'int4'), col('key_events', 'int4'),
  ],
  toRow: (m) => [m.propertyId, m.date, m.source, m.medium, m.campaign, m.sessions, m.totalUsers, m.newUsers, m.engagedSessions, m.keyEvents],
};

export const recordTables: { [K in RecordKind]: RecordTable<K> } = {
  patient: patientTable,
  appointment: appointmentTable,
  procedure: procedureTable,
  payment: paymentTable,
  adjustment: adjustmentTable,
  provider: providerTable,
  location: locationTable,
  'referral-source': referralSourceTable,
  lead: leadTable,
  spend: spendTable,
  'ad-campaign': adCampaignTable,
  'ad-group': adGroupTable,
  'ad-keyword': adKeywordTable,
  'ad-click': adClickTable,
  'gbp-metric': gbpMetricTable,
  'ga4-metric': ga4MetricTable,
};
