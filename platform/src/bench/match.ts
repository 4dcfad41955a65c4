import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPlatformMatching } from './match-platform.ts';
import {
  MATCH_COLUMNS,
  MatchEngine,
  matchRow,
  readLeads,
  readPatients,
  writeCsvAtomically,
  type LeadInput,
  type PatientInput,
} from '../matching/index.ts';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const DEV_SET = join(SHARED, 'data/matching-dev');
const SCORER = join(SHARED, 'bench/score.mjs');

/**
 * `pnpm bench match`: the matcher's quality on the dev set (through the shared scorer), full-run wall time on the
 * dev set and on a generated 200,000 charts × 400,000 leads, the p95 of matching one new lead incrementally, and
 * the process's peak memory.
 */
export async function benchMatch(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'sourceline-bench-match-'));
  try {
    const out = join(work, 'matches.csv');
    const devSeconds = time(() => {
      const engine = MatchEngine.run(readPatients(join(DEV_SET, 'patients.csv')), readLeads(join(DEV_SET, 'leads.csv')));
      writeCsvAtomically(out, MATCH_COLUMNS, [...engine.pairs()].filter((p) => p.decision === 'link').map(matchRow));
    });
    const scored = execFileSync(process.execPath, [SCORER, '--truth', DEV_SET, '--matches', out], { encoding: 'utf8' });
    console.log('dev set (../shared/data/matching-dev), scored by ../shared/bench/score.mjs:');
    console.log(scored.trimEnd().replace(/^/gm, '  '));
    console.log(`dev set full match: ${devSeconds.toFixed(2)} s (read CSV, match, write CSV)`);
    await benchPlatformMatching(readPatients(join(DEV_SET, 'patients.csv')), readLeads(join(DEV_SET, 'leads.csv')), 200, (links) => {
      const file = join(work, 'platform-matches.csv');
      writeCsvAtomically(file, MATCH_COLUMNS, links);
      const result = execFileSync(process.execPath, [SCORER, '--truth', DEV_SET, '--matches', file], { encoding: 'utf8' });
      console.log(result.split('\n').filter((line) => /precision|revenue-channel/.test(line)).join('\n').replace(/^/gm, '  '));
    });

    // A thousand leads beyond the 400,000 are held out of the full run and matched one by one afterwards.
    const world = generateWorld(200_000, 401_000, 20240601);
    const fresh = world.leads.slice(400_000);
    let engine: MatchEngine | undefined;
    const cpuBefore = process.cpuUsage();
    const largeSeconds = time(() => {
      engine = MatchEngine.run(world.patients, world.leads.slice(0, 400_000));
    });
    const cpu = process.cpuUsage(cpuBefore);
    let links = 0;
    for (const pair of engine!.pairs()) if (pair.decision === 'link') links++;
    console.log(
      `generated 200,000 charts x 400,000 leads full match: ${largeSeconds.toFixed(2)} s wall, ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (${links} links)`,
    );

    const latencies = fresh.map((lead) => time(() => engine!.matchLead(lead)) * 1000).sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(`incremental matchLead of ${fresh.length} held-out leads: p50 ${p(0.5).toFixed(2)} ms, p95 ${p(0.95).toFixed(2)} ms, max ${p(1).toFixed(2)} ms`);
    console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

/* ------------------------------------------------------------------ a generated world */

/** mulberry32: a small seeded PRNG, so every bench run matches the same world. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = (
  'james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph ' +
  'jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony margaret mark sandra ' +
  'donald ashley steven kimberly paul emily andrew donna joshua michelle kenneth carol kevin amanda brian melissa ' +
  'george deborah timothy stephanie ronald rebecca jason sharon edward laura jeffrey cynthia ryan kathleen jacob ' +
  'amy gary angela nicholas shirley eric anna jonathan brenda stephen pamela larry emma justin nicole scott helen ' +
  'brandon samantha benjamin katherine samuel christine gregory debra alexander rachel frank carolyn patrick janet ' +
  'raymond catherine jack maria dennis heather jerry diane tyler ruth aaron julie jose olivia adam joyce nathan ' +
  'virginia henry victoria douglas kelly zachary lauren peter christina kyle joan ethan evelyn walter judith noah ' +
  'megan jeremy andrea christian cheryl keith hannah roger jacqueline terry martha gerald gloria harold teresa sean ' +
  'ann austin sara carl madison arthur frances lawrence kathryn dylan janice jesse jean jordan abigail bryan alice ' +
  'billy julia joe judy bruce sophia gabriel grace logan denise albert amber willie doris alan marilyn juan danielle ' +
  'wayne beverly elijah isabella randy theresa roy diana vincent natalie ralph brittany eugene charlotte russell ' +
  'marie bobby kayla mason alexis philip lori luis liam mia ava lucas chloe aiden ella'
).split(' ');
const SURNAME = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson ' +
  'anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson ' +
  'walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell ' +
  'mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales ' +
  'murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson ' +
  'watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ' +
  'ross foster jimenez'
).split(' ');
const SYLLABLES = 'al ber cor dan el fen gar hal in jor kel lin mor nor os per quin ros sel tor ul ven wes yor zan bri cal dru fal gil hob ira jas kor lum mes nel opa pry rad sto tam vor'.split(' ');
const REGIONS = [
  { zip: '432', areaCodes: ['614', '380'] },
  { zip: '850', areaCodes: ['602', '480', '623'] },
  { zip: '787', areaCodes: ['512', '737'] },
];
const DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'comcast.net'];
const NICK: Record<string, string> = { robert: 'bob', william: 'bill', james: 'jim', michael: 'mike', elizabeth: 'liz', katherine: 'kate' };
const DAY = 86_400_000;
const START = Date.UTC(2014, 0, 1);
const LEADS_FROM = Date.UTC(2023, 6, 1);

interface Person {
  first: string;
  last: string;
  birth: number;
  mobile: string;
  email: string;
}

/**
 * A seeded synthetic practice group: households sharing landlines and email, charts opened over ten years, leads
 * over eighteen months, a third of them from charted households (with caller-ID names, nicknames, typos, family
 * numbers), the rest prospects and spam. Only its size and texture matter here; the dev set measures quality.
 */
function generateWorld(patientCount: number, leadCount: number, seed: number): { patients: PatientInput[]; leads: LeadInput[] } {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const phone = (areaCodes: readonly string[]) => `${pick(areaCodes)}${2 + Math.floor(random() * 8)}${digits(6)}`;
  // The hundred commonest US surnames cover about a fifth of people; the rest is a long tail.
  const surname = () =>
    random() < 0.2 ? pick(SURNAME) : pick(SYLLABLES) + pick(SYLLABLES) + pick(['son', 'ley', 'man', 'ford', 'er', 'ton', 'wood', 'ez']);
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  const patients: PatientInput[] = [];
  const adults: (Person & { homePhone: string })[] = [];
  while (patients.length < patientCount) {
    const region = pick(REGIONS);
    const zip = `${region.zip}${digits(2)}`;
    const last = surname();
    const home = random() < 0.5 ? phone(region.areaCodes) : '';
    const opened = START + Math.floor(random() * 11 * 365) * DAY;
    const size = 1 + Math.floor(random() * 4);
    const household: Person[] = [];
    for (let m = 0; m < size && patients.length < patientCount; m++) {
      const adult = m < 2;
      const first = pick(GIVEN);
      const birth = adult ? Date.UTC(1945 + Math.floor(random() * 55), 0, 1) : Date.UTC(2005 + Math.floor(random() * 18), 0, 1);
      const mobile = adult ? phone(region.areaCodes) : (household[0]?.mobile ?? phone(region.areaCodes));
      const email = adult ? `${first}${random() < 0.5 ? '.' : ''}${last}${digits(2)}@${pick(DOMAINS)}` : (household[0]?.email ?? '');
      const person = { first, last, birth: birth + Math.floor(random() * 365) * DAY, mobile, email };
      household.push(person);
      const created = opened + Math.floor(random() * 20) * 60_000 + (m > 0 && random() < 0.3 ? Math.floor(random() * 400) * DAY : 0);
      patients.push({
        id: String(100_000 + patients.length),
        firstName: capital(first),
        lastName: capital(last),
        preferredName: random() < 0.05 ? capital(NICK[first] ?? '') : '',
        birthdate: date(person.birth),
        homePhone: home,
        workPhone: '',
        mobilePhone: mobile,
        email: person.email,
        zip,
        firstVisitDate: random() < 0.95 ? date(created + Math.floor(random() * 30) * DAY) : '',
        createdAt: iso(Math.min(created, Date.UTC(2025, 0, 1))),
      });
      if (adult) adults.push({ ...person, homePhone: home });
    }
  }

  const leads: LeadInput[] = [];
  for (let i = 0; i < leadCount; i++) {
    const occurredAt = iso(LEADS_FROM + Math.floor(random() * 549 * DAY));
    const known = random() < 0.35 ? pick(adults) : null;
    const region = pick(REGIONS);
    const first = known?.first ?? pick(GIVEN);
    const last = known?.last ?? surname();
    const style = random();
    const name =
      style < 0.25 ? `${last} ${first}`.toUpperCase().slice(0, 15)
      : style < 0.35 ? 'WIRELESS CALLER'
      : style < 0.45 ? ''
      : style < 0.5 ? `${capital(NICK[first] ?? first)} ${capital(last)}`
      : style < 0.53 ? 'SCAM LIKELY'
      : `${capital(first)} ${capital(last)}`;
    const number = known ? (known.homePhone && random() < 0.3 ? known.homePhone : known.mobile) : phone(region.areaCodes);
    leads.push({
      id: `L${String(i).padStart(7, '0')}`,
      occurredAt,
      name,
      phone: random() < 0.9 ? number : '',
      email: random() < 0.4 ? (known?.email ?? `${first}${last}${digits(3)}@${pick(DOMAINS)}`) : '',
    });
  }
  return { patients, leads };
}
