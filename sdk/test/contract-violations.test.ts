import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector, defineStream } from '../src/index.ts';
import { ContractViolation, runStream } from '../src/testkit/index.ts';

const Cursor = z.object({ n: z.number() });

function connectorWith(sync: (ctx: Parameters<Parameters<typeof defineStream<object, { n: number }>>[0]['sync']>[0]) => Promise<void>) {
  return defineConnector({
    id: 'broken', kind: 'lead-source', displayName: 'Broken', settings: z.object({}),
    streams: [defineStream<object, { n: number }>({
      name: 's', description: '', emits: ['spend'], cursor: { schema: Cursor, compare: (a, b) => a.n - b.n }, sync,
      parse: () => ({ records: [], issues: [] }),
    })],
  });
}

describe('the in-memory runner enforces the contract', () => {
  it('rejects a cursor that moves backwards', async () => {
    const connector = connectorWith(async (ctx) => {
      await ctx.cursor.set({ n: 2 });
      await ctx.cursor.set({ n: 1 });
    });
    await expect(runStream({ connector, stream: 's', settings: {} })).rejects.toBeInstanceOf(ContractViolation);
  });

  it('rejects records that break the canonical schema, naming the record and field', async () => {
    const connector = connectorWith(async (ctx) => {
      await ctx.emit('spend', [{ id: 'x', date: '0001-01-01', source: 'google', medium: null, campaign: 'c', adGroup: null, costCents: 1.5, currency: 'USD', clicks: null, impressions: null }]);
    });
    await expect(runStream({ connector, stream: 's', settings: {} })).rejects.toThrow(/spend x (date|costCents)/);
  });

  it('commits nothing from a run that throws', async () => {
    const connector = connectorWith(async (ctx) => {
      await ctx.emit('spend', [{ id: 'x', date: '2025-01-01', source: 'google', medium: null, campaign: 'c', adGroup: null, costCents: 150, currency: 'USD', clicks: 3, impressions: 40 }]);
      throw new Error('source went away');
    });
    const { MemoryStore } = await import('../src/testkit/index.ts');
    const store = new MemoryStore();
    await expect(runStream({ connector, stream: 's', settings: {}, store })).rejects.toThrow('source went away');
    expect(store.count('spend')).toBe(0);
  });
});

describe('defineConnector', () => {
  it('refuses ids that are not kebab-case and duplicate stream names', () => {
    expect(() => defineConnector({ id: 'Open_Dental', kind: 'pms', displayName: 'x', settings: z.object({}) })).toThrow(/kebab-case/);
  });
});
