import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signCallRailBody } from '@sourceline/connector-callrail';
import { startOpenDentalSimulator, type OpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { Logger as WorkerLogger, runOnce, type Task } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { taskList } from '../src/jobs/worker.ts';
import type { Platform } from '../src/platform.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { storedId } from './matching.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';
import { pdfText } from './pdf-text.ts';

/**
 * The PHI leak hunt. Recognisable canary PHI goes in through every real ingestion path (an Open Dental office synced by
 * the worker, a PMS CSV export — first rejected, then accepted — signed Gravity Forms and CallRail webhooks, malformed
 * deliveries that end in quarantine); the system is driven (worker jobs, matching, attribution, month close, exports, the
 * monthly report mail, admin reads, errors whose inputs carry canaries); then every table (COPY-equivalent dump as the
 * system role, graphile-worker's queue included), every log line, every error response, every job payload seen while
 * queued, every outbox file and everything a viewer was shown is searched for every canary in its normalised forms,
 * case-insensitively, and as the hex and base64 of its bytes. Zero hits.
 */

// ── Canaries ─────────────────────────────────────────────────────────────────────────────────────────────────────────

interface Canary {
  /** What it is and how it got in. */
  label: string;
  /** PHI inside a field that is not itself a PHI field (a URL): hunted on its own, so each finding is named apart. */
  smuggled?: true;
  /** Every spelling a careless code path might write: searched case-insensitively. */
  forms: string[];
}

const phoneForms = (area: string, exchange: string, line: string) => [
  `+1${area}${exchange}${line}`, `${area}${exchange}${line}`, `(${area}) ${exchange}-${line}`, `(${area})${exchange}-${line}`,
  `${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`, `${area} ${exchange} ${line}`, `+1 ${area} ${exchange} ${line}`,
];
const dateForms = (y: string, m: string, d: string) => [`${y}-${m}-${d}`, `${m}/${d}/${y}`, `${d}/${m}/${y}`, `${y}/${m}/${d}`];

/** The patient of the Open Dental office, who also fills in the web form and calls. */
const ZQ = {
  first: 'Zephyrine', last: 'Quillfeather', preferred: 'Wrenlow', phone: '(312)555-0142', email: 'zq.canary@example.test',
  birth: '1958-11-23', street: '4471 Marrowgate Lane', city: 'Thistlebury', referrer: ['Cornelius', 'Ashgrove'] as const,
  formMessage: 'Periwinkle lighthouse: my upper left molar cracked on a walnut, please call after 5',
  /** Newsletter links carry the reader's address in the query string; the form's landing-page field keeps the URL. */
  landingEmail: 'zq.reader@example.test',
};
/** A prospect who only calls (CallRail), never becomes a patient. */
const BT = { name: 'THISTLEWOOD BARNABY', phone: '+17735550199' };
/** In malformed deliveries (quarantined). */
const MV = { first: 'Marisol', last: 'Vantongeren', email: 'mv.canary@example.test', phone: '(415) 555-0163', message: 'Saffron kettle emergency, swollen jaw since Tuesday' };
const HP = { name: 'POTTINGER HIERONYMA', phone: '+16465550178' };
/** In a PMS CSV export: rejected first (a bad row), accepted once fixed. */
const OB = { first: 'Ottoline', last: 'Brackenbury', email: 'ob.canary@example.test', phone: '(872) 555-0117', birth: '1949-06-17', badBirth: '1949-02-30', street: '93 Gorsebrook Crescent' };
/** Only in inputs of requests that fail (and a sealed note/reason that is stored). */
const IF = { first: 'Ignatius', last: 'Fernsby', phone: '+1 213 555 0186', email: 'if.canary@example.test', birth: '1937-04-05' };
const LW = { first: 'Leocadia', last: 'Wintermute', phone: '(503) 555-0131' };
/** An Open Dental chart the connector cannot fully read: an impossible birthdate, an e-mail that is not one. */
const PG = { first: 'Philippa', last: 'Grimsditch', badBirth: '1961-02-30', badEmail: 'grimsditch at home', phone: '(708) 555-0124' };

const CANARIES: Canary[] = [
  { label: 'OD chart + form + call: first name', forms: [ZQ.first] },
  { label: 'OD chart + form + call: last name', forms: [ZQ.last, `${ZQ.first} ${ZQ.last}`, `${ZQ.last}, ${ZQ.first}`, `${ZQ.last} ${ZQ.first}`] },
  { label: 'OD chart: preferred name', forms: [ZQ.preferred] },
  { label: 'OD chart + form + call: phone', forms: phoneForms('312', '555', '0142') },
  { label: 'OD chart + form: e-mail', forms: [ZQ.email, 'zq.canary'] },
  { label: 'OD chart: birthdate', forms: dateForms('1958', '11', '23') },
  { label: 'OD chart: street address', forms: [ZQ.street, 'Marrowgate'] },
  { label: 'OD chart: city', forms: [ZQ.city] },
  { label: 'OD referral: referring person', forms: [ZQ.referrer[1], `${ZQ.referrer[0]} ${ZQ.referrer[1]}`] },
  { label: 'Gravity Forms: message free text', forms: [ZQ.formMessage, 'Periwinkle lighthouse', 'cracked on a walnut'] },
  { label: 'Gravity Forms: e-mail inside the landing-page URL (newsletter link)', smuggled: true, forms: [ZQ.landingEmail, 'zq.reader%40example.test', 'zq.reader'] },
  { label: 'CallRail prospect: caller-ID name', forms: ['Thistlewood', 'Barnaby Thistlewood', BT.name] },
  { label: 'CallRail prospect: phone', forms: phoneForms('773', '555', '0199') },
  { label: 'quarantined GF: name', forms: [MV.last, `${MV.first} ${MV.last}`] },
  { label: 'quarantined GF: e-mail', forms: [MV.email, 'mv.canary'] },
  { label: 'quarantined GF: phone', forms: phoneForms('415', '555', '0163') },
  { label: 'quarantined GF: message', forms: [MV.message, 'Saffron kettle'] },
  { label: 'quarantined CallRail (bad field): name', forms: ['Hieronyma', 'Pottinger'] },
  { label: 'quarantined CallRail: phone', forms: phoneForms('646', '555', '0178') },
  { label: 'PMS CSV: name', forms: [OB.first, OB.last] },
  { label: 'PMS CSV: e-mail', forms: [OB.email, 'ob.canary'] },
  { label: 'PMS CSV: phone', forms: phoneForms('872', '555', '0117') },
  { label: 'PMS CSV: birthdates (good and impossible)', forms: [...dateForms('1949', '06', '17'), ...dateForms('1949', '02', '30')] },
  { label: 'PMS CSV: street address', forms: [OB.street, 'Gorsebrook'] },
  { label: 'bad API input + sealed note/reason: name', forms: [IF.first, IF.last] },
  { label: 'bad API input: phone', forms: phoneForms('213', '555', '0186') },
  { label: 'bad API input: e-mail', forms: [IF.email, 'if.canary'] },
  { label: 'bad API input: birthdate', forms: dateForms('1937', '04', '05') },
  { label: 'OD chart with unreadable fields: name', forms: [PG.first, PG.last] },
  { label: 'OD chart with unreadable fields: bad birthdate, bad e-mail, phone', forms: [...dateForms('1961', '02', '30'), PG.badEmail, ...phoneForms('708', '555', '0124')] },
  { label: 'bad spend CSV cells: name', forms: [LW.first, LW.last] },
  { label: 'bad spend CSV cells: phone', forms: phoneForms('503', '555', '0131') },
];

// ── The search ───────────────────────────────────────────────────────────────────────────────────────────────────────

interface Place {
  name: string;
  text: string;
}

/** An error answer and what the request that caused it carried (body, variables, file, URL). */
interface ErrorAnswer extends Place {
  input: string;
}

interface Hit {
  place: string;
  canary: string;
  form: string;
  encoding: 'text' | 'hex' | 'base64';
  context: string;
}

/** The base64 characters fully determined by `bytes` when they start at each of the three offsets of a 3-byte group. */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const first = Math.ceil((8 * k) / 6);
    const last = Math.floor((8 * (k + bytes.length) - 6) / 6);
    forms.push(encoded.slice(first, last + 1));
  }
  return forms;
}

