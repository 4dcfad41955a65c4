import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../src/http/graphql-handler.ts';
import { createUser, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let client: GraphQLClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  client = await signIn(platform, (await createUser(platform)).email);
});
afterAll(() => platform.close());

describe('GraphQL request limits', () => {
  it('rejects a query nested deeper than the limit', async () => {
    let selection = 'id';
    for (let i = 0; i < QUERY_LIMITS.depth; i += 1) selection = `agency { practices { edges { node { ${selection} } } } }`;
    const { body } = await client.raw(`{ practices { edges { node { ${selection} } } } }`);
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('rejects a query with too many aliases', async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: me { platformAdmin }`).join(' ');
    const { body } = await client.raw(`{ ${aliases} }`);
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('rejects a query whose estimated cost exceeds the limit, before running it', async () => {
    // graphql-armor multiplies a selection's cost by its `first`, so asking for as many rows as the cost limit is over
    // it (every row costs more than 1) while staying far inside the depth, alias and token limits.
    const page = (first: number) => `{ practices(first: ${first}) { edges { node { id name } } } }`;
    const { body } = await client.raw(page(QUERY_LIMITS.cost));
    expect(body.errors?.[0]?.message).toMatch(new RegExp(`cost limit of ${QUERY_LIMITS.cost} exceeded`, 'i'));
    expect(body.data).toBeUndefined();
    // The same query asking for a page of ordinary size runs: the rejection above is the cost, not the query's shape.
    expect((await client.raw(page(10))).body).toEqual({ data: { practices: { edges: [] } } });
  });

  it('hides unexpected errors behind a generic message', async () => {
    const { body } = await client.raw('{ node(id: "bm90LWEtdHlwZTox") { id } }');
    expect(JSON.stringify(body)).not.toMatch(/stack|prisma|select/i);
  });
});
