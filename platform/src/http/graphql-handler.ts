import type { IncomingMessage, ServerResponse } from 'node:http';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.ts';
import { UserFacingError } from '../errors.ts';
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

// PostgreSQL text cannot hold U+0000, nor JSON an unpaired surrogate: refused here, by name, rather than failing deep
// in a write. (A GraphQL string literal `"\u0000"` in the query is caught in its escaped form.)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPED_UNSTORABLE = /\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])/;
const unstorable = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000') || LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(unstorable);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(unstorable);
  return false;
};

const refuseUnstorableTextPlugin: Plugin = {
  onParams({ params, setResult }) {
    if (unstorable(params.variables) || unstorable(params.query) || ESCAPED_UNSTORABLE.test(params.query ?? '')) {
      setResult({ errors: [new GraphQLError('Text may not contain NUL characters (U+0000) or unpaired surrogates.', { extensions: { code: 'BAD_USER_INPUT' } })] });
    }
  },
};

/**
 * graphql-js words a bad variable as `Variable "$x" got invalid value <the value> at "x.y"; <why>` and a bad literal
 * as `… found <the value>.`: the value goes, the variable, path and reason stay (a mistyped value can be a patient's
 * name, and error bodies end up in clients' logs).
 */
export function withoutEchoedValue(message: string): string {
  const variable = /^(Variable "\$[^"]+") got invalid value [\s\S]*?(?: at "([^"]*)")?; ([\s\S]*)$/.exec(message);
  if (variable) {
    const reason = variable[3]!.replace(/:\s[\s\S]*$/, '').replace(/, found [\s\S]*$/, '').replace(/\.?$/, '.');
    return `${variable[1]} got an invalid value${variable[2] ? ` at "${variable[2]}"` : ''}: ${reason}`;
  }
  return message.replace(/([,;:]) found [\s\S]*$/, '.').replace(/ value: [\s\S]*$/, ' value.');
}

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
        if (original instanceof GraphQLError) {
          const graphqlError = error as GraphQLError;
          // Our own errors are worded with care already; graphql-js's coercion errors quote the value.
          const message = original instanceof UserFacingError ? graphqlError.message : withoutEchoedValue(graphqlError.message);
          if (message === graphqlError.message) return graphqlError;
          return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...graphqlError.extensions } });
        }
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
      refuseUnstorableTextPlugin,
    ],
    context: async ({ request, req }) => {
      const origin = requestOrigin(req, config.TRUST_PROXY);
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? null;
      const principal = await authenticate(platform.db.app, {
        bearerToken: bearer,
        sessionToken: bearer ? null : (parseCookies(request.headers.get('cookie')).get(SESSION_COOKIE) ?? null),
      });
      const setCookies: string[] = [];
      cookiesByRequest.set(request, setCookies);
      return createContext({ platform, principal, origin, setCookies });
    },
  });
}
