import type { ReferralSource } from '@sourceline/sdk';
import type { OpenDentalClient, OpenDentalRow } from '../api/open-dental-client.ts';
import type { RowReader } from '../api/row-reader.ts';
import { createStampedStream } from '../sync/stamped-stream.ts';
import type { MapEnv, StampedResource } from '../sync/stamped-resource.ts';

/**
 * How each patient heard of the practice: Open Dental's RefFrom attachments (refattach) joined with the referral
 * table. For a non-person source the description lives in the referral's LName ("Radio spot").
 */
export function mapReferralSource(r: RowReader, env: MapEnv): ReferralSource | undefined {
  const id = r.id('RefAttachNum', true);
  const patientId = r.id('PatNum', true);
  const referralId = r.id('ReferralNum', true);
  if (id === null || patientId === null || referralId === null) return undefined;
  const referral = env.lookups.get(referralId);
  const described = referral ? describeReferral(referral) : undefined;
  const sourceName = described?.name ?? r.text('referralName') ?? `Referral ${referralId}`;
  return {
    id,
    patientId,
    sourceName,
    sourceKind: described?.kind ?? 'other',
    referringPatientId: described?.referringPatientId ?? null,
    referredOn: r.date('RefDate'),
    rank: Math.max(0, r.integer('ItemOrder', 0)),
  };
}

function describeReferral(row: OpenDentalRow): { name: string; kind: ReferralSource['sourceKind']; referringPatientId: string | null } {
  const text = (field: string) => (typeof row[field] === 'string' ? (row[field] as string).trim() : '');
  const isTrue = (field: string) => text(field).toLowerCase() === 'true';
  const patNum = Number(row.PatNum);
  const person = [text('FName'), text('LName')].filter(Boolean).join(' ');
  if (isTrue('NotPerson')) return { name: text('LName') || 'Unnamed source', kind: 'marketing', referringPatientId: null };
  if (isTrue('IsDoctor')) return { name: text('BusinessName') || person || 'Referring doctor', kind: 'doctor', referringPatientId: null };
  if (Number.isInteger(patNum) && patNum > 0) return { name: person || 'Referring patient', kind: 'patient', referringPatientId: String(patNum) };
  return { name: person || text('BusinessName') || 'Referral', kind: 'other', referringPatientId: null };
}

async function loadReferrals(client: OpenDentalClient): Promise<Map<string, OpenDentalRow>> {
  const referrals = new Map<string, OpenDentalRow>();
  for (let offset = 0; ; ) {
    const page = await client.listPage('referrals', {}, offset);
    for (const row of page.rows) referrals.set(String(row.ReferralNum), row);
    offset += page.rows.length;
    if (page.rows.length < client.pageSize) return referrals;
  }
}

export const referralSourcesResource: StampedResource<'referral-source'> = {
  stream: 'referral-sources',
  description: 'Referral sources ("how did you hear about us"), from RefFrom attachments; deletions by reconciliation',
  kind: 'referral-source',
  path: 'refattaches',
  idField: 'RefAttachNum',
  serverTimeInRows: false,
  hardDeletes: true,
  keepRow: (row) => row.ReferralType === 'RefFrom',
  mapRow: mapReferralSource,
  loadLookups: loadReferrals,
};

export const referralSourcesStream = createStampedStream(referralSourcesResource);
