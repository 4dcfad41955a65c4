import type { Appointment, Patient, Payment, Procedure, RecordKind, RecordOf } from '@sourceline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem, withTenant, withTenantClient } from '../src/db/tenant-transaction.ts';
import { loadPrincipal, scopeOf } from '../src/auth/principal.ts';
import { readChartEvents } from '../src/patients/read-chart-events.ts';
import { markRecordsDeleted, upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection } from './leads.ts';
import { storedId } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let pms: RecordTarget;
let admin: GraphQLClient;
let adminId: string;
let analyst: GraphQLClient;
let viewer: GraphQLClient;
let viewerId: string;

const chart = (id: string, createdOn: string): Patient => ({
  id, firstName: null, lastName: null, middleName: null, preferredName: null, birthDate: null, gender: 'unknown', status: 'active', phones: [],
  email: null, address: null, guarantorId: null, primaryProviderId: null, locationId: null, firstVisitOn: null, createdOn, sourceUpdatedAt: null,
});
const appointment = (id: string, patientId: string, scheduledAt: string, fields: Partial<Appointment> = {}): Appointment => ({
  id, patientId, status: 'completed', scheduledAt, providerId: 'DR1', hygienistId: null, locationId: null, isNewPatient: false, createdAt: null,
  sourceUpdatedAt: null, ...fields,
});
const procedure = (id: string, patientId: string, performedOn: string, code: string, feeCents: number, fields: Partial<Procedure> = {}): Procedure => ({
  id, patientId, appointmentId: null, providerId: 'DR1', locationId: null, status: 'completed', performedOn, code, description: null,
  unitFeeCents: feeCents, quantity: 1, feeCents, discountCents: 0, sourceUpdatedAt: null, ...fields,
});
const payment = (id: string, patientId: string, paidOn: string, amountCents: number, fields: Partial<Payment> = {}): Payment => ({
  id, patientId, locationId: null, providerId: null, payer: 'patient', amountCents, paidOn, method: 'Credit Card', sourceUpdatedAt: null, ...fields,
});

async function land<K extends RecordKind>(kind: K, records: RecordOf<K>[]): Promise<void> {
  const scope = { practiceIds: [practiceId] };
  const cipher = await withTenant(platform.db.prisma, scope, (tx) => platform.keys.cipherFor(tx, practiceId));
  await withTenantClient(platform.db.app, scope, (client) => upsertRecords(client, pms, cipher, kind, records));
}

const EVENTS = `query($id: ID!, $first: Int) { node(id: $id) { ... on Patient { chartEvents(first: $first) { total items {
  __typename day
  ... on AppointmentEvent { status scheduledAt bookedAt isNewPatient provider }
  ... on ProcedureEvent { code description feeCents provider }
  ... on PaymentEvent { amountCents payer method }
} } } } }`;

type EventPage = { node: { chartEvents: { total: number; items: Record<string, unknown>[] } } };
const patientGid = async (sourceId: string) => globalId('Patient', await storedId(platform, 'patients', sourceId));
const phiReads = () =>
  withSystem(platform.db.owner, async (c) =>
    (await c.query(`SELECT actor_user_id, fields, details, to_jsonb(a)::text AS row FROM audit_log a WHERE action = 'patient.phi_read' AND practice_id = $1 ORDER BY seq`, [practiceId])).rows,
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Timeline Agency', ['Timeline Dental']);
  practiceId = tenant.practiceIds[0]!;
  // Days are the practice's: New York, so an evening appointment is on the day before its UTC date.
  await withSystem(platform.db.owner, (c) => c.query(`UPDATE practices SET time_zone = 'America/New_York' WHERE id = $1`, [practiceId]));
  pms = await addConnection(platform, practiceId, 'open-dental');
  await land('patient', [chart('P1', '2026-01-02'), chart('P2', '2026-01-03')]);
  await land('provider', [{ id: 'DR1', abbreviation: 'DR1', firstName: 'Ana', lastName: 'Ruiz', role: 'dentist', isActive: true, npi: null }]);
  await land('appointment', [
    appointment('A1', 'P1', '2026-01-12T15:00:00.000Z', { isNewPatient: true, createdAt: '2026-01-06T14:00:00.000Z' }),
    appointment('A2', 'P1', '2026-02-10T02:30:00.000Z'),
    appointment('A3', 'P1', '2026-02-11T15:00:00.000Z', { status: 'note' }),
    appointment('A4', 'P1', '2026-02-12T15:00:00.000Z'),
    appointment('B1', 'P2', '2026-01-20T15:00:00.000Z'),
  ]);
  await land('procedure', [
    procedure('X1', 'P1', '2026-01-12', 'D0150', 9_500, { description: 'Comprehensive oral evaluation' }),
    procedure('X2', 'P1', '2026-02-09', 'D2740', 120_000, { description: 'Crown - porcelain/ceramic' }),
    procedure('X3', 'P1', '2026-03-01', 'D2750', 110_000, { status: 'planned' }),
    procedure('X4', 'P1', '2026-02-09', 'D2950', 30_000),
    procedure('Y9', 'P2', '2026-01-20', 'D1110', 8_000),
  ]);
  await land('payment', [
    payment('Y1', 'P1', '2026-02-09', 40_000),
    payment('Y2', 'P1', '2026-02-20', -5_000, { payer: 'insurance', method: null }),
    payment('Y3', 'P1', '2026-02-21', 77_700),
  ]);
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => {
    await markRecordsDeleted(client, pms, 'appointment', ['A4']);
    await markRecordsDeleted(client, pms, 'procedure', ['X4']);
    await markRecordsDeleted(client, pms, 'payment', ['Y3']);
  });
  const adminUser = await createUser(platform, { practices: [[practiceId, 'admin']] });
  adminId = adminUser.id;
  admin = await signIn(platform, adminUser.email);
  analyst = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email);
  const viewerUser = await createUser(platform, { practices: [[practiceId, 'viewer']] });
  viewerId = viewerUser.id;
  viewer = await signIn(platform, viewerUser.email);
});
afterAll(() => platform.close());