/** Each form as text (case-insensitive), as the hex PostgreSQL shows bytea in, and as base64 (exact bytes, three alignments). */
function needlesOf(canary: Canary): { form: string; encoding: Hit['encoding']; needle: string; caseSensitive: boolean }[] {
  const out: { form: string; encoding: Hit['encoding']; needle: string; caseSensitive: boolean }[] = [];
  for (const form of canary.forms) {
    out.push({ form, encoding: 'text', needle: form.toLowerCase(), caseSensitive: false });
    const spellings = new Set([form, form.toLowerCase(), form.toUpperCase()]);
    for (const spelling of spellings) {
      const bytes = Buffer.from(spelling, 'utf8');
      if (bytes.length >= 6) out.push({ form, encoding: 'hex', needle: bytes.toString('hex'), caseSensitive: false });
      if (bytes.length >= 8) for (const b64 of base64Forms(bytes)) out.push({ form, encoding: 'base64', needle: b64, caseSensitive: true });
    }
  }
  return out;
}

const NEEDLES = CANARIES.map((canary) => ({ canary, needles: needlesOf(canary) }));

function hunt(places: readonly Place[]): Hit[] {
  const hits: Hit[] = [];
  for (const place of places) {
    const lower = place.text.toLowerCase();
    for (const { canary, needles } of NEEDLES) {
      for (const n of needles) {
        const at = (n.caseSensitive ? place.text : lower).indexOf(n.needle);
        if (at < 0) continue;
        const context = place.text.slice(Math.max(0, at - 100), at + n.needle.length + 100).replace(/\s+/g, ' ');
        hits.push({ place: place.name, canary: canary.label, form: n.form, encoding: n.encoding, context });
        break; // one hit per canary and place is enough to name it
      }
    }
  }
  return hits;
}

const searched = { places: 0, bytes: 0, by: [] as string[] };
function huntAndCount(places: readonly Place[], kind: string): Hit[] {
  searched.places += places.length;
  searched.by.push(`${places.length} ${kind}`);
  searched.bytes += places.reduce((sum, p) => sum + Buffer.byteLength(p.text), 0);
  return hunt(places);
}
const allHits: Hit[] = [];
const isSmuggled = (h: Hit) => CANARIES.find((c) => c.label === h.canary)!.smuggled === true;
const report = (hits: Hit[]) => {
  allHits.push(...hits);
  return hits.map((h) => `${h.place} ← ${h.canary} [${h.form} as ${h.encoding}]: …${h.context}…`);
};

