import DataLoader from 'dataloader';
import type { GraphQLContext } from './context.ts';

/**
 * A per-request DataLoader: the records a list's items ask for in one tick are fetched in one query, and each only
 * once per request. `load` answers the records found, in any order; `keyOf` names each.
 */
export function requestLoader<T>(load: (ctx: GraphQLContext, ids: readonly string[]) => Promise<T[]>, keyOf: (record: T) => string) {
  const loaders = new WeakMap<GraphQLContext, DataLoader<string, T | null>>();
  return (ctx: GraphQLContext): DataLoader<string, T | null> => {
    let loader = loaders.get(ctx);
    if (!loader) {
      loader = new DataLoader<string, T | null>(async (ids) => {
        const byKey = new Map((await load(ctx, ids)).map((record) => [keyOf(record), record]));
        return ids.map((id) => byKey.get(id) ?? null);
      });
      loaders.set(ctx, loader);
    }
    return loader;
  };
}

/** The same for one-to-many: every record under each key (a lead's matches), in the order `load` answers them. */
export function requestGroupLoader<T>(load: (ctx: GraphQLContext, ids: readonly string[]) => Promise<T[]>, keyOf: (record: T) => string) {
  const loaders = new WeakMap<GraphQLContext, DataLoader<string, T[]>>();
  return (ctx: GraphQLContext): DataLoader<string, T[]> => {
    let loader = loaders.get(ctx);
    if (!loader) {
      loader = new DataLoader<string, T[]>(async (ids) => {
        const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
        for (const record of await load(ctx, ids)) groups.get(keyOf(record))?.push(record);
        return ids.map((id) => groups.get(id)!);
      });
      loaders.set(ctx, loader);
    }
    return loader;
  };
}
