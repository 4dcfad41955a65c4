import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

export const PRISMA_SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/schema.prisma');

interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}
interface WasmModule {
  SchemaEngine: { new: (options: unknown, log: () => void, adapter: object) => Promise<WasmSchemaEngine> };
}

let engineModule: Promise<WasmModule> | undefined;

/**
 * Prisma's schema engine compiled to WebAssembly, loaded by hand: its package imports the .wasm file as an ES module,
 * which Node cannot do, and the module may be instantiated only once per process.
 */
function loadEngine(): Promise<WasmModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const runtime = (await import(path.join(dir, 'schema_engine_bg.js'))) as WasmModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    // The project compiles without DOM types, where WebAssembly is declared; Node provides it at run time.
    const { WebAssembly } = globalThis as unknown as {
      WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }> };
    };
    const { instance } = await WebAssembly.instantiate(await readFile(path.join(dir, 'schema_engine_bg.wasm')), {
      './schema_engine_bg.js': runtime,
    });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime;
  })();
  return engineModule;
}

/**
 * PostgreSQL's internal one-byte `"char"` type (oid 18) appears in the catalog queries the engine runs, and the pg
 * adapter refuses to decode it. The client reports those columns as text (exact for one byte) and remembers their
 * names, so the adapter wrapper below can hand them to the engine typed as the Character it expects.
 */
const charColumns = new Set<string>();

class CatalogSafeClient extends pg.Client {
  override query(...args: unknown[]): never {
    const callback = args.find((arg): arg is (err: Error | null, res?: pg.QueryResult) => void => typeof arg === 'function');
    const retype = (result: pg.QueryResult | pg.QueryResult[] | undefined) => {
      for (const r of Array.isArray(result) ? result : result ? [result] : []) {
        for (const field of r.fields ?? []) {
          if (field.dataTypeID !== 18) continue;
          charColumns.add(field.name);
          field.dataTypeID = 25;
        }
      }
      return result;
    };
    if (callback) {
      const rest = args.filter((arg) => arg !== callback);
      return (super.query as (...a: unknown[]) => never)(...rest, (err: Error | null, res: pg.QueryResult) =>
        callback(err, retype(res) as pg.QueryResult),
      );
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(retype) : result) as never;
  }
}

function retypeCharColumns(result: SqlResultSet): SqlResultSet {
  return {
    ...result,
    columnTypes: result.columnTypes.map((type, i) =>
      charColumns.has(result.columnNames[i] ?? '') ? ColumnTypeEnum.Character : type,
    ),
  };
}

function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property) {
      if (property === 'queryRaw') {
        return async (query: Parameters<SqlDriverAdapter['queryRaw']>[0]) => retypeCharColumns(await target.queryRaw(query));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function catalogSafeFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => withCharColumns(await factory.connect()),
    connectToShadowDb: async () => withCharColumns(await factory.connectToShadowDb()),
  };
}

/**
 * The SQL that would bring the database at `connectionString` to the Prisma schema: empty when the migrations and
 * schema.prisma agree. Row-level security, triggers, functions and grants are not modelled by Prisma and not compared.
 */
export async function diffPrismaSchemaAgainstDatabase(connectionString: string): Promise<string | null> {
  const { SchemaEngine } = await loadEngine();
  const pool = new pg.Pool({ connectionString, max: 2, Client: CatalogSafeClient });
  pool.on('error', () => {});
  const files = [{ path: PRISMA_SCHEMA, content: await readFile(PRISMA_SCHEMA, 'utf8') }];
  const engine = await SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content]) },
    () => {},
    bindMigrationAwareSqlAdapterFactory(catalogSafeFactory(new PrismaPg(pool))),
  );
  try {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(PRISMA_SCHEMA) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 0 ? null : (result.stdout ?? 'the schema engine reported a difference');
  } finally {
    engine.free();
    await pool.end();
  }
}