// ── The platform, driven ─────────────────────────────────────────────────────────────────────────────────────────────

let platform: TestPlatform;
let worker: Platform;
let sim: OpenDentalSimulator;
let scratch: string;
let practiceId: string;
let agencyId: string;
let admin: GraphQLClient;
let analyst: GraphQLClient;
let viewer: GraphQLClient;
const started = Date.now();

/** Bodies of every request that failed, keyed by what was asked. */
const errorResponses: ErrorAnswer[] = [];
/** Everything a viewer was answered. */
const viewerResponses: Place[] = [];
/** What admins and analysts legitimately read (must contain the canaries: proves they landed and the search sees them). */
const phiResponses: Place[] = [];
/** Every job row as it sat in the queue before a worker took it. */
const jobSnapshots: Place[] = [];
const outboxFiles: Place[] = [];

/** The previous calendar month (UTC), where the canary patient's first visit falls so the month can be closed. */
const now = new Date();
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
const firstVisit = `${lastMonth}-16`;
const dayBefore = (days: number) => new Date(Date.parse(`${firstVisit}T15:00:00Z`) - days * 86_400_000).toISOString();
const rangeFrom = `${lastMonth}-01`;
const rangeTo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);

const CREATE = `mutation($p: ID!, $c: String!, $s: String!) { createConnection(practiceId: $p, connectorId: $c, settings: $s) { id webhooks { name url } } }`;

async function connect(connectorId: string, settings: Record<string, unknown>): Promise<{ id: string; urls: Record<string, string> }> {
  const { createConnection } = await admin.data<{ createConnection: { id: string; webhooks: { name: string; url: string }[] } }>(CREATE, {
    p: globalId('Practice', practiceId), c: connectorId, s: JSON.stringify(settings),
  });
  return { id: createConnection.id, urls: Object.fromEntries(createConnection.webhooks.map((w) => [w.name, w.url.replace(platform.config.publicUrl, platform.url)])) };
}

/** Posts a webhook; answers other than 200 are error responses to search. */
async function deliver(label: string, url: string, body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  if (response.status !== 200) errorResponses.push({ name: `webhook answer ${response.status} (${label})`, text, input: body });
  return response.status;
}

/** A GraphQL request expected to fail: its whole answer is kept. */
async function failing(client: GraphQLClient, label: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const { status, body } = await client.raw(query, variables);
  expect(body.errors?.length, `${label} should fail`).toBeGreaterThan(0);
  errorResponses.push({ name: `GraphQL error ${status} (${label})`, text: JSON.stringify(body), input: JSON.stringify(variables) });
}

async function asViewer(label: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const { body } = await viewer.raw(query, variables);
  viewerResponses.push({ name: `viewer GraphQL (${label})`, text: JSON.stringify(body) });
}

async function exportAs(client: GraphQLClient, file: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${platform.url}/exports/${practiceId}/${file}`, { headers: { cookie: `sl_session=${client.cookie('sl_session')}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = response.headers.get('content-type') === 'application/pdf' ? pdfText(bytes) : bytes.toString('utf8');
  return { status: response.status, text };
}

/**
 * What a worker process does: every job in the queue, run by the platform's own task list. Delayed jobs (debounced
 * matching, retries) are made due first; each job row is kept as it sat in the queue before it ran.
 */
async function drainQueue(): Promise<number> {
  const owner = platform.db.owner;
  let ran = 0;
  for (let round = 0; round < 12; round++) {
    const { rows } = await owner.query<{ job: string }>(
      `SELECT row_to_json(j)::text || ' task=' || t.identifier || ' queue=' || coalesce(q.queue_name, '') AS job
         FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
         LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
        WHERE j.attempts < j.max_attempts AND j.locked_at IS NULL`,
    );
    if (rows.length === 0) return ran;
    rows.forEach((r, i) => jobSnapshots.push({ name: `queued job (round ${round}, #${i})`, text: r.job }));
    await owner.query(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE locked_at IS NULL AND run_at > now()`);
    const log = worker.logger.child({ component: 'worker' });
    // Each job as the worker hands it to its task (also those queued and run within this pass).
    const tasks = Object.fromEntries(Object.entries(taskList(worker)).map(([name, task]) => [name, (async (payload, helpers) => {
      jobSnapshots.push({ name: `job ${name} #${helpers.job.id} as run`, text: JSON.stringify(helpers.job) });
      return task!(payload, helpers);
    }) satisfies Task]));
    await runOnce({
      pgPool: owner, concurrency: 1, noHandleSignals: true, taskList: tasks,
      logger: new WorkerLogger(() => (level, message) => (level === 'error' ? log.error(message) : level === 'warning' ? log.warn(message) : log.debug(message))),
    });
    ran += rows.length;
  }
  throw new Error('the job queue did not drain');
}