describe('a patient’s appointments, procedures and payments', () => {
  it('shows an admin the chart’s visits and money, newest first, in the practice’s days and to the cent', async () => {
    const { node } = await admin.data<EventPage>(EVENTS, { id: await patientGid('P1') });
    expect(node.chartEvents.total).toBe(6);
    expect(node.chartEvents.items).toEqual([
      { __typename: 'PaymentEvent', day: '2026-02-20', amountCents: -5_000, payer: 'INSURANCE', method: null },
      { __typename: 'PaymentEvent', day: '2026-02-09', amountCents: 40_000, payer: 'PATIENT', method: 'Credit Card' },
      { __typename: 'ProcedureEvent', day: '2026-02-09', code: 'D2740', description: 'Crown - porcelain/ceramic', feeCents: 120_000, provider: 'Ana Ruiz' },
      {
        __typename: 'AppointmentEvent', day: '2026-02-09', status: 'COMPLETED', scheduledAt: '2026-02-10T02:30:00.000Z', bookedAt: null,
        isNewPatient: false, provider: 'Ana Ruiz',
      },
      { __typename: 'ProcedureEvent', day: '2026-01-12', code: 'D0150', description: 'Comprehensive oral evaluation', feeCents: 9_500, provider: 'Ana Ruiz' },
      {
        __typename: 'AppointmentEvent', day: '2026-01-12', status: 'COMPLETED', scheduledAt: '2026-01-12T15:00:00.000Z',
        bookedAt: '2026-01-06T14:00:00.000Z', isNewPatient: true, provider: 'Ana Ruiz',
      },
    ]);
  });

  it('lists only the most recent events an analyst asks for, and counts them all', async () => {
    const { node } = await analyst.data<EventPage>(EVENTS, { id: await patientGid('P1'), first: 2 });
    expect(node.chartEvents.total).toBe(6);
    expect(node.chartEvents.items.map((e) => e.day)).toEqual(['2026-02-20', '2026-02-09']);
  });

  it('leaves out deleted records, schedule notes and treatment only planned', async () => {
    const { node } = await analyst.data<EventPage>(EVENTS, { id: await patientGid('P1'), first: 100 });
    const codes = node.chartEvents.items.map((e) => e.code).filter(Boolean);
    expect(codes).toEqual(['D2740', 'D0150']);
    expect(node.chartEvents.items.map((e) => e.amountCents).filter((a) => a !== undefined)).toEqual([-5_000, 40_000]);
    expect(node.chartEvents.items.filter((e) => e.__typename === 'AppointmentEvent')).toHaveLength(2);
  });

  it('audits every read as a patient PHI read: what was read and how much, never a value', async () => {
    const before = (await phiReads()).length;
    await admin.data<EventPage>(EVENTS, { id: await patientGid('P1') });
    const reads = await phiReads();
    expect(reads).toHaveLength(before + 1);
    const read = reads.at(-1)!;
    expect(read.fields).toEqual(['appointments', 'payments', 'procedures']);
    expect(read.details).toEqual({ patients: 1, events: 6 });
    expect(read.actor_user_id).toBe(adminId);
    for (const value of ['D2740', 'Crown', 'Ana Ruiz', '120000', 'Credit Card']) expect(read.row).not.toContain(value);
  });

  it('gives a viewer no patient’s events, and records no read', async () => {
    const before = (await phiReads()).length;
    expect(await viewer.error(EVENTS, { id: await patientGid('P1') })).toMatchObject({ code: 'FORBIDDEN' });
    // The reader refuses a viewer by itself too, whatever calls it.
    const patientId = await storedId(platform, 'patients', 'P1');
    const principal = (await withTenantClient(platform.db.app, { userId: viewerId }, (client) => loadPrincipal(client, { userId: viewerId })))!;
    await expect(
      withTenant(platform.db.prisma, scopeOf(principal), (tx) =>
        readChartEvents(tx, principal, { practiceId, patientIds: [patientId], limit: 10, origin: { userAgent: 'test' } }),
      ),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await phiReads()).toHaveLength(before);
  });

  it('answers an empty page for a chart with nothing recorded', async () => {
    await land('patient', [chart('P3', '2026-03-01')]);
    const { node } = await analyst.data<EventPage>(EVENTS, { id: await patientGid('P3') });
    expect(node.chartEvents).toEqual({ total: 0, items: [] });
    // Reading a chart with nothing on it is still reading that chart.
    expect((await phiReads()).at(-1)!.details).toEqual({ patients: 1, events: 0 });
  });
});
