/**
 * The files of a new connector package, as `sourceline connector new NAME` writes them: a working lead-source or PMS
 * connector against a fictional paginated JSON API, with settings, one stream, a saved fixture, and tests that run
 * the SDK test kit. Replace the fictional API with the real one and keep the tests green.
 */
export interface ScaffoldOptions {
  /** kebab-case id, e.g. `acme-leads`. */
  name: string;
  kind: 'pms' | 'lead-source';
  /**
   * Outside the Sourceline repository: depend on this published SDK version and carry a complete tsconfig. Inside it
   * (absent), the package joins the workspace and extends the repository's compiler settings.
   */
  standaloneSdkVersion?: string;
}

/** The repository's compiler settings, for a package that cannot extend them. */
const STANDALONE_COMPILER_OPTIONS = {
  target: 'ES2023', module: 'ESNext', moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true,
  strict: true, noUncheckedIndexedAccess: true, skipLibCheck: true, isolatedModules: true, verbatimModuleSyntax: true,
  types: ['node'],
};

export function scaffoldConnector({ name, kind, standaloneSdkVersion }: ScaffoldOptions): Record<string, string> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) throw new Error(`connector name "${name}" must be kebab-case (e.g. acme-leads)`);
  const display = name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const isLeads = kind === 'lead-source';
  const stream = isLeads ? 'leads' : 'patients';
  const recordKind = isLeads ? 'lead' : 'patient';
  return {
    'package.json': `${JSON.stringify({
      name: `@sourceline/connector-${name}`, version: '0.1.0', description: `${display} connector`, type: 'module',
      exports: { '.': './src/index.ts' }, scripts: { typecheck: 'tsc --noEmit -p .' },
      dependencies: { '@sourceline/sdk': standaloneSdkVersion ? `^${standaloneSdkVersion}` : 'workspace:*', zod: '4.6.7' },
      devDependencies: { '@types/node': '20.19.43', typescript: '6.0.3', vitest: '4.1.12' },
    }, null, 2)}\n`,
    'tsconfig.json': standaloneSdkVersion
      ? `${JSON.stringify({ compilerOptions: STANDALONE_COMPILER_OPTIONS, include: ['src'] }, null, 2)}\n`
      : '{ "extends": "../../tsconfig.base.json", "include": ["src"] }\n',
    'vitest.config.ts': `import { defineProject } from 'vitest/config';\n\nexport default defineProject({ test: { name: '${name}', include: ['src/**/*.test.ts'] } });\n`,
    'src/settings.ts': `import { secret } from '@sourceline/sdk';
import { z } from 'zod';

export const ${camel}Settings = z.object({
  baseUrl: z.url(),
  /** Marked secret: the platform encrypts it and never shows it again. */
  apiKey: secret(z.string().min(1)),
});

export type ${display.replace(/ /g, '')}Settings = z.infer<typeof ${camel}Settings>;
`,
    [`src/streams/${stream}.ts`]: `import { defineStream, FatalError, type ParseResult, type RawPayload, type RecordOf } from '@sourceline/sdk';
import { z } from 'zod';
import type { ${display.replace(/ /g, '')}Settings } from '../settings.ts';

const Cursor = z.object({ page: z.number().int().min(0) });
type Cursor = z.infer<typeof Cursor>;

/** One page of the source's API as it arrives: validate at the edge, map to canonical records. */
const SourcePage = z.object({
  items: z.array(z.object({ id: z.union([z.string(), z.number()]), ${isLeads ? "created_at: z.string(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), source: z.string().nullable()" : "first_name: z.string().nullable(), last_name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable()"} })),
  next_page: z.number().int().nullable(),
});

export function parse${display.replace(/ /g, '')}Page(payload: RawPayload): ParseResult & { nextPage: number | null } {
  let json: unknown;
  try {
    json = JSON.parse(payload.body);
  } catch {
    return { records: [], issues: [{ record: payload.name, field: '(body)', message: 'not JSON' }], nextPage: null };
  }
  const page = SourcePage.safeParse(json);
  if (!page.success) {
    return { records: [], nextPage: null, issues: page.error.issues.map((i) => ({ record: payload.name, field: i.path.join('.'), message: i.message })) };
  }
  const records = page.data.items.map((item): { kind: '${recordKind}'; record: RecordOf<'${recordKind}'> } => ({
    kind: '${recordKind}',
    record: ${isLeads
      ? `{
      id: String(item.id), occurredAt: new Date(item.created_at).toISOString(), kind: 'form', channel: null, source: item.source,
      medium: null, campaign: null, adGroup: null, keyword: null, gclid: null, name: item.name, phone: item.phone,
      email: item.email, landingPage: null, message: null, durationSeconds: null, locationId: null,
    }`
      : `{
      id: String(item.id), firstName: item.first_name, lastName: item.last_name, middleName: null, preferredName: null,
      birthDate: null, gender: 'unknown', status: 'active', phones: item.phone ? [{ kind: 'mobile', number: item.phone }] : [],
      email: item.email, address: null, guarantorId: null, primaryProviderId: null, locationId: null, firstVisitOn: null,
      createdOn: null, sourceUpdatedAt: null,
    }`},
  }));
  return { records, issues: [], nextPage: page.data.next_page };
}

export const ${stream}Stream = defineStream<${display.replace(/ /g, '')}Settings, Cursor>({
  name: '${stream}',
  description: '${isLeads ? 'Leads' : 'Patients'} from ${display}',
  emits: ['${recordKind}'],
  cursor: { schema: Cursor, compare: (a, b) => a.page - b.page },
  async sync(ctx) {
    let page = ctx.cursor.get()?.page ?? 0;
    for (;;) {
      const response = await ctx.http.request({ url: \`\${ctx.settings.baseUrl}/${stream}\`, query: { page }, headers: { authorization: \`Bearer \${ctx.settings.apiKey}\` } });
      const parsed = parse${display.replace(/ /g, '')}Page({ body: response.text, name: \`page \${page}\` });
      if (parsed.issues.length > 0) throw new FatalError(\`${display} sent an unexpected page \${page}: \${parsed.issues[0]!.field} \${parsed.issues[0]!.message}\`);
      await ctx.emit('${recordKind}', parsed.records.map((r) => r.record as RecordOf<'${recordKind}'>));
      if (parsed.nextPage === null) break;
      page = parsed.nextPage;
      await ctx.cursor.set({ page });
    }
  },
  parse: (payload) => parse${display.replace(/ /g, '')}Page(payload),
});
`,
    'src/index.ts': `import { defineConnector } from '@sourceline/sdk';
import { ${camel}Settings } from './settings.ts';
import { ${stream}Stream } from './streams/${stream}.ts';

const ${camel} = defineConnector({
  id: '${name}',
  kind: '${kind}',
  displayName: '${display}',
  settings: ${camel}Settings,
  streams: [${stream}Stream],
});

export default ${camel};
`,
    [`fixtures/${stream}-page.json`]: `${JSON.stringify({
      items: isLeads
        ? [{ id: 1, created_at: '2025-01-02T15:04:05Z', name: 'Test Person', phone: '(503) 555-0142', email: 'test.person@example.com', source: 'google' }]
        : [{ id: 1, first_name: 'Test', last_name: 'Person', phone: '(503) 555-0142', email: 'test.person@example.com' }],
      next_page: null,
    }, null, 2)}\n`,
    [`src/streams/${stream}.test.ts`]: `import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCrashResume, checkIdempotentRerun } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../index.ts';
import { parse${display.replace(/ /g, '')}Page } from './${stream}.ts';

const fixture = readFileSync(new URL('../../fixtures/${stream}-page.json', import.meta.url), 'utf8');
const server = createServer((req, res) => {
  const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 0);
  const body = JSON.parse(fixture) as { items: { id: number }[]; next_page: number | null };
  body.items = body.items.map((item) => ({ ...item, id: page * 100 + item.id }));
  body.next_page = page < 2 ? page + 1 : null;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}\`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('${display}', () => {
  it('maps a saved page to canonical records', () => {
    const { records, issues } = parse${display.replace(/ /g, '')}Page({ body: fixture, name: '${stream}-page.json' });
    expect(issues).toEqual([]);
    expect(records).toHaveLength(1);
  });

  it('keeps the SDK contract', async () => {
    const options = { connector, stream: '${stream}', settings: { baseUrl, apiKey: 'test-key' } };
    await checkIdempotentRerun(options);
    await checkCrashResume(options);
  });
});
`,
  };
}