async function odConnectionSeed(): Promise<void> {
  // The canary patient, entered at the front desk like any other (from a template row of the office's own data).
  const t = sim.state.tables;
  const stamp = sim.clock.nowText();
  const template = t.patients.all()[0]!;
  const patNum = t.patients.nextId();
  t.patients.upsert({
    ...template, PatNum: patNum, Guarantor: patNum, FName: ZQ.first, LName: ZQ.last, MiddleI: '', Preferred: ZQ.preferred, PatStatus: 'Patient',
    Gender: 'Female', Birthdate: ZQ.birth, Address: ZQ.street, Address2: '', City: ZQ.city, State: 'IL', Zip: '60614', HmPhone: '',
    WkPhone: '', WirelessPhone: ZQ.phone, Email: ZQ.email, DateFirstVisit: firstVisit, SecDateEntry: firstVisit, DateTStamp: stamp,
  });
  const aptNum = t.appointments.nextId();
  t.appointments.upsert({
    ...t.appointments.all()[0]!, AptNum: aptNum, PatNum: patNum, AptStatus: 'Complete', AptDateTime: `${firstVisit} 09:00:00`,
    IsNewPatient: 'true', DateTStamp: stamp, SecDateTEntry: stamp,
  });
  for (const [code, fee] of [['D0150', '110.00'], ['D2740', '1250.00']] as const) {
    t.procedurelogs.upsert({
      ...t.procedurelogs.all()[0]!, ProcNum: t.procedurelogs.nextId(), PatNum: patNum, AptNum: aptNum, ProcDate: firstVisit, ProcFee: fee,
      ProcStatus: 'C', procCode: code, UnitQty: 1, BaseUnits: 0, Discount: 0, DateTStamp: stamp, SecDateEntry: stamp,
    });
  }
  // "Who referred you?" — a person, typed by the front desk.
  const referralNum = t.referrals.nextId();
  t.referrals.upsert({
    ...(t.referrals.all()[0] ?? {}), ReferralNum: referralNum, FName: ZQ.referrer[0], LName: ZQ.referrer[1], BusinessName: '', NotPerson: 'false',
    IsDoctor: 'false', PatNum: 0, DateTStamp: stamp,
  });
  t.refattaches.upsert({
    RefAttachNum: t.refattaches.nextId(), ReferralNum: referralNum, referralName: `${ZQ.referrer[1]}, ${ZQ.referrer[0]}`, PatNum: patNum,
    ItemOrder: 0, RefDate: firstVisit, ReferralType: 'RefFrom', RefToStatus: 'None', Note: '', IsTransitionOfCare: 'false', ProcNum: 0,
    DateProcComplete: '0001-01-01', ProvNum: 0, DateTStamp: stamp,
  });
  odPatNum = String(patNum);
  const badNum = t.patients.nextId();
  const badRow = {
    ...template, PatNum: badNum, Guarantor: badNum, FName: PG.first, LName: PG.last, Preferred: '', Birthdate: PG.badBirth, Email: PG.badEmail,
    WirelessPhone: PG.phone, HmPhone: '', WkPhone: '', DateFirstVisit: firstVisit, DateTStamp: stamp,
  };
  t.patients.upsert(badRow);
  odBadRow = JSON.stringify(badRow);
}
let odBadRow: string;
let odPatNum: string;

const PMS_CSV_HEADER = 'patient_id,first_name,last_name,birth_date,status,email,mobile_phone,address_line1,city,state,postal_code,first_visit_date,created_date';
const pmsCsvRow = (birth: string) =>
  `CSV-77,${OB.first},${OB.last},${birth},active,${OB.email},"${OB.phone}",${OB.street},Thornwick,IL,60601,${firstVisit},${firstVisit}`;

