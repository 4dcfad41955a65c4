import type { AppointmentStatus, Payment } from '@sourceline/sdk';
import type { Tx } from '../db/tenant-transaction.ts';

/** What every event on a chart carries: where it sits on the practice's calendar. */
interface ChartEventBase {
  id: string;
  /** YYYY-MM-DD in the practice's zone. */
  day: string;
}

export interface AppointmentEvent extends ChartEventBase {
  kind: 'appointment';
  status: AppointmentStatus;
  scheduledAt: Date;
  /** When the office booked it, as the source recorded it. */
  bookedAt: Date | null;
  isNewPatient: boolean;
  provider: string | null;
}

export interface ProcedureEvent extends ChartEventBase {
  kind: 'procedure';
  code: string;
  description: string | null;
  feeCents: number;
  provider: string | null;
}

export interface PaymentEvent extends ChartEventBase {
  kind: 'payment';
  amountCents: number;
  payer: Payment['payer'];
  method: string | null;
}

export type ChartEvent = AppointmentEvent | ProcedureEvent | PaymentEvent;

/** The most recent events of one chart, newest first, and how many it has in all. */
export interface ChartEventPage {
  total: number;
  items: ChartEvent[];
}

interface EventRow {
  patientId: string;
  total: number;
  kind: ChartEvent['kind'];
  id: string;
  day: string;
  at: Date | null;
  bookedAt: Date | null;
  status: AppointmentStatus | null;
  isNewPatient: boolean | null;
  provider: string | null;
  code: string | null;
  description: string | null;
  cents: number | null;
  payer: Payment['payer'] | null;
  method: string | null;
}

function eventOf(row: EventRow): ChartEvent {
  const { id, day } = row;
  switch (row.kind) {
    case 'appointment':
      return { kind: 'appointment', id, day, status: row.status!, scheduledAt: row.at!, bookedAt: row.bookedAt, isNewPatient: row.isNewPatient!, provider: row.provider };
    case 'procedure':
      return { kind: 'procedure', id, day, code: row.code!, description: row.description, feeCents: row.cents!, provider: row.provider };
    case 'payment':
      return { kind: 'payment', id, day, amountCents: row.cents!, payer: row.payer!, method: row.method };
  }
}

/**
 * The appointments, completed procedures and payments of some of a practice's charts, the `limit` most recent of each
 * (a chart absent from the answer has none): newest day
 * first and, within a day, payment before procedure before appointment (read backwards: seen, treated, paid). Deleted
 * records are left out, and so are schedule notes (an appointment row that books nobody) and procedures that are only
 * planned or charted (not production). Records name their chart by (connection, source id), as the PMS does.
 */
export async function listChartEvents(
  tx: Tx,
  input: { practiceId: string; patientIds: readonly string[]; limit: number },
): Promise<Map<string, ChartEventPage>> {
  const rows = await tx.$queryRaw<EventRow[]>`
    WITH chart AS (
      SELECT p.id, p.connection_id, p.source_id, pr.time_zone
        FROM patients p JOIN practices pr ON pr.id = p.practice_id
       WHERE p.id = ANY(${[...input.patientIds]}::uuid[]) AND p.practice_id = ${input.practiceId}::uuid AND p.deleted_at IS NULL
    ), events AS (
      SELECT c.id AS patient_id, 'appointment' AS kind, 0 AS rank, a.id, (a.scheduled_at AT TIME ZONE c.time_zone)::date AS day,
             a.scheduled_at AS at, a.source_created_at AS booked_at, a.status, a.is_new_patient, a.provider_source_id AS provider_id,
             a.connection_id, NULL::text AS code, NULL::text AS description, NULL::bigint AS cents, NULL::text AS payer, NULL::text AS method
        FROM chart c JOIN appointments a ON a.connection_id = c.connection_id AND a.patient_source_id = c.source_id
       WHERE a.deleted_at IS NULL AND a.status <> 'note'
      UNION ALL
      SELECT c.id, 'procedure', 1, x.id, x.performed_on, NULL, NULL, NULL, NULL, x.provider_source_id,
             x.connection_id, x.code, x.description, x.fee_cents, NULL, NULL
        FROM chart c JOIN procedures x ON x.connection_id = c.connection_id AND x.patient_source_id = c.source_id
       WHERE x.deleted_at IS NULL AND x.status = 'completed' AND x.performed_on IS NOT NULL
      UNION ALL
      SELECT c.id, 'payment', 2, y.id, y.paid_on, NULL, NULL, NULL, NULL, NULL,
             y.connection_id, NULL, NULL, y.amount_cents, y.payer, y.method
        FROM chart c JOIN payments y ON y.connection_id = c.connection_id AND y.patient_source_id = c.source_id
       WHERE y.deleted_at IS NULL
    ), ranked AS (
      SELECT e.*, row_number() OVER (PARTITION BY e.patient_id ORDER BY e.day DESC, e.rank DESC, e.at DESC NULLS LAST, e.id DESC) AS n,
             count(*) OVER (PARTITION BY e.patient_id) AS total
        FROM events e
    )
    SELECT r.patient_id AS "patientId", r.total::int AS total, r.kind, r.id, r.day::text AS day, r.at, r.booked_at AS "bookedAt",
           r.status, r.is_new_patient AS "isNewPatient", r.code, r.description, r.cents::float8 AS cents, r.payer, r.method,
           coalesce(nullif(concat_ws(' ', v.first_name, v.last_name), ''), v.abbreviation) AS provider
      FROM ranked r
      LEFT JOIN providers v ON v.connection_id = r.connection_id AND v.source_id = r.provider_id AND v.deleted_at IS NULL
     WHERE r.n <= ${input.limit}
     ORDER BY r.patient_id, r.n`;
  const pages = new Map<string, ChartEventPage>();
  for (const row of rows) {
    const page = pages.get(row.patientId) ?? { total: row.total, items: [] };
    page.items.push(eventOf(row));
    pages.set(row.patientId, page);
  }
  return pages;
}
