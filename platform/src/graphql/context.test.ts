import { describe, expect, it } from 'vitest';
import type { Platform } from '../platform.ts';
import { createContext } from './context.ts';

const contextOfOneRequest = () => createContext({ platform: {} as Platform, principal: null, origin: {}, setCookies: [] });

describe('reads shared within one request', () => {
  it('reads a key once for every field that asks, and apart from other keys', async () => {
    const ctx = contextOfOneRequest();
    let reads = 0;
    const read = async () => ++reads;
    expect(await Promise.all([ctx.once('totals:a', read), ctx.once('totals:a', read)])).toEqual([1, 1]);
    expect(await ctx.once('totals:b', read)).toBe(2);
    expect(reads).toBe(2);
  });

  it('keeps no failed read: the next field reads again', async () => {
    const ctx = contextOfOneRequest();
    await expect(ctx.once('totals:a', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    expect(await ctx.once('totals:a', async () => 'read again')).toBe('read again');
  });

  it('shares nothing between requests', async () => {
    const first = contextOfOneRequest();
    const second = contextOfOneRequest();
    await first.once('totals:a', async () => 'first');
    expect(await second.once('totals:a', async () => 'second')).toBe('second');
  });
});