beforeAll(async () => {
  platform = await startTestPlatform();
  scratch = await mkdtemp(path.join(tmpdir(), 'sourceline-phi-hunt-'));
  // The worker writes mail to its data directory: a private one, so the outbox files are this test's alone.
  worker = { ...platform, config: { ...platform.config, dataDir: scratch } };
  const tenant = await createAgencyWithPractices(platform, 'Hunt Agency', ['Hunt Dental']);
  agencyId = tenant.agencyId;
  practiceId = tenant.practiceIds[0]!;
  admin = await signIn(platform, (await createUser(platform, { agencies: [[agencyId, 'admin']] })).email);
  analyst = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'analyst']] })).email);
  viewer = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email);
  const p = globalId('Practice', practiceId);

  // 1. The Open Dental office, synced by the worker.
  sim = await startOpenDentalSimulator({ seed: 11, patients: 25, months: 6, mode: 'service' });
  await odConnectionSeed();
  const od = await connect('open-dental', {
    baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', mode: 'service', timeZone: sim.clock.timeZone, reconcileEveryHours: 0,
  });
  await admin.data(`mutation($id: ID!) { syncConnectionNow(id: $id) { id } }`, { id: od.id });

  const RUNS = `query($id: ID!) { node(id: $id) { ... on Connection { status statusMessage runs(first: 20) { edges { node { stream status errorCount errors failure } } } } } }`;

  // 2. A PMS CSV export: first with an impossible birthdate (the file is rejected whole, by line and field), then fixed.
  const csvDir = path.join(scratch, 'pms-export');
  await mkdir(csvDir);
  const rejectedCsv = `${PMS_CSV_HEADER}\n${pmsCsvRow(OB.badBirth)}\nCSV-78,${OB.first},,${OB.birth},sleeping,${OB.first}-at-example,,,,,,,\n`;
  await writeFile(path.join(csvDir, 'patients.csv'), rejectedCsv);
  const csv = await connect('pms-csv', { source: { type: 'directory', path: csvDir }, timeZone: 'America/Chicago' });
  await admin.data(`mutation($id: ID!) { syncConnectionNow(id: $id) { id } }`, { id: csv.id });
  await drainQueue();
  type Runs = { node: { runs: { edges: { node: { stream: string; status: string; errorCount: number; errors: string; failure: string | null } }[] } } };
  const csvRuns = await admin.data<Runs>(RUNS, { id: csv.id });
  expect(csvRuns.node.runs.edges.filter((e) => e.node.errorCount > 0 || e.node.failure).length).toBeGreaterThan(0);
  const odRuns = await admin.data<Runs>(RUNS, { id: od.id });
  expect(odRuns.node.runs.edges.filter((e) => e.node.errorCount > 0).length).toBeGreaterThan(0);
  errorResponses.push({ name: 'Open Dental sync runs with an unreadable chart (GraphQL)', text: JSON.stringify(odRuns), input: odBadRow });
  errorResponses.push({ name: 'PMS CSV sync runs with rejected rows (GraphQL)', text: JSON.stringify(csvRuns), input: rejectedCsv });
  await writeFile(path.join(csvDir, 'patients.csv'), `${PMS_CSV_HEADER}\n${pmsCsvRow(OB.birth)}\n`);
  await admin.data(`mutation($id: ID!) { syncConnectionNow(id: $id) { id } }`, { id: csv.id });

  // 3. Signed webhooks: a Gravity Forms entry from the patient, CallRail calls from her and from a prospect.
  const gfSecret = 'gf-hunt-secret-1234567890';
  const gf = await connect('gravity-forms', {
    siteUrl: 'https://www.hunt-dental.example', webhookSecret: gfSecret,
    forms: { '3': { firstName: '1.3', lastName: '1.6', email: '2', phone: '3', message: '4', utmSource: '10', utmMedium: '11', utmCampaign: '12', landingPage: '16' } },
  });
  const gfDate = dayBefore(6).replace('T', ' ').slice(0, 19);
  const entry = (id: string, fields: Record<string, unknown>) => JSON.stringify({
    id, form_id: '3', date_created: gfDate, status: 'active', source_url: 'https://www.hunt-dental.example/implants/',
    '10': 'google', '11': 'cpc', '12': 'implants-spring', '16': 'https://www.hunt-dental.example/implants/?utm_source=google&utm_medium=cpc', ...fields,
  });
  const gfHeaders = { 'x-sourceline-token': gfSecret };
  expect(await deliver('GF entry', gf.urls.entry!, entry('501', {
    '1.3': ZQ.first, '1.6': ZQ.last, '2': 'ZQ.Canary@Example.test', '3': '(312) 555-0142', '4': ZQ.formMessage,
    '16': `https://www.hunt-dental.example/implants/?utm_source=newsletter&utm_medium=email&email=${encodeURIComponent(ZQ.landingEmail)}`,
  }), gfHeaders)).toBe(200);
  // A forged delivery (wrong secret) carrying canaries: refused, audited, not stored.
  expect(await deliver('GF wrong secret', gf.urls.entry!, entry('509', { '1.3': MV.first, '1.6': MV.last, '2': MV.email }), { 'x-sourceline-token': 'not-the-secret-0000' })).toBe(401);
  // Malformed: a date the connector cannot read (with a canary in it), and a body that is not JSON at all.
  expect(await deliver('GF bad date_created', gf.urls.entry!, entry('502', {
    date_created: `${MV.first} ${MV.last} ${MV.phone}`, '1.3': MV.first, '1.6': MV.last, '2': MV.email, '3': MV.phone, '4': MV.message,
  }), gfHeaders)).toBe(400);
  expect(await deliver('GF not JSON', gf.urls.entry!, `{"1.3": "${MV.first}", "1.6": ${MV.last}, "2": "${MV.email}", "4": "${MV.message}"`, gfHeaders)).toBe(400);

  const signingKey = 'callrail-hunt-signing-key';
  const cr = await connect('callrail', { accountId: 'ACC777', apiKey: 'hunt-api-key', signingKey });
  const call = (id: string, fields: Record<string, unknown>) => JSON.stringify({
    id, answered: true, direction: 'inbound', duration: '142', start_time: dayBefore(3), created_at: dayBefore(3), customer_city: ZQ.city,
    tracking_phone_number: '+15550109001', source: 'Google Ads', medium: 'cpc', campaign: 'implants-spring', utm_source: 'google', utm_medium: 'cpc',
    first_call: true, ...fields,
  });
  for (const [label, body] of [
    ['CallRail patient call', call('CAL-HUNT-1', { customer_name: `${ZQ.last.toUpperCase()} ${ZQ.first.toUpperCase()}`, customer_phone_number: '+13125550142' })],
    ['CallRail prospect call', call('CAL-HUNT-2', { customer_name: BT.name, customer_phone_number: BT.phone, start_time: dayBefore(2), created_at: dayBefore(2) })],
  ] as const) {
    expect(await deliver(label, cr.urls['post-call']!, body, { signature: signCallRailBody(body, signingKey) })).toBe(200);
  }
  const badCall = call('CAL-HUNT-3', { customer_name: HP.name, customer_phone_number: HP.phone, start_time: `${HP.name} ${HP.phone}`, created_at: `called ${HP.phone}` });
  expect(await deliver('CallRail bad start_time', cr.urls['post-call']!, badCall, { signature: signCallRailBody(badCall, signingKey) })).toBe(400);

  // 4. The worker: webhook processing, syncs, matching, attribution.
  await drainQueue();
  await admin.data(`mutation($p: ID!) { rematchPractice(practiceId: $p) }`, { p });
  await drainQueue();

  // 5. People at work: reads of PHI (legitimate), a verdict with a reason, a manual touch with a note (both sealed).
  const patientGid = globalId('Patient', await storedId(platform, 'patients', odPatNum));
  const prospectLead = globalId('Lead', await storedId(platform, 'leads', 'callrail:call:CAL-HUNT-2'));
  await analyst.data(`mutation($l: ID!, $p: ID!, $r: String) { decideMatch(leadId: $l, patientId: $p, verdict: NOT_A_MATCH, reason: $r) { decision } }`, {
    l: prospectLead, p: patientGid, r: `${BT.name} is ${ZQ.first}'s neighbour ${IF.first} ${IF.last}, not her`,
  });
  await analyst.data(`mutation($p: ID!, $d: String!, $n: String) { addManualTouchpoint(patientId: $p, occurredOn: $d, channel: OFFLINE_OTHER, campaign: "Health fair", note: $n) { id } }`, {
    p: patientGid, d: dayBefore(10).slice(0, 10), n: `${IF.first} ${IF.last} (${IF.phone}) brought her to the booth`,
  });
  await admin.data(`mutation($p: ID!) { rematchPractice(practiceId: $p) }`, { p });
  await drainQueue();

  const PATIENT = `query($id: ID!) { node(id: $id) { ... on Patient { sourceId firstName lastName preferredName birthDate email phones { number }
    manualTouchpoints { hasNote } attribution { summary primaryChannel touchpoints { channel campaign origin } }
    matches { decision lead { name phone email message } } } } }`;
  phiResponses.push({ name: 'admin reads the canary chart', text: JSON.stringify(await admin.data(PATIENT, { id: patientGid })) });
  const LEADS = `query($p: ID!) { node(id: $p) { ... on Practice { leads(first: 100) { edges { node { name phone email message channel kind } } } } } }`;
  phiResponses.push({ name: 'analyst reads the leads', text: JSON.stringify(await analyst.data(LEADS, { p })) });

  // 6. Month close, exports (PHI for analysts and admins only), the monthly report mail through the worker.
  await admin.data(`mutation($p: ID!, $m: String!) { freezeMonth(practiceId: $p, month: $m) { month } }`, { p, m: lastMonth });
  const adminPdf = await exportAs(admin, `month-report.pdf?month=${lastMonth}`);
  expect(adminPdf.status).toBe(200);
  phiResponses.push({ name: 'admin month-report.pdf', text: adminPdf.text });
  const adminCsv = await exportAs(analyst, `patients.csv?from=${rangeFrom}&to=${rangeTo}&channel=paid-search`);
  expect(adminCsv.status).toBe(200);
  phiResponses.push({ name: 'analyst patients.csv (paid search)', text: adminCsv.text });
  await platform.jobs.addJob('monthly_reports', {});
  await drainQueue();
  await platform.jobs.addJob('deliver_outbox', {});
  await drainQueue();
  const outbox = path.join(scratch, 'outbox');
  for (const file of await readdir(outbox)) {
    const message = await readFile(path.join(outbox, file), 'utf8');
    outboxFiles.push({ name: `outbox ${file} (raw)`, text: message });
    outboxFiles.push({ name: `outbox ${file} (decoded)`, text: decodeMail(message) });
  }

  // 7. A viewer's console and exports: aggregates only.
  const vars = { p, from: rangeFrom, to: rangeTo };
  await asViewer('performance', `query($p: ID!, $from: String!, $to: String!) { node(id: $p) { ... on Practice { performance(from: $from, to: $to) {
    totals { leads newPatients productionCents } channels { channel name figures { leads newPatients } } campaigns { campaign figures { leads } } } } } }`, vars);
  await asViewer('leads', `query($p: ID!) { node(id: $p) { ... on Practice { leads(first: 100) { edges { node { kind channel campaign occurredAt name phone email message } } } } } }`, { p });
  await asViewer('matching, month end, data quality', `query($p: ID!, $from: String!, $to: String!) { node(id: $p) { ... on Practice {
    matching { links pendingLeads } monthEnd(last: 3) { month live { newPatients } } dataQuality(from: $from, to: $to) { kind title action } } } }`, vars);
  await asViewer('chart', PATIENT, { id: patientGid });
  await asViewer('drill-down', `query($p: ID!, $from: String!, $to: String!) { node(id: $p) { ... on Practice {
    attributedPatients(channel: PAID_SEARCH, from: $from, to: $to) { items { patient { firstName lastName } } } } } }`, vars);
  for (const file of [
    `channels.csv?from=${rangeFrom}&to=${rangeTo}`, `campaigns.csv?from=${rangeFrom}&to=${rangeTo}`, `month-report.pdf?month=${lastMonth}`,
    `patients.csv?from=${rangeFrom}&to=${rangeTo}&channel=paid-search`,
  ]) {
    const answer = await exportAs(viewer, file);
    viewerResponses.push({ name: `viewer export ${file} (${answer.status})`, text: answer.text });
  }

  // 8. Errors whose inputs carry canaries.
  await failing(admin, 'spend entry with a phone for an amount', `mutation($p: ID!, $e: SpendEntryInput!) { addSpendEntry(practiceId: $p, entry: $e) { id } }`, {
    p, e: { date: `${IF.first} ${IF.last}`, channel: 'PAID_SEARCH', amountCents: IF.phone.replace(/\D/g, '').slice(1), campaign: IF.email },
  });
  await failing(admin, 'lead filter with a name for a date', `query($p: ID!, $f: LeadFilter) { node(id: $p) { ... on Practice { leads(first: 5, filter: $f) { edges { node { id } } } } } }`, {
    p, f: { from: `${IF.first} ${IF.last} ${IF.phone}` },
  });
  await failing(analyst, 'verdict with a too-long reason', `mutation($l: ID!, $p: ID!, $r: String) { decideMatch(leadId: $l, patientId: $p, verdict: LINK, reason: $r) { decision } }`, {
    l: prospectLead, p: patientGid, r: `${IF.first} ${IF.last} ${IF.email} ${IF.phone} `.repeat(20),
  });
  await failing(analyst, 'manual touch in the future with a note', `mutation($p: ID!, $n: String) { addManualTouchpoint(patientId: $p, occurredOn: "2999-01-01", channel: OFFLINE_OTHER, note: $n) { id } }`, {
    p: patientGid, n: `${IF.first} ${IF.last} born ${IF.birth}`,
  });
  // An id that decodes to a name: not found is the answer (null), and it must not come back in any form.
  const byNameId = Buffer.from(`Patient:${IF.first} ${IF.last}`).toString('base64');
  const byName = await analyst.raw(`query($id: ID!) { node(id: $id) { id } }`, { id: byNameId });
  errorResponses.push({ name: 'a name for an id', text: JSON.stringify(byName.body), input: `${byNameId} Patient:${IF.first} ${IF.last}` });
  await failing(viewer, 'viewer reads a chart by id', PATIENT, { id: patientGid });
  const spendCsv = `date,channel,campaign,amount\n${LW.first} ${LW.last},${LW.phone},${IF.email},${LW.phone}\n2025-01-02,Paid Search,${LW.last},12.50\n`;
  const spend = await admin.raw(`mutation($p: ID!, $csv: String!) { importSpendCsv(practiceId: $p, csv: $csv) { rows inserted problems { line column message } } }`, { p, csv: spendCsv });
  expect(spend.body.data?.importSpendCsv).toMatchObject({ inserted: 0, problems: expect.arrayContaining([expect.objectContaining({ line: 2 })]) });
  errorResponses.push({ name: 'spend CSV import with canary cells', text: JSON.stringify(spend.body), input: spendCsv });
  for (const file of [`patients.csv?from=${rangeFrom}&to=${rangeTo}&channel=${encodeURIComponent(IF.email)}`, `channels.csv?from=${encodeURIComponent(IF.birth + ' ' + IF.last)}&to=${rangeTo}`]) {
    const answer = await exportAs(analyst, file);
    expect(answer.status).toBe(400);
    errorResponses.push({ name: `export error ${answer.status} (${file.split('?')[0]})`, text: answer.text, input: decodeURIComponent(file) });
  }
  await drainQueue();
}, 120_000);

