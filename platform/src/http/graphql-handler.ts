import type { IncomingMessage, ServerResponse } from 'node:http';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { createContext, type GraphQLContext } from '../graphql/context.ts';
import { schema } from '../graphql/schema.ts';
import type { Platform } from '../platform.ts';
import { parseCookies } from './cookies.ts';
import { requestOrigin } from './request-origin.ts';

interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

// Cookies resolvers ask for, keyed by request, so the response hook below can set them.
const cookiesByRequest = new WeakMap<Request, string[]>();

const setCookiesPlugin: Plugin = {
  onResponse({ request, response }) {
    for (const cookie of cookiesByRequest.get(request) ?? []) response.headers.append('Set-Cookie', cookie);
  },
};

/** Limits that keep one query from costing the server more than a page of the app would. */
export const QUERY_LIMITS = { depth: 12, aliases: 20, cost: 20_000, tokens: 3_000, directives: 20 } as const;

export function createGraphQLHandler(platform: Platform) {
  const { logger, config } = platform;
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.NODE_ENV === 'development' ? { title: 'Sourceline API' } : false,
    logging: false,
    maskedErrors: {
      maskError(error, message) {
        const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
        if (original instanceof GraphQLError) return error as Error;
        logger.error({ err: original }, 'unexpected error in a GraphQL resolver');
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
    plugins: [
      maxDepthPlugin({ n: QUERY_LIMITS.depth }),
      maxAliasesPlugin({ n: QUERY_LIMITS.aliases }),
      costLimitPlugin({ maxCost: QUERY_LIMITS.cost }),
      maxTokensPlugin({ n: QUERY_LIMITS.tokens }),
      maxDirectivesPlugin({ n: QUERY_LIMITS.directives }),
      setCookiesPlugin,
    ],
    context: async ({ request, req }) => {
      const origin = requestOrigin(req, config.TRUST_PROXY);
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? null;
      const principal = await authenticate(platform.db.prisma, {
        bearerToken: bearer,
        sessionToken: bearer ? null : (parseCookies(request.headers.get('cookie')).get(SESSION_COOKIE) ?? null),
      });
      const setCookies: string[] = [];
      cookiesByRequest.set(request, setCookies);
      return createContext({ platform, principal, origin, setCookies });
    },
  });
}
