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
 * A practice's charts, decrypted into the engine's input (all of them, or those named). A deleted chart, or one the
 * source marks deleted, is nobody's match. A chart without its opening date counts from when Sourceline first saw it.
 */
export async function readCharts(
  client: pg.PoolClient,
  cipher: PracticeCipher,
  ids?: readonly string[],
): Promise<Read<PatientInput>[]> {
  const { rows } = await client.query<ChartRow>(
    `SELECT id, first_name, last_name, preferred_name, birth_date, email, phones, address, first_visit_on::text,
            coalesce(created_on, (first_seen_at AT TIME ZONE 'UTC')::date)::text AS opened_on,
            lead_settle_key(content_hash, deleted_at) AS state
       FROM patients
      WHERE practice_id = $1 AND deleted_at IS NULL AND status <> 'deleted' ${ids ? 'AND id = ANY($2::uuid[])' : ''}
      ORDER BY id`,
    ids ? [cipher.practiceId, ids] : [cipher.practiceId],
  );
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

interface LeadRow {
  id: string;
  occurred_at: Date;
  name: Buffer | null;
  phone: Buffer | null;
  email: Buffer | null;
  state: Buffer;
}

/** A practice's leads (all, or those named), decrypted into the engine's input. Withdrawn leads match nobody. */
export async function readLeads(client: pg.PoolClient, cipher: PracticeCipher, ids?: readonly string[]): Promise<Read<LeadInput>[]> {
  const { rows } = await client.query<LeadRow>(
    `SELECT id, occurred_at, name, phone, email, lead_settle_key(content_hash, deleted_at) AS state
       FROM leads
      WHERE practice_id = $1 AND deleted_at IS NULL ${ids ? 'AND id = ANY($2::uuid[])' : ''}
      ORDER BY occurred_at, id`,
    ids ? [cipher.practiceId, ids] : [cipher.practiceId],
  );
  const open = (field: string, sealed: Buffer | null) => (sealed === null ? '' : cipher.decrypt(`lead.${field}`, sealed));
  return rows.map((row) => ({
    state: row.state,
    input: { id: row.id, occurredAt: row.occurred_at.toISOString(), name: open('name', row.name), phone: open('phone', row.phone), email: open('email', row.email) },
  }));
}