afterAll(async () => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const forms = CANARIES.reduce((sum, c) => sum + c.forms.length, 0);
  console.log(
    `PHI leak hunt: ${CANARIES.length} canaries (${forms} forms, ${NEEDLES.reduce((s, n) => s + n.needles.length, 0)} needles incl. hex/base64), ` +
      `${searched.places} places (${searched.by.join(', ')}), ${searched.bytes.toLocaleString('en-US')} bytes searched, ${allHits.length} hits, ${seconds} s`,
  );
  await sim?.close();
  await platform?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A MIME message's parts, readable: quoted-printable and base64 text decoded, PDF attachments as their text. */
function decodeMail(message: string): string {
  const parts: string[] = [];
  for (const part of message.split(/\r?\n--[^\r\n]+/)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const body = part.slice(split).trim();
    const isBase64 = /Content-Transfer-Encoding:\s*base64/i.test(headers);
    const bytes = isBase64 ? Buffer.from(body.replace(/\s/g, ''), 'base64') : Buffer.from(body);
    if (/Content-Type:\s*application\/pdf/i.test(headers)) parts.push(pdfText(bytes));
    else if (/quoted-printable/i.test(headers)) {
      parts.push(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
    } else parts.push(bytes.toString('utf8'));
  }
  return parts.join('\n');
}

/** Every table of the database, one place each, from one dump taken after everything above. */
let dump: Promise<Place[]> | undefined;
function dumpTables(): Promise<Place[]> {
  dump ??= dumpAllTables(platform.db.owner).then((text) =>
    text.split(/^-- (?=\S+\n|\S+$)/m).filter(Boolean).map((section) => {
      const newline = section.indexOf('\n');
      return { name: `table ${newline < 0 ? section : section.slice(0, newline)}`, text: newline < 0 ? '' : section.slice(newline + 1) };
    }),
  );
  return dump;
}

/** Whether the failing request carried the canary form itself (an echo) rather than the answer disclosing stored PHI. */
const carried = (h: Hit) => errorResponses.find((e) => e.name === h.place)!.input.toLowerCase().includes(h.form.toLowerCase());

// ── The hunt ─────────────────────────────────────────────────────────────────────────────────────────────────────────

describe('PHI leak hunt', () => {
  it('finds what it looks for: the canaries landed, and the search sees them in plain, hex and base64', async () => {
    expect(hunt([{ name: 'self-test', text: `x ${Buffer.from(`..${ZQ.last}`).toString('base64')} \\x${Buffer.from(OB.street).toString('hex')} ${BT.phone}` }]).map((h) => h.encoding).sort())
      .toEqual(['base64', 'hex', 'text']);
    const read = phiResponses.find((r) => r.name === 'admin reads the canary chart')!.text;
    for (const value of [ZQ.first, ZQ.last, ZQ.preferred, ZQ.email, ZQ.birth]) expect(read).toContain(value);
    expect(read).toContain(ZQ.formMessage);
    const leads = phiResponses.find((r) => r.name === 'analyst reads the leads')!.text;
    for (const value of [ZQ.formMessage, 'zq.canary@example.test', BT.name, '+17735550199']) expect(leads.toLowerCase()).toContain(value.toLowerCase());
    expect(phiResponses.find((r) => r.name === 'admin month-report.pdf')!.text).toContain(`${ZQ.first} ${ZQ.last}`);
    expect(phiResponses.find((r) => r.name.startsWith('analyst patients.csv'))!.text).toContain(`${ZQ.first},${ZQ.last}`);
    const landed = await withSystem(platform.db.owner, async (c) => (await c.query(`
      SELECT (SELECT count(*)::int FROM patients WHERE practice_id = $1) AS patients,
             (SELECT count(*)::int FROM patients WHERE practice_id = $1 AND source_id = 'CSV-77') AS csv_patient,
             (SELECT count(*)::int FROM leads WHERE practice_id = $1) AS leads,
             (SELECT count(*)::int FROM webhook_deliveries WHERE practice_id = $1 AND status = 'quarantined') AS quarantined,
             (SELECT count(*)::int FROM referral_sources WHERE practice_id = $1) AS referrals,
             (SELECT count(*)::int FROM lead_matches m JOIN patients p ON p.id = m.patient_id WHERE p.source_id = $2 AND m.decision = 'link') AS links,
             (SELECT count(*)::int FROM patient_attributions a JOIN patients p ON p.id = a.patient_id WHERE p.source_id = $2) AS attributions,
             (SELECT count(*)::int FROM match_decisions WHERE practice_id = $1) AS verdicts,
             (SELECT count(*)::int FROM month_snapshots WHERE practice_id = $1) AS frozen,
             (SELECT count(*)::int FROM outbox_emails WHERE sent_at IS NOT NULL) AS mailed`, [practiceId, odPatNum])).rows[0]);
    expect(landed).toMatchObject({ csv_patient: 1, quarantined: 3, verdicts: 1, frozen: 1 });
    expect(landed.patients).toBeGreaterThan(25);
    expect(landed.leads).toBeGreaterThanOrEqual(3);
    expect(landed.referrals).toBeGreaterThan(0);
    expect(landed.links).toBeGreaterThanOrEqual(2);
    expect(landed.attributions).toBeGreaterThan(0);
    expect(landed.mailed).toBeGreaterThan(0);
    expect(outboxFiles.length).toBeGreaterThan(0);
    expect(jobSnapshots.length).toBeGreaterThan(5);
  });

  it('finds no canary in a full dump of every table (graphile-worker’s queue included)', async () => {
    const tables = await dumpTables();
    expect(tables.length).toBeGreaterThan(40);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['table public.patients', 'table public.leads', 'table graphile_worker._private_jobs']));
    expect(report(huntAndCount(tables, 'tables').filter((h) => !isSmuggled(h)))).toEqual([]);
  });

  it('finds no PHI smuggled at rest inside a non-PHI field (an e-mail in a landing-page URL’s query string)', async () => {
    // The same dump (searched and counted above); only the canaries that travel inside URLs are reported here.
    expect(report(hunt(await dumpTables()).filter(isSmuggled))).toEqual([]);
  });

  it('finds no canary in any log line the platform or its worker wrote', () => {
    expect(platform.logs.length).toBeGreaterThan(10);
    expect(report(huntAndCount([{ name: 'logs', text: platform.logs.join('') }], `log (${platform.logs.length} lines)`))).toEqual([]);
  });

  it('finds no canary in any job payload while it was queued', () => {
    expect(report(huntAndCount(jobSnapshots, 'job snapshots'))).toEqual([]);
  });

  it('finds no canary in the monthly report mail (aggregates only), raw or decoded', () => {
    expect(outboxFiles.some((f) => f.text.includes('Month-end report'))).toBe(true);
    expect(report(huntAndCount(outboxFiles, 'outbox renderings'))).toEqual([]);
  });

  it('shows a viewer no canary: console answers and exports', () => {
    expect(viewerResponses.length).toBeGreaterThan(8);
    expect(report(huntAndCount(viewerResponses, 'viewer answers'))).toEqual([]);
  });

  it('discloses no PHI in an error response that the failing request did not carry itself', () => {
    expect(errorResponses.length).toBeGreaterThan(10);
    expect(report(huntAndCount(errorResponses, 'error answers').filter((h) => !carried(h)))).toEqual([]);
  });

  it('echoes none of the request’s own canaries back in an error response (errors name ids, lines and fields, not values)', () => {
    expect(report(hunt(errorResponses).filter(carried))).toEqual([]);
  });
});
