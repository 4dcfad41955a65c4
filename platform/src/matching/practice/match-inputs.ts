import type { PatientPhone, PostalAddress } from '@sourceline/sdk';
import type pg from 'pg';
import type { PracticeCipher } from '../../crypto/practice-keys.ts';
import type { LeadInput, PatientInput } from '../records.ts';

/** A stored record as the engine reads it, with the content key it was read at (what `match_state` will record). */
export interface Read<T> {
  input: T;
  state: Buffer;
}

interface ChartRow {
  id: string;
  first_name: Buffer | null;
  last_name: Buffer | null;
  preferred_name: Buffer | null;
  birth_date: Buffer | null;
  email: Buffer | null;
  phones: Buffer | null;
  address: Buffer | null;
  first_visit_on: string | null;
  opened_on: string;
  state: Buffer;
}

/**
 * When a chart was opened, as the engine reads it. Open Dental records only the day (`SecDateEntry`), but a chart the
 * regular syncs first saw on the day it was opened (or within the hour after) was opened shortly before Sourceline saw
 * it: that instant, late by at most a sync interval, lets the engine tell a family registered together at the desk
 * from neighbours opened the same day. Charts of the connection's first day are not believed: the initial sync saw
 * years of them at once. A chart without its opening date counts from the day Sourceline first saw it.
 */
const OPENED_AT = `
  CASE WHEN p.created_on IS NOT NULL
        AND p.first_seen_at >= c.created_at + interval '1 day'
        AND p.first_seen_at >= (p.created_on::timestamp AT TIME ZONE pr.time_zone)
        AND p.first_seen_at < ((p.created_on + 1)::timestamp AT TIME ZONE pr.time_zone) + interval '1 hour'
       THEN to_char(p.first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
       ELSE coalesce(p.created_on, (p.first_seen_at AT TIME ZONE 'UTC')::date)::text END`;

/**
 * A practice's charts, decrypted into the engine's input (all of them, or those named). A deleted chart, or one the
 * source marks deleted, is nobody's match.
 */
export async function readCharts(
  client: pg.PoolClient,
  cipher: PracticeCipher,
  ids?: readonly string[],
): Promise<Read<PatientInput>[]> {
  const { rows } = await client.query<ChartRow>({
    // Charts by id are read several times in each incremental pass: prepared once per connection, as planning this
    // join took most of a one-chart read.
    name: ids ? 'read-charts-by-id' : undefined,
    text: `SELECT p.id, p.first_name, p.last_name, p.preferred_name, p.birth_date, p.email, p.phones, p.address, p.first_visit_on::text,
                  ${OPENED_AT} AS opened_on,
                  lead_settle_key(p.content_hash, p.deleted_at) AS state
             FROM patients p
             JOIN connections c ON c.id = p.connection_id
             JOIN practices pr ON pr.id = p.practice_id
            WHERE p.practice_id = $1 AND p.deleted_at IS NULL AND p.status <> 'deleted' ${ids ? 'AND p.id = ANY($2::uuid[])' : ''}
            ORDER BY p.id`,
    values: ids ? [cipher.practiceId, ids] : [cipher.practiceId],
  });
  const open = (field: string, sealed: Buffer | null) => (sealed === null ? '' : cipher.decrypt(`patient.${field}`, sealed));
  return rows.map((row) => {
    const phones = row.phones ? (JSON.parse(open('phones', row.phones)) as PatientPhone[]) : [];
    const address = row.address ? (JSON.parse(open('address', row.address)) as PostalAddress) : null;
    return {
      state: row.state,
      input: {
        id: row.id,
        firstName: open('firstName', row.first_name),
        lastName: open('lastName', row.last_name),
        preferredName: open('preferredName', row.preferred_name),
        birthdate: open('birthDate', row.birth_date),
        ...phoneFields(phones),
        email: open('email', row.email),
        zip: address?.postalCode ?? '',
        firstVisitDate: row.first_visit_on ?? '',
        createdAt: row.opened_on,
      },
    };
  });
}

/** The engine reads three phone fields; a number of another kind fills the first one free. */
function phoneFields(phones: readonly PatientPhone[]): Pick<PatientInput, 'mobilePhone' | 'homePhone' | 'workPhone'> {
  const fields = { mobilePhone: '', homePhone: '', workPhone: '' };
  const slot = { mobile: 'mobilePhone', home: 'homePhone', work: 'workPhone' } as const;
  const others: string[] = [];
  for (const phone of phones) {
    const field = phone.kind === 'other' ? null : slot[phone.kind];
    if (field && !fields[field]) fields[field] = phone.number;
    else others.push(phone.number);
  }
  for (const number of others) {
    const free = (['mobilePhone', 'homePhone', 'workPhone'] as const).find((f) => !fields[f]);
    if (free) fields[free] = number;
  }
  return fields;
}

/** A lead as `LEAD_COLUMNS` select it. */
export interface LeadRow {
  id: string;
  occurred_at: Date;
  name: Buffer | null;
  phone: Buffer | null;
  email: Buffer | null;
  state: Buffer;
}

/** What `openLeads` reads of a lead, for a caller selecting leads in a statement of its own. */
export const LEAD_COLUMNS = 'id, occurred_at, name, phone, email, lead_settle_key(content_hash, deleted_at) AS state';

/** A practice's leads (all, or those named), decrypted into the engine's input. Withdrawn leads match nobody. */
export async function readLeads(client: pg.PoolClient, cipher: PracticeCipher, ids?: readonly string[]): Promise<Read<LeadInput>[]> {
  const { rows } = await client.query<LeadRow>(
    `SELECT ${LEAD_COLUMNS}
       FROM leads
      WHERE practice_id = $1 AND deleted_at IS NULL ${ids ? 'AND id = ANY($2::uuid[])' : ''}
      ORDER BY occurred_at, id`,
    ids ? [cipher.practiceId, ids] : [cipher.practiceId],
  );
  return openLeads(cipher, rows);
}

/** Leads as stored, decrypted into the engine's input. */
export function openLeads(cipher: PracticeCipher, rows: readonly LeadRow[]): Read<LeadInput>[] {
  const open = (field: string, sealed: Buffer | null) => (sealed === null ? '' : cipher.decrypt(`lead.${field}`, sealed));
  return rows.map((row) => ({
    state: row.state,
    input: { id: row.id, occurredAt: row.occurred_at.toISOString(), name: open('name', row.name), phone: open('phone', row.phone), email: open('email', row.email) },
  }));
}
